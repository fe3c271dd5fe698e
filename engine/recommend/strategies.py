"""Scoring strategies: For you, Because you watched, Profiles like yours, More like this.

For you is a product of experts: each signal is a (smoothed) probability that this profile
plays an item next, and the score is the sum of their logarithms, so no signal needs a
hand-picked weight. The signals, all over the profile's last `WINDOW` plays weighted by
`exp(-age / DECAY)` (age 0 = the latest play):

* content  — kernel density of the item's vector around the recent plays' vectors:
  mean of exp((cos - 1) / TEMPERATURE). A soft max: one very close recent item counts, and
  unlike a plain average of the history the profile never washes out.
* era      — kernel density of the item's year around the recent plays' years (Laplace,
  scale `ERA_SCALE` years): people watch in periods.
* genre    — overlap of the item's genres with the recent plays' genre distribution.
* language, kind — the share of recent plays in the item's language / kind (declared
  profile languages count as plays).
* prior    — how popular the item is: household play counts, Dirichlet-smoothed by the
  catalogue's NFO vote counts worth `PRIOR_STRENGTH` plays (with no other profiles this is just
  the vote share).
* co-watch — item-to-item cosine over the other local profiles' plays (item-kNN).
* profiles — what the most similar other profiles watched (user-kNN).
* transition — what the other profiles played right after the seeds: for each seed, the plays
  that followed it in each other profile's history, weighted by the same `exp(-steps / DECAY)`
  as the profile's own plays (sequences, not only co-occurrence).
* dislikes and "not interested" subtract a kernel around those items.

Every function is pure and vectorised over candidate rows of a `CatalogView`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import CatalogView, FloatArray, IntArray
from engine.recommend.household import Household as Household  # re-exported for rows
from engine.recommend.household import history_rows
from engine.recommend.ranking import best_k
from engine.recommend.state import ProfileState

WINDOW = 10  # recent plays that seed the profile
DECAY = 3.0  # plays; the weight of a play halves about every two newer plays
TEMPERATURE = 0.1  # cosine kernel width: 0.1 lower similarity costs a factor e
ERA_SCALE = 5.0  # years
SHARE_FLOOR = 0.05  # smoothing for genre / language / kind shares
PRIOR_STRENGTH = 1000.0  # the catalogue's vote counts are worth this many household plays
COLLAB_FLOOR = 0.01  # smoothing for the collaborative shares
NEIGHBOURS = 30  # similar profiles consulted
PARTIAL_WEIGHT = 0.5  # an unfinished play says less than a finished one
LIKE_WEIGHT = 2.0
INTERESTS_WEIGHT = 1.0  # the declared interests, as strong as the newest play
NEGATIVE_SCALE = 100.0  # a disliked item's own neighbourhood drops by about log(100)
CANDIDATES_PER_SEED = 100  # large libraries: index neighbours fetched per seed
PRIOR_CANDIDATES = 1_000  # large libraries: most popular items always considered

SIGNALS = (
    "content",
    "era",
    "genre",
    "language",
    "kind",
    "prior",
    "cowatch",
    "profiles",
    "transition",
)
HOUSEHOLD_SIGNALS = frozenset({"cowatch", "profiles", "transition"})  # need other profiles

Neighbours = Callable[[np.ndarray, int], list[tuple[int, float]]]


@dataclass(frozen=True)
class Seeds:
    """The profile's evidence: catalogue rows with weights, and optional extra query vectors."""

    rows: IntArray
    weights: FloatArray
    extra: FloatArray  # (m, dim) query vectors (declared interests), not catalogue items
    extra_weights: FloatArray
    negatives: IntArray

    @property
    def empty(self) -> bool:
        return len(self.rows) == 0 and len(self.extra) == 0


