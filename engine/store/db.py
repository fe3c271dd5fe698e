"""Opening the database: pragmas, migrations, per-thread connections and the writer lock."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from engine.store import cjk
from engine.store.plain import PlainDb
from engine.store.schema import MIGRATIONS

if (
    TYPE_CHECKING
):  # imported on the first write or migration (it loads numpy: engine/store/plain.py)
    import sqlite_utils

log = logging.getLogger(__name__)

DB_NAME = "library.sqlite3"


class StoreError(Exception):
    """The database cannot be used (locked, read-only, disk full); the message says what to do."""


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(f"The library database {path} is read-only; check its permissions.")
    if "full" in text:
        return StoreError(f"The disk holding {path} is full; free some space and try again.")
    if "locked" in text or "busy" in text:
        return StoreError(f"The library database {path} is busy; is another Reelcast running?")
    return StoreError(f"The library database {path} failed: {exc}")


class Database:
    """One SQLite file shared by threads: a connection per thread, one writer at a time.

    SQLite lets a single writer hold the file at once. Serialising writers here, instead of
    letting them meet SQLITE_BUSY, keeps each scan batch one short transaction and lets readers
    (the UI, queries) go on in parallel under WAL.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: every commit fsyncs the WAL, so viewing history survives a power cut, not
            # only a killed process (NORMAL loses the last commits). Per connection, and any
            # thread's connection may write history: all of them. It costs one fsync per
            # commit, 1-4 ms here (docs/benchmarks.md, "History durability").
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            cjk.register(conn)  # the keyword index's fill calls it (engine/store/cjk.py)
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from exc
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @property
    def reader(self) -> PlainDb:
        """This thread's connection for reads, without sqlite-utils (the window's start path)."""
        return PlainDb(self.conn)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection through sqlite-utils (imported on first use)."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils

            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    def _migrate(self) -> None:
        with self._write_lock:
            try:
                # Checked with plain SQL: sqlite-utils is imported only when a step is pending.
                if MIGRATIONS.pending_names(self.conn):
                    MIGRATIONS.apply(self.db)
            except sqlite3.Error as exc:
                raise _explain(exc, self.path) from exc

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction; commits on success, rolls back on any error."""
        with self._write_lock:
            db = self.db
            if db.conn.in_transaction:  # nested: join the outer transaction
                yield db
                return
            try:
                db.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _explain(exc, self.path) from exc
            try:
                yield db
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            try:
                db.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                db.conn.execute("ROLLBACK")
                raise _explain(exc, self.path) from exc

    @contextmanager
    def snapshot(self) -> Iterator[sqlite_utils.Database]:
        """A read transaction: several queries see one state (under WAL, writers go on)."""
        db = self.db
        if db.conn.in_transaction:
            yield db
            return
        db.conn.execute("BEGIN")
        try:
            yield db
        finally:
            db.conn.execute("COMMIT")

    def integrity_check(self) -> list[str]:
        """SQLite's own check; ["ok"] when the file is sound."""
        return [row[0] for row in self.db.conn.execute("PRAGMA integrity_check")]

    def close(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None
        self._local.db = None
