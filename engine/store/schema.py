"""The schema, as versioned migrations. Each step runs once, in its own transaction.

Never edit a step that has shipped: add a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from engine.store import cjk
from engine.store.plain import LazyMigrations

if TYPE_CHECKING:
    import sqlite_utils

# sqlite-utils (and numpy with it) is imported only when a step is pending (engine/store/plain.py).
MIGRATIONS = LazyMigrations("reelcast")


@MIGRATIONS(name="0001_catalog")
def _catalog(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE roots (
            id INTEGER PRIMARY KEY,
            path_bytes BLOB NOT NULL UNIQUE,   -- exactly as the OS spells it
            path TEXT NOT NULL,                -- display form
            kind TEXT NOT NULL CHECK (kind IN ('podcast', 'video', 'mixed')),
            state TEXT NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
            added_at TEXT NOT NULL,
            last_scan_at TEXT
        );

        CREATE TABLE shows (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                -- 'podcast' or 'tv'
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,           -- case- and space-folded, for matching
            description TEXT,
            artwork TEXT,                      -- thumbnail path in the data dir
            feed_url TEXT,
            sources TEXT NOT NULL DEFAULT '{}',
            UNIQUE (kind, title_key)
        );

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                -- podcast, episode, movie, audio, video
            title TEXT NOT NULL,
            show_id INTEGER REFERENCES shows(id) ON DELETE SET NULL,
            season INTEGER,
            episode INTEGER,
            air_date TEXT,
            year INTEGER,
            duration REAL,
            description TEXT,
            language TEXT,
            genres TEXT NOT NULL DEFAULT '[]',
            people TEXT NOT NULL DEFAULT '[]',
            rating REAL,
            votes INTEGER,
            artwork TEXT,
            chapters TEXT NOT NULL DEFAULT '[]',
            lyrics TEXT,
            subtitles TEXT,
            subtitle_language TEXT,
            guid TEXT,
            width INTEGER,
            height INTEGER,
            video_codec TEXT,
            audio_codec TEXT,
            nfo_playcount INTEGER,
            nfo_lastplayed TEXT,
            nfo_resume_position REAL,
            nfo_resume_total REAL,
            sources TEXT NOT NULL DEFAULT '{}', -- field -> where its value came from
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX items_show ON items(show_id, season, episode);

        -- A file is one path holding an item's content. Items outlive their files: a missing
        -- or offline file keeps its item (and so its history), never cascade-deleted.
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id),
            item_id INTEGER REFERENCES items(id),
            path_bytes BLOB NOT NULL UNIQUE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            fingerprint TEXT,
            missing INTEGER NOT NULL DEFAULT 0,
            offline INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX files_root ON files(root_id);
        CREATE INDEX files_item ON files(item_id);
        CREATE INDEX files_fingerprint ON files(fingerprint);

        -- Sidecars (NFO, subtitles, artwork, feeds) are tracked so that a change to one
        -- re-reads the media beside it, and nothing else.
        CREATE TABLE sidecars (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id),
            path_bytes BLOB NOT NULL UNIQUE,
            dir_bytes BLOB NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL
        );
        CREATE INDEX sidecars_root ON sidecars(root_id);

        CREATE TABLE scan_errors (
            id INTEGER PRIMARY KEY,
            root_id INTEGER REFERENCES roots(id),
            path_bytes BLOB NOT NULL UNIQUE,   -- one current error per path
            path TEXT NOT NULL,
            stage TEXT NOT NULL,               -- walk, read, sidecar, timeout
            error TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0002_vectors_queue_search")
def _vectors(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- Vectors are the source of truth for the index (which is derived and rebuildable).
        -- chunk 0 is the item's vector; chunks 1..n are the pieces of a long document, stored
        -- only when there is more than one.
        CREATE TABLE vectors (
            model_id TEXT NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            chunk INTEGER NOT NULL,
            vector BLOB NOT NULL,              -- float32, L2-normalised
            PRIMARY KEY (model_id, item_id, chunk)
        ) WITHOUT ROWID;

        -- What each item was last embedded from: an unchanged document hash is never re-embedded.
        CREATE TABLE embed_state (
            model_id TEXT NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            doc_hash TEXT NOT NULL,
            chunks INTEGER NOT NULL,
            embedded_at TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT -1,  -- items.revision it was checked against
            PRIMARY KEY (model_id, item_id)
        ) WITHOUT ROWID;

        -- Index files on disk, one per (model, family, segment) generation.
        CREATE TABLE index_generations (
            id INTEGER PRIMARY KEY,
            model_id TEXT NOT NULL,
            family TEXT NOT NULL,              -- items or chunks
            segment TEXT NOT NULL,             -- e.g. root-3
            file TEXT NOT NULL,                -- name inside the index dir
            checksum TEXT NOT NULL,            -- BLAKE2b of the file: usearch has none
            size INTEGER NOT NULL,             -- vectors in it
            tombstones INTEGER NOT NULL DEFAULT 0,
            dtype TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('published', 'retired')),
            created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX one_published_generation
            ON index_generations(model_id, family, segment) WHERE state = 'published';

        -- Settled file-system changes waiting for the worker; durable, so a crash loses none.
        CREATE TABLE change_queue (
            path_bytes BLOB PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
            last_event REAL NOT NULL,          -- time.time() of the latest event for this path
            size INTEGER,                      -- as seen at that event (None: gone)
            mtime_ns INTEGER
        ) WITHOUT ROWID;

        -- Bumped on every write of an item, so the embedder finds what changed cheaply.
        ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL                -- JSON
        );

        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, show, description, people, genres, extra,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )
    cjk.register(db.conn)  # FTS_FILL calls it; a connection Database did not open lacks it
    db.execute(FTS_FILL + " WHERE 1")


# Keyword search reads this copy of each item's text; catalog.py refreshes it on every write.
# cjk_spaced (engine/store/cjk.py, registered on every connection) makes each Chinese or
# Japanese character a token: unicode61 alone keeps a whole Chinese sentence as one word.
FTS_FILL = """
    INSERT INTO items_fts (rowid, title, show, description, people, genres, extra)
    SELECT i.id, cjk_spaced(i.title), cjk_spaced(coalesce(s.title, '')),
           cjk_spaced(coalesce(i.description, '')), cjk_spaced(i.people), cjk_spaced(i.genres),
           cjk_spaced(coalesce(i.lyrics, '') || ' ' || coalesce(substr(i.subtitles, 1, 4000), ''))
    FROM items i LEFT JOIN shows s ON s.id = i.show_id
