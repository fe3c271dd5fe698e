"""The façade's searches: items (`Library.search`) and passages (`Library.search_passages`)
as result rows, and the query vectors they share.

The Search page asks for both with the same words, on two worker threads; embedding the query
is most of a search's time, so each text is embedded once per model and the vector reused. No
numpy import here: the window imports the façade before its first paint.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from engine.store import Catalog, Database
from engine.store.search_sql import SearchFilters, SearchSql

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from engine.embed.active import ActiveModel
    from engine.embed.embedder import Embedder
    from engine.embed.snapshot import Snapshot

    # The model and its index's snapshot taken together (`Models.view`); None before it loads.
    ModelView = tuple[ActiveModel, Snapshot] | None

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


def search_items(
    database: Database,
    view: ModelView,
    queries: QueryVectors,
    text: str,
    k: int,
    filters: SearchFilters | None,
    *,
    more: bool,
) -> list[dict[str, Any]]:
    """`Library.search`: keyword evidence alone while the model (`view`) is not loaded."""
    from engine.embed.model_catalog import similarity_scale
    from engine.recommend.search import DEFAULT, search

    active, snapshot = view if view is not None else (None, None)
    vector = queries.vector(active.embedder, text) if active is not None and text.strip() else None
    tuning = DEFAULT.on_scale(similarity_scale(active.embedder.model_id)) if active else DEFAULT
    hits = search(
        SearchSql(database.db),
        text,
        k,
        filters,
        vector,
        (lambda q, n: snapshot.search("chunks", q, n)) if snapshot is not None else None,
        more=more,
        tuning=tuning,
    )
    cat = Catalog(database.db)
    results = []
    for hit in hits:
        item = cat.item(hit.item_id)
        if item is not None:
            item.update(
                score=hit.score,
                similarity=hit.similarity,
                keyword=hit.keyword,
                chunk=hit.chunk,
                match=hit.match,
                terms=list(hit.terms),
            )
            results.append(item)
    return results


def search_passages(
    database: Database,
    view: ModelView,
    queries: QueryVectors,
    text: str,
    k: int,
    filters: SearchFilters | None,
) -> list[dict[str, Any]]:
    """`Library.search_passages`: nothing until the model is loaded."""
    from engine.embed.model_catalog import similarity_scale
    from engine.recommend.passages import MIN_SCORE, query_words, word_spans
    from engine.recommend.passages import search_passages as find
    from engine.store.passages import PassageStore

    if view is None or not text.strip():
        return []
    active, snapshot = view
    if not snapshot.count("passages"):
        return []
    store = PassageStore(database.db)
    model_id = active.embedder.model_id
    scale = similarity_scale(model_id)
    hits = find(
        SearchSql(database.db),
        store,
        text,
        queries.vector(active.embedder, text),
        lambda q, n: snapshot.search("passages", q, n),
        lambda keys: store.family_vectors(model_id, keys),
        k,
        filters,
        min_score=scale.threshold(MIN_SCORE),
    )
    cat = Catalog(database.db)
    words = query_words(text)
    out = []
    for hit in hits:
        item = cat.item(hit.item_id)
        if item is None:
            continue
        out.append(
            {
                "item": hit.item_id,
                "title": item["title"],
                "show": item.get("show"),
                "kind": item["kind"],
                "passage": hit.text,
                "start_s": round(hit.start_s, 3),
                "passage_start_s": round(hit.passage_start_s, 3),
                "end_s": round(hit.end_s, 3),
                "source": hit.source,
                "similarity": hit.similarity,
                "score": hit.score,
                "matches": word_spans(hit.text, words),  # character spans of query words
            }
        )
    return out
