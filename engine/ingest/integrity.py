"""End-of-file checks that catch half-downloaded, cut-off or damaged media files.

mutagen and FFmpeg open many truncated files without complaint and then report a wrong
duration. Each check here reads only a few header or tail bytes and compares what the file
declares (Xing/VBRI byte count, MP4 box sizes, last Ogg page, last FLAC frame, Matroska
segment size, RIFF size) with what is actually on disk.

For audio the result is a `Finding`, not a refusal: tags and audio integrity are separate
facts, so a half-downloaded episode whose tags are fine is still an item, with a warning that
says what is wrong (kind + args, worded by the desktop) and a duration from what is present.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggFileType

from engine.ingest.metadata import ReaderError

# Finding kinds. The file is an item in every case; the desktop words each one.
INCOMPLETE = "incomplete"  # cut off: a download that did not finish (args: present, expected)
DAMAGED = "damaged"  # the tags were read, the audio could not be (or not all of it)
UNKNOWN_DURATION = "unknown_duration"  # nothing in the file says how long it is
NO_CONTENT = "no_content"  # nothing in the file is readable; listed from its sidecars or feed
KINDS = (INCOMPLETE, DAMAGED, UNKNOWN_DURATION, NO_CONTENT)


@dataclass(frozen=True)
class Finding:
    """What is wrong with a file that is listed anyway."""

    kind: str
    message: str  # English, for the CLI and the log; the desktop words `kind` + `args`
    args: dict[str, float] = field(default_factory=dict)  # seconds: "present", "expected"
    present: float | None = None  # seconds of audio actually there, when the header lies

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "args": dict(self.args)}


def clock(seconds: float) -> str:
    """0:00:07, 1:04:00: how the English message names a point in the audio."""
    whole = max(0, round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def incomplete(
    present: float | None, expected: float | None, detail: str, what: str = "audio"
) -> Finding:
    """A cut-off file: "audio stops at 0:00:07 of 1:04:00" when both ends are known (`what`:
    "audio", "the video"), else `detail`. Audio and video readers both word it here."""
    detail = detail.removeprefix("incomplete download: ")
    args: dict[str, float] = {}
    if present is not None and present >= 0:
        args["present"] = round(present, 3)
    if expected is not None and expected > 0:
        args["expected"] = round(expected, 3)
    if "present" in args and "expected" in args:
        message = (
            f"incomplete download: {what} stops at {clock(args['present'])} "
            f"of {clock(args['expected'])}"
        )
    else:
        message = f"incomplete download: {detail}"
    return Finding(INCOMPLETE, message, args, present if present and present > 0 else None)


def audio_finding(path: str, audio: Any, size: int) -> Finding | None:
    """What is wrong with the audio of a file mutagen opened as `audio`, or None."""
    try:
        return _audio_finding(path, audio, size)
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc


def check_container(path: str, fmt: str, size: int) -> None:
    """Raise ReaderError if the video file FFmpeg opened as format `fmt` is cut off."""
    _raise_problem(lambda: _container_problem(path, fmt, size))


def _raise_problem(problem_of: Callable[[], str | None]) -> None:
    try:
        problem = problem_of()
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if problem:
        raise ReaderError(problem)


# --- audio (mutagen) --------------------------------------------------------------------------


def _length(audio: Any) -> float | None:
    length = getattr(audio.info, "length", None)
    return float(length) if isinstance(length, int | float) and length > 0 else None


def _audio_finding(path: str, audio: Any, size: int) -> Finding | None:
    with Path(path).open("rb") as fh:
        info: Any = audio.info
        length = _length(audio)
        if isinstance(audio, MP3):
            if info.sketchy:
                return Finding(DAMAGED, "damaged audio: no valid MPEG audio frames found")
            return _mp3_finding(fh, int(getattr(info, "frame_offset", 0)), size, length)
        if isinstance(audio, MP4):
            return _mp4_finding(fh, size, length)
        if isinstance(audio, FLAC):
            return _flac_finding(fh, audio, size)
        if isinstance(audio, OggFileType):
            problem = _ogg_problem(fh, size)
            # mutagen takes an Ogg file's length from its last complete page: what is present.
            return incomplete(length, None, problem) if problem else None
    return None


def _mp3_finding(
    fh: IO[bytes], frame_offset: int, size: int, length: float | None
) -> Finding | None:
    expected, present = _mp3_bytes(fh, frame_offset, size)
    if expected is None:
        return None
    # A little slack: some tools rewrite tags or trim padding without updating the header.
    if present >= expected * 0.98:
        return None
    detail = f"header promises {expected} bytes of audio, only {max(present, 0)} present"
    if length is None:
        return incomplete(None, None, detail)
    # The Xing/VBRI length is for the whole stream; what is here plays for its share of it.
    return incomplete(length * max(present, 0) / expected, length, detail)


def _mp3_bytes(fh: IO[bytes], frame_offset: int, size: int) -> tuple[int | None, int]:
    """(bytes of audio the Xing/Info or VBRI header promises, bytes present after the first
    frame's start); None when there is no such header (plain CBR: nothing cheap to compare)."""
    fh.seek(frame_offset)
    head = fh.read(64)
    present = size - frame_offset
    if len(head) < 4:
        return None, present
    version_bits = (head[1] >> 3) & 0x3
    mono = (head[3] >> 6) == 0x3
    # Side-info length decides where the Xing header sits: MPEG-1 vs MPEG-2/2.5, mono vs not.
    side_info = (17 if mono else 32) if version_bits == 0x3 else (9 if mono else 17)
    xing_at = 4 + side_info
    expected = -1
    tag = head[xing_at : xing_at + 4]
    if tag in (b"Xing", b"Info") and len(head) >= xing_at + 16:
        flags = struct.unpack(">I", head[xing_at + 4 : xing_at + 8])[0]
        pos = xing_at + 8
        if flags & 0x1:  # frame count present, bytes follow it
            pos += 4
        if flags & 0x2:
            expected = struct.unpack(">I", head[pos : pos + 4])[0]
    elif head[36:40] == b"VBRI" and len(head) >= 50:
        expected = struct.unpack(">I", head[46:50])[0]
    if expected <= 0:
        return None, present
    fh.seek(max(0, size - 128))
    if fh.read(3) == b"TAG":
        present -= 128
    return expected, present


def _mp4_problem(fh: IO[bytes], size: int) -> str | None:
    return _mp4_scan(fh, size)[0]


def _mp4_finding(fh: IO[bytes], size: int, length: float | None) -> Finding | None:
    problem, share = _mp4_scan(fh, size)
    if problem is None:
        return None
    if share is None or length is None:
        return incomplete(None, length, problem)
    return incomplete(length * share, length, problem)


def _mp4_scan(fh: IO[bytes], size: int) -> tuple[str | None, float | None]:
    """Walk the top-level MP4/MOV boxes; a box running past the end means a cut-off file.
    Returns the problem and, when the cut box is the media data, the share of it present."""
    offset = 0
    for _ in range(100_000):
        if offset >= size:
            return None, None
        if size - offset < 8:
            return "truncated MP4 file: incomplete box header at the end", None
        fh.seek(offset)
        header = fh.read(16)
        box_size, box_type = struct.unpack(">I4s", header[:8])
        name = box_type.decode("latin-1")
        head_len = 8
        if box_size == 1:
            if len(header) < 16:
                return "truncated MP4 file: incomplete box header at the end", None
            box_size = struct.unpack(">Q", header[8:16])[0]
            head_len = 16
        elif box_size == 0:
            return None, None  # "extends to end of file"
        if box_size < head_len:
            return f"corrupt MP4 file: invalid size for box {name!r}", None
        if offset + box_size > size:
            message = (
                f"truncated MP4 file: box {name!r} needs {box_size} bytes, "
                f"only {size - offset} present"
            )
            share = None
            if name == "mdat" and box_size > head_len:
                share = max(0, size - offset - head_len) / (box_size - head_len)
            return message, share
        offset += box_size
    return None, None


_OGG_MAX_PAGE = 27 + 255 + 255 * 255


def _ogg_problem(fh: IO[bytes], size: int) -> str | None:
    """The last Ogg page must end exactly at the end of the file."""
    window = min(size, _OGG_MAX_PAGE + 4)
    fh.seek(size - window)
    tail = fh.read(window)
    at = tail.rfind(b"OggS\x00")
    while at >= 0:
        if len(tail) - at < 27:
            return "truncated Ogg file: incomplete page header at the end"
        nsegs = tail[at + 26]
        if len(tail) - at < 27 + nsegs:
            return "truncated Ogg file: incomplete page header at the end"
        page_len = 27 + nsegs + sum(tail[at + 27 : at + 27 + nsegs])
        end = at + page_len
        if end == len(tail):
            return None
        if end > len(tail):
            return (
                f"truncated Ogg file: last page needs {page_len} bytes, "
                f"only {len(tail) - at} present"
            )
        # Page ends before the file does: a chance "OggS" inside data; look further back.
        at = tail.rfind(b"OggS\x00", 0, at)
    return "truncated Ogg file: no complete page at the end"


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _flac_audio_start(fh: IO[bytes]) -> int | None:
    fh.seek(0)
    head = fh.read(10)
    offset = 0
    if head[:3] == b"ID3" and len(head) == 10:
        offset = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
    fh.seek(offset)
    if fh.read(4) != b"fLaC":
        return None
    offset += 4
    for _ in range(1000):
        fh.seek(offset)
        block = fh.read(4)
        if len(block) < 4:
            return None
        offset += 4 + int.from_bytes(block[1:4], "big")
        if block[0] & 0x80:
            return offset
    return None


def _flac_frame_header(buf: bytes, at: int, max_block: int) -> tuple[int, int, bool] | None:
    """(coded number, block size, variable?) of a valid frame header at `at`, else None."""
    if buf[at] != 0xFF or buf[at + 1] not in (0xF8, 0xF9) or len(buf) - at < 6:
        return None
    variable = buf[at + 1] == 0xF9
    bs_code, sr_code = buf[at + 2] >> 4, buf[at + 2] & 0x0F
    if bs_code == 0 or sr_code == 0x0F or buf[at + 3] & 0x01 or (buf[at + 3] >> 4) > 10:
        return None
    first = buf[at + 4]
    if first < 0x80:
        extra, number = 0, first
    elif 0xC0 <= first < 0xFE:
        extra = 1
        while first & (0x40 >> extra):
            extra += 1
        number = first & (0x3F >> extra)
    else:
        return None
    pos = at + 5
    if len(buf) < pos + extra + 3:
        return None
    for b in buf[pos : pos + extra]:
        if b & 0xC0 != 0x80:
            return None
        number = (number << 6) | (b & 0x3F)
    pos += extra
    if bs_code == 1:
        block = 192
    elif bs_code <= 5:
        block = 576 << (bs_code - 2)
    elif bs_code == 6:
        block = buf[pos] + 1
        pos += 1
    elif bs_code == 7:
        block = int.from_bytes(buf[pos : pos + 2], "big") + 1
        pos += 2
    else:
        block = 256 << (bs_code - 8)
    if sr_code == 12:
        pos += 1
    elif sr_code in (13, 14):
        pos += 2
    if len(buf) <= pos or _crc8(buf[at:pos]) != buf[pos]:
        return None
    if max_block and block > max_block:
        return None
    return number, block, variable


def _flac_finding(fh: IO[bytes], audio: Any, size: int) -> Finding | None:
    """Find the last frame header and check it reaches the sample count in STREAMINFO."""
    total = int(audio.info.total_samples)
    rate = int(audio.info.sample_rate or 0)
    if total <= 0 or rate <= 0:
        return None  # encoder did not record the length; nothing to compare
    start = _flac_audio_start(fh)
    if start is None:
        return None
    if start >= size:
        return incomplete(0.0, total / rate, "no audio frames after the metadata")
    max_block = int(getattr(audio.info, "max_blocksize", 0) or 0)
    max_frame = int(getattr(audio.info, "max_framesize", 0) or 0)
    window_start = max(start, size - max(65536, 2 * max_frame))
    fh.seek(window_start)
    tail = fh.read(size - window_start)
    at = tail.rfind(b"\xff")
    while at >= 0:
        header = _flac_frame_header(tail, at, max_block) if at + 1 < len(tail) else None
        if header is not None:
            number, block, variable = header
            first_sample = number if variable else number * (max_block or block)
            # The last frame found may itself be cut: count only the frames before it.
            end = first_sample + block
            if end < total:
                return incomplete(
                    first_sample / rate, total / rate, f"audio stops at sample {end} of {total}"
                )
            return None
        at = tail.rfind(b"\xff", 0, at)
    if window_start == start:
        return incomplete(0.0, total / rate, "no audio frames after the metadata")
    return None


# --- video containers (FFmpeg) ----------------------------------------------------------------


def _container_problem(path: str, fmt: str, size: int) -> str | None:
    """FFmpeg opens many cut-off files happily; compare the declared sizes with the real one."""
    names = set(fmt.split(","))
    with Path(path).open("rb") as fh:
        if names & {"mov", "mp4", "m4a", "3gp", "3g2", "mj2"}:
            return _mp4_problem(fh, size)
        if names & {"matroska", "webm"}:
            return _matroska_problem(fh, size)
        if "avi" in names:
            return _riff_problem(fh, size)
    return None


def explain_refused(path: str, size: int) -> str | None:
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
        return _container_problem(path, fmt, size)
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