"""


@MIGRATIONS(name="0003_history")
def _history(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- Who is watching. One profile is the default, so the app always has someone to
        -- record for; a partial unique index keeps it at exactly one.
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            interests TEXT NOT NULL DEFAULT '',   -- free text for the recommender
            languages TEXT NOT NULL DEFAULT '[]', -- JSON list of ISO 639-1 codes
            is_default INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX one_default_profile ON profiles(is_default) WHERE is_default = 1;

        -- History hangs on items, never on files, and never cascades from items: an item's id
        -- follows its content fingerprint, so renames, moves, remounts and rescans keep it.
        -- Deleting a profile does take its history with it.
        CREATE TABLE play_sessions (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id),
            started_at TEXT NOT NULL,
            ended_at TEXT,                        -- NULL while playing
            start_position REAL NOT NULL DEFAULT 0,
            end_position REAL,                    -- the latest position reported
            duration REAL,
            updated_at TEXT NOT NULL              -- when end_position was reported
        );
        CREATE INDEX play_sessions_item ON play_sessions(profile_id, item_id);

        -- Derived from play_sessions and history_log (see engine/recommend/history.py), kept
        -- as a table so the recommender and the GUI read it cheaply.
        CREATE TABLE progress (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id),
            position REAL NOT NULL DEFAULT 0,     -- 0 once completed
            duration REAL,
            completed INTEGER NOT NULL DEFAULT 0,
            play_count INTEGER NOT NULL DEFAULT 0,
            last_played_at TEXT,
            completed_at TEXT,
            PRIMARY KEY (profile_id, item_id)
        ) WITHOUT ROWID;

        CREATE TABLE feedback (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id),
            kind TEXT NOT NULL CHECK (kind IN ('like', 'dislike', 'not_interested')),
            at TEXT NOT NULL,
            PRIMARY KEY (profile_id, item_id, kind)
        ) WITHOUT ROWID;

        CREATE TABLE show_prefs (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            followed INTEGER NOT NULL DEFAULT 0,
            snoozed_until TEXT,
            PRIMARY KEY (profile_id, show_id)
        ) WITHOUT ROWID;

        -- Every event, for the history view, removal of entries, export and rebuilding the
        -- derived tables. Show events (follow, snooze) have no item: data names the show.
        CREATE TABLE history_log (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            item_id INTEGER REFERENCES items(id),
            event TEXT NOT NULL,
            at TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}'       -- JSON
        );
        CREATE INDEX history_log_item ON history_log(profile_id, item_id, at);
        CREATE INDEX history_log_time ON history_log(profile_id, at);
        """
    )
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    db.execute(
        "INSERT INTO profiles (name, is_default, created_at) VALUES ('Default', 1, ?)", [stamp]
    )


