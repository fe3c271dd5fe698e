"""Hybrid search: the query's embedding against the chunk index, fused with FTS5 keyword
matches by reciprocal-rank fusion (RRF), so exact names and fuzzy topics both find an item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.store.search_sql import SearchFilters, SearchSql
from engine.store.vectors import split_key

RRF_K = 60  # the usual constant: damps the weight of the very top ranks
CANDIDATES = 5  # fetch this many times k from each side, so filters and fusion have room

SemanticSearch = Callable[[np.ndarray, int], list[tuple[int, float]]]


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    score: float  # fused RRF score; higher is better
    similarity: float | None  # best cosine similarity of any chunk, when semantic search ran
    keyword_rank: int | None  # 1-based BM25 rank, when the words matched
    chunk: int | None  # which chunk of a long document matched best (0: the whole item)


def search(
    sql: SearchSql,
    text: str,
    k: int = 10,
    filters: SearchFilters | None = None,
    query_vector: np.ndarray | None = None,
    semantic: SemanticSearch | None = None,
) -> list[SearchHit]:
    """`semantic(vector, n)` returns (chunk key, similarity) best first; without a vector (the
    model is still loading) this is keyword search alone."""
    filters = filters or SearchFilters()
    want = max(k, 1) * CANDIDATES
    keyword = sql.keyword(text, want, filters)

    best: dict[int, tuple[float, int]] = {}  # item -> (similarity, chunk)
    if query_vector is not None and semantic is not None:
        for key, similarity in semantic(query_vector, want * 4):
            item_id, chunk = split_key(key)
            if item_id not in best or similarity > best[item_id][0]:
                best[item_id] = (similarity, chunk)
        allowed = sql.allowed(best, filters)
        best = {i: v for i, v in best.items() if i in allowed}
    semantic_order = sorted(best, key=lambda i: (-best[i][0], i))[:want]

    scores: dict[int, float] = {}
    for rank, item_id in enumerate(semantic_order, 1):
        scores[item_id] = scores.get(item_id, 0.0) + 1.0 / (RRF_K + rank)
    keyword_rank = {item_id: rank for rank, item_id in enumerate(keyword, 1)}
    for item_id, rank in keyword_rank.items():
        scores[item_id] = scores.get(item_id, 0.0) + 1.0 / (RRF_K + rank)

    # Equal scores are common (rank 1 in one list only, on each side); the item whose words
    # matched goes first, because a typed name should find that name.
    ranked = sorted(scores, key=lambda i: (-scores[i], i not in keyword_rank, i))[:k]
    return [
        SearchHit(
            item_id=i,
            score=round(scores[i], 6),
            similarity=round(best[i][0], 4) if i in best else None,
            keyword_rank=keyword_rank.get(i),
            chunk=best[i][1] if i in best else None,
        )
        for i in ranked
    ]
