"""Queries on the catalogue: roots, files, items, shows, sidecars and scan errors.

Every function takes the caller's connection (from `Database.db` or `Database.write()`), so a
scan batch can group many calls in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from engine.paths import display
from engine.store.schema import FTS_FILL, revision_sql

ITEM_COLUMNS = [
    "kind",
    "title",
    "show_id",
    "season",
    "episode",
    "air_date",
    "year",
    "duration",
    "description",
    "language",
    "genres",
    "people",
    "rating",
    "votes",
    "artwork",
    "chapters",
    "lyrics",
    "subtitles",
    "subtitle_language",
    "guid",
    "width",
    "height",
    "video_codec",
    "audio_codec",
    "nfo_playcount",
    "nfo_lastplayed",
    "nfo_resume_position",
    "nfo_resume_total",
    "sources",
]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Root:
    id: int
    path_bytes: bytes
    path: str
    kind: str
    state: str
    last_scan_at: str | None


@dataclass(frozen=True)
class FileRow:
    id: int
    root_id: int
    item_id: int | None
    path_bytes: bytes
    size: int
    mtime_ns: int
    fingerprint: str | None
    missing: bool
    offline: bool
    last_error: str | None


class Catalog:
    """Named queries over one connection. Cheap to make; make one per transaction or thread."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- roots -------------------------------------------------------------------------------

    def add_root(self, path_bytes: bytes, kind: str) -> Root:
        self._x(
            "INSERT INTO roots (path_bytes, path, kind, added_at) VALUES (?, ?, ?, ?)",
            (path_bytes, display(path_bytes), kind, now()),
        )
        root = self.root_by_path(path_bytes)
        assert root is not None
        return root

    def roots(self) -> list[Root]:
        rows = self._x(
            "SELECT id, path_bytes, path, kind, state, last_scan_at FROM roots ORDER BY id"
        )
        return [Root(*row) for row in rows]

    def root_by_path(self, path_bytes: bytes) -> Root | None:
        return next((r for r in self.roots() if r.path_bytes == path_bytes), None)

    def set_root_state(self, root_id: int, state: str) -> None:
        self._x("UPDATE roots SET state = ? WHERE id = ?", (state, root_id))

    def set_root_kind(self, root_id: int, kind: str) -> None:
        self._x("UPDATE roots SET kind = ? WHERE id = ?", (kind, root_id))
        # The kind steers how files are read: forget their stat so the next scan reads them again.
        self._x("UPDATE files SET mtime_ns = -1 WHERE root_id = ?", (root_id,))

    def mark_root_scanned(self, root_id: int) -> None:
        self._x("UPDATE roots SET last_scan_at = ? WHERE id = ?", (now(), root_id))

    def remove_root(self, root_id: int) -> None:
        """Forget a folder. Its items stay (with their history); their files go."""
        self._x("DELETE FROM scan_errors WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM sidecars WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM files WHERE root_id = ?", (root_id,))
        self._x("DELETE FROM roots WHERE id = ?", (root_id,))

    # --- files -------------------------------------------------------------------------------

    _FILE_COLS = (
        "id, root_id, item_id, path_bytes, size, mtime_ns, fingerprint, missing, offline, "
        "last_error"
    )

    def files_of_root(self, root_id: int) -> dict[bytes, FileRow]:
        rows = self._x(f"SELECT {self._FILE_COLS} FROM files WHERE root_id = ?", (root_id,))
        return {row[3]: _file_row(row) for row in rows}

    def present_file_count(self, root_id: int) -> int:
        row = self._x(
            "SELECT count(*) FROM files WHERE root_id = ? AND missing = 0", (root_id,)
        ).fetchone()
        return int(row[0])

    def missing_file_with_fingerprint(self, fingerprint: str) -> FileRow | None:
        """A file that vanished and whose content now turned up elsewhere: a move."""
        row = self._x(
            f"SELECT {self._FILE_COLS} FROM files WHERE fingerprint = ? AND missing = 1 "
            "AND item_id IS NOT NULL ORDER BY id LIMIT 1",
            (fingerprint,),
        ).fetchone()
        return _file_row(row) if row else None

    def item_with_fingerprint(self, fingerprint: str) -> int | None:
        """The item already holding this content (a duplicate download)."""
        row = self._x(
            "SELECT item_id FROM files WHERE fingerprint = ? AND item_id IS NOT NULL "
            "ORDER BY missing, id LIMIT 1",
            (fingerprint,),
        ).fetchone()
        return int(row[0]) if row else None

    def insert_file(
        self,
        root_id: int,
        path_bytes: bytes,
        size: int,
        mtime_ns: int,
        fingerprint: str | None,
        item_id: int | None,
        error: str | None,
    ) -> int:
        stamp = now()
        cur = self._x(
            "INSERT INTO files (root_id, item_id, path_bytes, path, size, mtime_ns, fingerprint, "
            "last_error, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                root_id,
                item_id,
                path_bytes,
                display(path_bytes),
                size,
                mtime_ns,
                fingerprint,
                error,
                stamp,
                stamp,
            ),
        )
        return int(cur.lastrowid or 0)

    def update_file(
        self,
        file_id: int,
        *,
        root_id: int,
        path_bytes: bytes,
        size: int,
        mtime_ns: int,
        fingerprint: str | None,
        item_id: int | None,
        error: str | None,
    ) -> None:
        """Rewrite a file row in place: a changed file, or a move (new path, same item)."""
        self._x(
            "UPDATE files SET root_id = ?, path_bytes = ?, path = ?, size = ?, mtime_ns = ?, "
            "fingerprint = ?, item_id = ?, last_error = ?, missing = 0, offline = 0, "
            "last_seen = ? WHERE id = ?",
            (
                root_id,
                path_bytes,
                display(path_bytes),
                size,
                mtime_ns,
                fingerprint,
                item_id,
                error,
                now(),
                file_id,
            ),
        )

    def forget_itemless_file(self, file_id: int) -> None:
        """Drop a file row that never became an item (it was unreadable); no history hangs on it."""
        self._x("DELETE FROM files WHERE id = ? AND item_id IS NULL", (file_id,))

    def mark_missing(self, file_ids: Iterable[int]) -> None:
        self._x_many("UPDATE files SET missing = 1 WHERE id = ?", file_ids)

    def set_root_files_offline(self, root_id: int, offline: bool) -> int:
        """Flag (or clear) a root's present files as offline; returns how many changed."""
        cur = self._x(
            "UPDATE files SET offline = ? WHERE root_id = ? AND missing = 0 AND offline = ?",
            (int(offline), root_id, int(not offline)),
        )
        return cur.rowcount

    def _x_many(self, sql: str, ids: Iterable[int]) -> None:
        self.db.conn.executemany(sql, ((i,) for i in ids))

    # --- sidecars ----------------------------------------------------------------------------

    def sidecars_of_root(self, root_id: int) -> dict[bytes, tuple[int, int]]:
        rows = self._x(
            "SELECT path_bytes, size, mtime_ns FROM sidecars WHERE root_id = ?", (root_id,)
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    def replace_sidecars(
        self, root_id: int, current: Mapping[bytes, tuple[bytes, int, int]]
    ) -> None:
        """Store the sidecars seen now: path -> (folder, size, mtime_ns)."""
        self._x("DELETE FROM sidecars WHERE root_id = ?", (root_id,))
        self.db.conn.executemany(
            "INSERT INTO sidecars (root_id, path_bytes, dir_bytes, size, mtime_ns) "
            "VALUES (?, ?, ?, ?, ?)",
            ((root_id, p, d, s, m) for p, (d, s, m) in current.items()),
        )

    # --- shows and items ---------------------------------------------------------------------

    def upsert_show(self, kind: str, title: str, fields: Mapping[str, Any]) -> int:
        """The show with this title, made if new; empty columns are filled from `fields`."""
        key = " ".join(title.casefold().split())
        row = self._x(
            "SELECT id, description, artwork, feed_url, sources FROM shows "
            "WHERE kind = ? AND title_key = ?",
            (kind, key),
        ).fetchone()
        if row is None:
            cur = self._x(
                "INSERT INTO shows (kind, title, title_key, description, artwork, feed_url, "
                "sources) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    title,
                    key,
                    fields.get("description"),
                    fields.get("artwork"),
                    fields.get("feed_url"),
                    json.dumps(fields.get("sources", {})),
                ),
            )
            return int(cur.lastrowid or 0)
        show_id, description, artwork, feed_url, sources = row
        merged = json.loads(sources)
        updates: dict[str, Any] = {}
        for name, old in (("description", description), ("artwork", artwork)):
            if not old and fields.get(name):
                updates[name] = fields[name]
        if not feed_url and fields.get("feed_url"):
            updates["feed_url"] = fields["feed_url"]
        if updates:
            merged.update({k: v for k, v in fields.get("sources", {}).items() if k in updates})
            updates["sources"] = json.dumps(merged)
            sets = ", ".join(f"{name} = ?" for name in updates)
            self._x(f"UPDATE shows SET {sets} WHERE id = ?", (*updates.values(), show_id))
        return int(show_id)

    def insert_item(self, values: Mapping[str, Any]) -> int:
        cols = [c for c in ITEM_COLUMNS if c in values]
        stamp = now()
        cur = self._x(
            f"INSERT INTO items ({', '.join(cols)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)",
            (*(values[c] for c in cols), stamp, stamp),
        )
        item_id = int(cur.lastrowid or 0)
        self._refresh_fts(item_id)
        return item_id

    def update_item(self, item_id: int, values: Mapping[str, Any]) -> None:
        cols = [c for c in ITEM_COLUMNS if c in values]
        sets = ", ".join(f"{c} = ?" for c in cols)
        self._x(
            f"UPDATE items SET {sets}, updated_at = ?, revision = revision + 1 WHERE id = ?",
            (*(values[c] for c in cols), now(), item_id),
        )
        self._refresh_fts(item_id)

    def _refresh_fts(self, item_id: int) -> None:
        self._x("DELETE FROM items_fts WHERE rowid = ?", (item_id,))
        self._x(FTS_FILL + " WHERE i.id = ?", (item_id,))

    # --- reading items -----------------------------------------------------------------------

    _ITEM_SELECT = """
        SELECT i.*, s.title AS show, s.description AS show_description,
               s.artwork AS show_artwork,
               (SELECT f.path FROM files f WHERE f.item_id = i.id
                 ORDER BY f.missing, f.offline, f.id LIMIT 1) AS path,
               CASE
                 WHEN EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id
                              AND f.missing = 0 AND f.offline = 0) THEN 'ok'
                 WHEN EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id
                              AND f.offline = 1) THEN 'offline'
                 ELSE 'missing'
               END AS state
        FROM items i LEFT JOIN shows s ON s.id = i.show_id
    """

    def items(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        sql = self._ITEM_SELECT + " ORDER BY i.id LIMIT ? OFFSET ?"
        return [_decode_item(r) for r in self.db.query(sql, (limit or -1, offset))]

    def item_ids(self) -> list[int]:
        return [int(r[0]) for r in self._x("SELECT id FROM items ORDER BY id")]

    def item(self, item_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query(self._ITEM_SELECT + " WHERE i.id = ?", (item_id,)))
        if not rows:
            return None
        item = _decode_item(rows[0])
        item["files"] = [
            {
                "path": r["path"],
                "size": r["size"],
                "missing": bool(r["missing"]),
                "offline": bool(r["offline"]),
                "error": r["last_error"],
                "fingerprint": r["fingerprint"],
            }
            for r in self.db.query(
                "SELECT path, size, missing, offline, last_error, fingerprint FROM files "
                "WHERE item_id = ? ORDER BY id",
                (item_id,),
            )
        ]
        return item

    def item_count(self) -> int:
        return int(self._x("SELECT count(*) FROM items").fetchone()[0])

    # --- for the recommender's in-memory view ------------------------------------------------

    def feature_rows(self) -> list[tuple[Any, ...]]:
        """One row per item: id, kind, title, show_id, season, episode, air_date, year,
        duration, language, genres, rating, votes, created_at, show title, playable, offline."""
        return self._x(_FEATURES_SQL).fetchall()

    def revision(self, counter: str) -> int:
        """A number that changes whenever anything under `counter` (catalog, history) does."""
        return int(self._x(revision_sql(counter)).fetchone()[0])

    # --- scan errors -------------------------------------------------------------------------

    def record_error(self, root_id: int | None, path_bytes: bytes, stage: str, error: str) -> None:
        self._x(
            "INSERT INTO scan_errors (root_id, path_bytes, path, stage, error, at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path_bytes) DO UPDATE SET "
            "stage = excluded.stage, error = excluded.error, at = excluded.at",
            (root_id, path_bytes, display(path_bytes), stage, error, now()),
        )

    def clear_errors(self, paths: Iterable[bytes]) -> None:
        self.db.conn.executemany(
            "DELETE FROM scan_errors WHERE path_bytes = ?", ((p,) for p in paths)
        )

    def error_paths(self, root_id: int, stages: tuple[str, ...]) -> set[bytes]:
        marks = ", ".join("?" for _ in stages)
        rows = self._x(
            f"SELECT path_bytes FROM scan_errors WHERE root_id = ? AND stage IN ({marks})",
            (root_id, *stages),
        )
        return {row[0] for row in rows}

    def errors(self) -> list[dict[str, Any]]:
        return list(
            self.db.query("SELECT path, stage, error, at FROM scan_errors ORDER BY path, stage")
        )


_FEATURES_SQL = """
    SELECT i.id, i.kind, i.title, i.show_id, i.season, i.episode, i.air_date, i.year,
           i.duration, i.language, i.genres, i.rating, i.votes, i.created_at,
           s.title, coalesce(f.playable, 0), coalesce(f.offline, 0)
    FROM items i
    LEFT JOIN shows s ON s.id = i.show_id
    LEFT JOIN (SELECT item_id, max(missing = 0 AND offline = 0) AS playable,
                      max(offline) AS offline
               FROM files GROUP BY item_id) f ON f.item_id = i.id
    ORDER BY i.id
"""


def _file_row(row: tuple[Any, ...]) -> FileRow:
    return FileRow(
        id=row[0],
        root_id=row[1],
        item_id=row[2],
        path_bytes=row[3],
        size=row[4],
        mtime_ns=row[5],
        fingerprint=row[6],
        missing=bool(row[7]),
        offline=bool(row[8]),
        last_error=row[9],
    )


def _decode_item(row: Mapping[str, Any]) -> dict[str, Any]:
    item = dict(row)
    for name in ("genres", "people", "chapters", "sources"):
        item[name] = json.loads(item[name]) if item.get(name) else ([] if name != "sources" else {})
    return item
