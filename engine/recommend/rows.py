"""Recommendation rows: Continue watching, Next up, For you, Because you watched, Profiles like
yours, New in your library, and More like this for an item's page.

`Recommender` is what the façade holds: it keeps the catalogue view (reloaded only when the
library changes) and the household of other profiles, and builds rows from a `ProfileState`.
The For you row (`for_you_row`) is also exactly what `engine.recommend.evaluate` measures.

Every row keeps only items with evidence (engine/recommend/evidence.py): a shorter row, or
none, rather than padding. Assembled together, rows do not repeat each other: an item shows in
the first row that has it (Continue, Next up, For you or Popular picks, Because you watched,
Profiles like yours, New). Reasons are data (`Reason`: a kind and arguments); the window and
the CLI word them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import BoolArray, CatalogView, FloatArray
from engine.recommend.evidence import floors, popular, thin
from engine.recommend.ranking import (
    Filters,
    allowed,
    diversify,
    title_of,
    top_rows,
    votes_reason,
)
from engine.recommend.reasons import Reason
from engine.recommend.state import ProfileState
from engine.recommend.strategies import (
    SIGNALS,
    Household,
    Neighbours,
    Scored,
    for_you,
    profile_votes,
    seeds_of,
    similar_items,
)

ROW_SIZE = 10
ROW_KINDS = ("continue", "next", "for-you", "because", "household", "new")
BECAUSE_SEEDS = 10  # the latest plays that each get a "Because you watched" list
BECAUSE_PER_SEED = 2
NEW_DAYS = 30.0  # "New in your library": added within this many days
SETUP_DAYS = 1.0  # what came within a day of the first item is the library itself, not new
COWATCH_EVIDENCE = 0.2  # co-watch share that explains an item on its own


@dataclass(frozen=True)
class RowItem:
    item_id: int
    title: str
    score: float
    reason: Reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "title": self.title,
            "score": self.score,
            "reason": self.reason.as_dict(),
        }


@dataclass(frozen=True)
class Row:
    kind: str  # one of ROW_KINDS
    title: str  # the English heading, for the CLI and logs; the desktop words `heading`
    items: tuple[RowItem, ...]
    seed_id: int | None = None  # the item a "because" row is about
    # What the heading says, as data: a row kind's usual heading unless a variant says
    # otherwise ("popular": For you before anything is known); `seed_title` names the seed.
    heading: str = ""
    seed_title: str | None = None

    @property
    def heading_kind(self) -> str:
        return self.heading or self.kind

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "seed": self.seed_id,
            "heading": self.heading_kind,
            "seed_title": self.seed_title,
            "items": [i.as_dict() for i in self.items],
        }


@dataclass
class Context:
    """Everything a row needs besides the profile: the catalogue and the other profiles."""

    view: CatalogView
    household: Household | None = None
    neighbours: Neighbours | None = None
    interests: Callable[[str], FloatArray | None] | None = None
    now: float = 0.0  # epoch seconds; "new" is relative to it
    signals: tuple[str, ...] = SIGNALS
    diversity: bool = True
    shown: set[int] = field(default_factory=set)  # item ids earlier rows took (`assemble`)
    _interests_cache: dict[str, FloatArray | None] = field(default_factory=dict)
    _scored: dict[int, tuple[ProfileState, Scored]] = field(default_factory=dict)

    def interests_vector(self, text: str) -> FloatArray | None:
        text = text.strip()
        if not text or self.interests is None:
            return None
        if text not in self._interests_cache:
            self._interests_cache[text] = self.interests(text)
        return self._interests_cache[text]


def _item(view: CatalogView, row: int, score: float, reason: Reason) -> RowItem:
    return RowItem(int(view.ids[row]), title_of(view, row), round(float(score), 6), reason)


def for_you_scored(ctx: Context, state: ProfileState) -> Scored:
    # For you and New share one scoring per state.
    cached = ctx._scored.get(state.profile_id)
    if cached is not None and cached[0] is state:
        return cached[1]
    scored = for_you(
        ctx.view,
        state,
        interests=ctx.interests_vector(state.interests),
        household=ctx.household,
        neighbours=ctx.neighbours,
        signals=ctx.signals,
    )
    ctx._scored[state.profile_id] = (state, scored)
    return scored


def for_you_row(
    ctx: Context, state: ProfileState, filters: Filters | None = None, k: int = ROW_SIZE
) -> Row:
    """The profile's best unwatched items, diversified, each with its strongest reason."""
    view = ctx.view
    scored = for_you_scored(ctx, state)
    mask = allowed(view, state, filters, extra=ctx.shown) & _for_you_evidence(ctx, state, scored)
    pool_rows, pool_scores = top_rows(scored.rows, scored.score, mask, max(k, 50))
    if ctx.diversity:
        picked = diversify(view, pool_rows, pool_scores, k)
    else:
        picked = [(int(r), float(s)) for r, s in zip(pool_rows[:k], pool_scores[:k], strict=True)]
    where = {int(r): n for n, r in enumerate(scored.rows.tolist())}
    items = tuple(
        _item(view, r, s, _for_you_reason(view, scored, where[r], state.likes)) for r, s in picked
    )
    return Row("for-you", "For you", items)


