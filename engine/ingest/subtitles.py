"""Subtitle sidecars (.srt, .vtt, .ass, .ssa): plain text for search, and its language.

Also home of normalising a language tag to ISO 639-1, which the NFO reader shares.
"""

from __future__ import annotations

import codecs
import importlib
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

import babelfish
import pysubs2

from engine.ingest.metadata import DirContext, Metadata, ReaderError
from engine.ingest.safe_read import read_sidecar_bytes
from engine.ingest.text import clean_text

log = logging.getLogger(__name__)

SOURCE = "subtitles"
SUBTITLE_FORMATS = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa"}
# Real subtitle files are a few hundred KiB; anything far larger is not worth reading.
MAX_SUBTITLE_BYTES = 10 * 1024 * 1024

# Filename flags that sit where a language tag could (Jellyfin/Plex/Kodi naming); "hi" means
# hearing-impaired there, not Hindi.
_FLAGS = frozenset(
    {"forced", "foreign", "sdh", "cc", "hi", "default", "full", "signs", "songs", "commentary"}
)
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
_OVERRIDE = re.compile(r"\{[^}]*\}")
_DRAWING = re.compile(r"\{[^}]*\\p[1-9]")  # ASS vector drawings: coordinates, not words
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def normalise_language(tag: str | None) -> str | None:
    """ISO 639-1 code for a 2/3-letter code, IETF tag or English name; alpha-3 if no 639-1."""
    if tag is None:
        return None
    text = tag.strip().replace("_", "-")
    if not text or len(text) > 40:
        return None
    low = text.lower()
    try:
        if len(low) == 2:
            lang = babelfish.Language.fromalpha2(low)
        elif len(low) == 3:
            # Bibliographic codes (ger, fre) first, then terminologic ones (deu, fra).
            try:
                lang = babelfish.Language.fromalpha3b(low)
            except (babelfish.Error, ValueError, KeyError):
                lang = babelfish.Language(low)
        elif "-" in low:
            lang = babelfish.Language.fromietf(text)
        else:
            lang = babelfish.Language.fromname(text.capitalize())
    except (babelfish.Error, ValueError, KeyError):
        return None
    alpha3 = str(lang.alpha3)
    if alpha3 in _NO_LANGUAGE:
        return None
    try:
        return str(lang.alpha2)
    except (babelfish.Error, ValueError, KeyError):
        return alpha3


