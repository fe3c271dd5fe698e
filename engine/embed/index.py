"""The usearch vector index: derived from the vectors in SQLite, and always rebuildable from them.

One usearch file per (family, segment) generation; a segment is a library root. Writers build
the next generation off to the side and publish it in one DB transaction, then swap the
in-memory snapshot; readers keep whichever snapshot they took. A crash at any moment leaves
the published generations intact, and `open()` repairs whatever SQLite knows that the files
do not.

Across processes, only the holder of the data directory's writer lock (`writer_lock`) writes:
publishes, repairs and deletes files. Any other process is a reader: it loads the published
generations, reloads them when a newer one is published, and never deletes a file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from usearch.index import Index

from engine.embed.generations import AS_OF_MARGIN, EPOCH, Pending, Publisher
from engine.embed.segment_file import (
    DTYPES,
    SUFFIX,
    TMP_SUFFIX,
    SegmentFileError,
    file_checksum,
    load_verified,
    model_prefix,
    new_index,
    remove_quietly,
)
from engine.embed.snapshot import Segment, Snapshot
from engine.embed.writer_lock import writer_lock
from engine.faults import fault_point
from engine.store.db import Database
from engine.store.passages import PASSAGE_SLOTS, split_passage_key
from engine.store.vector_rows import KeyArray
from engine.store.vectors import (
    CHUNK_SLOTS,
    FAMILIES,
    VectorStore,
    split_key,
    stamp,
)

log = logging.getLogger(__name__)

# Measured by tests/bench/index_bench.py (real MiniLM vectors, 384 dims, 2 cores, 1 query thread):
# recall@10 against exact f32 was 0.995 for f32 HNSW, 0.997 for f16 and 0.950 for i8, so f16
# keeps full quality at half the memory and file size. Exact search took 0.17 ms at 5k vectors,
# 0.34 ms at 10k and 0.65 ms at 20k (linear), HNSW 0.08 ms but with recall 0.985-0.994 there:
# below 10k a brute-force scan costs a third of a millisecond and never misses a neighbour.
DEFAULT_DTYPE = "f16"
EXACT_BELOW = 10_000
# How far an index copy may drift from the SQLite vector (1 - cosine) through quantisation.
_TOLERANCE = {"f32": 1e-5, "f16": 1e-3, "i8": 2e-2}

Progress = Callable[[int, int], None]


class VectorIndex:
    """All index segments of one model, kept in step with the `vectors` table.

    One writer at a time (update, rebuild, open take a lock); any number of concurrent searches.
    Across processes the writer is the holder of the directory's writer lock: `update` and
    `rebuild` take it for their duration (or raise IndexBusy), `open` repairs and sweeps only
    when it can take it. Within a process, keep one VectorIndex per (directory, model).
    """

    def __init__(
        self,
        database: Database,
        directory: Path,
        model_id: str,
        dim: int,
        *,
        dtype: str = DEFAULT_DTYPE,
        exact_below: int = EXACT_BELOW,
        compact_ratio: float = 0.2,
    ) -> None:
        if dtype not in DTYPES:
            raise ValueError(f"unknown index dtype {dtype!r}; use one of {sorted(DTYPES)}")
        self.database = database
        self.directory = directory
        self.model_id = model_id
        self.dim = dim
        self.dtype = dtype
        self.exact_below = exact_below
        self.compact_ratio = compact_ratio
        self._prefix = model_prefix(model_id)
        self._write_lock = threading.RLock()
        self._swap_lock = threading.Lock()
        self._snapshot = Snapshot({}, exact_below)
        self._publisher = Publisher(database, directory, model_id, dtype)
        self._lock = writer_lock(directory)
        self._session = 0  # the writer session this index last caught up with
        self._refresh_lock = threading.Lock()
        self._seen = threading.local()  # per connection: the data_version last looked at
        self._stale = False  # a published file could not be loaded yet: look again

    # --- reading -----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        if not self._lock.held:  # another process may publish: follow it
            self._follow()
        with self._swap_lock:
            return self._snapshot

    def _current(self) -> Snapshot:
        with self._swap_lock:
            return self._snapshot

    def _follow(self) -> None:
        """Reload the segments another process published since we last looked (a reader)."""
        conn = self.database.db.conn
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version == getattr(self._seen, "version", None) and not self._stale:
            return  # nobody else committed anything since
        if not self._refresh_lock.acquire(blocking=False):
            return  # another thread is reloading; its result is as good
        try:
            self._seen.version = version
            self._reload()
        finally:
            self._refresh_lock.release()

    def _reload(self) -> None:
        """Make the snapshot the published generations, reusing those already in memory."""
        current = self._current()
        wanted = {(g.family, g.segment): g for g in self._store().published(self.model_id)}
        if {k: s.generation.id for k, s in current.segments.items()} == {
            k: g.id for k, g in wanted.items()
        }:
            self._stale = False
            return
        segments: dict[tuple[str, str], Segment] = {}
        stale = False
        for key, gen in wanted.items():
            held = current.segments.get(key)
            if held is not None and held.generation.id == gen.id:
                segments[key] = held
                continue
            try:
                index = load_verified(self.directory / gen.file, gen.checksum, self.dim, self.dtype)
            except SegmentFileError as exc:
                # Replaced again while we read it, or not readable: keep what we had, retry.
                log.debug("%s/%s: not reloaded yet: %s", gen.family, gen.segment, exc)
                stale = True
                if held is not None:
                    segments[key] = held
                continue
            segments[key] = Segment(gen, index, gen.tombstones)
        self._stale = stale
        self._swap(Snapshot(segments, self.exact_below))

    @contextmanager
    def writing(self, wait: bool = False) -> Iterator[None]:
        """Be this directory's writer for the block (IndexBusy when another process is).

        Taking over from another process first catches up with what it published, or, when
        it died mid-session, repairs the index from SQLite (and sweeps its leftovers)."""
        with self._lock.hold(wait), self._write_lock:
            if self._session != self._lock.session:
                if self._lock.after_crash:
                    self._open_locked()
                    self._lock.repaired()
                else:
                    self._reload()
                self._session = self._lock.session
            yield

    def search(self, family: str, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.snapshot().search(family, query, k)

    def count(self, family: str) -> int:
        return self.snapshot().count(family)

    def close(self) -> None:
        with self._write_lock:
            self._swap(Snapshot({}, self.exact_below))

    def _store(self) -> VectorStore:
        return VectorStore(self.database.db)

    # --- opening and repair ------------------------------------------------------------------

    def open(self) -> list[str]:
        """Load the published generations, repairing each from SQLite where needed.

        Repairs only as the writer: when another process holds the writer lock, this loads
        what is published and leaves the repairs to that process."""
        self._outside_transaction()
        if not self._lock.acquire():
            log.info("another process writes the %s index; opening it to read", self.model_id)
            with self._write_lock:
                self._reload()
            return []
        try:
            with self._write_lock:
                messages = self._open_locked()
                self._session = self._lock.session
                self._lock.repaired()
                return messages
        finally:
            self._lock.release()

    def _open_locked(self) -> list[str]:
        with self._write_lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            messages: list[str] = []

            def note(message: str) -> None:
                log.info("%s", message)
                messages.append(message)

            store = self._store()
            loaded: dict[tuple[str, str], Segment] = {}
            broken: dict[tuple[str, str], int] = {}
            for gen in store.published(self.model_id):
                where = (gen.family, gen.segment)
                try:
                    index = load_verified(
                        self.directory / gen.file, gen.checksum, self.dim, self.dtype
                    )
                except SegmentFileError as exc:
                    note(f"{gen.family}/{gen.segment}: {exc}; rebuilding it from SQLite")
                    broken[where] = gen.id
                    continue
                loaded[where] = Segment(gen, index, gen.tombstones)
            self._swap(Snapshot(loaded, self.exact_below))

            pending: list[Pending] = []
            verified: list[tuple[int, str]] = []
            for family in FAMILIES:
                as_of = stamp(AS_OF_MARGIN)
                expected = store.family_keys(self.model_id, family)
                names = set(expected) | {s for f, s in loaded if f == family}
                names |= {s for f, s in broken if f == family}
                for name in sorted(names):
                    want = expected.get(name, np.empty(0, dtype=np.uint64))
                    current = loaded.get((family, name))
                    if current is None:
                        old = broken.get((family, name))
                        if len(want) == 0:
                            note(f"{family}/{name}: no vectors left in SQLite; retiring it")
                            pending.append(Pending(family, name, None, 0, as_of, old))
                            continue
                        if old is None:
                            note(f"{family}/{name}: no index yet for {len(want)} vectors; building")
                        index = self._build(family, name)
                        pending.append(Pending(family, name, index, 0, as_of, old))
                        continue
                    repair = self._reconcile(store, current, want, as_of, note)
                    if repair is None:
                        verified.append((current.generation.id, as_of))
                    else:
                        pending.append(repair)
            self._commit(pending)
            if verified:
                with self.database.write() as db:
                    for gen_id, as_of in verified:
                        VectorStore(db).mark_verified(gen_id, as_of)
            self._sweep(messages)
            return messages

    def _reconcile(
        self,
        store: VectorStore,
        current: Segment,
        want: KeyArray,
        as_of: str,
        note: Callable[[str], None],
    ) -> Pending | None:
        """Bring a loaded segment in line with SQLite; None when it already is."""
        family, name = current.family, current.name
        present = np.asarray(current.index.keys, dtype=np.uint64)
        missing = np.setdiff1d(want, present)
        stale = np.setdiff1d(present, want)
        changed = self._changed_since(store, current, np.intersect1d(want, present))
        if not len(missing) and not len(stale) and not len(changed):
            return None
        note(
            f"{family}/{name}: index differs from SQLite ({len(missing)} missing, "
            f"{len(stale)} stale, {len(changed)} changed); repairing"
        )
        fix = [int(k) for k in missing] + [int(k) for k in changed]
        upserts = store.family_vectors(self.model_id, family, fix)
        pending = self._prepare(current, family, name, upserts, (int(k) for k in stale))
        # Everything SQLite held before `as_of` is now in; a compaction may have read it later.
        pending.as_of = max(pending.as_of, as_of)
        return pending

    def _changed_since(self, store: VectorStore, current: Segment, keys: KeyArray) -> KeyArray:
        """Keys whose SQLite vector was re-embedded after the generation and now differs."""
        family = current.family
        items = store.embedded_since(self.model_id, current.generation.created_at, family)
        if not items or not len(keys):
            return np.empty(0, dtype=np.uint64)
        slots = {"items": 1, "chunks": CHUNK_SLOTS, "passages": PASSAGE_SLOTS}[family]
        owners = keys // np.uint64(slots)
        candidates = keys[np.isin(owners, np.fromiter(items, dtype=np.uint64))]
        if not len(candidates):
            return candidates
        truth = store.family_vectors(self.model_id, current.family, candidates.tolist())
        got = current.index.get(candidates, dtype="f32")
        rows = got if isinstance(got, tuple) else (got,)
        blank = np.zeros(self.dim, dtype=np.float32)  # a vanished key: never "unchanged"
        held = np.vstack([blank if r is None else np.asarray(r, np.float32) for r in rows])
        changed = []
        for key, row in zip(candidates.tolist(), held, strict=True):
            fresh = truth.get(key)
            if fresh is None:
                continue
            cos = float(row @ fresh) / (float(np.linalg.norm(row) * np.linalg.norm(fresh)) or 1.0)
            if 1.0 - cos > _TOLERANCE[self.dtype]:
                changed.append(key)
        return np.array(changed, dtype=np.uint64)

    def _sweep(self, messages: list[str]) -> None:
        """Delete temp files and files of ours no generation record names (left by a crash).

        Only the writer sweeps: another process's temp file may be a generation about to be
        published. Files of retired generations are `Publisher.collect_retired`'s, after the
        publish that retired them is durable."""
        assert self._lock.held, "only the index writer may delete files"
        store = self._store()
        referenced = store.published_files() | set(store.retired_files())
        for path in sorted(self.directory.glob(f"{self._prefix}.*")):
            if path.name in referenced:
                continue
            if path.name.endswith((SUFFIX, TMP_SUFFIX)) and remove_quietly(path):
                message = f"deleted leftover index file {path.name}"
                log.info("%s", message)
                messages.append(message)
        self._publisher.collect_retired()

    # --- writing -----------------------------------------------------------------------------

    def update(
        self,
        family: str,
        segment: str,
        upserts: Mapping[int, np.ndarray],
        removals: Iterable[int],
    ) -> None:
        """Apply changes (already saved in SQLite) to one segment and publish a new generation."""
        if family not in FAMILIES:
            raise ValueError(f"unknown index family {family!r}")
        self._outside_transaction()
        fault_point("index.after_vectors_saved")
        removed = {int(k) for k in removals}
        changes = {int(k): v for k, v in upserts.items()}
        if both := removed & set(changes):
            # Changes gathered over several batches can name a key both ways; SQLite knows
            # which came last.
            truth = self._store().family_vectors(self.model_id, family, sorted(both))
            for key in both:
                if key in truth:
                    changes[key] = truth[key]
                    removed.discard(key)
                else:
                    del changes[key]
        with self.writing():
            current = self._current().segment(family, segment)
            self._commit([self._prepare(current, family, segment, changes, removed)])

    def holders(self, family: str, keys: Iterable[int]) -> dict[int, str]:
        """The segment whose published generation holds each key; keys held nowhere are left
        out. The writer uses it, inside `writing()`, to find vectors whose item changed folder."""
        wanted = np.fromiter((int(k) for k in keys), dtype=np.uint64)
        found: dict[int, str] = {}
        if not len(wanted):
            return found
        for (fam, name), segment in sorted(self._current().segments.items()):
            if fam != family:
                continue
            inside = np.atleast_1d(np.asarray(segment.index.contains(wanted), dtype=bool))
            for key in wanted[inside].tolist():
                found.setdefault(int(key), name)
        return found

    def retire_segments(self, names: Iterable[str]) -> None:
        """Unpublish these segments in every family: their folder left the library, and with
        it every item they held (the items that stay are re-placed by the next embedding pass)."""
        gone = set(names)
        self._outside_transaction()
        with self.writing():
            pending = [
                Pending(g.family, g.segment, None, 0, EPOCH, g.id)
                for g in self._store().published(self.model_id)
                if g.segment in gone
            ]
            for item in pending:
                log.info("%s/%s: its folder is gone; retiring it", item.family, item.segment)
            self._commit(pending)

    def _outside_transaction(self) -> None:
        # Publishing inside a caller's transaction would delete retired files before the
        # caller commits; a rollback would then leave the DB pointing at deleted files.
        if self.database.db.conn.in_transaction:
            raise RuntimeError("update the vector index after the write transaction commits")

    def _prepare(
        self,
        current: Segment | None,
        family: str,
        segment: str,
        upserts: Mapping[int, np.ndarray],
        removals: Iterable[int],
    ) -> Pending:
        """The next generation: a copy of the current one with the changes, or a compaction."""
        work = (
            current.index.copy() if current is not None else new_index(self.dim, self.dtype, family)
        )
        tombstones = current.tombstones if current is not None else 0
        gone = np.array(sorted({int(k) for k in removals}), dtype=np.uint64)
        if len(gone):
            gone = gone[np.asarray(work.contains(gone), dtype=bool)]
            if len(gone):
                work.remove(gone)
                tombstones += len(gone)
        if upserts:
            keys = np.fromiter((int(k) for k in upserts), dtype=np.uint64, count=len(upserts))
            matrix = np.vstack(
                [np.asarray(v, dtype=np.float32).reshape(1, -1) for v in upserts.values()]
            )
            if matrix.shape[1] != self.dim:
                raise ValueError(f"vectors have {matrix.shape[1]} dimensions, expected {self.dim}")
            # usearch refuses duplicate keys: replacing a vector is remove + add.
            existing = keys[np.asarray(work.contains(keys), dtype=bool)]
            if len(existing):
                work.remove(existing)
                tombstones += len(existing)
            work.add(keys, matrix)
        # A copy is exactly as current as the generation it was copied from.
        as_of = current.generation.created_at if current is not None else EPOCH
        if tombstones > self.compact_ratio * max(len(work), 1):
            log.info(
                "%s/%s: %d tombstones over %d vectors; compacting from SQLite",
                family,
                segment,
                tombstones,
                len(work),
            )
            as_of = stamp(AS_OF_MARGIN)
            work = self._build(family, segment)
            tombstones = 0
        old = current.generation.id if current is not None else None
        return Pending(family, segment, work if len(work) else None, tombstones, as_of, old)

    def _build(
        self, family: str, segment: str, progress: Callable[[int], None] | None = None
    ) -> Index:
        index = new_index(self.dim, self.dtype, family)
        for keys, vectors in self._store().iter_family(self.model_id, family, segment):
            if vectors.shape[1] != self.dim:
                raise ValueError(
                    f"SQLite holds {vectors.shape[1]}-dimensional vectors for {self.model_id}, "
                    f"expected {self.dim}"
                )
            index.add(keys, vectors)
            if progress is not None:
                progress(len(keys))
        return index

    def rebuild(self, progress: Progress | None = None) -> None:
        """Build every segment of this model from SQLite and publish them together."""
        self._outside_transaction()
        with self.writing():
            self.directory.mkdir(parents=True, exist_ok=True)
            store = self._store()
            total = sum(store.family_count(self.model_id, f) for f in FAMILIES)
            done = 0

            def advance(n: int) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, total)

            names = store.segments(self.model_id)
            published = {(g.family, g.segment): g.id for g in store.published(self.model_id)}
            pending: list[Pending] = []
            for family in FAMILIES:
                as_of = stamp(AS_OF_MARGIN)
                for name in sorted(names):
                    index = self._build(family, name, advance)
                    old = published.get((family, name))
                    pending.append(
                        Pending(family, name, index if len(index) else None, 0, as_of, old)
                    )
            for (family, name), old in published.items():
                if name not in names:
                    pending.append(Pending(family, name, None, 0, EPOCH, old))
            self._commit(pending)
            log.info(
                "rebuilt the %s index: %d vectors in %d files", self.model_id, total, len(pending)
            )

    def _commit(self, pending: list[Pending]) -> None:
        """Publish the next generations (generations.py), then swap the snapshot."""
        if not pending:
            return
        segments = self._publisher.publish(pending, self._current().segments)
        self._swap(Snapshot(segments, self.exact_below))
        self._publisher.collect_retired()

    def _swap(self, snapshot: Snapshot) -> None:
        with self._swap_lock:
            self._snapshot = snapshot

    # --- diagnosis ---------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems between the files, the DB and SQLite's vectors; empty when consistent."""
        problems: list[str] = []
        store = self._store()
        published = store.published(self.model_id)
        snapshot = self.snapshot()
        for family in FAMILIES:
            expected = store.family_keys(self.model_id, family)
            gens = {g.segment: g for g in published if g.family == family}
            for name in sorted(set(expected) - set(gens)):
                problems.append(f"{family}/{name}: {len(expected[name])} vectors have no index")
            for name, gen in sorted(gens.items()):
                path = self.directory / gen.file
                if not path.exists():
                    problems.append(f"{family}/{name}: file {gen.file} is missing")
                    continue
                if file_checksum(path) != gen.checksum:
                    problems.append(f"{family}/{name}: file {gen.file} fails its checksum")
                    continue
                held = snapshot.segment(family, name)
                if held is not None and held.generation.id == gen.id:
                    segment = held
                else:
                    try:
                        index = load_verified(path, gen.checksum, self.dim, self.dtype)
                    except SegmentFileError as exc:
                        problems.append(f"{family}/{name}: {exc}")
                        continue
                    segment = Segment(gen, index, gen.tombstones)
                want = expected.get(name, np.empty(0, dtype=np.uint64))
                present = np.asarray(segment.index.keys, dtype=np.uint64)
                missing = len(np.setdiff1d(want, present))
                stale = len(np.setdiff1d(present, want))
                changed = len(self._changed_since(store, segment, np.intersect1d(want, present)))
                if missing or stale or changed:
                    problems.append(
                        f"{family}/{name}: {missing} keys missing from the index, {stale} stale, "
                        f"{changed} with an outdated vector"
                    )
        return problems


def item_of(family: str, key: int) -> int:
    """The item a search result key belongs to."""
    if family == "passages":
        return split_passage_key(key)[0]
    return key if family == "items" else split_key(key)[0]
