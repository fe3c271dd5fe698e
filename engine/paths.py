"""Where Reelcast keeps its data, and how file paths are stored without losing bytes."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import platformdirs

APP_NAME = "Reelcast"
ENV_DATA_DIR = "REELCAST_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The per-user data dir: `--data-dir`, then $REELCAST_DATA_DIR, then the platform default."""
    chosen = override or os.environ.get(ENV_DATA_DIR)
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_bytes(path: str | os.PathLike[str]) -> bytes:
    """The exact bytes the OS uses for a path; this is what the store keys on."""
    return os.fsencode(path)


def from_bytes(raw: bytes) -> str:
    """A str the OS accepts back (undecodable bytes kept as surrogate escapes)."""
    return os.fsdecode(raw)


def display(raw: bytes | str) -> str:
    """A printable form for people and JSON: bad bytes become U+FFFD, names are NFC."""
    if isinstance(raw, str):
        raw = os.fsencode(raw)
    return unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))
