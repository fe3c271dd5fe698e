"""Read stream facts and container tags from video files with PyAV (FFmpeg's demuxers).

Only the container header is probed: no frame is decoded, so a small file takes well under a
millisecond once PyAV is imported. The end-of-file checks for cut-off MP4, Matroska and AVI
files live in engine.ingest.integrity.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from engine.ingest.integrity import check_container, explain_refused
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


def read_video(path: str) -> Metadata:
    """Metadata from one video file's container header; raises ReaderError when unusable."""
    size = regular_file_size(path, "video")
    # "file:" stops FFmpeg reading a name such as "concat:a|b" or "http:x" as a protocol.
    url = "file:" + str(Path(path).absolute())
    try:
        container = av.open(url, timeout=_TIMEOUT, container_options=_CONTAINER_OPTIONS)
    except av.FFmpegError as exc:
        # "Invalid data" says little; a cut-off MP4 (no moov box yet) can be named as such.
        raise ReaderError(explain_refused(path, size) or _ffmpeg_message(exc)) from exc
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

    check_container(path, fmt, size)
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
