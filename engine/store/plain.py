"""Reads over plain `sqlite3`, for the desktop window's first paint.

sqlite-utils imports numpy, click, pluggy and dateutil when it is imported (~0.1 s, a fifth of
the app's start-up: docs/startup.md). The queries the window runs before its first paint
(settings, profiles, folders, item count, problems, Home's first rows) only need
`conn.execute`, so they run through `PlainDb`, and sqlite-utils is imported on the first write
or migration. Nothing here imports sqlite-utils or numpy: tests/desktop/test_startup_modules.py
checks what is loaded at the first paint.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the applied steps

Params = Sequence[Any] | Mapping[str, Any]
Step = TypeVar("Step", bound=Callable[..., None])


class PlainDb:
    """The read side of `sqlite_utils.Database` that the store's query classes use (`conn`,
    `execute`, `query`), over the same per-thread connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Params = ()) -> Iterator[dict[str, Any]]:
        """Rows as dicts, as `sqlite_utils.Database.query` gives them."""
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))


if TYPE_CHECKING:
    # What the read-only query classes accept: either connection object.
    Db: TypeAlias = sqlite_utils.Database | PlainDb


class LazyMigrations:
    """Collects the schema's steps like `sqlite_utils.migrations.Migrations` and hands them
    to it only when one is pending (`pending_names` answers with plain SQL)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Any, bool]] = []
        self._real: Migrations | None = None

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[Step], Step]:
        def inner(fn: Step) -> Step:
            self._steps.append((name or fn.__name__, fn, transactional))
            self._real = None
            return fn

        return inner

    def names(self) -> list[str]:
        return [name for name, _fn, _t in self._steps]

    def pending_names(self, conn: sqlite3.Connection) -> list[str]:
        """The steps not yet applied to the database on `conn` (read-only)."""
        table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
        ).fetchone()
        applied: set[str] = set()
        if table is not None:
            applied = {
                str(row[0])
                for row in conn.execute(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (self.name,)
                )
            }
        return [name for name in self.names() if name not in applied]

    def real(self) -> Migrations:
        """The sqlite-utils migration set (imports sqlite-utils)."""
        if self._real is None:
            from sqlite_utils.migrations import Migrations

            real = Migrations(self.name)
            for name, fn, transactional in self._steps:
                real(name=name, transactional=transactional)(fn)
            self._real = real
        return self._real

    def apply(self, db: sqlite_utils.Database, **kwargs: Any) -> None:
        self.real().apply(db, **kwargs)


def quick_rows_possible(conn: sqlite3.Connection, profile_id: int) -> bool:
    """False when Home's model-less rows (Continue, Next up, New in your library) are surely
    empty for this profile, so that they need not be computed (the recommender loads numpy).

    Continue and Next up need a play in progress, a finished play or a followed show; New
    needs an item added more than a day after the first and within 30 days
    (engine/recommend/rows.py). Any doubt (dates SQLite cannot read) answers True.
    """
    played = conn.execute(
        "SELECT 1 FROM progress WHERE profile_id = ? AND (completed = 1 OR (position > 0 "
        "AND last_played_at IS NOT NULL)) LIMIT 1",
        (profile_id,),
    ).fetchone()
    if played is not None:
        return True
    followed = conn.execute(
        "SELECT 1 FROM show_prefs WHERE profile_id = ? AND followed LIMIT 1", (profile_id,)
    ).fetchone()
    if followed is not None:
        return True
    dates, readable, first, last, age = conn.execute(
        "SELECT count(created_at), count(julianday(created_at)), min(julianday(created_at)), "
        "max(julianday(created_at)), julianday('now') - max(julianday(created_at)) FROM items"
    ).fetchone()
    if dates != readable:
        return True
    if not readable:
        return False
    # Margins: rows.py works in epoch seconds from Python's parser; days here are approximate.
    return bool(last - first > 0.99 and age < 30.01)
