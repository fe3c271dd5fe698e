"""Subtitle tracks inside video files (Matroska, MP4, WebM), read as sidecar subtitles are.

A text track (SubRip, ASS/SSA, WebVTT, MP4's mov_text) becomes timed cues, then passages and
the plain-text excerpt of the item's document — both only where no sidecar gave them (sidecars
are read first; first source wins). Picture tracks (Blu-ray PGS, DVD and DVB subtitles) hold
images, not words: they are skipped, with the reason as a note the scanner logs.

Reading is bounded: FFmpeg demuxes only the chosen track, yet in Matroska that still means
walking the file's clusters, so a large film, a slow mount or a hostile file stops at
TRACK_SECONDS, DEMUX_BYTES or MAX_CUES and keeps the cues read so far (with a note saying how
far it got).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from engine.ingest.metadata import Metadata
from engine.ingest.subtitles import normalise_language
from engine.ingest.text import clean_text
from engine.ingest.transcripts import (
    MAX_TRANSCRIPT_BYTES,
    Cue,
    cue_line,
    group_cues,
)

log = logging.getLogger(__name__)

SOURCE = "container"
# FFmpeg says which codecs are text and which pictures; these names are only for the notes.
PICTURE_NAMES = {
    "hdmv_pgs_subtitle": "PGS",
    "dvd_subtitle": "DVD (VobSub)",
    "dvb_subtitle": "DVB",
    "xsub": "DivX XSUB",
}
# Bounds for one file. A film's subtitles are 1,000-2,000 cues and ~100 KB of text.
MAX_CUES = 20_000
TRACK_SECONDS = 10.0  # well inside the reader pool's 30 s per file
DEMUX_BYTES = 8 * 1024**3
EXCERPT_CAP = 20_000  # as sidecar subtitles (subtitles.read_subtitles_for)
_TIMEOUT = 5.0  # seconds FFmpeg may wait on I/O (as engine.ingest.video)
# Seconds one demux step may take. FFmpeg skips the other streams' packets inside one step, so a
# big film whose track is sparse can spend long between two subtitle packets: FFmpeg stops it.
READ_SECONDS = 5.0
_CONTAINER_OPTIONS = {"protocol_whitelist": "file"}


@dataclass(frozen=True)
class Track:
    index: int
    codec: str  # FFmpeg's codec name: subrip, ass, webvtt, mov_text, hdmv_pgs_subtitle...
    kind: str  # "text", "picture", or "unknown" (no decoder in this FFmpeg)
    language: str | None
    forced: bool
    default: bool


def read_text_tracks(path: str) -> Metadata:
    """Passages, excerpt and language from the best text subtitle track of a video file; an
    empty Metadata when it has none. Never raises: a file that cannot be read here was already
    read (or refused) by the video reader, so it is a note at most."""
    md = Metadata()
    url = "file:" + str(Path(path).absolute())
    try:
        timeouts = (_TIMEOUT, READ_SECONDS)
        with av.open(url, timeout=timeouts, container_options=_CONTAINER_OPTIONS) as container:
            tracks = _tracks(container)
            for track in tracks:
                if track.kind != "text":
                    md.notes.append((path, _skipped(track)))
            text = [t for t in tracks if t.kind == "text"]
            if not text:
                return md
            best = min(text, key=lambda t: (t.language != "en", t.forced, not t.default, t.index))
            cues, stopped = _cues(container, best.index)
    except (av.FFmpegError, OSError, ValueError) as exc:
        md.notes.append((path, f"subtitle tracks not read: {exc}"))
        return md
    except Exception as exc:  # a malformed track must not fail the file
        log.debug("reading subtitle tracks failed on %r", path, exc_info=True)
        md.notes.append((path, f"subtitle tracks not read: {exc or type(exc).__name__}"))
        return md
    if stopped:
        reached = cues[-1].start if cues else 0.0
        md.notes.append(
            (path, f"subtitle track {best.index} read up to {reached:.0f} s: {stopped}")
        )
    if not cues:
        return md
    md.put("passages", group_cues(cues, "subtitles"), SOURCE)
    md.put("subtitles", _excerpt(cues), SOURCE)
    md.put("subtitle_language", best.language, SOURCE)
    return md


def _excerpt(cues: list[Cue]) -> str | None:
    """The plain text the document's excerpt draws on, capped as a sidecar's is."""
    lines, total = [], 0
    for cue in cues:
        lines.append(cue.text)
        total += len(cue.text) + 1
        if total > 2 * EXCERPT_CAP + 1000:  # enough to fill the cap even after cleaning
            break
    return clean_text("\n".join(lines), EXCERPT_CAP)


def _tracks(container: Any) -> list[Track]:
    out = []
    for stream in container.streams.subtitles:
        codec = getattr(stream.codec_context, "codec", None)
        name = str(getattr(codec, "canonical_name", "") or "")
        if codec is None:
            kind = "unknown"
        elif codec.text_sub:
            kind = "text"
        else:
            kind = "picture" if codec.bitmap_sub else "unknown"
        meta = dict(stream.metadata or {})
        language = normalise_language(meta.get("language") or meta.get("LANGUAGE"))
        disposition = int(getattr(stream, "disposition", 0) or 0)
        forced = bool(disposition & int(av.stream.Disposition.forced))
        default = bool(disposition & int(av.stream.Disposition.default))
        out.append(Track(int(stream.index), name, kind, language, forced, default))
    return out


def _skipped(track: Track) -> str:
    if track.kind == "picture":
        what = PICTURE_NAMES.get(track.codec, track.codec)
        return f"subtitle track {track.index} skipped: {what} subtitles are pictures, not text"
    return f"subtitle track {track.index} skipped: no decoder for {track.codec or 'its codec'}"


def _cues(container: Any, index: int) -> tuple[list[Cue], str | None]:
    """The track's cues in time order, and why reading stopped early (None: it did not)."""
    cues: list[Cue] = []
    try:
        return _read_cues(container, index, cues)
    except av.ExitError:  # one demux step passed READ_SECONDS: keep what was read
        return _sorted(cues), f"a read took longer than {READ_SECONDS:.0f} s"
    except (av.FFmpegError, ValueError) as exc:  # damaged further on: keep what was read
        if not cues:
            raise
        return _sorted(cues), f"unreadable further on ({exc})"