@MIGRATIONS(name="0004_change_counters")
def _change_counters(db: sqlite_utils.Database) -> None:
    # Caches (the recommender's catalogue view and household) ask "did anything change?"
    # many times a second; counting 100k rows to answer took 35 ms, reading one row takes µs.
    statements = [
        "CREATE TABLE revisions (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        "INSERT INTO revisions VALUES ('catalog', 0), ('history', 0)",
        # Document frequencies, so search can leave out words that most items contain.
        "CREATE VIRTUAL TABLE items_fts_vocab USING fts5vocab(items_fts, 'row')",
    ]
    watched = {
        "catalog": ("items", "files", "embed_state"),
        "history": ("history_log", "profiles", "progress", "feedback", "show_prefs"),
    }
    for counter, tables in watched.items():
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_{event.lower()}_bumps_{counter} AFTER {event} "
                    f"ON {table} BEGIN UPDATE revisions SET value = value + 1 "
                    f"WHERE name = '{counter}'; END"
                )
    for statement in statements:
        db.execute(statement)


def revision_sql(counter: str) -> str:
    """One row to read to learn whether anything under `counter` changed."""
    if counter not in ("catalog", "history"):
        raise ValueError(counter)
    return f"SELECT value FROM revisions WHERE name = '{counter}'"


@MIGRATIONS(name="0005_removed_roots_and_file_records")
def _removed_roots(db: sqlite_utils.Database) -> None:
    # A removed folder keeps its row, files and fingerprints (so adding it again, or the same
    # drive at another path, reattaches items and history); it is no longer scanned or shown.
    db.execute("ALTER TABLE roots ADD COLUMN removed_at TEXT")
    # A file row is a record of some content at a path. When other content takes the path
    # (two files swap names, a download replaces an episode) the old record stays as missing,
    # keeping its item's fingerprint, so only *present* files need a unique path. One statement
    # at a time (not executescript, which commits): the rebuild stays in the migration's
    # transaction.
    statements = [
        """
        CREATE TABLE files_new (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id),
            item_id INTEGER REFERENCES items(id),
            path_bytes BLOB NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            fingerprint TEXT,
            missing INTEGER NOT NULL DEFAULT 0,
            offline INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )
        """,
        "INSERT INTO files_new SELECT id, root_id, item_id, path_bytes, path, size, mtime_ns, "
        "fingerprint, missing, offline, last_error, first_seen, last_seen FROM files",
        "DROP TABLE files",
        "ALTER TABLE files_new RENAME TO files",
        "CREATE INDEX files_root ON files(root_id)",
        "CREATE INDEX files_item ON files(item_id)",
        "CREATE INDEX files_fingerprint ON files(fingerprint)",
        "CREATE INDEX files_path ON files(path_bytes)",
        "CREATE UNIQUE INDEX files_present_path ON files(path_bytes) WHERE missing = 0",
        "UPDATE revisions SET value = value + 1 WHERE name = 'catalog'",
    ]
    statements += [  # the triggers went with the old table
        f"CREATE TRIGGER files_{event.lower()}_bumps_catalog AFTER {event} ON files "
        "BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'catalog'; END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0007_integrity_findings")
