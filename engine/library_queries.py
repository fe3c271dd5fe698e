"""The query vectors the façade's searches share.

The Search page asks for items (`Library.search`) and for passages (`Library.search_passages`)
for the same words, on two worker threads; embedding the query is most of a search's time, so
each text is embedded once per model and the vector reused. No numpy import here: the window
imports the façade before its first paint.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from engine.embed.embedder import Embedder

QUERY_CACHE_SIZE = 16  # a few searches typed in a row; each vector is 1.5 KB at 384 dims


class QueryVectors:
    """The last few (model id, text) → vector, thread-safe; forgotten when the model changes."""

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._vectors: OrderedDict[tuple[str, str], npt.NDArray[np.float32]] = OrderedDict()
        # Texts being embedded now, so a second thread asking for the same one waits for it
        # instead of embedding it again (the page starts both searches at once).
        self._pending: dict[tuple[str, str], threading.Event] = {}

    def vector(self, embedder: Embedder, text: str) -> npt.NDArray[np.float32]:
        key = (embedder.model_id, text)
        while True:
            with self._lock:
                if embedder is not self._embedder:  # another model: its vectors do not compare
                    self._embedder = embedder
                    self._vectors.clear()
                found = self._vectors.get(key)
                if found is not None:
                    self._vectors.move_to_end(key)
                    return found
                waiting = self._pending.get(key)
                if waiting is None:
                    done = self._pending[key] = threading.Event()
                    break
            waiting.wait()  # then look again: the other thread's vector, or its failure
        try:
            vector: npt.NDArray[np.float32] = embedder.embed([text])[0]
            vector.setflags(write=False)  # shared by every caller: nobody may change it
            with self._lock:
                if embedder is self._embedder:
                    self._vectors[key] = vector
                    while len(self._vectors) > self._size:
                        self._vectors.popitem(last=False)
            return vector
        finally:
            with self._lock:
                self._pending.pop(key, None)
            done.set()

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
            self._embedder = None
