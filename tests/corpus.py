"""The acceptance corpus for issue 13: valid files in every supported format, and damaged
variants of them, scanned as a user would; an independent tag reader (tinytag) says what each
file's title is, and the library must list it under that title or give a per-file reason.

Used by tests/engine/test_corpus.py (the ≥ 95 % check) and tests/bench/corpus_bench.py (the
printed report). No pytest imports. The damage is generic (cuts, garbage, zeros, a header that
claims more than is there), never tuned to how Reelcast reads a format.
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutagen import id3

from tests.mediagen import (
    EXTRA_AUDIO_SUFFIXES,
    EXTRA_VIDEO_SUFFIXES,
    make_audio,
    make_extra_audio,
    make_extra_video,
    make_video,
)

Damage = Callable[[bytes], bytes | None]  # None: this damage does not apply to this file


def _id3_end(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for b in data[6:10]:
        size = (size << 7) | (b & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _cut(share: float) -> Damage:
    return lambda data: data[: max(1, int(len(data) * share))]


def _garbage_middle(data: bytes) -> bytes:
    at = len(data) // 2
    noise = random.Random(len(data)).randbytes(min(2048, len(data) // 8))
    return data[:at] + noise + data[at + len(noise) :]


def _zero_first_frames(data: bytes) -> bytes:
    start = _id3_end(data) or len(data) // 8
    span = min(4096, (len(data) - start) // 3)
    return data[:start] + b"\x00" * span + data[start + span :]


def _claims_more(data: bytes) -> bytes | None:
    """The header says the audio is four times as long as what is there: an MP3 Xing/Info
    byte count, a FLAC STREAMINFO sample count, a RIFF/AIFF size."""
    start = _id3_end(data)
    for tag in (b"Xing", b"Info"):
        at = data.find(tag, start, start + 200)
        if at >= 0:
            flags = struct.unpack(">I", data[at + 4 : at + 8])[0]
            pos = at + 8 + (4 if flags & 1 else 0)
            if flags & 2:
                size = struct.unpack(">I", data[pos : pos + 4])[0]
                return data[:pos] + struct.pack(">I", size * 4) + data[pos + 4 :]
    at = data.find(b"fLaC", start, start + 16)
    if at >= 0:
        info = at + 8  # STREAMINFO body after its 4-byte block header
        packed = int.from_bytes(data[info + 10 : info + 18], "big")
        total = packed & ((1 << 36) - 1)
        packed = (packed & ~((1 << 36) - 1)) | min(total * 4, (1 << 36) - 1)
        return data[: info + 10] + packed.to_bytes(8, "big") + data[info + 18 :]
    if data[:4] in (b"RIFF", b"FORM"):
        fmt = "<I" if data[:4] == b"RIFF" else ">I"
        size = struct.unpack(fmt, data[4:8])[0]
        return data[:4] + struct.pack(fmt, size * 4) + data[8:]
    return None


DAMAGES: dict[str, Damage] = {
    "cut10": _cut(0.10),
    "cut50": _cut(0.50),
    "cut90": _cut(0.90),
    "garbage": _garbage_middle,
    "zeroed": _zero_first_frames,
    "claims-more": _claims_more,
}


def _zero_header(data: bytes) -> bytes:
    """The container's first bytes (its signature and header) overwritten with zeros."""
    return b"\x00" * 64 + data[64:]


# Only for video: an audio file's first bytes are its tag, already covered by "zeroed".
VIDEO_DAMAGES: dict[str, Damage] = {"zeroed-header": _zero_header}

AUDIO = ("mp3", "m4a", "m4b", "ogg", "opus", "flac", *EXTRA_AUDIO_SUFFIXES)
VIDEO = ("mkv", "mp4", "m4v", "mov", *EXTRA_VIDEO_SUFFIXES)
# ID3v2.3 with UTF-16 text and Chinese: the formats that carry ID3.
ID3_FORMATS = ("mp3", "mp2", "aac", "wav", "aiff")


@dataclass
class CorpusFile:
    path: Path
    fmt: str
    variant: str  # "valid", a DAMAGES key, or "utf16"
    title: str  # the title it was written with


def _valid(path: Path, fmt: str, title: str, seconds: float) -> None:
    if fmt in ("mp3", "m4a", "ogg", "opus", "flac"):
        make_audio(path, seconds=seconds, title=title, show="Corpus Show")
    elif fmt == "m4b":
        make_audio(path, seconds=seconds, fmt="m4a", title=title, show="Corpus Show")
    elif fmt in EXTRA_AUDIO_SUFFIXES:
        make_extra_audio(path, seconds, title=title, show="Corpus Show")
    elif fmt in ("mkv", "mp4", "m4v", "mov"):
        make_video(path, seconds=seconds, title=title)
    else:
        make_extra_video(path, seconds, title=title)