def seeds_of(view: CatalogView, state: ProfileState, interests: FloatArray | None = None) -> Seeds:
    """The last WINDOW plays (finished or not), recency-decayed, plus likes and interests."""
    plays: list[tuple[float, int, bool]] = [(w.at, w.item_id, w.completed) for w in state.watched]
    plays += [(p.at, p.item_id, False) for p in state.in_progress]
    # Oldest first, ties by item id, like the history itself; the latest play of an item wins.
    plays.sort(key=lambda p: (p[0], p[1]))
    latest: dict[int, tuple[float, bool]] = {}
    for at, item_id, completed in plays:
        if view.position(item_id) is not None:
            latest.pop(item_id, None)
            latest[item_id] = (at, completed)
    recent = list(latest.items())[-WINDOW:]
    weights: dict[int, float] = {}
    for age, (item_id, (_at, completed)) in enumerate(reversed(recent)):
        weights[item_id] = math.exp(-age / DECAY) * (1.0 if completed else PARTIAL_WEIGHT)
    oldest = math.exp(-(WINDOW - 1) / DECAY)
    for item_id in sorted(state.likes):
        if view.position(item_id) is not None:
            weights[item_id] = max(weights.get(item_id, oldest), oldest) * LIKE_WEIGHT
    ordered = sorted(weights)
    dim = view.vectors.shape[1]
    extra = np.zeros((0, dim), dtype=np.float32)
    extra_weights = np.zeros(0, dtype=np.float32)
    if interests is not None and interests.shape[-1] == dim:
        extra = np.asarray(interests, dtype=np.float32).reshape(1, dim)
        extra_weights = np.asarray([INTERESTS_WEIGHT], dtype=np.float32)
    negative = sorted(i for i in state.dislikes | state.not_interested if i not in weights)
    return Seeds(
        rows=view.positions(ordered),
        weights=np.asarray([weights[i] for i in ordered], dtype=np.float32),
        extra=extra,
        extra_weights=extra_weights,
        negatives=view.positions(negative),
    )


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Scored:
    """Candidate rows with their total score and each signal's log-score."""

    rows: IntArray
    score: npt.NDArray[np.float64]
    parts: dict[str, npt.NDArray[np.float64]]
    best_seed: IntArray  # catalogue row of the seed that explains the item best, -1 none
    best_sim: FloatArray  # its cosine similarity
    neighbour_rows: list[list[int]] = field(default_factory=list)  # unused unless filled


def _kernel(sims: FloatArray) -> FloatArray:
    kernel: FloatArray = np.exp((sims - 1.0) / TEMPERATURE).astype(np.float32)
    return kernel


def _similarities(view: CatalogView, rows: IntArray, queries: FloatArray) -> FloatArray:
    """(len(queries), len(rows)) cosine similarities; rows without a vector get -1."""
    if len(queries) == 0:
        return np.zeros((0, len(rows)), dtype=np.float32)
    sims = queries @ view.vectors_at(rows).T
    sims[:, ~view.has_vector[rows]] = -1.0
    return np.asarray(sims, dtype=np.float32)


def _share(
    codes: npt.NDArray[np.integer], seed_codes: npt.NDArray[np.integer], weights: FloatArray
) -> npt.NDArray[np.float64]:
    """log(share of the seed weight whose code equals each candidate's code + floor)."""
    total = float(weights.sum())
    if total <= 0:
        return np.zeros(len(codes))
    values, inverse = np.unique(np.concatenate([seed_codes, codes]), return_inverse=True)
    mass = np.bincount(inverse[: len(seed_codes)], weights=weights, minlength=len(values))
    return np.log(mass[inverse[len(seed_codes) :]] / total + SHARE_FLOOR)


def prior_of(view: CatalogView, counts: FloatArray | None) -> npt.NDArray[np.float64]:
    """log P(item) from household play counts smoothed by the catalogue's vote shares."""
    votes = view.votes.astype(np.float64)
    known = ~np.isnan(votes)
    fill = float(np.median(votes[known])) if known.any() else 0.0
    votes = np.where(known, votes, fill) + 1.0
    share = votes / votes.sum()
    plays = counts.astype(np.float64) if counts is not None else 0.0
    return np.asarray(np.log(plays + PRIOR_STRENGTH * share))