def _for_you_evidence(ctx: Context, state: ProfileState, scored: Scored) -> BoolArray:
    """Mask of the scored rows with evidence enough to be shown (see evidence.py)."""
    view = ctx.view
    rows = scored.rows
    fl = floors(view)
    is_thin = thin(view)[rows]
    need = np.where(is_thin, fl.strong, fl.floor)
    sims = scored.best_sim.astype(np.float64)
    ok = (scored.best_seed >= 0) & (sims >= need) & (sims > fl.median)
    ok |= scored.best_seed == rows  # liked and not yet played
    cowatch = scored.parts.get("cowatch")
    if cowatch is not None:
        ok |= np.exp(cowatch) >= COWATCH_EVIDENCE
    ok |= popular(view)[rows] & ~is_thin
    interests = ctx.interests_vector(state.interests)
    if interests is not None and interests.shape[-1] == view.vectors.shape[1]:
        near = view.vectors_at(rows) @ np.asarray(interests, dtype=np.float32)
        ok |= view.has_vector[rows] & (near >= need) & (near > fl.median)
    mask = np.zeros(len(view), dtype=np.bool_)
    mask[rows[ok]] = True
    return mask


def _for_you_reason(
    view: CatalogView, scored: Scored, n: int, liked: frozenset[int] = frozenset()
) -> Reason:
    seed = int(scored.best_seed[n])
    sim = float(scored.best_sim[n])
    row = int(scored.rows[n])
    if seed == row:
        return Reason("liked_self")  # a liked, unwatched item is its own nearest seed
    alike = seed >= 0 and floors(view).passes(sim, bool(thin(view)[row]))
    about = {"title": title_of(view, seed), "item_id": int(view.ids[seed])} if seed >= 0 else {}
    if alike and view.ids[seed] in liked:
        return Reason("because_liked", {**about, "similarity": round(sim, 2)})
    cowatch = scored.parts.get("cowatch")
    if cowatch is not None and seed >= 0 and math.exp(cowatch[n]) >= COWATCH_EVIDENCE and sim < 0.5:
        return Reason("watched_with", about)
    if alike:
        return Reason("because_watched", {**about, "similarity": round(sim, 2)})
    return votes_reason(view, row, "popular") or Reason("variety")


# --- the other rows ----------------------------------------------------------------------------


