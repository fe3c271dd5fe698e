"""From scored candidates to a row: exclusions, filters, diversity, reasons.

Order of work: drop what must never be suggested (already watched, dismissed, disliked,
unplayable, snoozed shows), apply the user's filters, take the best `POOL` by score, then pick
greedily by maximal marginal relevance (MMR, Carbonell & Goldstein 1998) with at most
`SHOW_CAP` items of one show. Ties always break by item id, so the same state gives the
same row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import KINDS, BoolArray, CatalogView, IntArray
from engine.recommend.reasons import Reason
from engine.recommend.state import ProfileState

POOL = 50  # MMR looks this far down the ranking (a few rows' worth)
MMR_LAMBDA = 0.9  # relevance vs. novelty; high: diversity only breaks near-ties of look-alikes
SHOW_CAP = 2  # episodes of one show in a row


@dataclass(frozen=True)
class Filters:
    """What the user asked for; empty fields mean no restriction."""

    kinds: tuple[str, ...] = ()
    max_duration: float | None = None  # seconds: "I have 30 minutes"
    languages: tuple[str, ...] = ()
    show_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "kinds": list(self.kinds),
            "max_duration": self.max_duration,
            "languages": list(self.languages),
            "show_id": self.show_id,
        }


@dataclass(frozen=True)
class Pick:
    row: int
    score: float
    reason: Reason


@dataclass
class Exclusions:
    """Item ids a row must not show, beyond what the profile's own state excludes."""

    items: set[int] = field(default_factory=set)


def allowed(
    view: CatalogView,
    state: ProfileState,
    filters: Filters | None = None,
    *,
    keep_in_progress: bool = False,
    extra: Iterable[int] = (),
) -> BoolArray:
    """Mask of rows a recommendation row may show."""
    ok = view.playable.copy()
    banned = set(state.not_interested) | set(state.dislikes) | set(extra)
    banned |= {w.item_id for w in state.watched}
    if not keep_in_progress:
        banned |= {p.item_id for p in state.in_progress}
    ok[view.positions(sorted(banned))] = False
    if state.snoozed_shows:
        ok &= ~np.isin(view.show, np.asarray(sorted(state.snoozed_shows), dtype=np.int64))
    if filters is not None:
        ok &= filter_mask(view, filters)
    return ok


def filter_mask(view: CatalogView, filters: Filters) -> BoolArray:
    ok = np.ones(len(view), dtype=np.bool_)
    if filters.kinds:
        codes = [KINDS.index(k) for k in filters.kinds if k in KINDS]
        ok &= np.isin(view.kind, np.asarray(codes, dtype=np.int8))
    if filters.max_duration is not None:
        # Unknown durations pass: refusing them would hide most podcasts without tags.
        ok &= ~(view.duration > filters.max_duration)
    if filters.languages:
        codes = [view.languages.index(x) for x in filters.languages if x in view.languages]
        ok &= np.isin(view.language, np.asarray(codes, dtype=np.int32))
    if filters.show_id is not None:
        ok &= view.show == filters.show_id
    return ok


def best_k(rows: IntArray, score: npt.NDArray[np.floating[Any]], k: int) -> IntArray:
    """Indices of the k best scores, best first, ties by row (item id order).

    The partition only finds the k-th best score; everything strictly better is in, and the
    ties at that score are taken in row order, so which tied items make the cut never depends
    on how the partition happened to arrange them."""
    if k <= 0 or len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(rows) > k:
        kth = score[np.argpartition(-score, k - 1)[k - 1]]
        above = np.flatnonzero(score > kth)
        tied = np.flatnonzero(score == kth)
        tied = tied[np.argsort(rows[tied], kind="stable")][: k - len(above)]
        picked = np.concatenate([above, tied])
    else:
        picked = np.arange(len(rows))
    order = np.lexsort((rows[picked], -score[picked]))
    return np.asarray(picked[order], dtype=np.int64)


def top_rows(
    rows: IntArray, score: npt.NDArray[np.float64], mask: BoolArray, k: int
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """The k best allowed rows, best first, ties by row (item id order)."""
    keep = mask[rows]
    rows, score = rows[keep], score[keep]
    best = best_k(rows, score, k)
    return rows[best], score[best]


def diversify(
    view: CatalogView,
    rows: IntArray,
    score: npt.NDArray[np.float64],
    k: int,
    *,
    mmr_lambda: float = MMR_LAMBDA,
    show_cap: int = SHOW_CAP,
) -> list[tuple[int, float]]:
    """MMR over a best-first pool, relevance rescaled to [0, 1]; at most show_cap per show
    while other shows remain."""
    if len(rows) == 0:
        return []
    spread = float(score[0] - score[-1]) if len(score) > 1 else 0.0
    relevance = (score - score[-1]) / spread if spread > 0 else np.ones(len(score))
    vectors = view.vectors_at(rows)
    has = view.has_vector[rows]
    closest = np.zeros(len(rows), dtype=np.float32)
    taken = np.zeros(len(rows), dtype=np.bool_)
    per_show: dict[int, int] = {}
    picked: list[tuple[int, float]] = []
    while len(picked) < k:
        gain = mmr_lambda * relevance - (1.0 - mmr_lambda) * closest
        gain[taken] = -np.inf
        if not np.isfinite(gain).any():
            break
        capped = gain.copy()
        for r in np.flatnonzero(~taken):
            show = int(view.show[rows[r]])
            if show >= 0 and per_show.get(show, 0) >= show_cap:
                capped[r] = -np.inf
        # The cap spreads a row over shows when there are others; a library of one podcast
        # still gets a full row.
        if np.isfinite(capped).any():
            gain = capped
        best = int(np.flatnonzero(gain == gain.max())[0])  # pool is best-first: ties go to rank
        taken[best] = True
        picked.append((int(rows[best]), float(score[best])))
        show = int(view.show[rows[best]])
        if show >= 0:
            per_show[show] = per_show.get(show, 0) + 1
        if has[best]:
            sims = vectors @ vectors[best]
            closest = np.maximum(closest, np.where(has, sims, 0.0))
    return picked


def votes_reason(view: CatalogView, row: int, kind: str = "popular") -> Reason | None:
    """`kind` ("popular", "start_popular") with the item's rating and votes, None unrated."""
    rating, votes = float(view.rating[row]), float(view.votes[row])
    if np.isnan(rating) or np.isnan(votes) or votes <= 0:
        return None
    return Reason(kind, {"rating": round(rating, 1), "votes": int(votes)})


def title_of(view: CatalogView, row: int) -> str:
    title = view.titles[row]
    show = view.show_titles.get(int(view.show[row]))
    return f"{show}: {title}" if show and show != title else title
