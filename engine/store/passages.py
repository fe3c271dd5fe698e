"""Passages: every word of an item's transcript, subtitles, lyrics and chapter titles, with times.

`passages` holds the text (written by the scanner when it reads the item's files); the vectors
of a model live in `passage_vectors`, with `passage_state` recording which passage hash they
were made from, so a changed transcript re-embeds that item's passages and nothing else. The
"passages" index family (see vectors.py) is derived from `passage_vectors`.

Keys: (item, passage n) pack into one integer, item id × PASSAGE_SLOTS + n.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from engine.store import cjk
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

PASSAGE_VERSION = "reelcast-passages-1"
PASSAGE_SLOTS = 1 << 16


class _Connected(Protocol):
    """sqlite-utils' Database or the store's plain reader: anything with a `conn`."""

    @property
    def conn(self) -> sqlite3.Connection: ...


class PassageLike(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def marks(self) -> tuple[tuple[int, float], ...]: ...


@dataclass(frozen=True)
class StoredPassage:
    item_id: int
    n: int
    start_s: float
    end_s: float
    source: str
    text: str
    marks: tuple[tuple[int, float], ...]


def passage_key(item_id: int, n: int) -> int:
    return pack_key(item_id, n, PASSAGE_SLOTS, "passage")


def split_passage_key(key: int) -> tuple[int, int]:
    return unpack_key(key, PASSAGE_SLOTS)


def passages_hash(texts: Sequence[str]) -> str:
    """BLAKE2b over PASSAGE_VERSION and the passage texts (what gets embedded)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(PASSAGE_VERSION.encode())
    for text in texts:
        data = text.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _row(row: Sequence[Any]) -> StoredPassage:
    marks = tuple((int(o), float(s)) for o, s in json.loads(row[6] or "[]"))
    return StoredPassage(
        int(row[0]), int(row[1]), float(row[2]), float(row[3]), str(row[4]), str(row[5]), marks
    )


_COLS = "item_id, n, start_s, end_s, source, text, marks"


