"""User settings, typed and declared once, stored as JSON in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from engine.store.plain import Db


INDEX_MODES = ("immediate", "batched")
THEMES = ("system", "light", "dark")
MODEL_CHOICES = ("", "first-run", "kept", "user")
UI_LANGUAGES = ("system", "en", "zh_CN")


@dataclass
class Settings:
    # None: the bundled all-MiniLM-L6-v2; otherwise a local sentence-transformers folder.
    model_path: str | None = None
    # How the model came to be: "" not decided yet (the library's first indexing decides),
    # "first-run" chosen then by the items' languages, "kept" the bundled one kept then,
    # "user" switched in Settings.
    model_choice: str = ""
    index_mode: str = "immediate"
    batch_changes: int = 50  # batched mode: publish after this many changes...
    batch_seconds: float = 60.0  # ...or this long after the first one, whichever comes first
    settle_seconds: float = 0.5  # a file must stop changing this long before it is read
    # "Because you watched": how many of the latest plays get a list, items per play, one row.
    because_seeds: int = 10
    because_per_seed: int = 2
    because_merged: bool = False
    # The desktop app's look; kept here so it travels with the library like everything else.
    theme: str = "system"
    ui_language: str = "system"
    profile_id: int | None = None  # the profile the app opened with last; None: the default


def load_settings(db: Db) -> Settings:
    stored = dict(db.conn.execute("SELECT key, value FROM settings").fetchall())
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in stored:
            values[f.name] = json.loads(stored[f.name])
    return Settings(**values)


def save_settings(db: sqlite_utils.Database, settings: Settings) -> None:
    if settings.index_mode not in INDEX_MODES:
        raise ValueError(f"index mode must be one of {', '.join(INDEX_MODES)}")
    if settings.model_choice not in MODEL_CHOICES:
        raise ValueError(f"model choice must be one of {', '.join(MODEL_CHOICES)}")
    if settings.theme not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}")
    if settings.ui_language not in UI_LANGUAGES:
        raise ValueError(f"UI language must be one of {', '.join(UI_LANGUAGES)}")
    db.conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [(f.name, json.dumps(getattr(settings, f.name))) for f in fields(Settings)],
    )
