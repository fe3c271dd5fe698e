"""Read tags and stream facts from audio files with mutagen.

`read_audio` understands ID3 (MP3, MP2, AAC, WAV, AIFF), MP4/M4A/M4B atoms, Ogg Vorbis, Opus and
Speex, FLAC, ASF (WMA) and APEv2 (Monkey's Audio, WavPack). It never decodes audio.

Tags and audio integrity are separate findings: a cheap end-of-file check per format
(engine.ingest.integrity) reports a cut-off or damaged file as a `Finding` on the metadata, with
the duration of what is present, and a file mutagen refuses outright still gives up its tags when
a tag-only reader can find them (ID3 at either end, FLAC metadata blocks, APEv2). Only a file
with nothing readable raises `ReaderError`.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import struct
from collections.abc import Iterable, Sequence
from typing import Any

import mutagen
from mutagen import id3
from mutagen.aac import AAC
from mutagen.apev2 import APEv2
from mutagen.asf import ASF
from mutagen.flac import FLAC, Picture
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggFileType
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis

from engine.ingest import rawtags
from engine.ingest.integrity import (
    DAMAGED,
    INCOMPLETE,
    UNKNOWN_DURATION,
    Finding,
    audio_finding,
    incomplete,
)
from engine.ingest.metadata import Chapter, Metadata, ReaderError
from engine.ingest.safe_read import regular_file_size
from engine.ingest.tagvalues import put_tag_date
from engine.ingest.text import clean_text

log = logging.getLogger(__name__)

_DESCRIPTION_CAP = 20_000
_LYRICS_CAP = 100_000
_FRONT_COVER = 3  # picture type shared by ID3 APIC and FLAC pictures
# mutagen's partial annotations leave these constructors untyped
_Picture: Any = Picture
_ID3: Any = id3.ID3
_APEv2: Any = APEv2
_AAC: Any = AAC


class NothingReadable(ReaderError):
    """Neither tags nor audio could be read from the file's content (it exists, is a regular
    file and is not empty). Its sidecars or feed entry may still say what it is."""


def read_audio(path: str) -> Metadata:
    """Metadata from one audio file's tags, with `integrity` set when the audio is cut off or
    damaged. Raises ReaderError when the file cannot be opened, NothingReadable when nothing
    in it can be read."""
    size = regular_file_size(path, "audio")
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as exc:
        if _os_error(exc):
            raise ReaderError(f"cannot read file: {_describe(exc)}") from exc
        by_name = _by_extension(path)
        if by_name is not None:
            return by_name
        return _salvage(path, _mutagen_message(exc), _looks_cut(exc))
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # mutagen leaks struct/index errors on malformed input
        log.debug("mutagen failed on %r", path, exc_info=True)
        return _salvage(path, f"not a readable audio file: {_describe(exc)}", _looks_cut(exc))
    if audio is None:
        return _salvage(path, "not an audio format Reelcast knows", False)

    finding = audio_finding(path, audio, size)
    md = Metadata()
    try:
        _fill(md, audio)
        if not md.title and type(audio).__name__ in ("WAVE", "AIFF"):
            _fill_vorbis(md, rawtags.chunk_tags(path), "riff", [])
    except Exception as exc:  # a malformed frame must not escape as a crash
        log.debug("tag extraction failed on %r", path, exc_info=True)
        return _salvage(path, f"unreadable tags: {_describe(exc)}", False)
    if finding is not None and finding.present is not None:
        # The header lies about what is here: the duration is what is present.
        md.duration = finding.present
        md.sources["duration"] = "integrity"
    elif finding is not None and finding.kind == INCOMPLETE:
        md.duration = None  # the header's length is for a file that is not all here
        md.sources.pop("duration", None)
    if finding is None and md.duration is None:
        finding = Finding(UNKNOWN_DURATION, "duration unknown: the file does not say")
    md.integrity = finding
    return md


# --- damaged files: tags without the audio ----------------------------------------------------


def _salvage(path: str, why: str, cut: bool) -> Metadata:
    """The tags of a file whose audio mutagen could not open; NothingReadable without any."""
    md = Metadata()
    try:
        found = _tags_only(path, md)
    except Exception:  # the tag readers are as exposed to malformed input as mutagen.File
        log.debug("tag-only read failed on %r", path, exc_info=True)
        found = False
    if not found:
        raise NothingReadable(f"{why} (and no readable tags)")
    if cut:
        md.integrity = incomplete(None, None, why)
    else:
        md.integrity = Finding(DAMAGED, f"damaged audio: {why}")
    return md


def _tags_only(path: str, md: Metadata) -> bool:
    """Fill `md` from whatever tag block a tag-only reader finds; was anything there?"""
    try:
        tags: Any = _ID3(path)  # an ID3v2 tag at the start, else ID3v1 at the end
    except (id3.ID3NoHeaderError, mutagen.MutagenError, struct.error, ValueError, EOFError):
        tags = rawtags.partial_id3(path)
    if tags is not None and len(tags.keys()) > 0:
        _fill_id3(md, tags)
        if _has_identity(md):
            return True
    for read_comments, source in (
        (rawtags.flac_comments, "flac"),
        (rawtags.ogg_comments, "vorbis"),
    ):
        comments = read_comments(path)
        if comments is not None:
            _fill_vorbis(md, _comments(comments), source, [])
            if _has_identity(md):
                return True
    _fill_vorbis(md, rawtags.chunk_tags(path), "riff", [])
    if _has_identity(md):
        return True
    try:
        ape: Any = _APEv2(path)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError):
        ape = None
    if ape is not None:
        _fill_vorbis(md, _ape_comments(ape), "ape", [])
    return _has_identity(md)


def _by_extension(path: str) -> Metadata | None:
    """An ADTS AAC file behind an ID3 tag looks like an MP3 to mutagen's guess, which then
    finds no MPEG frame: read the stream as the extension says and the tag on its own."""
    if not path.lower().endswith((".aac", ".adts")):
        return None
    try:
        stream: Any = _AAC(path)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError):
        return None
    md = Metadata()
    _tags_only(path, md)
    length = _positive(getattr(stream.info, "length", None))
    md.put("duration", length, "id3" if md.sources else "aac")
    md.put("audio_codec", "aac", "aac")
    if length is None:
        md.integrity = Finding(UNKNOWN_DURATION, "duration unknown: the file does not say")
    return md


def _has_identity(md: Metadata) -> bool:
    return bool(md.title or md.show or md.people or md.guid)


# --- errors -----------------------------------------------------------------------------------


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.errno is None and not text:
        return "the data ends too soon"
    if not text or text.casefold() == "error":
        cause = exc.__cause__ or exc.__context__
        if cause is not None and cause is not exc:
            return _describe(cause)
        return type(exc).__name__
    return text


def _os_error(exc: BaseException) -> bool:
    """A real I/O failure (it has an errno), not mutagen's bare OSError for a short read."""
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, OSError) and cause.errno is not None