class PassageStore:
    """Named queries over one connection, like `Catalog` and `VectorStore`."""

    def __init__(self, db: _Connected) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- text ----------------------------------------------------------------------------------

    def replace(self, item_id: int, passages: Iterable[PassageLike]) -> bool:
        """Make these the item's passages (in order, capped at PASSAGE_SLOTS); True when they
        differ from what was stored."""
        rows = [
            (item_id, n, float(p.start), float(p.end), p.source, p.text, json.dumps(p.marks))
            for n, p in enumerate(passages)
            if n < PASSAGE_SLOTS
        ]
        old = self._x(
            f"SELECT {_COLS} FROM passages WHERE item_id = ? ORDER BY n", (item_id,)
        ).fetchall()
        if [tuple(r) for r in old] == rows:
            return False
        self._x("DELETE FROM passages WHERE item_id = ?", (item_id,))
        self.db.conn.executemany(
            f"INSERT INTO passages ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows
        )
        return True

    def of_item(self, item_id: int) -> list[StoredPassage]:
        rows = self._x(f"SELECT {_COLS} FROM passages WHERE item_id = ? ORDER BY n", (item_id,))
        return [_row(r) for r in rows]

    def of_items(self, item_ids: Iterable[int]) -> dict[int, list[StoredPassage]]:
        out: dict[int, list[StoredPassage]] = {}
        for batch in batches(item_ids):
            marks = ", ".join("?" for _ in batch)
            rows = self._x(
                f"SELECT {_COLS} FROM passages WHERE item_id IN ({marks}) ORDER BY item_id, n",
                batch,
            )
            for r in rows:
                p = _row(r)
                out.setdefault(p.item_id, []).append(p)
        return out

    def by_keys(self, keys: Iterable[int]) -> dict[int, StoredPassage]:
        """Passages of these family keys (absent ones left out)."""
        out: dict[int, StoredPassage] = {}
        for key in keys:
            item_id, n = split_passage_key(key)
            row = self._x(
                f"SELECT {_COLS} FROM passages WHERE item_id = ? AND n = ?", (item_id, n)
            ).fetchone()
            if row is not None:
                out[int(key)] = _row(row)
        return out

    def keyword(self, words: Sequence[str], limit: int) -> list[int]:
        """Keys of the passages holding any of `words`, best BM25 first (words are quoted, so
        nothing a user types is read as an FTS5 operator)."""
        terms = [w.replace('"', '""') for w in words if w.strip()]
        if not terms or limit <= 0:
            return []
        query = " OR ".join(cjk.phrase(t) for t in terms)  # Chinese pairs as phrases
        rows = self._x(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [int(r[0]) for r in rows]

    def count(self) -> int:
        return int(self._x("SELECT count(*) FROM passages").fetchone()[0])

    # --- vectors -------------------------------------------------------------------------------

    def hashes(self, model_id: str, item_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """(hash, passage count) the item's passage vectors were made from."""
        out: dict[int, tuple[str, int]] = {}
        for batch in batches(item_ids):
            marks = ", ".join("?" for _ in batch)
            rows = self._x(
                "SELECT item_id, passages_hash, count FROM passage_state WHERE model_id = ? "
                f"AND item_id IN ({marks})",
                (model_id, *batch),
            )
            out.update((int(i), (str(h), int(c))) for i, h, c in rows)
        return out

    def unembedded(self, model_id: str) -> list[int]:
        """Items with passage texts and no passage vectors for this model: texts written while
        the item's document was not re-embedded (a library read again for passages, or a pass
        stopped between an item's document and its passages)."""
        rows = self._x(
            "SELECT i.id FROM items i "
            "WHERE EXISTS (SELECT 1 FROM passages p WHERE p.item_id = i.id) "
            "AND NOT EXISTS (SELECT 1 FROM passage_state s WHERE s.model_id = ? "
            "AND s.item_id = i.id) ORDER BY i.id",
            (model_id,),
        )
        return [int(row[0]) for row in rows]

    def save_vectors(
        self, model_id: str, item_id: int, digest: str, vectors: npt.NDArray[Any], stamp: str
    ) -> None:
        """Replace an item's passage vectors (row n = passage n)."""
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        self._x(
            "DELETE FROM passage_vectors WHERE model_id = ? AND item_id = ?", (model_id, item_id)
        )
        self.db.conn.executemany(
            "INSERT INTO passage_vectors (model_id, item_id, n, vector) VALUES (?, ?, ?, ?)",
            blob_rows(model_id, item_id, matrix),
        )
        self._x(
            "INSERT INTO passage_state (model_id, item_id, passages_hash, count, embedded_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(model_id, item_id) DO UPDATE SET "
            "passages_hash = excluded.passages_hash, count = excluded.count, "
            "embedded_at = excluded.embedded_at",
            (model_id, item_id, digest, len(matrix), stamp),
        )

    def delete_model(self, model_id: str) -> None:
        self._x("DELETE FROM passage_vectors WHERE model_id = ?", (model_id,))
        self._x("DELETE FROM passage_state WHERE model_id = ?", (model_id,))

    def embedded_since(self, model_id: str, since: str) -> set[int]:
        rows = self._x(
            "SELECT item_id FROM passage_state WHERE model_id = ? AND embedded_at >= ?",
            (model_id, since),
        )
        return {int(row[0]) for row in rows}

    # --- the "passages" index family (vectors.py dispatches here) -------------------------------

    def family_count(self, model_id: str) -> int:
        row = self._x("SELECT count(*) FROM passage_vectors WHERE model_id = ?", (model_id,))
        return int(row.fetchone()[0])

    def family_keys(self, model_id: str, segments_cte: str) -> dict[str, KeyArray]:
        rows = self._x(
            segments_cte + " SELECT seg.segment, v.item_id, v.n FROM passage_vectors v "
            "JOIN seg ON seg.item_id = v.item_id WHERE v.model_id = ?",
            (model_id,),
        )
        grouped: dict[str, list[int]] = {}
        for segment, item_id, n in rows:
            grouped.setdefault(str(segment), []).append(passage_key(item_id, n))
        return {seg: np.array(keys, dtype=np.uint64) for seg, keys in grouped.items()}

    def iter_family(
        self, model_id: str, segment: str, segments_cte: str, batch: int
    ) -> Iterator[tuple[KeyArray, FloatArray]]:
        cursor = self._x(
            segments_cte + " SELECT v.item_id, v.n, v.vector FROM passage_vectors v "
            "JOIN seg ON seg.item_id = v.item_id WHERE v.model_id = ? AND seg.segment = ? "
            "ORDER BY v.item_id, v.n",
            (model_id, segment),
        )
        while rows := cursor.fetchmany(batch):
            keys = np.fromiter(
                (passage_key(i, n) for i, n, _ in rows), dtype=np.uint64, count=len(rows)
            )
            matrix = stack_blobs([blob for _, _, blob in rows])
            yield keys, matrix

    def family_vectors(self, model_id: str, keys: Iterable[int]) -> dict[int, FloatArray]:
        by_item: dict[int, set[int]] = {}
        for key in keys:
            item_id, n = split_passage_key(key)
            by_item.setdefault(item_id, set()).add(n)
        found: dict[int, FloatArray] = {}
        for batch in batches(by_item):
            rows = self._x(
                "SELECT item_id, n, vector FROM passage_vectors WHERE model_id = ? "
                f"AND item_id IN ({', '.join('?' for _ in batch)})",
                (model_id, *batch),
            )
            for item_id, n, blob in rows:
                if n in by_item[item_id]:
                    found[passage_key(item_id, n)] = from_blob(blob)
        return found
