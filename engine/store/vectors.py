"""Queries on embeddings and on the index generations derived from them.

`vectors` is the source of truth; the usearch files listed in `index_generations` are derived
from it and can always be rebuilt. Like `Catalog`, every method runs on the caller's connection,
so a caller groups writes in one `Database.write()` transaction.

Keys: family "items" uses the item id; family "chunks" packs (item, chunk) into one integer so
one index covers every item exactly once (chunk 0, a single-chunk item) or once per chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.store.passages import PassageStore
from engine.store.vector_rows import (
    FloatArray,
    KeyArray,
    batches,
    blob_rows,
    from_blob,
    pack_key,
    stack_blobs,
    unpack_key,
)

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

# "passages": every word of transcripts, subtitles, lyrics, chapters (engine/store/passages.py)
FAMILIES = ("items", "chunks", "passages")
CHUNK_SLOTS = 1024
MAX_CHUNKS = CHUNK_SLOTS - 1
ORPHAN = "orphan"
BATCH = 4096


def chunk_key(item_id: int, chunk: int) -> int:
    """The "chunks" family key of one chunk (0 for a single-chunk item)."""
    return pack_key(item_id, chunk, CHUNK_SLOTS, "chunk")


def split_key(key: int) -> tuple[int, int]:
    """(item_id, chunk) of a "chunks" family key."""
    return unpack_key(key, CHUNK_SLOTS)


def family_key(family: str, item_id: int, chunk: int) -> int:
    if family == "items":
        return item_id
    if family == "chunks":
        return chunk_key(item_id, chunk)
    raise ValueError(f"unknown index family {family!r}")


def stamp(back: float = 0.0) -> str:
    """Microsecond UTC time `back` seconds ago; compared with embed times to find lost updates."""
    moment = datetime.now(UTC) - timedelta(seconds=back)
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Generation:
    id: int
    model_id: str
    family: str
    segment: str
    file: str
    checksum: str
    size: int
    tombstones: int
    dtype: str
    state: str
    created_at: str


_GEN_COLS = (
    "id, model_id, family, segment, file, checksum, size, tombstones, dtype, state, created_at"
)

# Segment of an item: the root of its lowest-id file, or "orphan" when it has none.
# An item's segment: the root of its first file ("orphan" when it has none).
_SEGMENT_OF_I = (
    "COALESCE('root-' || (SELECT f.root_id FROM files f WHERE f.item_id = i.id "
    "ORDER BY f.id LIMIT 1), 'orphan')"
)
_SEGMENTS_CTE = f" WITH seg AS (SELECT i.id AS item_id, {_SEGMENT_OF_I} AS segment FROM items i) "

# Rows of the "chunks" family: every chunk > 0, plus chunk 0 of items that have no other chunk.
_CHUNKS_FILTER = """
    (v.chunk > 0 OR NOT EXISTS (
        SELECT 1 FROM vectors w
        WHERE w.model_id = v.model_id AND w.item_id = v.item_id AND w.chunk > 0))
