"""Read stream facts and container tags from video files with PyAV (FFmpeg's demuxers).

Only the container header is probed: no frame is decoded, so a small file takes well under a
millisecond once PyAV is imported. The end-of-file checks for cut-off MP4, Matroska and AVI
files live in engine.ingest.integrity.

A cut-off or damaged video is still read, as a half-downloaded podcast episode is: its tags and
stream facts, its duration from what is present (the last packet's end) and the declared length
as what the whole file would be, with an integrity `Finding` on the metadata. A file that is
recognisably a video container but that FFmpeg cannot open at all (an MP4 cut before its moov
box) is listed too, from its name, with a "damaged" finding. Only a file that is not a media
container at all is a ReaderError.
"""

from __future__ import annotations

import logging
import struct
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from engine.ingest.integrity import (
    DAMAGED,
    INCOMPLETE,
    UNKNOWN_DURATION,
    Finding,
    check_container,
    explain_refused,
    incomplete,
)
from engine.ingest.metadata import Chapter, Metadata, ReaderError
from engine.ingest.safe_read import regular_file_size
from engine.ingest.tagvalues import put_tag_date
from engine.ingest.text import clean_text, first_line

log = logging.getLogger(__name__)

SOURCE = "container"
_DESCRIPTION_CAP = 20_000
# Seconds FFmpeg may wait on I/O before giving up, so a stalled network mount cannot hang a scan.
_TIMEOUT = 5.0
# Only plain files: playlists (HLS, concat) must not make FFmpeg open URLs or other paths.
_CONTAINER_OPTIONS = {"protocol_whitelist": "file"}
# A cut-off file is demuxed (not decoded) to find where it stops; past this many bytes the end
# is extrapolated from the rate so far, so a half-downloaded 40 GB film costs a bounded read.
DEMUX_BUDGET = 64 * 1024 * 1024


def read_video(path: str) -> Metadata:
    """Metadata from one video file's container header, with `integrity` set when the file is
    cut off, damaged or says nothing of its length. Raises ReaderError when the file cannot be
    opened or is not a media container at all."""
    size = regular_file_size(path, "video")
    # "file:" stops FFmpeg reading a name such as "concat:a|b" or "http:x" as a protocol.
    url = "file:" + str(Path(path).absolute())
    try:
        container = av.open(url, timeout=_TIMEOUT, container_options=_CONTAINER_OPTIONS)
    except av.FFmpegError as exc:
        # "Invalid data" says little; a cut-off MP4 (no moov box yet) can be named as such.
        why = explain_refused(path, size) or _ffmpeg_message(exc)
        return _unopened(path, why, exc)
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # PyAV wraps most failures, but never let one escape unlabelled
        log.debug("av.open failed on %r", path, exc_info=True)
        return _unopened(path, f"not a readable video file: {exc or type(exc).__name__}", exc)
    try:
        fmt = str(getattr(container.format, "name", "") or "")
        _reject_raw_guess(path, container)
        try:
            md = _read(container)
        except av.FFmpegError as exc:
            return _unopened(path, _ffmpeg_message(exc), exc)
        except Exception as exc:  # a malformed header value must not crash the scan
            log.debug("reading container failed on %r", path, exc_info=True)
            why = str(exc) if isinstance(exc, ReaderError) else f"{exc or type(exc).__name__}"
            if not why.startswith("not a readable video file"):
                why = f"not a readable video file: {why}"
            return _unopened(path, explain_refused(path, size) or why, exc)
        declared = md.duration
    finally:
        container.close()

    md.integrity = _finding(path, fmt, size, url, declared)
    if md.integrity is not None and md.integrity.kind == INCOMPLETE:
        # The container's length is for the whole file: the duration is what is present.
        md.duration = md.integrity.present
        if md.duration is None:
            md.sources.pop("duration", None)
        else:
            md.sources["duration"] = "integrity"
    elif md.integrity is None and md.duration is None:
        md.integrity = Finding(UNKNOWN_DURATION, "duration unknown: the file does not say")
    return md


def _unopened(path: str, why: str, exc: BaseException) -> Metadata:
    """A file FFmpeg could not read: listed with a "damaged" finding when it is recognisably a
    video container (its name then gives the title), else the ReaderError it always was."""
    if _container_signature(path) is None:
        raise ReaderError(why) from exc
    md = Metadata()
    md.integrity = Finding(DAMAGED, f"damaged video: {why}; nothing in it can be read")
    return md


