"""Cold start: a profile with no plays, likes or interests yet.

Nothing is known about the person, so the row should cover the library's range and lead with
what many people liked. Items are grouped into topic clusters (spherical k-means on the item
vectors, seeded deterministically); each cluster is ordered by a quality prior — the vote
share (as in For you) plus the rating shrunk toward the library's mean — and the row takes
clusters' best items in turn, strongest cluster first.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import CatalogView, IntArray
from engine.recommend.evidence import thin
from engine.recommend.ranking import Filters, allowed, title_of, votes_reason
from engine.recommend.reasons import Reason
from engine.recommend.rows import ROW_SIZE, Context, Row, RowItem
from engine.recommend.state import ProfileState
from engine.recommend.strategies import prior_of

CLUSTERS = 12
SAMPLE = 5_000  # k-means fits on at most this many items; the rest are assigned afterwards
ITERATIONS = 15
RATING_PSEUDO_VOTES = 50.0  # a rating from few votes is pulled toward the library's mean

_lock = threading.Lock()
_clusters: dict[tuple[int, tuple[object, ...]], IntArray] = {}

COLD_TITLE = "Popular picks to start with"
EXPLORE_TITLE = "Explore your library"


def quality(view: CatalogView) -> npt.NDArray[np.float64]:
    """log vote share plus the rating shrunk toward the mean by RATING_PSEUDO_VOTES."""
    prior = prior_of(view, None)
    rating = view.rating.astype(np.float64)
    votes = np.nan_to_num(view.votes.astype(np.float64), nan=0.0)
    known = ~np.isnan(rating)
    if not known.any():
        return prior
    mean = float(np.average(rating[known], weights=votes[known] + 1.0))
    shrunk = (np.nan_to_num(rating, nan=mean) * votes + mean * RATING_PSEUDO_VOTES) / (
        votes + RATING_PSEUDO_VOTES
    )
    # Two rating points above the mean weigh like e times the votes.
    return np.asarray(prior + (shrunk - mean) / 2.0)


def clusters_of(view: CatalogView) -> IntArray:
    """Cluster of every row (-1 for rows without a vector); cached per view."""
    key = (id(view), view.signature)
    with _lock:
        found = _clusters.get(key)
    if found is not None:
        return found
    labels = np.full(len(view), -1, dtype=np.int64)
    rows = np.flatnonzero(view.has_vector)
    if len(rows):
        rng = np.random.default_rng(0)
        sample = rows if len(rows) <= SAMPLE else np.sort(rng.choice(rows, SAMPLE, replace=False))
        data = view.vectors_at(sample)
        k = min(CLUSTERS, len(sample))
        centres = _kmeans(data, k, rng)
        for start in range(0, len(rows), 20_000):
            part = rows[start : start + 20_000]
            labels[part] = np.argmax(view.vectors_at(part) @ centres.T, axis=1)
    with _lock:
        _clusters.clear()
        _clusters[key] = labels
    return labels


def _kmeans(
    data: npt.NDArray[np.float32], k: int, rng: np.random.Generator
) -> npt.NDArray[np.float32]:
    # k-means++ seeding (Arthur & Vassilvitskii 2007) on cosine distance.
    centres = [data[int(rng.integers(len(data)))]]
    for _ in range(1, k):
        dist = 1.0 - np.max(data @ np.stack(centres).T, axis=1)
        dist = np.clip(dist, 0.0, None).astype(np.float64)
        total = dist.sum()
        pick = (
            int(rng.choice(len(data), p=dist / total))
            if total > 0
            else int(rng.integers(len(data)))
        )
        centres.append(data[pick])
    matrix = np.stack(centres)
    for _ in range(ITERATIONS):
        labels = np.argmax(data @ matrix.T, axis=1)
        for c in range(k):
            members = data[labels == c]
            if len(members):
                mean = members.sum(axis=0)
                matrix[c] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return matrix


def cold_start(
    ctx: Context,
    state: ProfileState,
    filters: Filters | None = None,
    *,
    explore: bool = False,
) -> Row:
    """Topic-spread picks by quality. With `explore`, the same picks for a profile whose own
    rows found nothing with evidence: offered as the library, not as a personal pick."""
    kind, title = ("explore", EXPLORE_TITLE) if explore else ("for-you", COLD_TITLE)
    heading = kind if explore else "popular"
    view = ctx.view
    # Nothing is known about the person: items that say nothing about themselves (thin) have
    # no claim to a place; rows assembled before this one keep theirs.
    mask = allowed(view, state, filters, extra=ctx.shown) & ~thin(view)
    if state.languages:
        wanted = [view.languages.index(x) for x in state.languages if x in view.languages]
        if wanted:
            mask &= np.isin(view.language, np.asarray(wanted, dtype=np.int32)) | (view.language < 0)
    score = quality(view)
    labels = clusters_of(view)
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return Row(kind, title, (), heading=heading)
    queues: dict[int, list[int]] = {}
    for row in rows[np.lexsort((rows, -score[rows]))].tolist():
        queues.setdefault(int(labels[row]), []).append(row)
    order = sorted(queues, key=lambda c: (-score[queues[c][0]], c))
    picked: list[int] = []
    while len(picked) < ROW_SIZE and any(queues[c] for c in order):
        for c in order:
            if queues[c] and len(picked) < ROW_SIZE:
                picked.append(queues[c].pop(0))
    items = []
    for row in picked:
        if explore:
            reason = Reason("explore")
        else:
            reason = votes_reason(view, row, "start_popular") or Reason("start")
        items.append(RowItem(int(view.ids[row]), title_of(view, row), float(score[row]), reason))
    return Row(kind, title, tuple(items), heading=heading)
