"""Generate small, real media files for tests and benchmarks.

The encoders live in engine/demo/media.py (the demo library uses them too); this module
re-exports them and adds the cheap clones benchmarks need. No pytest imports: benchmarks use
this too.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from engine.demo.media import (
    AUDIO_SUFFIXES,
    PathLike,
    _check_tags,
    _encode_audio,
    _id3_tags,
    make_audio,
    make_jpeg,
    make_png,
    make_video,
)

__all__ = [
    "AUDIO_SUFFIXES",
    "audio_template",
    "clone_with_tags",
    "make_audio",
    "make_jpeg",
    "make_png",
    "make_video",
]

# --- cheap clones for benchmarks --------------------------------------------------------------


def _strip_id3v2(data: bytes) -> bytes:
    # ID3v2 header: "ID3", version (2), flags (1), syncsafe size (4); footer adds 10 more bytes.
    while len(data) >= 10 and data[:3] == b"ID3":
        size = 0
        for b in data[6:10]:
            size = (size << 7) | (b & 0x7F)
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
    return data


def audio_template(seconds: float = 1.0, seed: int = 0) -> bytes:
    """An untagged encoded MP3, to feed `clone_with_tags`."""
    buf = io.BytesIO()
    _encode_audio(buf, "mp3", seconds, seed)
    return _strip_id3v2(buf.getvalue())


def clone_with_tags(template_bytes: bytes, path: PathLike, **tags: Any) -> Path:
    """Write `template_bytes` (an MP3) to `path` behind a fresh ID3v2.4 tag built from `tags`.

    Any ID3v2 tag already on the template is dropped, so distinct tags give distinct leading
    bytes: content hashes over the first 64 KiB differ even though the audio is the same.
    """
    _check_tags(tags)
    audio = _strip_id3v2(template_bytes)
    buf = io.BytesIO()
    # Saving into an empty buffer writes just the tag; the audio follows it.
    _id3_tags(tags).save(buf, v2_version=4, padding=lambda _info: 0)
    out = Path(path)
    out.write_bytes(buf.getvalue() + audio)
    return out


def make_episodes(folder: PathLike, episodes: list[tuple[str, str, str]]) -> list[Path]:
    """Short tagged MP3s in `folder`, one per (title, show, description)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    return [
        make_audio(out / f"{n}.mp3", seconds=0.2, title=title, show=show, description=text)
        for n, (title, show, text) in enumerate(episodes)
    ]