def _integrity_findings(db: sqlite_utils.Database) -> None:
    # A file listed although its audio is cut off or damaged keeps that finding as data (JSON
    # {"kind", "args"}): identity lets the complete download replace an incomplete one. The
    # same finding is a problem row, worded by the desktop from kind + args.
    db.execute("ALTER TABLE files ADD COLUMN integrity TEXT")
    db.execute("ALTER TABLE scan_errors ADD COLUMN kind TEXT")
    db.execute("ALTER TABLE scan_errors ADD COLUMN args TEXT")


@MIGRATIONS(name="0008_episode_range_and_external_ids")
def _episode_range_and_ids(db: sqlite_utils.Database) -> None:
    # A file holding several episodes (an NFO's S02E03-E04) is one item for the range; ids from
    # other catalogues (NFO <uniqueid>: imdb, tmdb, tvdb) as a JSON object, kept for identity.
    db.execute("ALTER TABLE items ADD COLUMN episode_end INTEGER")
    db.execute("ALTER TABLE items ADD COLUMN external_ids TEXT")


@MIGRATIONS(name="0009_passages")
def _passages(db: sqlite_utils.Database) -> None:
    # Every word of an item's transcript, subtitles, lyrics and chapter titles, as timed
    # passages (engine/store/passages.py); their vectors are the "passages" index family.
    statements = [
        """
        CREATE TABLE passages (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            start_s REAL NOT NULL,
            end_s REAL NOT NULL,
            source TEXT NOT NULL,              -- transcript, subtitles, chapter, lyrics
            text TEXT NOT NULL,
            marks TEXT NOT NULL,               -- JSON [[char offset, start_s], ...] of its cues
            PRIMARY KEY (item_id, n)
        ) WITHOUT ROWID
        """,
        # Keyword side of passage search; rowid = item id * 65536 + n (passages.passage_key).
        "CREATE VIRTUAL TABLE passages_fts USING fts5(text, "
        "tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
        "INSERT INTO passages_fts (rowid, text) VALUES (new.item_id * 65536 + new.n, new.text); "
        "END",
        # Fires on the cascade from a deleted item too.
        "CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN "
        "DELETE FROM passages_fts WHERE rowid = old.item_id * 65536 + old.n; END",
        """
        CREATE TABLE passage_vectors (
            model_id TEXT NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            vector BLOB NOT NULL,              -- float32, L2-normalised
            PRIMARY KEY (model_id, item_id, n)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE passage_state (
            model_id TEXT NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            passages_hash TEXT NOT NULL,
            count INTEGER NOT NULL,
            embedded_at TEXT NOT NULL,
            PRIMARY KEY (model_id, item_id)
        ) WITHOUT ROWID
        """,
    ]
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0010_passage_reads")
def _passage_reads(db: sqlite_utils.Database) -> None:
    # Which version of the timed-text readers last read each file (engine/ingest/transcripts.py,
    # PASSAGE_READERS): a file read before passages existed, or before a reader learnt a new
    # source, is read again by the next scan that sees it, so an existing library gets its
    # passages without its files changing. Files whose items already have passages were read
    # by 0009's readers.
    db.execute("ALTER TABLE files ADD COLUMN passages_read INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE files SET passages_read = 1 "
        "WHERE item_id IN (SELECT DISTINCT item_id FROM passages)"
    )


