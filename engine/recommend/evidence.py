"""When is an item worth a click? The evidence rules every recommendation row applies.

A row used to be filled to its size with whatever scored highest, however weakly: two
relevant items and eight metadata-less clips "(similarity 0.18)". Now an item needs evidence:

- Similarity counts only above this library's own floor. Cosine values mean different things
  for different models and libraries (0.3 is close for one model, noise for another), so the
  floor is calibrated on the library itself: the similarity of random pairs of its items,
  robustly (median plus `FLOOR_MADS` median absolute deviations). A neighbour must be clearly
  more alike than two items picked at random.
- Thin items (no description and either nothing but a title, or a clip under `CLIP_SECONDS`)
  say little about themselves, so their vectors say little too: they need the strong floor
  (`STRONG_MADS`) and get no credit for popularity.
- Other evidence: a like, co-watching on this computer, votes and a rating (the item's own
  popularity), a declared interest close above the floor.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import BoolArray, CatalogView

__all__ = ["CLIP_SECONDS", "Floors", "floors", "popular", "thin"]

CLIP_SECONDS = 60.0  # shorter than this and without a description: a clip, not a programme
FLOOR_MADS = 2.0  # "alike": this many robust deviations above a random pair's similarity
STRONG_MADS = 4.0  # what a thin item needs
PAIRS = 4_000  # random pairs sampled to calibrate (all pairs when the library is smaller)
MIN_PAIRS = 30  # fewer: the spread is not measurable; the median pair is the floor
_MAD_TO_SIGMA = 1.4826  # a median absolute deviation in standard deviations (normal data)

_lock = threading.Lock()
_cache: dict[tuple[int, tuple[object, ...]], Floors] = {}


@dataclass(frozen=True)
class Floors:
    """Similarity thresholds for one catalogue view."""

    median: float  # a typical random pair
    floor: float  # enough to count as evidence
    strong: float  # enough for a thin item

    def passes(self, sim: float, is_thin: bool) -> bool:
        need = self.strong if is_thin else self.floor
        return bool(sim > self.median and sim >= need)


def floors(view: CatalogView) -> Floors:
    """The view's similarity floors, cached per view."""
    key = (id(view), view.signature)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    result = _calibrate(view)
    with _lock:
        _cache.clear()  # one view is current at a time
        _cache[key] = result
    return result


def _calibrate(view: CatalogView) -> Floors:
    rows = np.flatnonzero(view.has_vector)
    n = len(rows)
    if n < 2:
        return Floors(-1.0, -1.0, -1.0)  # nothing to compare: any similarity will do
    all_pairs = n * (n - 1) // 2
    if all_pairs <= PAIRS:
        first, second = np.triu_indices(n, 1)
    else:
        rng = np.random.default_rng(0)  # the same library gives the same floors
        first = rng.integers(0, n, PAIRS)
        second = (first + rng.integers(1, n, PAIRS)) % n  # never the item itself
    a = view.vectors_at(rows[first])
    b = view.vectors_at(rows[second])
    sims = np.einsum("ij,ij->i", a, b).astype(np.float64)
    median = float(np.median(sims))
    if len(sims) < MIN_PAIRS:
        return Floors(median, median, median)
    spread = float(np.median(np.abs(sims - median))) * _MAD_TO_SIGMA
    return Floors(median, median + FLOOR_MADS * spread, median + STRONG_MADS * spread)


def thin(view: CatalogView) -> BoolArray:
    """Items that say little about themselves: no description and nothing but a title, or no
    description and a clip's length."""
    described = view.described if view.described is not None else np.ones(len(view), np.bool_)
    bare = (
        (view.show < 0)
        & np.isnan(view.year)
        & np.isnan(view.rating)
        & (view.genres.sum(axis=1) == 0)
    )
    clip = view.duration < CLIP_SECONDS  # NaN (unknown) compares False
    result: BoolArray = ~described & (bare | clip)
    return result


def popular(view: CatalogView) -> npt.NDArray[np.bool_]:
    """Items with a rating from at least one vote: their own evidence of being worth it."""
    result: npt.NDArray[np.bool_] = ~np.isnan(view.rating) & (
        np.nan_to_num(view.votes, nan=0.0) > 0
    )
    return result
