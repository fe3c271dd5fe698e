"""The catalogue's library folders (roots): add, remove, forget, move, and the facts about
them. Part of `Catalog` (engine/store/catalog.py), which inherits these queries."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from engine.paths import display

if TYPE_CHECKING:
    from engine.store.plain import Db


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Root:
    id: int
    path_bytes: bytes
    path: str
    kind: str
    state: str  # online, offline, or removed (kept for its fingerprints; not scanned)
    last_scan_at: str | None


@dataclass(frozen=True)
class ForgetCounts:
    """What `remove --forget` takes with it: items only in that folder and their history."""

    items: int
    history_events: int


# Items with a file in the root (first parameter) and none in any other (second parameter).
_ONLY_IN_ROOT = (
    "SELECT DISTINCT item_id FROM files WHERE root_id = ? AND item_id IS NOT NULL "
    "AND item_id NOT IN (SELECT item_id FROM files WHERE root_id != ? AND item_id IS NOT NULL)"
)


class RootQueries:
    """The roots' named queries over `Catalog`'s connection."""

    db: Db
    _x: Callable[..., sqlite3.Cursor]

    def add_root(self, path_bytes: bytes, kind: str) -> Root:
        self._x(
            "INSERT INTO roots (path_bytes, path, kind, added_at) VALUES (?, ?, ?, ?)",
            (path_bytes, display(path_bytes), kind, now()),
        )
        root = self.root_by_path(path_bytes)
        assert root is not None
        return root

    def roots(self, include_removed: bool = False) -> list[Root]:
        """The library folders; removed ones (kept for their fingerprints) on request."""
        rows = self._x(
            "SELECT id, path_bytes, path, kind, "
            "CASE WHEN removed_at IS NULL THEN state ELSE 'removed' END, last_scan_at "
            "FROM roots WHERE ? OR removed_at IS NULL ORDER BY id",
            (int(include_removed),),
        )
        return [Root(*row) for row in rows]

    def root(self, root_id: int) -> Root | None:
        return next((r for r in self.roots(True) if r.id == root_id), None)

    def root_by_path(self, path_bytes: bytes) -> Root | None:
        return next((r for r in self.roots(True) if r.path_bytes == path_bytes), None)

    def set_root_state(self, root_id: int, state: str) -> None:
        self._x("UPDATE roots SET state = ? WHERE id = ?", (state, root_id))

    def set_root_kind(self, root_id: int, kind: str) -> None:
        self._x("UPDATE roots SET kind = ? WHERE id = ?", (kind, root_id))
        # The kind steers how files are read: forget their stat so the next scan reads them again.
        self._x("UPDATE files SET mtime_ns = -1 WHERE root_id = ?", (root_id,))

    def mark_root_scanned(self, root_id: int) -> None:
        self._x("UPDATE roots SET last_scan_at = ? WHERE id = ?", (now(), root_id))

    def remove_root(self, root_id: int) -> None:
        """Stop scanning a folder and hide its items. The root, its file rows and their
        fingerprints stay, so adding the folder again (at any path) reattaches its items."""
        self._x("UPDATE roots SET removed_at = ? WHERE id = ?", (now(), root_id))
        # Unplayable like an unplugged drive's files: never recommended, never played.
        self._x("UPDATE files SET offline = 1 WHERE root_id = ? AND missing = 0", (root_id,))
        self._x("DELETE FROM scan_errors WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM change_queue WHERE root_id = ?", (root_id,))

    def reactivate_root(self, root_id: int) -> None:
        """A removed folder added again: scanned and shown once more (the scan clears the
        offline flags and finds its files where they were)."""
        self._x("UPDATE roots SET removed_at = NULL WHERE id = ?", (root_id,))

    def forget_counts(self, root_id: int) -> ForgetCounts:
        only = _ONLY_IN_ROOT
        items = self._x(f"SELECT count(*) FROM ({only})", (root_id, root_id)).fetchone()[0]
        events = self._x(
            f"SELECT count(*) FROM history_log WHERE item_id IN ({only})", (root_id, root_id)
        ).fetchone()[0]
        return ForgetCounts(int(items), int(events))

    def forget_root(self, root_id: int) -> ForgetCounts:
        """Delete a folder for good: its files, and the items (with their history) that have
        no file anywhere else. Items that also live in another folder stay."""
        counts = self.forget_counts(root_id)
        only = _ONLY_IN_ROOT
        self._x(f"CREATE TEMP TABLE forget_items AS {only}", (root_id, root_id))
        try:
            gone = "(SELECT item_id FROM temp.forget_items)"
            for table in ("history_log", "play_sessions", "progress", "feedback"):
                self._x(f"DELETE FROM {table} WHERE item_id IN {gone}")
            self._x(f"DELETE FROM items_fts WHERE rowid IN {gone}")
            # Items that stay lose this folder's files, maybe their first: the next embedding
            # pass sees the new revision and moves their vectors to their index segment.
            self._x(
                "UPDATE items SET revision = revision + 1 WHERE id IN "
                f"(SELECT item_id FROM files WHERE root_id = ?) AND id NOT IN {gone}",
                (root_id,),
            )
            self._x("DELETE FROM files WHERE root_id = ?", (root_id,))
            self._x(f"DELETE FROM items WHERE id IN {gone}")  # vectors cascade
        finally:
            self._x("DROP TABLE temp.forget_items")
        self._x("DELETE FROM scan_errors WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM sidecars WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM change_queue WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM roots WHERE id = ?", (root_id,))
        return counts

    def move_root(self, root_id: int, new_path: bytes) -> None:
        """Rewrite a folder's path and every path under it (files, sidecars) to `new_path`.
        The files' stat is forgotten, so the next scan reads them and confirms each one by its
        fingerprint."""
        root = self.root(root_id)
        assert root is not None
        old = root.path_bytes.rstrip(b"/")
        new = new_path.rstrip(b"/")
        self._x(
            "UPDATE roots SET path_bytes = ?, path = ?, removed_at = NULL WHERE id = ?",
            (new_path, display(new_path), root_id),
        )
        rows = self._x(
            "SELECT id, path_bytes FROM files WHERE root_id = ? ORDER BY missing DESC",
            (root_id,),
        ).fetchall()
        for file_id, path in rows:
            if path.startswith(old + b"/"):
                moved = new + path[len(old) :]
                self._x(
                    "UPDATE files SET path_bytes = ?, path = ?, mtime_ns = -1 WHERE id = ?",
                    (moved, display(moved), file_id),
                )
        # In Python, not SQL: `||` would turn the byte paths into text.
        sidecars = self._x(
            "SELECT id, path_bytes, dir_bytes FROM sidecars WHERE root_id = ?", (root_id,)
        ).fetchall()
        for sidecar_id, path, folder in sidecars:
            if path.startswith(old + b"/"):
                self._x(
                    "UPDATE sidecars SET path_bytes = ?, dir_bytes = ? WHERE id = ?",
                    (new + path[len(old) :], new + folder[len(old) :], sidecar_id),
                )
        self._x("DELETE FROM scan_errors WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM change_queue WHERE root_id = ?", (root_id,))

    def is_empty_root(self, root_id: int) -> bool:
        """Never scanned into: no file rows (a folder added a moment ago)."""
        return self._x("SELECT 1 FROM files WHERE root_id = ?", (root_id,)).fetchone() is None

    def delete_empty_root(self, root_id: int) -> None:
        for table in ("scan_errors", "sidecars", "change_queue"):
            self._x(f"DELETE FROM {table} WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM roots WHERE id = ?", (root_id,))

    def relative_sample(self, root_id: int, limit: int) -> list[tuple[bytes, int]]:
        """Up to `limit` (path relative to the root, size) of the root's present files, spread
        over the root: what a moved copy of the folder would hold too."""
        root = self.root(root_id)
        assert root is not None
        prefix = root.path_bytes.rstrip(b"/") + b"/"
        total = self._x(
            "SELECT count(*) FROM files WHERE root_id = ? AND missing = 0", (root_id,)
        ).fetchone()[0]
        step = max(1, total // max(limit, 1))
        rows = self._x(
            "SELECT path_bytes, size FROM (SELECT path_bytes, size, "
            "row_number() OVER (ORDER BY id) AS n FROM files WHERE root_id = ? AND missing = 0) "
            "WHERE (n - 1) % ? = 0 LIMIT ?",
            (root_id, step, limit),
        )
        return [(p[len(prefix) :], int(size)) for p, size in rows if p.startswith(prefix)]