def candidates(
    view: CatalogView,
    seeds: Seeds,
    prior: npt.NDArray[np.float64],
    counts: FloatArray | None,
    neighbours: Neighbours | None,
) -> IntArray:
    """Every row for a small library; else index neighbours of the seeds plus popular items."""
    if view.exact or neighbours is None:
        return np.arange(len(view), dtype=np.int64)
    found: set[int] = set()
    queries = list(view.vectors_at(seeds.rows)) + list(seeds.extra)
    for query in queries:
        for item_id, _sim in neighbours(query, CANDIDATES_PER_SEED):
            row = view.position(item_id)
            if row is not None:
                found.add(row)
    found.update(best_k(np.arange(len(prior), dtype=np.int64), prior, PRIOR_CANDIDATES).tolist())
    if counts is not None:
        found.update(np.flatnonzero(counts).tolist())
    return np.asarray(sorted(found), dtype=np.int64)


def for_you(
    view: CatalogView,
    state: ProfileState,
    *,
    interests: FloatArray | None = None,
    household: Household | None = None,
    neighbours: Neighbours | None = None,
    signals: Iterable[str] = SIGNALS,
) -> Scored:
    """Score candidate rows for this profile (exclusions and filters come later)."""
    use = frozenset(signals)
    seeds = seeds_of(view, state, interests)
    others = household.others(state.profile_id) if household is not None else None
    counts = others[1] if others is not None and len(others[2]) else None
    prior_all = prior_of(view, counts if "prior" in use else None)
    rows = candidates(view, seeds, prior_all, counts, neighbours)
    parts: dict[str, npt.NDArray[np.float64]] = {}
    if "prior" in use:
        parts["prior"] = prior_all[rows]
    best_seed = np.full(len(rows), -1, dtype=np.int64)
    best_sim = np.zeros(len(rows), dtype=np.float32)
    w = seeds.weights
    if not seeds.empty:
        sims = _similarities(view, rows, view.vectors_at(seeds.rows))
        extra_sims = seeds.extra @ view.vectors_at(rows).T if len(seeds.extra) else None
        all_sims = sims if extra_sims is None else np.vstack([sims, extra_sims])
        all_w = np.concatenate([w, seeds.extra_weights])
        weighted = all_w[:, None] * _kernel(all_sims)
        if "content" in use:
            parts["content"] = np.log(weighted.sum(axis=0) / all_w.sum() + 1e-12)
        if len(seeds.rows):
            strongest = np.argmax(weighted[: len(seeds.rows)], axis=0)
            best_seed = seeds.rows[strongest]
            best_sim = sims[strongest, np.arange(len(rows))]
    if len(seeds.rows):
        if "era" in use:
            parts["era"] = _era(view, rows, seeds)
        if "genre" in use:
            parts["genre"] = _genre(view, rows, seeds)
        if "kind" in use:
            parts["kind"] = _share(view.kind[rows], view.kind[seeds.rows], w)
    if "language" in use:
        parts["language"] = _language(view, rows, seeds, state.languages)
    if len(seeds.negatives):
        neg = _kernel(_similarities(view, rows, view.vectors_at(seeds.negatives)))
        parts["dislikes"] = -np.log1p(NEGATIVE_SCALE * neg.sum(axis=0).astype(np.float64))
    if others is not None and len(others[2]) and len(seeds.rows):
        matrix, played, _keep = others
        if "cowatch" in use:
            parts["cowatch"] = _cowatch(matrix, played, rows, seeds)
        if "profiles" in use:
            parts["profiles"] = profile_votes(matrix, rows, history_rows(view, state))[0]
        if "transition" in use and household is not None:
            # The same recency kernel as the profile's own plays, over the steps after a seed;
            # smoothed by a uniform pick (1 / catalogue size), so an item nobody played after
            # the seeds costs a constant, not minus infinity.
            follow = household.followers(state.profile_id, seeds.rows, w, DECAY)
            parts["transition"] = np.log(follow[rows] + 1.0 / len(view))
    score = np.zeros(len(rows))
    for name in sorted(parts):
        score += parts[name]
    return Scored(rows, score, parts, best_seed, best_sim)


def _era(view: CatalogView, rows: IntArray, seeds: Seeds) -> npt.NDArray[np.float64]:
    years = view.year[seeds.rows]
    known = ~np.isnan(years)
    if not known.any():
        return np.zeros(len(rows))
    gap = np.abs(view.year[rows][None, :] - years[known][:, None])
    density = (seeds.weights[known][:, None] * np.exp(-gap / ERA_SCALE)).sum(axis=0)
    density /= seeds.weights[known].sum()
    # An item of unknown year is one scale away from the profile's period: neither favoured nor
    # buried.
    density = np.where(np.isnan(density), math.exp(-1.0), density)
    return np.log(density + 1e-3)


