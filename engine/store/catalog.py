"""Queries on the catalogue: roots (their queries in catalog_roots.py), files, items, shows,
sidecars and scan errors.

Every function takes the caller's connection (from `Database.db` or `Database.write()`), so a
scan batch can group many calls in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.paths import display
from engine.store import cjk
from engine.store.catalog_roots import ForgetCounts, Root, RootQueries, now
from engine.store.schema import FTS_FILL, revision_sql

if TYPE_CHECKING:
    from engine.store.plain import Db

# Root, ForgetCounts and now() live in catalog_roots; importers know them from here too.
__all__ = ["ITEM_COLUMNS", "VISIBLE_SQL", "Catalog", "FileRow", "ForgetCounts", "Root", "now"]

ITEM_COLUMNS = [
    "kind",
    "title",
    "show_id",
    "season",
    "episode",
    "episode_end",
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
    "external_ids",
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


# Items whose every file lies in a removed folder are hidden from browsing, search and rows.
# Not correlated: SQLite builds the hidden set once per query, at a cost that grows with the
# removed folders' files, not with the library (see tests/bench/identity_bench.py); CROSS JOIN
# keeps roots the outer loop, so only removed folders' files are visited. An item
# with no file at all (its content was replaced) stays visible, as missing.
VISIBLE_SQL = """i.id NOT IN (
    SELECT f.item_id FROM roots r CROSS JOIN files f ON f.root_id = r.id
    WHERE r.removed_at IS NOT NULL AND f.item_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM files g JOIN roots q ON q.id = g.root_id
                      WHERE g.item_id = f.item_id AND q.removed_at IS NULL))"""


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


class Catalog(RootQueries):
    """Named queries over one connection. Cheap to make; make one per transaction or thread."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- files -------------------------------------------------------------------------------

    _FILE_COLS = (
        "id, root_id, item_id, path_bytes, size, mtime_ns, fingerprint, missing, offline, "
        "last_error"
    )

    def files_of_root(self, root_id: int) -> dict[bytes, FileRow]:
        """Path -> the file row there: the present one, else the latest missing record."""
        rows = self._x(
            f"SELECT {self._FILE_COLS} FROM files WHERE root_id = ? ORDER BY missing DESC, id",
            (root_id,),
        )
        return {row[3]: _file_row(row) for row in rows}

    def file_at(self, path_bytes: bytes) -> FileRow | None:
        """The row for a path in any folder: the present one, else the latest missing one."""
        row = self._x(
            f"SELECT {self._FILE_COLS} FROM files WHERE path_bytes = ? "
            "ORDER BY missing, id DESC LIMIT 1",
            (path_bytes,),
        ).fetchone()
        return _file_row(row) if row else None

    def holders_of(self, fingerprint: str) -> list[tuple[FileRow, bool]]:
        """Rows with an item holding this content, with whether the content is gone from
        there (missing, or in a removed folder): gone ones first, then by id."""
        rows = self._x(
            f"SELECT {', '.join('f.' + c for c in self._FILE_COLS.split(', '))}, "
            "f.missing = 1 OR r.removed_at IS NOT NULL AS gone "
            "FROM files f JOIN roots r ON r.id = f.root_id "
            "WHERE f.fingerprint = ? AND f.item_id IS NOT NULL ORDER BY gone DESC, f.id",
            (fingerprint,),
        )
        return [(_file_row(row[:-1]), bool(row[-1])) for row in rows]

    def has_other_record(self, file_id: int, item_id: int, fingerprint: str | None) -> bool:
        """Another row already remembers this item with this content."""
        if fingerprint is None:
            return False
        row = self._x(
            "SELECT 1 FROM files WHERE id != ? AND item_id = ? AND fingerprint = ? LIMIT 1",
            (file_id, item_id, fingerprint),
        ).fetchone()
        return row is not None

    def delete_file(self, file_id: int) -> None:
        # The item's first file may be this one: the next embedding pass re-places its vectors.
        self._x(
            "UPDATE items SET revision = revision + 1 "
            "WHERE id = (SELECT item_id FROM files WHERE id = ?)",
            (file_id,),
        )
        self._x("DELETE FROM files WHERE id = ?", (file_id,))

    def identity_of(self, item_id: int) -> dict[str, Any] | None:
        """What identifies an item's content: kind, title (and whether it came from the file
        name), show, season, episode, year, duration, feed GUID, and whether a file of it
        was an incomplete download (its duration is then only what was there)."""
        rows = list(
            self.db.query(
                "SELECT i.kind, i.title, s.title AS show, i.season, i.episode, i.year, "
                "i.duration, json_extract(i.sources, '$.title') AS title_source, i.guid, "
                "i.external_ids, EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id AND "
                "json_extract(f.integrity, '$.kind') = 'incomplete') AS incomplete "
                "FROM items i LEFT JOIN shows s ON s.id = i.show_id WHERE i.id = ?",
                (item_id,),
            )
        )
        return rows[0] if rows else None

    def vanished_items(self) -> list[tuple[int, str, str | None]]:
        """(id, title, external_ids) of items whose every file is missing or in a removed
        folder: the candidates a new encode of the same film or episode may replace. Starts
        from the gone files, so it costs little when nothing is gone."""
        rows = self._x(
            "SELECT DISTINCT i.id, i.title, i.external_ids FROM files g "
            "JOIN roots gr ON gr.id = g.root_id "
            "JOIN items i ON i.id = g.item_id "
            "WHERE (g.missing = 1 OR gr.removed_at IS NOT NULL) "
            "AND NOT EXISTS (SELECT 1 FROM files f JOIN roots r ON r.id = f.root_id "
            "WHERE f.item_id = i.id AND f.missing = 0 AND r.removed_at IS NULL) ORDER BY i.id"
        )
        return [(int(r[0]), str(r[1]), r[2]) for r in rows]

    def present_file_count(self, root_id: int) -> int:
        row = self._x(
            "SELECT count(*) FROM files WHERE root_id = ? AND missing = 0", (root_id,)
        ).fetchone()
        return int(row[0])

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
                "INSERT INTO shows (kind, title, title_key, title_order, description, artwork, "
                "feed_url, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    title,
                    key,
                    cjk.title_order(title),
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
        cols, params = _item_columns(values)
        stamp = now()
        cur = self._x(
            f"INSERT INTO items ({', '.join(cols)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)",
            (*params, stamp, stamp),
        )
        item_id = int(cur.lastrowid or 0)
        self._refresh_fts(item_id)
        return item_id

    def update_item(self, item_id: int, values: Mapping[str, Any]) -> None:
        cols, params = _item_columns(values)
        sets = ", ".join(f"{c} = ?" for c in cols)
        self._x(
            f"UPDATE items SET {sets}, updated_at = ?, revision = revision + 1 WHERE id = ?",
            (*params, now(), item_id),
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

    def language_counts(self) -> dict[str, int]:
        """Items per language code ("" where no reader knew it and detection was unsure)."""
        rows = self._x("SELECT coalesce(language, ''), count(*) FROM items GROUP BY 1").fetchall()
        return {str(code): int(n) for code, n in rows}

    # --- for the recommender's in-memory view ------------------------------------------------

    def feature_rows(self) -> list[tuple[Any, ...]]:
        """One row per item: id, kind, title, show_id, season, episode, air_date, year,
        duration, language, genres, rating, votes, created_at, show title, playable, offline."""
        return self._x(_FEATURES_SQL).fetchall()

    def revision(self, counter: str) -> int:
        """A number that changes whenever anything under `counter` (catalog, history) does."""
        return int(self._x(revision_sql(counter)).fetchone()[0])

    # --- scan errors -------------------------------------------------------------------------

    def record_error(
        self,
        root_id: int | None,
        path_bytes: bytes,
        stage: str,
        error: str,
        kind: str | None = None,
        args: dict[str, Any] | None = None,
    ) -> None:
        """One problem per path. `error` is English (CLI, log); `kind` + `args`, when given,
        are the same fact as data for the desktop to word."""
        self._x(
            "INSERT INTO scan_errors (root_id, path_bytes, path, stage, error, at, kind, args) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path_bytes) DO UPDATE SET "
            "stage = excluded.stage, error = excluded.error, at = excluded.at, "
            "kind = excluded.kind, args = excluded.args",
            (
                root_id,
                path_bytes,
                display(path_bytes),
                stage,
                error,
                now(),
                kind,
                json.dumps(args, sort_keys=True) if args is not None else None,
            ),
        )

    def set_file_integrity(self, path_bytes: bytes, integrity: str | None) -> None:
        """The integrity finding (JSON) of the present file at a path; None when it is sound."""
        self._x(
            "UPDATE files SET integrity = ? WHERE path_bytes = ? AND missing = 0 "
            "AND integrity IS NOT ?",
            (integrity, path_bytes, integrity),
        )

    def unread_for_passages(self, root_id: int, version: int) -> dict[bytes, int]:
        """Present files of a root, with an item, that older timed-text readers read (0: none,
        a library from before passages), with the version that did (schema 0010)."""
        rows = self._x(
            "SELECT path_bytes, passages_read FROM files WHERE root_id = ? "
            "AND passages_read < ? AND missing = 0 AND item_id IS NOT NULL",
            (root_id, version),
        )
        return {bytes(row[0]): int(row[1]) for row in rows}

    def set_passages_read(self, paths: Iterable[bytes], version: int) -> None:
        self.db.conn.executemany(
            "UPDATE files SET passages_read = ? WHERE path_bytes = ? AND missing = 0",
            ((version, path) for path in paths),
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
        """path, stage, error, at; and kind, args (a dict) where the problem is data."""
        rows = list(
            self.db.query(
                "SELECT path, stage, error, at, kind, args FROM scan_errors ORDER BY path, stage"
            )
        )
        for row in rows:
            row["args"] = json.loads(row["args"]) if row.get("args") else {}
        return rows


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
    if "external_ids" in item:
        item["external_ids"] = json.loads(item["external_ids"]) if item["external_ids"] else {}
    return item


def _item_columns(values: Mapping[str, Any]) -> tuple[list[str], list[Any]]:
    """The item columns in `values` and their values; with a title, its sort key too."""
    cols = [c for c in ITEM_COLUMNS if c in values]
    params = [values[c] for c in cols]
    if "title" in values:
        cols.append("title_order")
        params.append(cjk.title_order(values["title"]))
    return cols, params
