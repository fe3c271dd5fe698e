"""Queries the embedding pass needs beyond the vectors themselves (see vectors.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


class EmbedBook:
    """Which items need their document (re)checked for a model, and recording that they were."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._x = db.conn.execute
        self._many = db.conn.executemany

    def stale_items(self, model_id: str, everything: bool = False) -> list[tuple[int, int]]:
        """(item id, revision) of items written since they were last embedded for this model;
        with `everything`, all items (a reconciliation re-checks every document hash)."""
        if everything:
            return [(r[0], r[1]) for r in self._x("SELECT id, revision FROM items ORDER BY id")]
        rows = self._x(
            "SELECT i.id, i.revision FROM items i LEFT JOIN embed_state e "
            "ON e.item_id = i.id AND e.model_id = ? "
            "WHERE e.item_id IS NULL OR e.revision != i.revision ORDER BY i.id",
            (model_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def mark_checked(self, model_id: str, done: Iterable[tuple[int, int]]) -> None:
        """These items' documents are embedded as of these revisions."""
        self._many(
            "UPDATE embed_state SET revision = ? WHERE model_id = ? AND item_id = ?",
            ((rev, model_id, item_id) for item_id, rev in done),
        )

    def set_detected_language(self, item_id: int, language: str) -> None:
        """Fill an item's language when no reader knew it; never overrides a real source."""
        self._x(
            "UPDATE items SET language = ?, sources = json_set(sources, '$.language', 'detected') "
            "WHERE id = ? AND language IS NULL",
            (language, item_id),
        )

    def chunk_counts(self, model_id: str, item_ids: Iterable[int]) -> dict[int, int]:
        """How many chunk vectors each item had: a shorter document drops the extra ones."""
        ids = list(item_ids)
        out: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" for _ in part)
            rows = self._x(
                "SELECT item_id, chunks FROM embed_state "
                f"WHERE model_id = ? AND item_id IN ({marks})",
                (model_id, *part),
            )
            out.update((int(r[0]), int(r[1])) for r in rows)
        return out

    def gone_segments(self, names: Iterable[str]) -> set[str]:
        """Index segments named after a library folder that no longer exists (forgotten):
        the items it held were deleted with it, or moved to another folder's segment."""
        roots = {f"root-{row[0]}" for row in self._x("SELECT id FROM roots")}
        return {name for name in names if name.startswith("root-") and name not in roots}

    def embedded_count(self, model_id: str) -> int:
        row = self._x("SELECT count(*) FROM embed_state WHERE model_id = ?", (model_id,))
        return int(row.fetchone()[0])
