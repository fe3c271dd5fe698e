"""Tokenise once, then batch by token length: the work the model does is the work it needs.

A transformer's cost is batch rows × padded length. Texts in arrival order pad every short
text to its batch's longest; sorted by their real token counts (not characters), each batch's
rows are nearly the same length and padding is close to none. The texts are tokenised once,
with the Rust `tokenizers` library, outside the model call: the same encodings give the
lengths to sort by and the model's inputs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Ids = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Batch:
    """Rows `rows` of the input, padded to their longest: ready for the model."""

    rows: list[int]
    input_ids: Ids
    attention_mask: Ids
    token_type_ids: Ids

    @property
    def padded_tokens(self) -> int:
        return int(self.input_ids.size)

    @property
    def real_tokens(self) -> int:
        return int(self.attention_mask.sum())


def length_batches(
    encodings: Sequence[Any], batch_size: int, pad_id: int, token_budget: int | None = None
) -> Iterator[Batch]:
    """`encodings` (tokenizers' Encoding, unpadded) in batches of similar length.

    Longest first, so a batch that would run out of memory does so at once. A batch holds at
    most `batch_size` rows and, when `token_budget` is set, at most that many padded tokens
    (one row at least): long texts then go in smaller batches, whose activations stay in the
    cores' caches (onnx_embedder.BATCH_TOKENS says what that was worth)."""
    lengths = [len(e.ids) for e in encodings]
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    at = 0
    while at < len(order):
        longest = max(lengths[order[at]], 1)
        rows_cap = batch_size
        if token_budget is not None:
            rows_cap = max(1, min(batch_size, token_budget // longest))
        rows = order[at : at + rows_cap]
        at += len(rows)
        yield _padded(encodings, rows, longest, pad_id)


def _padded(encodings: Sequence[Any], rows: list[int], width: int, pad_id: int) -> Batch:
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    types = np.zeros((len(rows), width), dtype=np.int64)
    for r, index in enumerate(rows):
        encoding = encodings[index]
        n = len(encoding.ids)
        ids[r, :n] = encoding.ids
        mask[r, :n] = encoding.attention_mask
        types[r, :n] = encoding.type_ids
    return Batch(rows, ids, mask, types)


def physical_cores() -> int:
    """Physical cores this process may run on (hyper-threads share one core's arithmetic units,
    so a matrix-multiplying thread per hyper-thread only adds contention)."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        allowed = []
    cores: set[str] = set()
    for cpu in allowed:
        siblings = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list")
        try:
            cores.add(siblings.read_text().strip())
        except OSError:
            cores.add(str(cpu))
    if cores:
        return len(cores)
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        count = psutil.cpu_count(logical=False)
        if count:
            return int(count)
    except ImportError:
        pass
    # Without topology, assume two hyper-threads per core on a machine with more than 2.
    logical = os.cpu_count() or 1
    return logical if logical <= 2 else logical // 2
