"""A still frame from a video, for cards of videos that have no artwork.

One frame is decoded with PyAV (never an ffmpeg process) a little way into the video, so title
cards and fades at the very start are skipped. The thumbnail is written through
`artwork.make_thumbnail`, which writes atomically; it lives in a folder named after the item's
fingerprint, so a renamed or moved file finds its frame again. A file that cannot give a frame
leaves a `.fail` marker, so a broken file is not decoded again on every paint; the fingerprint
changes when the file does, which retries it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
from itertools import islice
from pathlib import Path
from typing import Any

import av
from PIL import Image

from engine.ingest.artwork import make_thumbnail
from engine.ingest.metadata import ReaderError

log = logging.getLogger(__name__)

# Seconds FFmpeg may wait on I/O: a stalled network mount must not hold a background thread.
_TIMEOUT = 3.0
# Only plain files: a playlist must not make FFmpeg open URLs or other paths.
_CONTAINER_OPTIONS = {"protocol_whitelist": "file"}
_SEEK_FRACTION = 0.1
_SEEK_CAP = 5.0  # seconds
_SHORT = 1.0  # seconds; shorter videos are grabbed from the start
# Packets read after the seek before giving up; a keyframe is rarely more than ~10 s away.
_MAX_PACKETS = 600
_MAX_FRAMES = 30  # frames decoded from the keyframe towards the target
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")


def grab_frame(media_path: str, cache_dir: str, key: str, max_size: int) -> str | None:
    """A JPEG thumbnail (at most `max_size` px a side) of one frame of `media_path`, or None.

    `key` names the cached file (pass the item's fingerprint). A cached frame is returned
    without opening the video. Returns None, and remembers the failure, when the file has no
    video stream or cannot be decoded. Slow (tens of ms): call it in the background.
    """
    if max_size < 1:
        raise ValueError("max_size must be positive")
    name = _file_key(key)
    frame_dir = Path(cache_dir, f"{name}_{max_size}")
    marker = Path(cache_dir, f"{name}.fail")
    cached = _cached(frame_dir)
    if cached is not None:
        return cached
    if marker.exists():
        return None
    try:
        image = _decode_frame(media_path)
        if image is None:
            raise ReaderError("no video frame")
        image.thumbnail((max_size, max_size))
        buf = io.BytesIO()
        # PNG, lossless: make_thumbnail does the one lossy JPEG encoding (and the atomic write).
        image.save(buf, "PNG")
        return make_thumbnail(buf.getvalue(), str(frame_dir), max_size)
    except Exception as exc:
        # av and Pillow raise many types on broken input; for a thumbnail every one means
        # "no frame", never an error for the user.
        log.info("no frame from %s: %s", media_path, exc or type(exc).__name__)
        if not _transient(exc):
            _remember_failure(marker, exc)
        return None


def _file_key(key: str) -> str:
    # Fingerprints are "<hex size>-<hex digest>"; anything else is hashed into a safe name.
    if _SAFE_KEY.fullmatch(key):
        return key
    return hashlib.sha1(key.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def _transient(exc: BaseException) -> bool:
    """A missing file, a refused permission or an I/O time-out may pass: try again later."""
    return isinstance(exc, (OSError, av.ExitError))


def _cached(frame_dir: Path) -> str | None:
    try:
        return next((str(p) for p in sorted(frame_dir.glob("*/*.jpg"))), None)
    except OSError:
        return None


def _remember_failure(marker: Path, exc: BaseException) -> None:
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")


def _decode_frame(media_path: str) -> Image.Image | None:
    """The first frame at or after the seek point as an RGB PIL image, or None."""
    # "file:" stops FFmpeg reading a name such as "concat:a|b" as a protocol.
    url = "file:" + str(Path(media_path).absolute())
    with av.open(url, timeout=_TIMEOUT, container_options=_CONTAINER_OPTIONS) as container:
        streams = [s for s in container.streams.video if not _is_attached_picture(s)]
        if not streams:
            return None
        stream = streams[0]
        target = _seek_target(container, stream)
        if target > 0:
            try:
                # Without a stream the offset is in av.time_base units; lands on a keyframe.
                container.seek(int(target * av.time_base), backward=True)
            except av.FFmpegError:
                log.debug("seek failed in %s; using the first frame", media_path)
                container.seek(0)
        # The seek lands on the keyframe before the target: decode on towards the target, but
        # only a few frames, so a video with sparse keyframes costs little more.
        # The final empty packet demux yields flushes the decoder's last frames.
        packets = islice(container.demux(stream), _MAX_PACKETS)
        last: Any = None
        for decoded, frame in enumerate((f for p in packets for f in p.decode()), start=1):
            last = frame
            if decoded >= _MAX_FRAMES or frame.time is None or frame.time >= target:
                break
        return _rgb(last) if last is not None else None


def _rgb(frame: Any) -> Image.Image:
    image: Image.Image = frame.to_image()
    return image.convert("RGB")


def _seek_target(container: Any, stream: Any) -> float:
    duration = None
    if container.duration is not None and container.duration > 0:
        duration = container.duration / av.time_base
    elif stream.duration and stream.time_base:
        duration = float(stream.duration * stream.time_base)
    if not duration or duration < _SHORT:
        return 0.0
    return float(min(duration * _SEEK_FRACTION, _SEEK_CAP))


def _is_attached_picture(stream: Any) -> bool:
    # Cover art in MKV/MP4/MP3 shows up as a one-frame video stream; it is not a frame.
    try:
        return bool(stream.disposition & av.stream.Disposition.attached_pic)
    except (AttributeError, TypeError):
        return False
