"""Publishing index generations: the next generation of each changed segment is written to a new
file, recorded in one durable SQLite transaction, and only then are the files it replaced deleted.

`VectorIndex` (index.py) decides what the next generations hold; this module owns their files
and their rows in `index_generations`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from usearch.index import Index

from engine.embed.segment_file import (
    TMP_SUFFIX,
    file_name,
    model_prefix,
    remove_quietly,
    write_atomically,
)
from engine.embed.snapshot import Segment
from engine.store.db import Database
from engine.store.vectors import VectorStore

# A commit that lands during a crash-check must not be skipped: look back this far.
AS_OF_MARGIN = 60.0
# The as-of time of a generation not built from SQLite: every embed is newer, so gets checked.
EPOCH = "1970-01-01T00:00:00.000000+00:00"

Segments = dict[tuple[str, str], Segment]


@dataclass
class Pending:
    """The next generation of one segment, built but not yet published (None: retire it)."""

    family: str
    segment: str
    index: Index | None
    tombstones: int
    as_of: str
    old_generation: int | None


class Publisher:
    """Writes and publishes one model's generations in one data directory (the writer only)."""

    def __init__(self, database: Database, directory: Path, model_id: str, dtype: str) -> None:
        self.database = database
        self.directory = directory
        self.model_id = model_id
        self.dtype = dtype
        self._prefix = model_prefix(model_id)
        self._last_number = 0

    def publish(
        self, pending: list[Pending], segments: Mapping[tuple[str, str], Segment]
    ) -> Segments:
        """Write the new files and publish them in one transaction; the segments in use after it.

        Files of the generations this retires are left for `collect_retired`."""
        written: list[tuple[Pending, str, str]] = []
        after = dict(segments)
        try:
            for item in pending:
                if item.index is None:
                    continue
                name = self._next_name(item.family, item.segment)
                out = write_atomically(self.directory, name, item.index)
                written.append((item, out.file, out.checksum))
            # The new files are fsynced (write_atomically); the publish must be durable too
            # before `collect_retired` deletes the files it replaced.
            with self._durable_write() as db:
                store = VectorStore(db)
                for item, name, digest in written:
                    assert item.index is not None
                    gen = store.publish(
                        self.model_id,
                        item.family,
                        item.segment,
                        name,
                        digest,
                        len(item.index),
                        item.tombstones,
                        self.dtype,
                        as_of=item.as_of,
                    )
                    after[(item.family, item.segment)] = Segment(gen, item.index, item.tombstones)
                for item in pending:
                    if item.index is None:
                        if item.old_generation is not None:
                            store.retire(item.old_generation)
                        after.pop((item.family, item.segment), None)
        except BaseException:
            # Nothing was published: the new files are orphans, safe to drop.
            for _, name, _ in written:
                remove_quietly(self.directory / name)
            raise
        return after

    def collect_retired(self) -> None:
        """Delete files of retired generations (any model) that nothing publishes any more."""
        store = VectorStore(self.database.db)
        for name in store.retired_files():
            path = self.directory / name
            if path.exists() and not remove_quietly(path):
                continue
            with self.database.write() as db:
                for gen_id in VectorStore(db).retired_generations(name):
                    VectorStore(db).forget_generation(gen_id)

    @contextmanager
    def _durable_write(self) -> Iterator[Any]:
        """A write transaction synced to disk at commit (the library runs synchronous=NORMAL,
        whose WAL commits a power cut can undo)."""
        conn = self.database.db.conn
        old = int(conn.execute("PRAGMA synchronous").fetchone()[0])
        conn.execute("PRAGMA synchronous=FULL")
        try:
            with self.database.write() as db:
                yield db
        finally:
            conn.execute(f"PRAGMA synchronous={old}")

    def _next_name(self, family: str, segment: str) -> str:
        """A file name no generation has used: never overwrite a file someone may still read."""
        store = VectorStore(self.database.db)
        published = store.published_files()
        number = max(store.max_generation_id(), self._last_number) + 1
        while True:
            name = file_name(self._prefix, family, segment, number)
            taken = (self.directory / name).exists()
            temp = self.directory / f"{name}{TMP_SUFFIX}"
            if name not in published and not taken and not temp.exists():
                self._last_number = number
                return name
            number += 1
