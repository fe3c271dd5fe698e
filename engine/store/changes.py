"""The durable change queue: file-system events waiting until their path settles.

The watcher records every event here; a new event for a path already queued pushes its
`last_event` forward, which is the debounce. The worker takes rows that have been quiet for
the settle time (`due`), processes them and removes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class QueuedChange:
    root_id: int
    path_bytes: bytes
    size: int | None  # as stat saw it at the event; None: the path was gone
    mtime_ns: int | None
    last_event: float  # time.time() of the latest event for this path


# An older event arriving late (a retried batch) must not pull a row back in time, hence the
# WHERE on the update. Rows for a root removed meanwhile are dropped instead of failing the
# whole batch on the foreign key.
_UPSERT = """
    INSERT INTO change_queue (root_id, path_bytes, size, mtime_ns, last_event)
    SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM roots WHERE id = ?1)
    ON CONFLICT (path_bytes) DO UPDATE SET
        root_id = excluded.root_id,
        size = excluded.size,
        mtime_ns = excluded.mtime_ns,
        last_event = excluded.last_event
    WHERE excluded.last_event >= change_queue.last_event
"""


class ChangeQueue:
    """Named queries on `change_queue`, over the caller's connection (so they join its
    transaction when made inside `Database.write()`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._x = db.conn.execute

    def record(
        self,
        root_id: int,
        path_bytes: bytes,
        size: int | None,
        mtime_ns: int | None,
        at: float,
    ) -> None:
        self._x(_UPSERT, (root_id, path_bytes, size, mtime_ns, at))

    def record_many(self, rows: Iterable[QueuedChange]) -> None:
        self.db.conn.executemany(
            _UPSERT, ((r.root_id, r.path_bytes, r.size, r.mtime_ns, r.last_event) for r in rows)
        )

    def due(self, settle_s: float, now: float) -> list[QueuedChange]:
        """Rows quiet for at least `settle_s` seconds, oldest first."""
        rows = self._x(
            "SELECT root_id, path_bytes, size, mtime_ns, last_event FROM change_queue "
            "WHERE last_event <= ? ORDER BY last_event, path_bytes",
            (now - settle_s,),
        )
        return [QueuedChange(*row) for row in rows]

    def remove(self, paths: Iterable[bytes]) -> None:
        self.db.conn.executemany(
            "DELETE FROM change_queue WHERE path_bytes = ?", ((p,) for p in paths)
        )

    def remove_if_unchanged(self, changes: Iterable[QueuedChange]) -> None:
        """Drop processed rows, but keep any that got a newer event while being processed."""
        self.db.conn.executemany(
            "DELETE FROM change_queue WHERE path_bytes = ? AND last_event = ?",
            ((c.path_bytes, c.last_event) for c in changes),
        )

    def get(self, path_bytes: bytes) -> QueuedChange | None:
        row = self._x(
            "SELECT root_id, path_bytes, size, mtime_ns, last_event FROM change_queue "
            "WHERE path_bytes = ?",
            (path_bytes,),
        ).fetchone()
        return QueuedChange(*row) if row else None

    def count(self) -> int:
        return int(self._x("SELECT count(*) FROM change_queue").fetchone()[0])

    def pending_roots(self) -> set[int]:
        return {int(row[0]) for row in self._x("SELECT DISTINCT root_id FROM change_queue")}
