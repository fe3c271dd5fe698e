"""Read stream facts and container tags from video files with PyAV (FFmpeg's demuxers).

Only the container header is probed: no frame is decoded, so a small file takes well under a
millisecond once PyAV is imported.
"""

from __future__ import annotations

import logging
import struct
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import av

from engine.ingest.audio import mp4_problem, parse_tag_date, regular_file_size
from engine.ingest.metadata import Chapter, Metadata, ReaderError
from engine.ingest.text import clean_text, first_line

log = logging.getLogger(__name__)

SOURCE = "container"
_DESCRIPTION_CAP = 20_000
# Seconds FFmpeg may wait on I/O before giving up, so a stalled network mount cannot hang a scan.
_TIMEOUT = 5.0
# Only plain files: playlists (HLS, concat) must not make FFmpeg open URLs or other paths.
_CONTAINER_OPTIONS = {"protocol_whitelist": "file"}


def read_video(path: str) -> Metadata:
    """Metadata from one video file's container header; raises ReaderError when unusable."""
    size = regular_file_size(path, "video")
    # "file:" stops FFmpeg reading a name such as "concat:a|b" or "http:x" as a protocol.
    url = "file:" + str(Path(path).absolute())
    try:
        container = av.open(url, timeout=_TIMEOUT, container_options=_CONTAINER_OPTIONS)
    except av.FFmpegError as exc:
        # "Invalid data" says little; a cut-off MP4 (no moov box yet) can be named as such.
        raise ReaderError(_explain_failure(path, size) or _ffmpeg_message(exc)) from exc
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # PyAV wraps most failures, but never let one escape unlabelled
        log.debug("av.open failed on %r", path, exc_info=True)
        raise ReaderError(f"not a readable video file: {exc or type(exc).__name__}") from exc
    try:
        fmt = str(getattr(container.format, "name", "") or "")
        _reject_raw_guess(path, container)
        md = _read(container)
    except av.FFmpegError as exc:
        raise ReaderError(_ffmpeg_message(exc)) from exc
    except Exception as exc:  # a malformed header value must not crash the scan
        log.debug("reading container failed on %r", path, exc_info=True)
        raise ReaderError(f"not a readable video file: {exc or type(exc).__name__}") from exc
    finally:
        container.close()

    try:
        problem = _truncation_problem(path, fmt, size)
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if problem:
        raise ReaderError(problem)
    return md


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
    iso, year = parse_tag_date(_tag(tags, "date", "date_released", "year"))
    md.put("air_date", iso, SOURCE)
    md.put("year", year, SOURCE)
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


# --- truncation -------------------------------------------------------------------------------


def _truncation_problem(path: str, fmt: str, size: int) -> str | None:
    """FFmpeg opens many cut-off files happily; compare the declared sizes with the real one."""
    names = set(fmt.split(","))
    with Path(path).open("rb") as fh:
        if names & {"mov", "mp4", "m4a", "3gp", "3g2", "mj2"}:
            return mp4_problem(fh, size)
        if names & {"matroska", "webm"}:
            return _matroska_problem(fh, size)
        if "avi" in names:
            return _riff_problem(fh, size)
    return None


def _explain_failure(path: str, size: int) -> str | None:
    """A truncation message for a file FFmpeg refused, judged by its leading bytes."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(12)
    except OSError:
        return None
    if head[4:8] == b"ftyp":
        fmt = "mp4"
    elif head[:4] == b"\x1a\x45\xdf\xa3":
        fmt = "matroska"
    elif head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        fmt = "avi"
    else:
        return None
    try:
        return _truncation_problem(path, fmt, size)
    except OSError:
        return None


def _ebml_vint(data: bytes, at: int, keep_marker: bool) -> tuple[int, int] | None:
    """(value, length) of an EBML variable-size integer; value -1 means "unknown size"."""
    if at >= len(data) or data[at] == 0:
        return None
    first = data[at]
    length = 1
    while not first & (0x80 >> (length - 1)):
        length += 1
    if at + length > len(data):
        return None
    value = first if keep_marker else first & (0xFF >> length)
    for b in data[at + 1 : at + length]:
        value = (value << 8) | b
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return -1, length
    return value, length


def _matroska_problem(fh: IO[bytes], size: int) -> str | None:
    """The Segment element declares its size; a file shorter than that was cut off."""
    head = fh.read(4096)
    at = 0
    for _ in range(2):  # EBML header, then Segment
        ident = _ebml_vint(head, at, keep_marker=True)
        if ident is None:
            return None
        at += ident[1]
        length = _ebml_vint(head, at, keep_marker=False)
        if length is None:
            return None
        at += length[1]
        if ident[0] == 0x18538067:  # Segment
            if length[0] < 0:
                return None  # live recordings leave the size unknown
            if at + length[0] > size:
                return (
                    f"truncated Matroska file: segment needs {at + length[0]} bytes, "
                    f"only {size} present"
                )
            return None
        if length[0] < 0:
            return None
        at += length[0]
    return None


def _riff_problem(fh: IO[bytes], size: int) -> str | None:
    head = fh.read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64"):
        return None
    declared = struct.unpack("<I", head[4:8])[0] + 8
    # RF64 and >4 GiB AVIs keep the real size elsewhere (0xFFFFFFFF here).
    if head[:4] == b"RIFF" and declared != 0xFFFFFFFF + 8 and declared > size:
        return f"truncated AVI file: header declares {declared} bytes, only {size} present"
    return None
