"""Where Reelcast keeps its data, and how file paths are stored without losing bytes."""

from __future__ import annotations

import os
import sys
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


def use_user_bytecode_cache() -> None:
    """In a frozen bundle, keep compiled bytecode in the user's cache folder.

    The bundle ships torch's and transformers' sources (they read them at run time) without
    usable caches, so every process that loads the model compiled them again: ~5 s each time.
    """
    if getattr(sys, "frozen", False) and sys.pycache_prefix is None:
        cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "pycache"
        sys.pycache_prefix = str(cache)
        sys.dont_write_bytecode = False  # PyInstaller turns writing off


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
