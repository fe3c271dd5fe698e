"""The reads of the window's first paint run on plain sqlite3 (engine/store/plain.py): the
library opens and answers them without importing sqlite-utils (which loads numpy), and Home's
model-less rows are skipped only when they would be empty."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import sqlite_utils

from engine.library import Library
from engine.recommend.recommender import Recommender
from engine.store.db import DB_NAME
from engine.store.plain import PlainDb, quick_rows_possible
from engine.store.schema import MIGRATIONS
from tests.mediagen import make_audio

QUICK = ("continue", "next", "new")


def _scanned(library: Library, folder: Path, n: int = 3) -> list[int]:
    for i in range(n):
        make_audio(folder / f"ep{i}.mp3", seconds=0.2, title=f"Episode {i}", show="Show")
    library.add_root(folder, "podcast")
    library.scan()
    return sorted(int(item["id"]) for item in library.items())


def _full_quick_rows(library: Library, profile: int) -> list[str]:
    """The model-less rows as the recommender computes them (numpy), by kind."""
    return [row.kind for row in Recommender(library.database).rows(profile, None, QUICK)]


def test_an_opened_library_reads_without_sqlite_utils(library: Library, podcasts: Path) -> None:
    _scanned(library, podcasts)
    script = textwrap.dedent(
        f"""
        import sys
        from engine.library import Library
        library = Library({str(library.data_dir)!r})
        facts = (library.settings().theme, library.item_count(), len(library.roots()),
                 len(library.errors()), library.history.default_profile().name,
                 len(library.history.profiles()), library.quick_rows())
        print(facts, sorted(m for m in ("sqlite_utils", "numpy") if m in sys.modules))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "('system', 3, 1, 0, 'Default', 1, []) []"


def test_a_library_one_step_behind_is_migrated(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    old = sqlite_utils.Database(data / DB_NAME)
    MIGRATIONS.apply(old, stop_before=MIGRATIONS.names()[-1])
    assert MIGRATIONS.pending_names(old.conn) == MIGRATIONS.names()[-1:]
    old.conn.close()
    with Library(data) as library:
        conn = library.database.conn
        assert MIGRATIONS.pending_names(conn) == []
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied == MIGRATIONS.names()


def test_plain_rows_are_the_rows_sqlite_utils_gives(library: Library, podcasts: Path) -> None:
    _scanned(library, podcasts)
    sql = "SELECT id, title, kind FROM items WHERE id > ? ORDER BY id"
    plain = list(PlainDb(library.database.conn).query(sql, (0,)))
    assert plain == list(sqlite_utils.Database(library.database.conn).query(sql, (0,)))
    assert len(plain) == 3 and set(plain[0]) == {"id", "title", "kind"}


def test_quick_rows_are_skipped_only_when_empty(library: Library, podcasts: Path) -> None:
    ids = _scanned(library, podcasts)
    history = library.history
    profile = history.default_profile().id
    conn = library.database.conn
    # A new library: everything arrived at set-up, nothing played.
    assert _full_quick_rows(library, profile) == []
    assert not quick_rows_possible(conn, profile)
    assert library.quick_rows() == []
    # A play in progress: Continue (and Next up) appear, and are not skipped.
    session = history.start_session(profile, ids[0], 0.0)
    history.end_session(session, 5.0, 100.0)
    assert quick_rows_possible(conn, profile)
    assert "continue" in [row.kind for row in library.quick_rows()]
    assert "continue" in _full_quick_rows(library, profile)


def test_items_added_after_set_up_make_new_rows_possible(library: Library, podcasts: Path) -> None:
    ids = _scanned(library, podcasts)
    profile = library.history.default_profile().id
    conn = library.database.conn
    with library.database.write() as db:
        # The library was set up ten days ago; one item came yesterday.
        db.execute(
            "UPDATE items SET created_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-10 days')"
        )
        db.execute(
            "UPDATE items SET created_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
            "'now', '-1 days') WHERE id = ?",
            (ids[-1],),
        )
    assert quick_rows_possible(conn, profile)
    with library.database.write() as db:
        # All of it long ago: nothing is new.
        db.execute(
            "UPDATE items SET created_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-90 days')"
        )
    assert not quick_rows_possible(conn, profile)
    assert _full_quick_rows(library, profile) == []