"""


def _family_filter(family: str) -> str:
    if family == "items":
        return "v.chunk = 0"
    if family == "chunks":
        return _CHUNKS_FILTER
    raise ValueError(f"unknown index family {family!r}")


class VectorStore:
    """Named queries over one connection. Cheap to make; make one per transaction or thread."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- vectors -----------------------------------------------------------------------------

    def save(self, model_id: str, item_id: int, doc_hash: str, vectors: np.ndarray) -> None:
        """Replace an item's vectors: row 0 the item, rows 1..n its chunks (only when n > 1)."""
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] < 1:
            raise ValueError(f"expected a (1+n, dim) matrix, got shape {matrix.shape}")
        if matrix.shape[0] - 1 > MAX_CHUNKS:
            log.warning(
                "item %d has %d chunks; keeping the first %d",
                item_id,
                matrix.shape[0] - 1,
                MAX_CHUNKS,
            )
            matrix = matrix[: MAX_CHUNKS + 1]
        chunks = matrix.shape[0] - 1
        self._x("DELETE FROM vectors WHERE model_id = ? AND item_id = ?", (model_id, item_id))
        self.db.conn.executemany(
            "INSERT INTO vectors (model_id, item_id, chunk, vector) VALUES (?, ?, ?, ?)",
            blob_rows(model_id, item_id, matrix),
        )
        self._x(
            "INSERT INTO embed_state (model_id, item_id, doc_hash, chunks, embedded_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(model_id, item_id) DO UPDATE SET "
            "doc_hash = excluded.doc_hash, chunks = excluded.chunks, "
            "embedded_at = excluded.embedded_at",
            (model_id, item_id, doc_hash, max(chunks, 1), stamp()),
        )

    def doc_hashes(self, model_id: str, item_ids: Iterable[int] | None = None) -> dict[int, str]:
        """Document hashes embedded for this model: all, or only those of `item_ids` (the
        worker's small batches must not read a 100k-row table for each change)."""
        if item_ids is None:
            rows = self._x(
                "SELECT item_id, doc_hash FROM embed_state WHERE model_id = ?", (model_id,)
            )
            return {int(item_id): str(doc_hash) for item_id, doc_hash in rows}
        out: dict[int, str] = {}
        for batch in batches(item_ids):
            marks = ", ".join("?" for _ in batch)
            rows = self._x(
                "SELECT item_id, doc_hash FROM embed_state WHERE model_id = ? "
                f"AND item_id IN ({marks})",
                (model_id, *batch),
            )
            out.update((int(item_id), str(doc_hash)) for item_id, doc_hash in rows)
        return out

    def item_vectors(
        self, model_id: str, item_ids: Iterable[int] | None = None
    ) -> dict[int, FloatArray]:
        """Each item's own vector (chunk 0)."""
        sql = "SELECT item_id, vector FROM vectors WHERE model_id = ? AND chunk = 0"
        if item_ids is None:
            rows: Iterable[tuple[Any, ...]] = self._x(sql, (model_id,))
        else:
            rows = (
                row
                for batch in batches(item_ids)
                for row in self._x(
                    f"{sql} AND item_id IN ({', '.join('?' for _ in batch)})",
                    (model_id, *batch),
                )
            )
        return {int(item_id): from_blob(blob) for item_id, blob in rows}

    def models(self) -> set[str]:
        rows = self._x("SELECT model_id FROM embed_state UNION SELECT model_id FROM vectors")
        return {str(row[0]) for row in rows}

    def delete_model(self, model_id: str) -> None:
        """Forget a model's vectors; its index files become retired and are deleted later."""
        self._x("DELETE FROM vectors WHERE model_id = ?", (model_id,))
        self._x("DELETE FROM embed_state WHERE model_id = ?", (model_id,))
        PassageStore(self.db).delete_model(model_id)
        self._x(
            "UPDATE index_generations SET state = 'retired' "
            "WHERE model_id = ? AND state = 'published'",
            (model_id,),
        )

    def embedded_since(self, model_id: str, since: str, family: str = "items") -> set[int]:
        """Items (re-)embedded at or after `since`: an index generation from then may lack them."""
        if family == "passages":
            return PassageStore(self.db).embedded_since(model_id, since)
        rows = self._x(
            "SELECT item_id FROM embed_state WHERE model_id = ? AND embedded_at >= ?",
            (model_id, since),
        )
        return {int(row[0]) for row in rows}

    # --- segments and families ---------------------------------------------------------------

    def segment_of_items(self, item_ids: Iterable[int] | None = None) -> dict[int, str]:
        """item id -> segment: for every item, or only for `item_ids`."""
        if item_ids is None:
            rows = self._x(_SEGMENTS_CTE + " SELECT item_id, segment FROM seg")
            return {int(item_id): str(segment) for item_id, segment in rows}
        out: dict[int, str] = {}
        for batch in batches(item_ids):
            marks = ", ".join("?" for _ in batch)
            rows = self._x(
                f"SELECT i.id, {_SEGMENT_OF_I} FROM items i WHERE i.id IN ({marks})",
                batch,
            )
            out.update((int(item_id), str(segment)) for item_id, segment in rows)
        return out

    def segments(self, model_id: str) -> set[str]:
        """Segments holding at least one vector of this model."""
        rows = self._x(
            _SEGMENTS_CTE + " SELECT DISTINCT seg.segment FROM seg "
            "JOIN vectors v ON v.item_id = seg.item_id WHERE v.model_id = ? AND v.chunk = 0",
            (model_id,),
        )
        return {str(row[0]) for row in rows}

    def family_count(self, model_id: str, family: str) -> int:
        if family == "passages":
            return PassageStore(self.db).family_count(model_id)
        row = self._x(
            f"SELECT count(*) FROM vectors v WHERE v.model_id = ? AND {_family_filter(family)}",
            (model_id,),
        ).fetchone()
        return int(row[0])

    def family_keys(self, model_id: str, family: str) -> dict[str, KeyArray]:
        """Every key of a family, grouped by segment."""
        if family == "passages":
            return PassageStore(self.db).family_keys(model_id, _SEGMENTS_CTE)
        rows = self._x(
            _SEGMENTS_CTE + " SELECT seg.segment, v.item_id, v.chunk FROM vectors v "
            "JOIN seg ON seg.item_id = v.item_id "
            f"WHERE v.model_id = ? AND {_family_filter(family)}",
            (model_id,),
        )
        grouped: dict[str, list[int]] = {}
        for segment, item_id, chunk in rows:
            grouped.setdefault(str(segment), []).append(family_key(family, item_id, chunk))
        return {seg: np.array(keys, dtype=np.uint64) for seg, keys in grouped.items()}

    def iter_family(
        self, model_id: str, family: str, segment: str, batch: int = BATCH
    ) -> Iterator[tuple[KeyArray, FloatArray]]:
        """A segment's keys and vectors from SQLite, `batch` rows at a time."""
        if family == "passages":
            yield from PassageStore(self.db).iter_family(model_id, segment, _SEGMENTS_CTE, batch)
            return
        cursor = self._x(
            _SEGMENTS_CTE + " SELECT v.item_id, v.chunk, v.vector FROM vectors v "
            "JOIN seg ON seg.item_id = v.item_id "
            f"WHERE v.model_id = ? AND seg.segment = ? AND {_family_filter(family)} "
            "ORDER BY v.item_id, v.chunk",
            (model_id, segment),
        )
        while rows := cursor.fetchmany(batch):
            yield _keys_and_matrix(family, rows)

    def family_vectors(
        self, model_id: str, family: str, keys: Iterable[int]
    ) -> dict[int, FloatArray]:
        """Vectors of the given family keys (absent keys are left out)."""
        wanted = [int(k) for k in keys]
        if family == "items":
            return self.item_vectors(model_id, wanted)
        if family == "passages":
            return PassageStore(self.db).family_vectors(model_id, wanted)
        found: dict[int, FloatArray] = {}
        by_item: dict[int, list[int]] = {}
        for key in wanted:
            item_id, chunk = split_key(key)
            by_item.setdefault(item_id, []).append(chunk)
        for batch in batches(by_item):
            rows = self._x(
                "SELECT item_id, chunk, vector FROM vectors WHERE model_id = ? "
                f"AND item_id IN ({', '.join('?' for _ in batch)})",
                (model_id, *batch),
            )
            fetched = rows.fetchall()
            chunked = {item_id for item_id, chunk, _ in fetched if chunk > 0}
            for item_id, chunk, blob in fetched:
                # Chunk 0 belongs to the family only for items that have no other chunk.
                if chunk in by_item[item_id] and (chunk > 0 or item_id not in chunked):
                    found[chunk_key(item_id, chunk)] = from_blob(blob)
        return found

    # --- index generations -------------------------------------------------------------------

    def published(self, model_id: str) -> list[Generation]:
        rows = self._x(
            f"SELECT {_GEN_COLS} FROM index_generations WHERE model_id = ? "
            "AND state = 'published' ORDER BY family, segment",
            (model_id,),
        )
        return [Generation(*row) for row in rows]

    def published_files(self) -> set[str]:
        """Files of every model's published generations: never to be deleted."""
        rows = self._x("SELECT file FROM index_generations WHERE state = 'published'")
        return {str(row[0]) for row in rows}

    def max_generation_id(self) -> int:
        return int(self._x("SELECT coalesce(max(id), 0) FROM index_generations").fetchone()[0])

    def publish(
        self,
        model_id: str,
        family: str,
        segment: str,
        file: str,
        checksum: str,
        size: int,
        tombstones: int,
        dtype: str,
        *,
        as_of: str | None = None,
    ) -> Generation:
        """Make `file` the published generation of its segment, retiring the previous one.

        Run inside `Database.write()` so the retire and the insert land together. `as_of`
        (stored as created_at, default now) is when the file's content was known to match
        SQLite: items embedded since then are the ones to re-check after a crash.
        """
        self._x(
            "UPDATE index_generations SET state = 'retired' WHERE model_id = ? AND family = ? "
            "AND segment = ? AND state = 'published'",
            (model_id, family, segment),
        )
        created = as_of or stamp()
        cur = self._x(
            "INSERT INTO index_generations (model_id, family, segment, file, checksum, size, "
            "tombstones, dtype, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'published', ?)",
            (model_id, family, segment, file, checksum, size, tombstones, dtype, created),
        )
        return Generation(
            id=int(cur.lastrowid or 0),
            model_id=model_id,
            family=family,
            segment=segment,
            file=file,
            checksum=checksum,
            size=size,
            tombstones=tombstones,
            dtype=dtype,
            state="published",
            created_at=created,
        )

    def mark_verified(self, generation_id: int, as_of: str) -> None:
        """Record that a published generation was checked against SQLite as of `as_of`."""
        self._x(
            "UPDATE index_generations SET created_at = ? WHERE id = ? AND created_at < ?",
            (as_of, generation_id, as_of),
        )

    def retire(self, generation_id: int) -> None:
        """Unpublish a generation without a successor (its segment became empty)."""
        self._x("UPDATE index_generations SET state = 'retired' WHERE id = ?", (generation_id,))

    def retired_files(self) -> list[str]:
        """Files of retired generations that no published generation still uses."""
        rows = self._x(
            "SELECT DISTINCT file FROM index_generations WHERE state = 'retired' "
            "AND file NOT IN (SELECT file FROM index_generations WHERE state = 'published') "
            "ORDER BY file"
        )
        return [str(row[0]) for row in rows]

    def retired_generations(self, file: str) -> list[int]:
        rows = self._x(
            "SELECT id FROM index_generations WHERE state = 'retired' AND file = ?", (file,)
        )
        return [int(row[0]) for row in rows]

    def forget_generation(self, generation_id: int) -> None:
        """Drop a retired generation's row once its file is gone."""
        self._x(
            "DELETE FROM index_generations WHERE id = ? AND state = 'retired'", (generation_id,)
        )


def _keys_and_matrix(family: str, rows: list[tuple[Any, ...]]) -> tuple[KeyArray, FloatArray]:
    keys = np.fromiter(
        (family_key(family, item_id, chunk) for item_id, chunk, _ in rows),
        dtype=np.uint64,
        count=len(rows),
    )
    matrix = stack_blobs([blob for _, _, blob in rows])
    return keys, matrix
