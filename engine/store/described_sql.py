"""Which items carry a description: the recommender's evidence rules treat items without one
(and with little else) as thin (engine/recommend/evidence.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


MIN_DESCRIPTION_CHARS = 20  # shorter is a placeholder ("Episode 3", a file name), not a text


def described_ids(db: sqlite_utils.Database) -> set[int]:
    """Ids of items whose description has at least MIN_DESCRIPTION_CHARS characters."""
    rows = db.execute(
        "SELECT id FROM items WHERE length(trim(coalesce(description, ''))) >= ?",
        (MIN_DESCRIPTION_CHARS,),
    )
    return {int(row[0]) for row in rows}