def _genre(view: CatalogView, rows: IntArray, seeds: Seeds) -> npt.NDArray[np.float64]:
    seed_genres = view.genres[seeds.rows]
    profile = seeds.weights @ seed_genres
    if profile.sum() <= 0:
        return np.zeros(len(rows))
    profile = profile / seeds.weights.sum()
    item = view.genres[rows]
    n = item.sum(axis=1)
    overlap = (item @ profile) / np.maximum(n, 1.0)
    typical = float(np.median(overlap[n > 0])) if (n > 0).any() else 0.0
    overlap = np.where(n > 0, overlap, typical)
    return np.log(overlap.astype(np.float64) + SHARE_FLOOR)


def _language(
    view: CatalogView, rows: IntArray, seeds: Seeds, declared: Sequence[str]
) -> npt.NDArray[np.float64]:
    codes = [view.languages.index(lang) for lang in declared if lang in view.languages]
    seed_codes = np.concatenate([view.language[seeds.rows], np.asarray(codes, dtype=np.int32)])
    weights = np.concatenate([seeds.weights, np.ones(len(codes), dtype=np.float32)])
    if len(seed_codes) == 0:
        return np.zeros(len(rows))
    return _share(view.language[rows], seed_codes, weights)


def _cowatch(
    matrix: npt.NDArray[np.float32], played: FloatArray, rows: IntArray, seeds: Seeds
) -> npt.NDArray[np.float64]:
    """log(weighted mean item-item cosine between each candidate and the seeds + floor)."""
    seed_cols = matrix[:, seeds.rows]
    co = seed_cols.T @ matrix[:, rows]  # (seeds, candidates) co-play counts
    norm = np.sqrt(np.maximum(played[seeds.rows], 1.0)[:, None] * np.maximum(played[rows], 1.0))
    cosine = co / norm
    mean = (seeds.weights @ cosine) / seeds.weights.sum()
    out: npt.NDArray[np.float64] = np.log(mean.astype(np.float64) + COLLAB_FLOOR)
    return out


def profile_votes(
    matrix: npt.NDArray[np.float32], rows: IntArray, history: IntArray
) -> tuple[npt.NDArray[np.float64], list[int], FloatArray]:
    """User-kNN: log(share of the most similar profiles that played each candidate + floor).

    Also returns the neighbour rows (best first) and their cosine similarities."""
    if len(history) == 0 or matrix.shape[0] == 0:
        return np.zeros(len(rows)), [], np.zeros(0, dtype=np.float32)
    overlap = matrix[:, history].sum(axis=1)
    sizes = matrix.sum(axis=1)
    sims = (overlap / np.sqrt(np.maximum(sizes, 1.0) * len(history))).astype(np.float32)
    order = np.lexsort((np.arange(len(sims)), -sims))[:NEIGHBOURS]
    order = order[sims[order] > 0]
    if len(order) == 0:
        return np.zeros(len(rows)), [], np.zeros(0, dtype=np.float32)
    top = sims[order]
    share = (top @ matrix[np.ix_(order, rows)]) / top.sum()
    return np.log(share.astype(np.float64) + COLLAB_FLOOR), order.tolist(), top


def similar_items(
    view: CatalogView, row: int, k: int, neighbours: Neighbours | None = None
) -> list[tuple[int, float]]:
    """(row, cosine) of the k items nearest to one item, best first, ties by row."""
    if not view.has_vector[row]:
        return []
    query = view.vectors_at(np.asarray([row]))[0]
    if view.exact or neighbours is None:
        sims = _similarities(view, np.arange(len(view), dtype=np.int64), query[None, :])[0]
        sims[row] = -np.inf
        take = min(k, len(view) - 1)
        if take <= 0:
            return []
        order = best_k(np.arange(len(sims), dtype=np.int64), sims, take)
        return [(int(r), float(sims[r])) for r in order if np.isfinite(sims[r])]
    found = []
    for item_id, sim in neighbours(query, k + 1):
        other = view.position(item_id)
        if other is not None and other != row:
            found.append((other, float(sim)))
    return found[:k]