def _utf16_chinese(path: Path, fmt: str, title: str, seconds: float) -> None:
    _valid(path, fmt, "placeholder", seconds)
    frames = [
        id3.TIT2(encoding=id3.Encoding.UTF16, text=[title]),
        id3.TALB(encoding=id3.Encoding.UTF16, text=["中文播客"]),
    ]
    if fmt in ("wav", "aiff"):  # the tag lives in a chunk of its own
        from mutagen.aiff import AIFF
        from mutagen.wave import WAVE

        audio: Any = (WAVE if fmt == "wav" else AIFF)(str(path))
        for frame in frames:
            audio.tags.setall(frame.FrameID, [frame])
        audio.save(v2_version=3)
        return
    tags: Any = id3.ID3()
    for frame in frames:
        tags.add(frame)
    buf = io.BytesIO()
    tags.save(buf, v2_version=3, padding=lambda _info: 0)
    data = path.read_bytes()
    path.write_bytes(buf.getvalue() + data[_id3_end(data) :])


def generate(
    folder: Path, seconds: float = 1.5, formats: tuple[str, ...] | None = None
) -> list[CorpusFile]:
    """Write the corpus under `folder` (one subfolder per format, all formats unless `formats`
    names some); returns what was written."""
    out: list[CorpusFile] = []
    for fmt in formats or (*AUDIO, *VIDEO):
        sub = folder / fmt
        sub.mkdir(parents=True, exist_ok=True)
        base = sub / f"valid.{fmt}"
        title = f"{fmt.upper()} episode"
        _valid(base, fmt, title, seconds)
        out.append(CorpusFile(base, fmt, "valid", title))
        data = base.read_bytes()
        damages = {**DAMAGES, **VIDEO_DAMAGES} if fmt in VIDEO else DAMAGES
        for name, damage in damages.items():
            damaged = damage(data)
            if damaged is None or damaged == data:
                continue
            path = sub / f"{name}.{fmt}"
            path.write_bytes(damaged)
            out.append(CorpusFile(path, fmt, name, title))
        if fmt in ID3_FORMATS:
            path = sub / f"utf16.{fmt}"
            chinese = f"第{len(out)}集 {fmt} 节目"
            _utf16_chinese(path, fmt, chinese, seconds)
            out.append(CorpusFile(path, fmt, "utf16", chinese))
    return out


def independent_title(path: Path) -> str | None:
    """The title tinytag reads, or None when it cannot read the file or finds none."""
    from tinytag import TinyTag

    try:
        tag: Any = TinyTag.get(str(path))
    except Exception:  # tinytag's own errors, and whatever a damaged file makes it raise
        return None
    title = (tag.title or "").replace("\x00", "").strip()
    return title or None


@dataclass
class Report:
    files: int = 0
    readable: int = 0  # files whose title tinytag reads
    listed: int = 0  # of those, listed under that title
    unexplained: list[str] = field(default_factory=list)  # neither an item's file nor a problem
    not_listed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    by_variant: dict[str, tuple[int, int]] = field(default_factory=dict)  # readable, listed

    @property
    def share(self) -> float:
        return self.listed / self.readable if self.readable else 1.0


def check(library: Any, files: list[CorpusFile]) -> Report:
    """Compare a scanned library with what tinytag reads from each corpus file."""
    titles_by_path: dict[str, str] = {}
    for item in library.items():
        detail = library.item(int(item["id"]))
        for f in (detail or {}).get("files", []):
            titles_by_path[str(f["path"])] = str(item["title"])
    problems = {str(e["path"]): e for e in library.errors()}
    report = Report(files=len(files))
    for cf in files:
        path = str(cf.path)
        if path not in titles_by_path and path not in problems:
            report.unexplained.append(path)
        title = independent_title(cf.path)
        if title is None:
            continue
        report.readable += 1
        readable, listed = report.by_variant.get(cf.variant, (0, 0))
        ok = titles_by_path.get(path) == title
        report.listed += ok
        report.by_variant[cf.variant] = (readable + 1, listed + ok)
        if not ok:
            reason = (
                problems.get(path, {}).get("error") or f"listed as {titles_by_path.get(path)!r}"
            )
            report.not_listed.append((f"{cf.fmt}/{cf.path.name}", str(reason)))
    return report


def listed_share(library: Any, files: list[CorpusFile]) -> tuple[int, int, list[str]]:
    """(files that are an item's file, files, the others with their reason): for formats whose
    titles tinytag does not read (most video containers), what is listed at all."""
    listed: set[str] = set()
    for item in library.items():
        detail = library.item(int(item["id"]))
        listed.update(str(f["path"]) for f in (detail or {}).get("files", []))
    problems = {str(e["path"]): str(e["error"]) for e in library.errors()}
    others = [
        f"{cf.fmt}/{cf.path.name}: {problems.get(str(cf.path), 'no reason')}"
        for cf in files
        if str(cf.path) not in listed
    ]
    return len(files) - len(others), len(files), others