def continue_row(ctx: Context, state: ProfileState, filters: Filters | None = None) -> Row:
    """Started and not finished, most recent first."""
    view = ctx.view
    mask = allowed(view, state, filters, keep_in_progress=True)
    items = []
    for play in state.in_progress:
        row = view.position(play.item_id)
        if row is None or not mask[row]:
            continue
        left = max(0.0, play.duration - play.position) if play.duration else None
        reason = Reason(
            "continue",
            {
                "position": round(play.position, 1),
                "remaining": round(left, 1) if left is not None else None,
            },
        )
        items.append(_item(view, row, play.at, reason))
    return Row("continue", "Continue watching", tuple(items[:ROW_SIZE]))


def next_up_row(ctx: Context, state: ProfileState, filters: Filters | None = None) -> Row:
    """For each show in progress or followed: its first unwatched episode after the latest one
    played (by season/episode when known, else by air date), most recently active show first."""
    view = ctx.view
    mask = allowed(view, state, filters, extra=ctx.shown)
    activity: dict[int, float] = {}
    for at, item_id in [(w.at, w.item_id) for w in state.watched] + [
        (p.at, p.item_id) for p in state.in_progress
    ]:
        row = view.position(item_id)
        if row is not None and view.show[row] >= 0:
            show = int(view.show[row])
            activity[show] = max(activity.get(show, 0.0), at)
    for show in state.followed_shows:
        activity.setdefault(int(show), 0.0)
    played = {w.item_id for w in state.watched} | {p.item_id for p in state.in_progress}
    items = []
    for show in sorted(activity, key=lambda s: (-activity[s], s)):
        if show in state.snoozed_shows:
            continue
        episodes = np.flatnonzero(view.show == show)
        if len(episodes) == 0:
            continue
        order = episodes[_episode_order(view, episodes)]
        ids = view.ids[order].tolist()
        last = max((n for n, i in enumerate(ids) if i in played), default=-1)
        for n in range(last + 1, len(order)):
            row = int(order[n])
            if mask[row]:
                reason = Reason(
                    "next_in_show",
                    {
                        "show": view.show_titles.get(show, ""),
                        "show_id": show,
                        "followed": show in state.followed_shows,
                    },
                )
                items.append(_item(view, row, activity[show], reason))
                break
    return Row("next", "Next up", tuple(items[:ROW_SIZE]))


