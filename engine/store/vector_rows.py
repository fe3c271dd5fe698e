"""How vectors sit in SQLite, for both vector tables (`vectors`, vectors.py; `passage_vectors`,
passages.py): float32 blobs, (item, n) packed into one index key, and item ids in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

# Well under SQLite's bound-parameter limit on every build we ship against.
IN_BATCH = 500

FloatArray = npt.NDArray[np.float32]
KeyArray = npt.NDArray[np.uint64]


def batches(values: Iterable[int], size: int = IN_BATCH) -> Iterator[list[int]]:
    """`values` in lists of at most `size`, for `IN (?, ...)` queries."""
    batch: list[int] = []
    for value in values:
        batch.append(int(value))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def from_blob(blob: bytes) -> FloatArray:
    """A stored vector (read-only: it shares the blob's memory)."""
    return np.frombuffer(blob, dtype=np.float32)


def stack_blobs(blobs: Sequence[bytes]) -> FloatArray:
    """Stored vectors as the rows of one matrix."""
    return np.vstack([from_blob(blob) for blob in blobs])


def blob_rows(
    model_id: str, item_id: int, matrix: FloatArray
) -> Iterator[tuple[str, int, int, bytes]]:
    """(model, item, n, blob) for row n of an item's float32 matrix, as the tables store them."""
    return ((model_id, item_id, n, row.tobytes()) for n, row in enumerate(matrix))


def pack_key(item_id: int, n: int, slots: int, what: str) -> int:
    """One integer for (item, n): item × slots + n; `what` names n in the error."""
    if not 0 <= n < slots:
        raise ValueError(f"{what} {n} out of range 0..{slots - 1}")
    return item_id * slots + n


def unpack_key(key: int, slots: int) -> tuple[int, int]:
    """(item, n) of a key `pack_key` made."""
    item_id, n = divmod(int(key), slots)
    return item_id, n