_CUT_WORDS = ("truncat", "not enough data", "unable to read full", "said", "eof", "end of file")


def _looks_cut(exc: BaseException) -> bool:
    """mutagen's own words for a file that ends too soon, or its bare OSError for a short
    read (no errno: nothing failed but the data ran out)."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, EOFError) or (isinstance(cause, OSError) and cause.errno is None):
        return True
    text = f"{exc} {cause or ''}".casefold()
    return any(w in text for w in _CUT_WORDS)


def _mutagen_message(exc: mutagen.MutagenError) -> str:
    module = type(exc).__module__
    detail = _describe(exc)
    if module.startswith("mutagen.mp3"):
        return f"no MPEG audio frames where the header says ({detail})"
    if module.startswith("mutagen.id3"):
        return f"corrupt ID3 tag ({detail})"
    if module.startswith(("mutagen.mp4", "mutagen.m4a")):
        return f"corrupt MP4 file ({detail})"
    if module.startswith("mutagen.flac"):
        return f"corrupt FLAC file ({detail})"
    if module.startswith("mutagen.ogg"):
        return f"corrupt Ogg file ({detail})"
    return f"not a readable audio file ({detail})"


def _ape_comments(tags: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in tags.items():
        if getattr(value, "kind", 0) != 0:  # binary or external values: not text
            continue
        out.setdefault(str(key).lower(), []).extend(str(v) for v in value)
    return out


def _asf_comments(tags: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in tags.as_dict().items():
        out.setdefault(str(key).lower(), []).extend(
            str(v) for v in values if isinstance(getattr(v, "value", None), str)
        )
    return out


# --- tag extraction ---------------------------------------------------------------------------


def _fill(md: Metadata, audio: Any) -> None:
    tags = audio.tags
    if isinstance(tags, id3.ID3):
        _fill_id3(md, tags)
    elif isinstance(audio, MP4):
        _fill_mp4(md, audio)
    elif isinstance(audio, FLAC):
        _fill_vorbis(md, _comments(tags), "flac", list(audio.pictures))
    elif isinstance(audio, ASF):
        _fill_vorbis(md, _asf_comments(tags), "asf", [])
    elif isinstance(tags, APEv2):  # Monkey's Audio, WavPack, Musepack
        _fill_vorbis(md, _ape_comments(tags), "ape", [])
    elif tags is not None and hasattr(tags, "as_dict"):  # Ogg Vorbis/Opus/Speex/FLAC comments
        _fill_vorbis(md, _comments(tags), "vorbis", [])

    length = getattr(audio.info, "length", None)
    if isinstance(length, int | float) and length > 0:
        md.put("duration", float(length), _source_of(audio))
    md.put("audio_codec", _codec_name(audio), _source_of(audio))


def _source_of(audio: Any) -> str:
    if isinstance(audio.tags, id3.ID3):
        return "id3"
    if isinstance(audio, MP4):
        return "mp4"
    if isinstance(audio, FLAC):
        return "flac"
    if isinstance(audio, OggFileType):
        return "vorbis"
    return "mutagen"


_CLASS_CODECS: tuple[tuple[type[Any], str], ...] = (
    (FLAC, "flac"),
    (OggFLAC, "flac"),
    (OggOpus, "opus"),
    (OggVorbis, "vorbis"),
    (OggSpeex, "speex"),
)


def _codec_name(audio: Any) -> str | None:
    """An FFmpeg-style codec name, so audio and video readers agree."""
    if isinstance(audio, MP3):
        layer = getattr(audio.info, "layer", 3)
        return "mp3" if layer == 3 else f"mp{layer}"
    if isinstance(audio, MP4):
        codec = str(getattr(audio.info, "codec", "") or "").lower()
        if codec.startswith("mp4a.40"):
            return "aac"
        if codec in ("mp4a.69", "mp4a.6b"):
            return "mp3"
        return {"ac-3": "ac3", "ec-3": "eac3"}.get(codec, codec or None)
    for cls, name in _CLASS_CODECS:
        if isinstance(audio, cls):
            return name
    return _OTHER_CODECS.get(type(audio).__name__)


# Formats whose mutagen class says the codec (PCM in WAV/AIFF may be other sample formats).
_OTHER_CODECS = {
    "WAVE": "pcm",
    "AIFF": "pcm",
    "ASF": "wma",
    "WavPack": "wavpack",
    "MonkeysAudio": "ape",
    "AAC": "aac",
    "Musepack": "musepack",
    "TrueAudio": "tta",
}


def _texts(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        text = str(value).replace("\x00", "").strip()
        if text and text not in out:
            out.append(text)
    return out


def _first(values: Iterable[Any]) -> str | None:
    found = _texts(values)
    return found[0] if found else None


def _mark_podcast_genre(md: Metadata, source: str) -> None:
    # Podcast apps and feed tools tag episodes with the genre "Podcast".
    if any(g.casefold() == "podcast" for g in md.genres):
        md.put("kind", "podcast", source)


# ID3 COMM frames that hold player bookkeeping rather than a comment.
_JUNK_COMMENT_PREFIXES = ("itun", "itunes_cddb", "musicmatch", "songs-db")


def _fill_id3(md: Metadata, tags: Any) -> None:
    src = "id3"

    def text(frame_id: str) -> str | None:
        return _first(v for f in tags.getall(frame_id) for v in f.text)

    md.put("title", text("TIT2"), src)
    md.put("show", text("TALB"), src)
    people = _texts(v for fid in ("TPE1", "TPE2") for f in tags.getall(fid) for v in f.text)
    md.put("people", people, src)

    # TDES is the podcast's own episode description, richer than a free-form comment.
    description = clean_text(text("TDES"), _DESCRIPTION_CAP)
    if description is None:
        comments = [
            f
            for f in tags.getall("COMM")
            if not f.desc.casefold().startswith(_JUNK_COMMENT_PREFIXES)
        ]
        comments.sort(key=lambda f: f.desc != "")  # the untitled comment is the main one
        for frame in comments:
            description = clean_text("\n".join(str(t) for t in frame.text), _DESCRIPTION_CAP)
            if description:
                break
    md.put("description", description, src)

    for frame in tags.getall("USLT"):
        md.put("lyrics", clean_text(str(frame.text), _LYRICS_CAP), src)

    # Release date first: recording dates of re-published episodes are older.
    for frame_id in ("TDRL", "TDRC", "TDOR"):
        for frame in tags.getall(frame_id):
            for stamp in frame.text:
                put_tag_date(md, getattr(stamp, "text", str(stamp)), src)

    md.put("genres", _texts(g for f in tags.getall("TCON") for g in f.genres), src)
    md.put("language", text("TLAN"), src)
    if tags.getall("PCST"):
        md.put("kind", "podcast", src)
    _mark_podcast_genre(md, src)
    md.put("guid", text("TGID"), src)
    md.put("show_feed_url", _first(f.url for f in tags.getall("WFED")), src)
    md.put("chapters", _id3_chapters(tags), src)
    md.put("artwork_data", _id3_cover(tags), src)


def _id3_chapters(tags: Any) -> list[Chapter]:
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    if not chaps:
        return []
    order: list[str] = []
    tocs = tags.getall("CTOC")
    tocs.sort(key=lambda f: not (f.flags & id3.CTOCFlags.TOP_LEVEL))
    for toc in tocs:
        order.extend(c for c in toc.child_element_ids if c in chaps and c not in order)
    if not order:
        order = sorted(chaps, key=lambda c: chaps[c].start_time)
    out: list[Chapter] = []
    for n, cid in enumerate(order, start=1):
        frame = chaps[cid]
        title = None
        for sub_id in ("TIT2", "TIT3"):
            title = _first(v for f in frame.sub_frames.getall(sub_id) for v in f.text)
            if title:
                break
        start = frame.start_time / 1000.0
        end = frame.end_time / 1000.0 if frame.end_time > frame.start_time else None
        out.append(Chapter(start=start, title=title or f"Chapter {n}", end=end))
    return out


def _id3_cover(tags: Any) -> bytes | None:
    pictures = [f for f in tags.getall("APIC") if f.data]
    pictures.sort(key=lambda f: f.type != _FRONT_COVER)
    return bytes(pictures[0].data) if pictures else None


def _fill_mp4(md: Metadata, audio: Any) -> None:
    src = "mp4"
    tags: Any = audio.tags or {}

    def text(key: str) -> str | None:
        return _first(tags.get(key, []))

    md.put("title", text("\xa9nam"), src)
    md.put("show", text("tvsh") or text("\xa9alb"), src)
    md.put("people", _texts([*tags.get("\xa9ART", []), *tags.get("aART", [])]), src)
    for key in ("ldes", "desc", "\xa9cmt"):
        md.put("description", clean_text(text(key), _DESCRIPTION_CAP), src)
    md.put("lyrics", clean_text(text("\xa9lyr"), _LYRICS_CAP), src)
    put_tag_date(md, text("\xa9day"), src)
    md.put("genres", _texts([*tags.get("\xa9gen", []), *tags.get("catg", [])]), src)
    md.put("season", _first_int(tags.get("tvsn")), src)
    md.put("episode", _first_int(tags.get("tves")), src)
    if any(bool(v) for v in _as_list(tags.get("pcst"))):
        md.put("kind", "podcast", src)
    # iTunes media kind: 9 movie, 10 TV show, 21 podcast.
    md.put(
        "kind",
        {9: "movie", 10: "episode", 21: "podcast"}.get(_first_int(tags.get("stik")) or 0),
        src,
    )
    _mark_podcast_genre(md, src)
    md.put("guid", text("egid"), src)
    md.put("show_feed_url", text("purl"), src)
    covers = [bytes(c) for c in tags.get("covr", []) if bytes(c)]
    md.put("artwork_data", covers[0] if covers else None, src)
    chapters = getattr(audio, "chapters", None)
    if chapters:
        starts = [float(c.start) for c in chapters]
        ends: list[float | None] = [*starts[1:], _positive(audio.info.length)]
        md.put(
            "chapters",
            [
                Chapter(start=s, title=str(c.title).strip() or f"Chapter {n}", end=e)
                for n, (c, s, e) in enumerate(zip(chapters, starts, ends, strict=True), start=1)
            ],
            src,
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _first_int(value: Any) -> int | None:
    for item in _as_list(value):
        if isinstance(item, tuple):
            item = item[0] if item else None
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            return item
    return None


def _positive(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _comments(tags: Any) -> dict[str, list[str]]:
    if tags is None:
        return {}
    return {k.lower(): list(v) for k, v in tags.as_dict().items()}


def _fill_vorbis(
    md: Metadata, comments: dict[str, list[str]], src: str, pictures: Sequence[Any]
) -> None:
    """Vorbis comments, and the ASF and APEv2 keys that name the same things."""

    def text(*keys: str) -> str | None:
        for key in keys:
            found = _first(comments.get(key, []))
            if found:
                return found
        return None

    md.put("title", text("title"), src)
    md.put("show", text("album", "wm/albumtitle"), src)
    people = _texts(
        v
        for k in ("artist", "albumartist", "album artist", "performer", "author", "wm/albumartist")
        for v in comments.get(k, [])
    )
    md.put("people", people, src)
    for key in ("description", "comment", "summary", "wm/subtitledescription"):
        md.put("description", clean_text(text(key), _DESCRIPTION_CAP), src)
    md.put("lyrics", clean_text(text("lyrics", "unsyncedlyrics", "wm/lyrics"), _LYRICS_CAP), src)
    put_tag_date(md, text("date", "originaldate", "year", "wm/year"), src)
    md.put("genres", _texts([*comments.get("genre", []), *comments.get("wm/genre", [])]), src)
    _mark_podcast_genre(md, src)
    md.put("language", text("language"), src)
    md.put("chapters", _vorbis_chapters(comments), src)

    pics = list(pictures)
    for block in comments.get("metadata_block_picture", []):
        try:
            pics.append(_Picture(base64.b64decode(block)))
        except (binascii.Error, ValueError, mutagen.MutagenError, struct.error):
            log.debug("skipping an undecodable METADATA_BLOCK_PICTURE")
    pics = [p for p in pics if p.data]
    pics.sort(key=lambda p: p.type != _FRONT_COVER)
    cover = bytes(pics[0].data) if pics else None
    if cover is None:
        for block in comments.get("coverart", []):  # the pre-standard raw base64 image
            try:
                cover = base64.b64decode(block) or None
            except (binascii.Error, ValueError):
                continue
            break
    md.put("artwork_data", cover, src)


_CHAPTER_KEY = re.compile(r"^chapter(\d{1,3})$")
_CHAPTER_TIME = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def _vorbis_chapters(comments: dict[str, list[str]]) -> list[Chapter]:
    """The Vorbis chapter extension: CHAPTERnnn=HH:MM:SS.sss, CHAPTERnnnNAME=title."""
    found: list[tuple[float, str]] = []
    for key, values in comments.items():
        match = _CHAPTER_KEY.match(key)
        if match is None or not values:
            continue
        when = _CHAPTER_TIME.match(values[0].strip())
        if when is None:
            continue
        start = int(when.group(1)) * 3600 + int(when.group(2)) * 60 + float(when.group(3))
        name = _first(comments.get(f"{key}name", [])) or f"Chapter {int(match.group(1))}"
        found.append((start, name))
    found.sort()
    return [
        Chapter(start=start, title=name, end=found[i + 1][0] if i + 1 < len(found) else None)
        for i, (start, name) in enumerate(found)
    ]