def subtitle_candidates(media: str, ctx: DirContext) -> list[tuple[str, str | None, bool]]:
    """(path, language, forced) for each subtitle named after `media`, best first.

    English wins, then full over forced subtitles (forced ones cover only foreign dialogue),
    then the first by name.
    """
    prefix = _nfc(Path(media).stem) + "."
    found: list[tuple[str, str | None, bool]] = []
    for sub in ctx.subtitles:
        name = _nfc(Path(sub).name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUBTITLE_FORMATS or len(name) <= len(prefix):
            continue
        if name[: len(prefix)].casefold() != prefix.casefold():
            continue
        tags = [t for t in name[len(prefix) : len(name) - len(suffix)].split(".") if t]
        language = None
        for t in tags:
            if t.lower() in _FLAGS:
                continue
            language = normalise_language(t)
            if language:
                break
        forced = any(t.lower() in ("forced", "foreign") for t in tags)
        found.append((sub, language, forced))
    found.sort(key=lambda c: (c[1] != "en", c[2], Path(c[0]).name.casefold(), c[0]))
    return found


def read_subtitles_for(media: str, ctx: DirContext, cap: int = 20000) -> Metadata:
    """Plain text and language of the best subtitle sidecar of `media`; never raises on bad files.

    A broken or empty subtitle adds a warning and the next candidate is tried.
    """
    if cap < 1:
        raise ValueError("cap must be at least 1")
    meta = Metadata()
    for path, language, _forced in subtitle_candidates(media, ctx):
        try:
            text = subtitle_text(path, cap)
        except ReaderError as exc:
            meta.warnings.append((path, str(exc)))
            continue
        if not text:
            meta.warnings.append(
                (path, "Subtitle has no readable text (damaged or not a subtitle)")
            )
            continue
        meta.put("subtitles", text, SOURCE)
        meta.put("subtitle_language", language, SOURCE)
        break
    return meta


def read_passages_for(media: str, ctx: DirContext) -> Metadata:
    """Every word of the best timed-text sidecar of `media` as passages that keep their times.

    A podcast's own transcript (JSON, HTML) comes first, then subtitles in the order
    `subtitle_candidates` prefers them. A JSON or HTML file named after the episode that is not
    a transcript (yt-dlp's ``.info.json``) is passed over without a warning."""
    from engine.ingest import transcripts

    meta = Metadata()
    own = [
        p
        for p in transcripts.transcript_candidates(media, ctx.subtitles)
        if Path(p).suffix.lower() in transcripts.TRANSCRIPT_SUFFIXES
    ]
    ordered = own + [path for path, _language, _forced in subtitle_candidates(media, ctx)]
    for path in ordered:
        suffix = Path(path).suffix.lower()
        try:
            cues = transcripts.read_cues(path)
        except ReaderError as exc:
            if suffix in transcripts.TIMED_SUBTITLES:
                meta.warnings.append((path, str(exc)))
            else:
                log.debug("%s is not a transcript: %s", path, exc)
            continue
        if not cues:
            continue
        source = "subtitles" if suffix in transcripts.TIMED_SUBTITLES else "transcript"
        if all(c.start == 0.0 and c.end == 0.0 for c in cues):
            untimed = "\n".join(c.text for c in cues)
            meta.put("passages", transcripts.text_passages(untimed, source), SOURCE)
        else:
            meta.put("passages", transcripts.group_cues(cues, source), SOURCE)
        break
    return meta


def subtitle_text(path: str, cap: int) -> str | None:
    """Deduplicated plain text of one subtitle file, at most `cap` characters.

    Raises ReaderError when the file cannot be read or parsed.
    """
    data = read_sidecar_bytes(path, MAX_SUBTITLE_BYTES, "Subtitle")
    text = decode_text(data)
    if not text.strip():
        raise ReaderError("Subtitle is empty")
    fmt = SUBTITLE_FORMATS.get(Path(path).suffix.lower())
    subs = parse_subtitles(text, fmt)
    lines: list[str] = []
    previous = ""
    total = 0
    for event in subs.events:
        if getattr(event, "is_comment", False):
            continue
        raw = str(event.text)
        if _DRAWING.search(raw):
            continue
        raw = _OVERRIDE.sub("", raw)
        raw = raw.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")
        raw = _HTML_TAG.sub("", raw)
        for line in raw.split("\n"):
            line = " ".join(line.split())
            # Karaoke and roll-up captions repeat the same line across several events.
            if not line or line == previous:
                continue
            previous = line
            lines.append(line)
            total += len(line) + 1
        if total > 2 * cap + 1000:  # enough to fill the cap even after cleaning
            break
    cleaned = clean_text("\n".join(lines), cap)
    if cleaned and len(cleaned) > cap:
        cleaned = cleaned[:cap]
    return cleaned


def decode_text(data: bytes) -> str:
    """Text of a sidecar in an unknown encoding: BOM, then UTF-8, then detection or cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect_encoding(data)
    for encoding in ([detected] if detected else []) + ["cp1252"]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        log.debug("subtitle decoded as %s", encoding)
        return text
    # latin-1 maps every byte, so this always succeeds.
    return data.decode("latin-1")


def _detect_encoding(data: bytes) -> str | None:
    # Optional dependency: imported by name so the module works (and type-checks) without it.
    try:
        detector: Any = importlib.import_module("charset_normalizer")
    except ImportError:
        return None
    try:
        best = detector.from_bytes(data[:200_000]).best()
    except Exception:  # a detector bug must not fail the scan
        log.debug("charset detection failed", exc_info=True)
        return None
    return str(best.encoding) if best is not None else None


def parse_subtitles(text: str, fmt: str | None) -> Any:
    """A pysubs2 file from text, autodetected, else parsed as `fmt` (raises ReaderError)."""
    try:
        return pysubs2.SSAFile.from_string(text)
    except Exception as first:  # pysubs2 raises many types on malformed input
        if fmt is None:
            raise ReaderError(f"Subtitle could not be parsed: {first}") from first
    # Autodetection can fail on a file with a stray header; the extension is the next best guess.
    try:
        return pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception as exc:
        raise ReaderError(f"Subtitle could not be parsed as {fmt}: {exc}") from exc


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)
