"""The embedding pass: documents of changed items → vectors in SQLite → the index.

SQLite is written first, per batch, and is the source of truth; the index is published from it
in larger steps (every few thousand vectors or seconds, and at the end), because each publish
rewrites a whole segment file. A crash between the two loses nothing: opening the index
reconciles it with SQLite.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.embed.documents import Document, build_document, item_vector
from engine.embed.embedder import Embedder
from engine.embed.index import VectorIndex
from engine.faults import fault_point
from engine.store import Catalog, Database
from engine.store.embedding import EmbedBook
from engine.store.passages import PassageStore, passage_key, passages_hash
from engine.store.vectors import VectorStore, chunk_key, stamp

log = logging.getLogger(__name__)

BATCH = 64  # items per embedding call: big enough for the model, small enough to cancel
PUBLISH_EVERY_KEYS = 4000
PUBLISH_EVERY_S = 20.0


@dataclass(frozen=True)
class EmbedProgress:
    done: int
    total: int
    rate: float  # items per second
    eta: float | None  # seconds
    current: str | None  # title of the item being embedded


@dataclass
class EmbedCounts:
    checked: int = 0
    embedded: int = 0  # documents that changed and were embedded
    unchanged: int = 0  # documents whose hash was already embedded: skipped
    chunks: int = 0
    passages: int = 0  # passage vectors embedded (items whose transcript or chapters changed)
    cancelled: bool = False


@dataclass
class _Pending:
    """Index changes not yet published, by (family, segment)."""

    upserts: dict[tuple[str, str], dict[int, np.ndarray]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    removals: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    keys: int = 0


class EmbedPass:
    def __init__(self, database: Database, embedder: Embedder, index: VectorIndex) -> None:
        self.database = database
        self.embedder = embedder
        self.index = index

    def run(
        self,
        everything: bool = False,
        progress: Callable[[EmbedProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> EmbedCounts:
        """Embed every item whose document changed; `everything` re-checks all hashes.

        Only the library's index writer embeds (raises IndexBusy when another process is): two
        processes reading the same stale items would embed each of them twice."""
        with self.index.writing():
            return self._run(everything, progress, cancelled)

    def _run(
        self,
        everything: bool,
        progress: Callable[[EmbedProgress], None] | None,
        cancelled: Callable[[], bool],
    ) -> EmbedCounts:
        model = self.embedder.model_id
        db = self.database.db
        published = {g.segment for g in VectorStore(db).published(model)}
        if gone := EmbedBook(db).gone_segments(published):
            self.index.retire_segments(gone)
        stale = EmbedBook(db).stale_items(model, everything)
        ids = [item_id for item_id, _revision in stale]
        known = VectorStore(db).doc_hashes(model, ids)
        segments = VectorStore(db).segment_of_items(ids)
        # Items whose passages have texts but no vectors for this model, and whose documents
        # are not stale (so the loop below would not see them): their passages only.
        visiting = set(ids)
        backlog = [i for i in PassageStore(db).unembedded(model) if i not in visiting]
        total = len(stale) + len(backlog)
        counts = EmbedCounts()
        pending = _Pending()
        started = last_publish = time.monotonic()

        def publish_due() -> None:
            nonlocal pending, last_publish
            now = time.monotonic()
            if pending.keys >= PUBLISH_EVERY_KEYS or (
                pending.keys and now - last_publish >= PUBLISH_EVERY_S
            ):
                self._publish(pending)
                pending = _Pending()
                last_publish = now

        for batch in _batches(stale, BATCH):
            if cancelled():
                counts.cancelled = True
                break
            docs = self._documents(batch)
            todo = [d for d in docs if d.chunks and known.get(d.item_id) != d.doc_hash]
            if progress and todo:
                progress(self._progress(counts.checked, total, started, todo[0]))
            vectors = self._embed(todo)
            self._store(batch, docs, todo, vectors, segments, pending)
            counts.passages += self._passages([item_id for item_id, _ in batch], segments, pending)
            fault_point("embed.after_batch")
            counts.checked += len(batch)
            counts.embedded += len(todo)
            counts.unchanged += len(batch) - len(todo)
            counts.chunks += sum(len(d.chunks) for d in todo)
            for doc in todo:
                known[doc.item_id] = doc.doc_hash
            publish_due()
        done = counts.checked
        for part in _batches([(item_id, 0) for item_id in backlog], BATCH):
            if counts.cancelled or cancelled():
                counts.cancelled = True
                break
            if progress:
                progress(self._progress(done, total, started, None))
            part_ids = [item_id for item_id, _ in part]
            part_segments = VectorStore(db).segment_of_items(part_ids)
            counts.passages += self._passages(part_ids, part_segments, pending)
            done += len(part)
            publish_due()
        if pending.keys:
            self._publish(pending)
        if progress:
            progress(self._progress(done, total, started, None))
        if counts.embedded:
            log.info("embedded %d items (%d chunks) with %s", counts.embedded, counts.chunks, model)
        return counts

    def _documents(self, batch: Sequence[tuple[int, int]]) -> list[Document]:
        cat = Catalog(self.database.db)
        docs = []
        for item_id, _revision in batch:
            item = cat.item(item_id)
            if item is not None:
                docs.append(build_document(item))
        return docs

    def _embed(self, docs: list[Document]) -> list[np.ndarray]:
        """Per document: rows = [item vector, chunk vectors...] (chunk rows only when > 1)."""
        if not docs:
            return []
        texts = [chunk for doc in docs for chunk in doc.chunks]
        flat = self.embedder.embed(texts)
        out, at = [], 0
        for doc in docs:
            chunks = flat[at : at + len(doc.chunks)]
            at += len(doc.chunks)
            head = item_vector(chunks)[None, :]
            out.append(np.vstack([head, chunks]) if len(doc.chunks) > 1 else head)
        return out

    def _store(
        self,
        batch: Sequence[tuple[int, int]],
        docs: list[Document],
        todo: list[Document],
        vectors: list[np.ndarray],
        segments: dict[int, str],
        pending: _Pending,
    ) -> None:
        model = self.embedder.model_id
        embedded = {d.item_id for d in todo}
        with self.database.write() as db:
            book = EmbedBook(db)
            store = VectorStore(db)
            # Where the index holds each item now: an item whose first file changed folder
            # (a folder moved, re-added elsewhere, forgotten) has its vectors in another segment.
            ids = [item_id for item_id, _revision in batch]
            old_chunks = book.chunk_counts(model, ids)
            old_chunk_keys = {
                item_id: {chunk_key(item_id, c) for c in _chunk_numbers(count)}
                for item_id, count in old_chunks.items()
            }
            held_items = self.index.holders("items", ids)
            held_chunks = self.index.holders(
                "chunks", (k for keys in old_chunk_keys.values() for k in keys)
            )
            for doc, rows in zip(todo, vectors, strict=True):
                store.save(model, doc.item_id, doc.doc_hash, rows)
                segment = segments.get(doc.item_id, "orphan")
                pending.upserts[("items", segment)][doc.item_id] = rows[0]
                chunk_rows = rows[1:] if len(rows) > 1 else rows[:1]
                first = 1 if len(rows) > 1 else 0
                new_keys = {chunk_key(doc.item_id, first + n) for n in range(len(chunk_rows))}
                for n, row in enumerate(chunk_rows):
                    pending.upserts[("chunks", segment)][chunk_key(doc.item_id, first + n)] = row
                old_keys = old_chunk_keys.get(doc.item_id, set())
                pending.removals[("chunks", segment)].update(old_keys - new_keys)
                _drop_elsewhere(pending, "items", {doc.item_id}, held_items, segment)
                _drop_elsewhere(pending, "chunks", old_keys, held_chunks, segment)
                pending.keys += 1 + len(chunk_rows)
            # Unchanged documents whose item moved to another segment: move their vectors.
            moved = [
                item_id
                for item_id in ids
                if item_id not in embedded
                and item_id in old_chunks
                and held_items.get(item_id) != segments.get(item_id, "orphan")
            ]
            if moved:
                self._move(store, moved, old_chunk_keys, held_items, held_chunks, segments, pending)
            for doc in docs:
                if doc.language:
                    book.set_detected_language(doc.item_id, doc.language)
            book.mark_checked(model, batch)

    def _passages(self, ids: list[int], segments: dict[int, str], pending: _Pending) -> int:
        """Embed the passages of the items whose passage texts changed (only those items), and
        re-place unchanged ones whose item moved to another segment. Returns vectors embedded."""
        model = self.embedder.model_id
        reader = PassageStore(self.database.db)
        texts = reader.of_items(ids)
        known = reader.hashes(model, ids)
        todo: list[tuple[int, list[str], str]] = []
        for item_id in ids:
            mine = [p.text for p in texts.get(item_id, [])]
            digest = passages_hash(mine)
            old = known.get(item_id)
            if (old is None and not mine) or (old is not None and old[0] == digest):
                continue
            todo.append((item_id, mine, digest))
        old_keys = {
            item_id: {passage_key(item_id, n) for n in range(count)}
            for item_id, (_digest, count) in known.items()
        }
        held = self.index.holders("passages", (k for keys in old_keys.values() for k in keys))
        flat = self.embedder.embed([t for _, mine, _ in todo for t in mine]) if todo else None
        changed = {item_id for item_id, _, _ in todo}
        embedded = 0
        with self.database.write() as db:
            store = PassageStore(db)
            at = 0
            now = stamp()
            for item_id, mine, digest in todo:
                assert flat is not None
                rows = flat[at : at + len(mine)]
                at += len(mine)
                store.save_vectors(model, item_id, digest, rows, now)
                segment = segments.get(item_id, "orphan")
                new_keys = {passage_key(item_id, n) for n in range(len(mine))}
                for n, row in enumerate(rows):
                    pending.upserts[("passages", segment)][passage_key(item_id, n)] = row
                gone = old_keys.get(item_id, set())
                pending.removals[("passages", segment)].update(gone - new_keys)
                _drop_elsewhere(pending, "passages", gone, held, segment)
                pending.keys += len(mine)
                embedded += len(mine)
        # Unchanged passages of an item whose first file changed folder: move them, from SQLite.
        for item_id, keys in old_keys.items():
            segment = segments.get(item_id, "orphan")
            if item_id in changed or all(held.get(k, segment) == segment for k in keys):
                continue
            for key, row in reader.family_vectors(model, keys).items():
                pending.upserts[("passages", segment)][key] = row
            _drop_elsewhere(pending, "passages", keys, held, segment)
            pending.keys += len(keys)
        return embedded

    def _move(
        self,
        store: VectorStore,
        moved: list[int],
        chunk_keys: dict[int, set[int]],
        held_items: dict[int, str],
        held_chunks: dict[int, str],
        segments: dict[int, str],
        pending: _Pending,
    ) -> None:
        """Re-place these items' vectors (from SQLite) in their current segment, and drop them
        from wherever the index holds them now."""
        model = self.embedder.model_id
        item_rows = store.item_vectors(model, moved)
        chunk_rows = store.family_vectors(
            model, "chunks", (k for item_id in moved for k in chunk_keys.get(item_id, ()))
        )
        for item_id in moved:
            segment = segments.get(item_id, "orphan")
            if item_id in item_rows:
                pending.upserts[("items", segment)][item_id] = item_rows[item_id]
            keys = chunk_keys.get(item_id, set())
            for key in keys:
                if key in chunk_rows:
                    pending.upserts[("chunks", segment)][key] = chunk_rows[key]
            _drop_elsewhere(pending, "items", {item_id}, held_items, segment)
            _drop_elsewhere(pending, "chunks", keys, held_chunks, segment)
            pending.keys += 1 + len(keys)
            log.debug("item %d: vectors moved to index segment %s", item_id, segment)

    def _publish(self, pending: _Pending) -> None:
        for family, segment in sorted(set(pending.upserts) | set(pending.removals)):
            self.index.update(
                family,
                segment,
                pending.upserts.get((family, segment), {}),
                pending.removals.get((family, segment), set()),
            )

    @staticmethod
    def _progress(done: int, total: int, started: float, doc: Document | None) -> EmbedProgress:
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 and done else 0.0
        eta = (total - done) / rate if rate else None
        current = doc.text.split("\n", 1)[0] if doc else None
        return EmbedProgress(done, total, rate, eta, current)


def _drop_elsewhere(
    pending: _Pending, family: str, keys: set[int], held: dict[int, str], segment: str
) -> None:
    """Remove `keys` from the segments other than `segment` that hold them."""
    for key in keys:
        where = held.get(key)
        if where is not None and where != segment:
            pending.removals[(family, where)].add(key)


def _chunk_numbers(count: int) -> range:
    """The chunk numbers an item with `count` chunks has in the chunk family."""
    return range(0, 1) if count <= 1 else range(1, count + 1)


def _batches(rows: list[tuple[int, int]], size: int) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