@MIGRATIONS(name="0011_cjk_keywords")
def _cjk_keywords(db: sqlite_utils.Database) -> None:
    # The keyword index again, with Chinese and Japanese characters as tokens of their own
    # (FTS_FILL's cjk_spaced): before, a run of them was one token and matched nothing.
    # Only rows with such characters change, so only they are rewritten: this runs before the
    # window's first paint, and a library without them skips the refill (about a second on
    # 20k items and 100k passages).
    cjk.register(db.conn)  # as in 0002: the fill and the trigger call it
    changed = (
        "SELECT i.id FROM items i LEFT JOIN shows s ON s.id = i.show_id WHERE "
        "(i.title || ' ' || coalesce(s.title, '') || ' ' || coalesce(i.description, '') || ' ' "
        "|| i.people || ' ' || i.genres || ' ' || coalesce(i.lyrics, '') || ' ' "
        "|| coalesce(substr(i.subtitles, 1, 4000), '')) GLOB ?"
    )
    db.execute(f"DELETE FROM items_fts WHERE rowid IN ({changed})", [cjk.HAS_CJK_GLOB])
    db.execute(FTS_FILL + f" WHERE i.id IN ({changed})", [cjk.HAS_CJK_GLOB])
    # Passages likewise: their insert trigger spaces the text, and the index is filled again.
    db.execute("DROP TRIGGER passages_fts_insert")
    db.execute(
        "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
        "INSERT INTO passages_fts (rowid, text) "
        "VALUES (new.item_id * 65536 + new.n, cjk_spaced(new.text)); END"
    )
    db.execute(
        "DELETE FROM passages_fts WHERE rowid IN "
        "(SELECT item_id * 65536 + n FROM passages WHERE text GLOB ?)",
        [cjk.HAS_CJK_GLOB],
    )
    db.execute(
        "INSERT INTO passages_fts (rowid, text) "
        "SELECT item_id * 65536 + n, cjk_spaced(text) FROM passages WHERE text GLOB ?",
        [cjk.HAS_CJK_GLOB],
    )


@MIGRATIONS(name="0012_title_order")
def _title_order(db: sqlite_utils.Database) -> None:
    # How a title sorts when it is not itself: Chinese titles by their pinyin (cjk.title_order),
    # set on every write of a title; NULL for the rest. Only rows with such titles are filled.
    db.execute("ALTER TABLE items ADD COLUMN title_order TEXT")
    db.execute("ALTER TABLE shows ADD COLUMN title_order TEXT")
    for table in ("items", "shows"):
        rows = db.execute(f"SELECT id, title FROM {table} WHERE title GLOB ?", [cjk.HAS_CJK_GLOB])
        db.conn.executemany(
            f"UPDATE {table} SET title_order = ? WHERE id = ?",
            [(cjk.title_order(title), row_id) for row_id, title in rows.fetchall()],
        )


@MIGRATIONS(name="0013_machine_transcripts")
def _machine_transcripts(db: sqlite_utils.Database) -> None:
    # What the speech model heard in an item that came without a transcript or subtitles
    # (engine/store/speech.py). Kept apart from `passages`, which a scan rewrites from the
    # files: a rescan must never lose hours of transcription.
    db.execute(
        """
        CREATE TABLE machine_transcripts (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            outcome TEXT NOT NULL CHECK (outcome IN ('done', 'no-speech', 'failed')),
            reason TEXT,                       -- why it failed (a code the desktop words)
            detail TEXT,                       -- the decoder's own message, for the log
            model_id TEXT NOT NULL,
            language TEXT,
            duration REAL,
            took_s REAL,                       -- seconds of work: what it costs on this machine
            made_at TEXT NOT NULL,
            -- Last: a long transcript spills onto overflow pages, which a read of the columns
            -- before it (Settings' cost, the outcome) never touches.
            segments TEXT NOT NULL DEFAULT '[]' -- JSON [[start, end, text, [[start, end, word]]]]
        )
        """
    )
    # The folders whose items are transcribed (opt-in; none by default).
    db.execute(
        "CREATE TABLE transcribe_roots ("
        "root_id INTEGER PRIMARY KEY REFERENCES roots(id) ON DELETE CASCADE)"
    )