def _episode_order(view: CatalogView, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    season = np.nan_to_num(view.season[rows], nan=0.0)
    episode = view.episode[rows]
    aired = view.aired[rows]
    # Numbered episodes by (season, episode); when a show lacks numbers, by air date, then id.
    if not np.isnan(episode).all():
        key = np.nan_to_num(episode, nan=np.inf)
        return np.lexsort((view.ids[rows], np.nan_to_num(aired, nan=np.inf), key, season))
    return np.lexsort((view.ids[rows], np.nan_to_num(aired, nan=np.inf)))


def because_rows(
    ctx: Context,
    state: ProfileState,
    filters: Filters | None = None,
    *,
    seeds: int = BECAUSE_SEEDS,
    per_seed: int = BECAUSE_PER_SEED,
    merged: bool = False,
) -> list[Row]:
    """For each of the latest plays, its most similar unwatched items: one row per seed, newest
    seed first, or all in one row when `merged`. An item appears under one seed only."""
    view = ctx.view
    mask = allowed(view, state, filters, extra=ctx.shown)
    fl, is_thin = floors(view), thin(view)
    recent: list[int] = []
    for w in reversed(state.watched):
        if w.item_id not in recent and view.position(w.item_id) is not None:
            recent.append(w.item_id)
        if len(recent) == seeds:
            break
    used: set[int] = set()
    rows: list[Row] = []
    merged_items: list[RowItem] = []
    for item_id in recent:
        seed_row = view.position(item_id)
        assert seed_row is not None
        found = []
        for row, sim in similar_items(view, seed_row, per_seed * 5 + 10, ctx.neighbours):
            if mask[row] and row not in used and fl.passes(sim, bool(is_thin[row])):
                used.add(row)
                reason = Reason(
                    "because_watched",
                    {
                        "title": title_of(view, seed_row),
                        "item_id": item_id,
                        "similarity": round(sim, 2),
                    },
                )
                found.append(_item(view, row, sim, reason))
            if len(found) == per_seed:
                break
        if not found:
            continue
        merged_items.extend(found)
        title = f"Because you watched {title_of(view, seed_row)}"
        rows.append(
            Row(
                "because",
                title,
                tuple(found),
                seed_id=item_id,
                seed_title=title_of(view, seed_row),
            )
        )
    if merged:
        return [Row("because", "Because you watched", tuple(merged_items))]
    return rows


def household_row(ctx: Context, state: ProfileState, filters: Filters | None = None) -> Row:
    """What the most similar other local profiles watched and this one has not."""
    view = ctx.view
    if ctx.household is None:
        return Row("household", "Profiles like yours", ())
    matrix, _counts, keep = ctx.household.others(state.profile_id)
    played = {w.item_id for w in state.watched} | {p.item_id for p in state.in_progress}
    history = view.positions(sorted(played))
    everything = np.arange(len(view), dtype=np.int64)
    votes, order, sims = profile_votes(matrix, everything, history)
    if not order:
        return Row("household", "Profiles like yours", ())
    mask = allowed(view, state, filters, extra=ctx.shown) & (matrix[order].sum(axis=0) > 0)
    rows, scores = top_rows(everything, votes, mask, ROW_SIZE)
    names = [ctx.household.names[keep[o]] for o in order]
    items = []
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        who = [names[n] for n, o in enumerate(order) if matrix[o, row] > 0][:2]
        best = float(sims[0])
        reason = Reason("watched_by", {"names": who, "match": round(best, 2)})
        items.append(_item(view, row, score, reason))
    return Row("household", "Profiles like yours", tuple(items))


def new_row(ctx: Context, state: ProfileState, filters: Filters | None = None) -> Row:
    """Added in the last NEW_DAYS days, after the library was set up (on the first day
    everything is new, which says nothing), ranked by For you for this profile. Thin items
    need a strong likeness to what the profile played."""
    view = ctx.view
    known = view.added[~np.isnan(view.added)]
    if not len(known):
        return Row("new", "New in your library", ())
    setup = float(known.min()) + SETUP_DAYS * 86400.0
    fresh = (view.added >= ctx.now - NEW_DAYS * 86400.0) & (view.added > setup)
    if not fresh.any():
        return Row("new", "New in your library", ())
    scored = for_you_scored(ctx, state)
    fl, is_thin = floors(view), thin(view)
    strong = np.zeros(len(view), dtype=np.bool_)
    sims = scored.best_sim.astype(np.float64)
    strong[scored.rows[(scored.best_seed >= 0) & (sims >= fl.strong) & (sims > fl.median)]] = True
    mask = allowed(view, state, filters, extra=ctx.shown) & fresh & (~is_thin | strong)
    rows, scores = top_rows(scored.rows, scored.score, mask, ROW_SIZE)
    items = []
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        days = max(0.0, (ctx.now - float(view.added[row])) / 86400.0)
        items.append(_item(view, row, score, Reason("added_days_ago", {"days": int(days)})))
    return Row("new", "New in your library", tuple(items))


def more_like_this(
    ctx: Context, item_id: int, state: ProfileState | None, k: int = ROW_SIZE
) -> Row:
    """The items nearest to one item, for its detail page (the profile's exclusions apply)."""
    view = ctx.view
    row = view.position(item_id)
    if row is None:
        return Row("more", "More like this", ())
    mask = allowed(view, state, None) if state is not None else view.playable.copy()
    mask[row] = False
    fl, is_thin = floors(view), thin(view)
    found = [
        (r, sim)
        for r, sim in similar_items(view, row, k * 3 + 10, ctx.neighbours)
        if mask[r] and fl.passes(sim, bool(is_thin[r]))
    ]
    rows = np.asarray([r for r, _ in found], dtype=np.int64)
    sims = np.asarray([s for _, s in found], dtype=np.float64)
    if ctx.diversity:
        picked = diversify(view, rows, sims, k)
    else:
        picked = [(int(r), float(s)) for r, s in zip(rows[:k], sims[:k], strict=True)]
    about = {"title": title_of(view, row), "item_id": item_id}
    items = tuple(
        _item(view, int(r), s, Reason("similar_to", {**about, "similarity": round(s, 2)}))
        for r, s in picked
    )
    return Row("more", "More like this", items, seed_id=item_id)


def cold_start_row(ctx: Context, state: ProfileState, filters: Filters | None = None) -> Row:
    """No history yet: the best-voted item of each topic cluster, clusters in turn."""
    from engine.recommend.cold import cold_start

    return cold_start(ctx, state, filters)


@dataclass(frozen=True)
class BecauseConfig:
    """How "Because you watched" rows are made; user settings."""

    seeds: int = BECAUSE_SEEDS  # the latest plays that each get a list
    per_seed: int = BECAUSE_PER_SEED  # items per seed
    merged: bool = False  # one row for all seeds instead of one row per seed


def assemble(
    ctx: Context,
    state: ProfileState,
    filters: Filters | None = None,
    kinds: Sequence[str] = ROW_KINDS,
    because: BecauseConfig = BecauseConfig(),
) -> list[Row]:
    """The rows of the home screen, in display order; empty rows left out."""
    has_history = bool(state.watched or state.in_progress)
    has_seed = (
        has_history or bool(state.likes) or bool(ctx.interests_vector(state.interests) is not None)
    )
    rows: list[Row] = []
    for kind in kinds:
        before = len(rows)
        if kind == "continue":
            rows.append(continue_row(ctx, state, filters))
        elif kind == "next":
            rows.append(next_up_row(ctx, state, filters))
        elif kind == "for-you":
            rows.append(
                for_you_row(ctx, state, filters)
                if has_seed
                else cold_start_row(ctx, state, filters)
            )
        elif kind == "because":
            rows.extend(
                because_rows(
                    ctx,
                    state,
                    filters,
                    seeds=because.seeds,
                    per_seed=because.per_seed,
                    merged=because.merged,
                )
            )
        elif kind == "household":
            rows.append(household_row(ctx, state, filters))
        elif kind == "new":
            rows.append(new_row(ctx, state, filters))
        else:
            raise ValueError(f"unknown row {kind!r}; use one of {', '.join(ROW_KINDS)}")
        # Later rows leave out what this one shows: distinct rows, no repeats.
        ctx.shown.update(i.item_id for r in rows[before:] for i in r.items)
    if has_seed and "for-you" in kinds:
        _explore_in_place_of_for_you(ctx, state, filters, rows)
    return [r for r in rows if r.items]


def _explore_in_place_of_for_you(
    ctx: Context, state: ProfileState, filters: Filters | None, rows: list[Row]
) -> None:
    """For you found nothing with evidence (a small or undescribed library, one play so far):
    rather than a Home with no shelf to browse, offer the library itself in its place, worded
    as such. Picked last, so rows with evidence keep their items."""
    at = next((n for n, r in enumerate(rows) if r.kind == "for-you"), None)
    if at is None or rows[at].items:
        return
    from engine.recommend.cold import cold_start

    rows[at] = cold_start(ctx, state, filters, explore=True)
    ctx.shown.update(i.item_id for i in rows[at].items)


__all__ = [
    "ROW_KINDS",
    "Context",
    "Reason",
    "Row",
    "RowItem",
    "assemble",
    "because_rows",
    "continue_row",
    "for_you_row",
    "household_row",
    "more_like_this",
    "new_row",
    "next_up_row",
    "seeds_of",
]