def _container_signature(path: str) -> str | None:
    """Which container the leading bytes say this is; None for anything else."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(_TS_PROBE)
    except OSError:
        return None
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if _ts_packet_size(head) is not None:
        return "mpegts"
    if head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return "mpeg"
    if head[:16] == _ASF_GUID:
        return "asf"
    if head[:3] == b"FLV":
        return "flv"
    if head[:4] == b"OggS":
        return "ogg"
    return None


_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_TS_PROBE = 4 * 204


def _ts_packet_size(head: bytes) -> int | None:
    """188 (TS), 192 (M2TS: a 4-byte timestamp first) or 204 (with FEC bytes), when the sync
    byte 0x47 recurs at that spacing from the start; else None."""
    for size, first in ((188, 0), (192, 4), (204, 0)):
        at = [first + n * size for n in range(3)]
        if at[-1] < len(head) and all(head[i] == 0x47 for i in at):
            return size
    return None


def _finding(path: str, fmt: str, size: int, url: str, declared: float | None) -> Finding | None:
    """What is wrong with a file FFmpeg opened: cut off (with where it stops), or None."""
    try:
        check_container(path, fmt, size)
        problem = _ts_problem(path, fmt, size)
    except ReaderError as exc:
        if str(exc).startswith("cannot read file"):
            raise
        problem = str(exc)
    if problem is None:
        return None
    expected = _avi_declared_length(path) if "avi" in fmt.split(",") else declared
    present = _present(url, size)
    if present is not None and expected is not None and present > expected:
        expected = None  # the header's length is not to be trusted either
    return incomplete(present, expected, problem, what="the video")


def _ts_problem(path: str, fmt: str, size: int) -> str | None:
    """An MPEG-TS file is a run of fixed-size packets: one cut short at the end was cut off."""
    if fmt != "mpegts":
        return None
    with Path(path).open("rb") as fh:
        packet = _ts_packet_size(fh.read(_TS_PROBE))
    if packet is None or size % packet == 0:
        return None
    return f"truncated MPEG-TS file: the last packet has {size % packet} of {packet} bytes"


def _avi_declared_length(path: str) -> float | None:
    """Seconds the AVI main header (avih) declares: total frames x microseconds per frame.
    FFmpeg rebuilds the index of a cut file by scanning it and reports only what is there."""
    with Path(path).open("rb") as fh:
        head = fh.read(88)
    # RIFF <size> AVI  LIST <size> hdrl avih <size> <body>
    if len(head) < 56 or head[12:16] != b"LIST" or head[20:24] != b"hdrl":
        return None
    if head[24:28] != b"avih":
        return None
    usec, _rate, _pad, _flags, frames = struct.unpack("<5I", head[32:52])
    return usec * frames / 1_000_000 if usec and frames else None


def _present(url: str, size: int) -> float | None:
    """Where a cut-off file's packets stop: the end of the last one read. Past DEMUX_BUDGET
    bytes, the time reached is scaled by the share of the file read so far."""
    end = 0.0
    pos = 0
    try:
        with av.open(url, timeout=_TIMEOUT, container_options=_CONTAINER_OPTIONS) as container:
            for packet in container.demux():
                if packet.pts is not None and packet.time_base is not None:
                    stop = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    end = max(end, stop)
                pos = max(pos, packet.pos or 0)
                if pos > DEMUX_BUDGET:
                    return end * size / pos
    except (av.FFmpegError, OSError, ValueError):
        pass  # the cut itself: what was read so far is what is present
    except Exception:  # a malformed packet must not crash the scan
        log.debug("demuxing a cut-off file failed on %r", url, exc_info=True)
    return end or None


def _ffmpeg_message(exc: av.FFmpegError) -> str:
    # FFmpegError's str() repeats errno and the URL; the strerror text is the useful part.
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    if isinstance(exc, av.InvalidDataError):
        return f"corrupt or unsupported video file: {reason}"
    if isinstance(exc, av.ExitError):
        return "not a readable video file: timed out reading the file"
    return f"not a readable video file: {reason}"


# Demuxers for bare elementary streams. FFmpeg's probe falls back to these for random bytes
# (noise often "looks like" raw H.263), so they are trusted only with their own extensions.
_RAW_DEMUXERS = frozenset(
    {
        "aac",
        "ac3",
        "avs2",
        "avs3",
        "cavsvideo",
        "data",
        "dirac",
        "dnxhd",
        "dts",
        "eac3",
        "h261",
        "h263",
        "h264",
        "hevc",
        "ingenient",
        "loas",
        "m4v",
        "mjpeg",
        "mjpeg_2000",
        "mlp",
        "mp3",
        "mpegvideo",
        "rawvideo",
        "truehd",
        "vc1",
        "vvc",
    }
)


def _reject_raw_guess(path: str, container: Any) -> None:
    fmt = container.format
    name = str(getattr(fmt, "name", "") or "")
    if name not in _RAW_DEMUXERS:
        return
    suffix = Path(path).suffix.lower().lstrip(".")
    extensions = {str(e).lower() for e in (getattr(fmt, "extensions", None) or ())}
    if suffix in extensions or suffix == name:
        return
    raise ReaderError(
        "corrupt or unsupported video file: no recognisable container "
        f"(the data only resembles a bare {name} stream)"
    )


def _tag(metadata: dict[str, str], *keys: str) -> str | None:
    """First non-empty tag among `keys`; Matroska tags come upper-case, MP4 ones lower-case."""
    folded = {k.casefold(): v for k, v in metadata.items()}
    for key in keys:
        value = folded.get(key)
        if value and value.strip():
            return value.strip()
    return None


def _number(value: str | None) -> int | None:
    """A season or episode number tag: a small whole number, else nothing."""
    if value is None or not value.isdigit() or len(value) > 5:
        return None
    return int(value)


def _is_attached_picture(stream: Any) -> bool:
    # Cover art in MKV/MP4 shows up as a one-frame video stream.
    try:
        return bool(stream.disposition & av.stream.Disposition.attached_pic)
    except (AttributeError, TypeError):
        return False


def _seconds(value: int | None, time_base: Fraction | None) -> float | None:
    if value is None or time_base is None or value <= 0:
        return None
    return float(value * time_base)


def _read(container: Any) -> Metadata:
    md = Metadata()
    tags: dict[str, str] = dict(container.metadata or {})

    video = [s for s in container.streams.video if not _is_attached_picture(s)]
    audio = list(container.streams.audio)
    if not video and not audio:
        raise ReaderError("not a readable video file: no audio or video streams")

    md.put("title", first_line(_tag(tags, "title")), SOURCE)
    description = _tag(tags, "description", "synopsis", "comment")
    md.put("description", clean_text(description, _DESCRIPTION_CAP), SOURCE)
    md.put("show", _tag(tags, "show"), SOURCE)
    # MP4's tvsn/tves atoms (and Matroska tags of the same names) as FFmpeg names them.
    md.put("season", _number(_tag(tags, "season_number")), SOURCE)
    md.put("episode", _number(_tag(tags, "episode_sort")), SOURCE)
    put_tag_date(md, _tag(tags, "date", "date_released", "year"), SOURCE)
    md.put("genres", [g for g in [_tag(tags, "genre")] if g], SOURCE)
    md.put("people", [p for p in [_tag(tags, "artist")] if p], SOURCE)

    duration = None
    if container.duration is not None and container.duration > 0:
        duration = container.duration / av.time_base
    else:
        lengths = [_seconds(s.duration, s.time_base) for s in [*video, *audio]]
        duration = max((d for d in lengths if d), default=None)
    md.put("duration", duration, SOURCE)

    if video:
        main = _pick(video)
        ctx = main.codec_context
        md.put("video_codec", _codec_name(main), SOURCE)
        if ctx is not None and ctx.width and ctx.height:
            md.put("width", int(ctx.width), SOURCE)
            md.put("height", int(ctx.height), SOURCE)
    if audio:
        main = _pick(audio)
        md.put("audio_codec", _codec_name(main), SOURCE)
        language = _tag(dict(main.metadata or {}), "language")
        if language and language.casefold() not in ("und", "unknown", "none"):
            md.put("language", language, SOURCE)

    md.put("chapters", _chapters(container, duration), SOURCE)
    return md


def _pick(streams: list[Any]) -> Any:
    """The stream a player would choose: the one flagged default, else the first."""
    for stream in streams:
        try:
            if stream.disposition & av.stream.Disposition.default:
                return stream
        except (AttributeError, TypeError):
            break
    return streams[0]


def _codec_name(stream: Any) -> str | None:
    ctx = stream.codec_context
    if ctx is None:
        return None
    # The codec's canonical name ("mp3"), not the decoder's ("mp3float").
    codec = getattr(ctx, "codec", None)
    name = getattr(codec, "canonical_name", None) or getattr(ctx, "name", None)
    return str(name) if name else None


def _chapters(container: Any, duration: float | None) -> list[Chapter]:
    getter = getattr(container, "chapters", None)
    if not callable(getter):
        return []
    out: list[Chapter] = []
    raw: list[dict[str, Any]] = list(getter())
    for n, chapter in enumerate(raw, start=1):
        base = chapter.get("time_base")
        if base is None:
            continue
        start = float(chapter.get("start", 0) * base)
        end_raw = chapter.get("end")
        end = float(end_raw * base) if end_raw is not None else None
        if end is not None and (end <= start or (duration and end > duration + 1.0)):
            end = None
        title = _tag(dict(chapter.get("metadata") or {}), "title") or f"Chapter {n}"
        out.append(Chapter(start=max(start, 0.0), title=title, end=end))
    out.sort(key=lambda c: c.start)
    return out
