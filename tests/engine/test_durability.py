"""History writes are durable against power loss: every connection commits with an fsync.

SQLite's `synchronous` is per connection, and `Database` opens one per thread; history is
written from whichever thread the caller is on (the app's thread pool, the CLI's main thread,
the index worker's NFO play counts). So the check is on real connections, on several threads,
each after a real history write on it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from engine.library import Library
from engine.store import Catalog

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_history_writing_connection_is_synchronous_full(tmp_path: Path) -> None:
    with Library(tmp_path / "data", workers=1) as library:
        with library.database.write() as db:
            cat = Catalog(db)
            root = cat.add_root(str(tmp_path / "films").encode(), "video")
            item = cat.insert_item({"kind": "movie", "title": "Glacier Diaries"})
            cat.insert_file(
                root.id, str(tmp_path / "films" / "g.mkv").encode(), 1, 0, None, item, None
            )
        history = library.history
        profile = history.default_profile().id
        seen: dict[str, tuple[str, int]] = {}

        def write_and_check(name: str) -> None:
            session = history.start_session(profile, item)
            history.update_progress(session, 10.0, 100.0)
            history.end_session(session, 20.0, 100.0)
            conn = library.database.db.conn  # this thread's connection, the one that wrote
            seen[name] = (
                conn.execute("PRAGMA journal_mode").fetchone()[0],
                conn.execute("PRAGMA synchronous").fetchone()[0],
            )

        write_and_check("main")
        threads = [threading.Thread(target=write_and_check, args=(f"pool-{n}",)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen == {name: ("wal", FULL) for name in ("main", "pool-0", "pool-1")}
        assert len(history.timeline(profile, item_id=item)) == 3