def _read_cues(container: Any, index: int, cues: list[Cue]) -> tuple[list[Cue], str | None]:
    stream = container.streams[index]
    chars = 0
    previous = ""
    started = time.monotonic()
    for packet in container.demux(stream):
        if (packet.pos or 0) > DEMUX_BYTES:
            return _sorted(cues), f"past {DEMUX_BYTES // 1024**3} GiB of the file"
        if time.monotonic() - started > TRACK_SECONDS:
            return _sorted(cues), f"reading took longer than {TRACK_SECONDS:.0f} s"
        if not packet.size or packet.pts is None or packet.time_base is None:
            continue
        start = float(packet.pts * packet.time_base)
        end = start + float((packet.duration or 0) * packet.time_base)
        for sub in packet.decode():
            line = cue_line(_dialogue(sub))
            # Karaoke and roll-up captions repeat the same line across several events.
            if not line or line == previous or start < 0:
                continue
            previous = line
            cues.append(Cue(start, max(end, start), line))
            chars += len(line)
        if len(cues) >= MAX_CUES:
            return _sorted(cues[:MAX_CUES]), f"more than {MAX_CUES} cues"
        if chars > MAX_TRANSCRIPT_BYTES:
            return _sorted(cues), f"more than {MAX_TRANSCRIPT_BYTES // 1024**2} MB of text"
    return _sorted(cues), None


def _dialogue(sub: Any) -> str:
    """The text of one decoded subtitle rectangle: an ASS event line ("ReadOrder, Layer, Style,
    Name, MarginL, MarginR, MarginV, Effect, Text") whose text is after the eighth comma."""
    ass = getattr(sub, "ass", None)
    if isinstance(ass, bytes):
        parts = ass.decode("utf-8", "replace").split(",", 8)
        if len(parts) == 9:
            return parts[8]
    text = getattr(sub, "text", None)
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else ""


def _sorted(cues: list[Cue]) -> list[Cue]:
    return sorted(cues, key=lambda c: c.start)
