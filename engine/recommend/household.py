"""The other local profiles on this computer, as the collaborative signals see them.

`Household` keeps when each profile played each item (the earliest time its state records: a
completion, or the last play of an unfinished one). Production builds it from every
profile's state and sees everything (`as_of=None`); the evaluation asks for the household *as
of* a moment (`Household.at(t)`): only plays strictly before `t` count, so a case never sees
what another profile did at or after it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from engine.recommend.catalog_view import CatalogView, FloatArray, IntArray
from engine.recommend.state import ProfileState

NEVER = math.inf


@dataclass
class Others:
    """The household without one profile, as of the household's cut."""

    matrix: npt.NDArray[np.float32]  # (profiles, items) 1 where played before the cut
    counts: FloatArray  # plays per item
    keep: list[int]  # row → index into Household.profile_ids


@dataclass
class Household:
    """Every local profile's first play time of every item (+inf: never), optionally cut."""

    profile_ids: list[int]
    names: list[str]
    played_at: npt.NDArray[np.float64]  # (profiles, items) epoch seconds
    as_of: float | None = None  # only plays strictly before this count; None: all of them
    _matrix: npt.NDArray[np.float32] | None = field(default=None, repr=False)
    _others: dict[int, Others] = field(default_factory=dict, repr=False)
    # Each profile's plays in order (by time, then item), and each item's place in that order;
    # shared by the households `at` makes, like `played_at`.
    _order: dict[int, IntArray] = field(default_factory=dict, repr=False)
    _place: npt.NDArray[np.int32] | None = field(default=None, repr=False)  # (profiles, items)

    @classmethod
    def from_states(
        cls, view: CatalogView, states: Iterable[ProfileState], as_of: float | None = None
    ) -> Household:
        states = sorted(states, key=lambda s: s.profile_id)
        played_at = np.full((len(states), len(view)), NEVER, dtype=np.float64)
        for r, state in enumerate(states):
            plays = [(w.item_id, w.at) for w in state.watched]
            plays += [(p.item_id, p.at) for p in state.in_progress]
            for item_id, at in plays:
                col = view.position(item_id)
                if col is not None:
                    played_at[r, col] = min(played_at[r, col], at)
        return cls([s.profile_id for s in states], [s.name for s in states], played_at, as_of)

    def at(self, as_of: float | None) -> Household:
        """The household as it stood just before `as_of` (shares the play times)."""
        self._places()  # made once, shared
        return Household(
            self.profile_ids,
            self.names,
            self.played_at,
            as_of,
            _order=self._order,
            _place=self._place,
        )

    def add(self, profile_id: int, col: int, at: float) -> None:
        """Record a play in place (the evaluation replays plays as they happen). Households
        already made by `at` share the times: make new ones after adding."""
        r = self.profile_ids.index(profile_id)
        self.played_at[r, col] = min(self.played_at[r, col], at)
        self._matrix = None
        self._others.clear()
        self._order.pop(r, None)

    @property
    def matrix(self) -> npt.NDArray[np.float32]:
        """(profiles, items) 0/1: played before the cut."""
        if self._matrix is None:
            cut = NEVER if self.as_of is None else self.as_of
            self._matrix = (self.played_at < cut).astype(np.float32)
        return self._matrix

    def others(self, profile_id: int) -> tuple[npt.NDArray[np.float32], FloatArray, list[int]]:
        """(matrix, per-item play counts, row → profile index) without this profile."""
        found = self.others_of(profile_id)
        return found.matrix, found.counts, found.keep

    def others_of(self, profile_id: int) -> Others:
        found = self._others.get(profile_id)
        if found is None:
            keep = [r for r, p in enumerate(self.profile_ids) if p != profile_id]
            full = self.matrix
            matrix = full[keep] if len(keep) < len(self.profile_ids) else full
            found = Others(matrix, matrix.sum(axis=0), keep)
            self._others.clear()  # one profile at a time is what callers do
            self._others[profile_id] = found
        return found

    def sequence(self, r: int) -> IntArray:
        """Profile row r's played items in order: by time, then by item (catalogue row)."""
        found = self._order.get(r)
        if found is None:
            times = self.played_at[r]
            played = np.flatnonzero(times < NEVER)
            found = played[np.lexsort((played, times[played]))]
            self._order[r] = found
            self._places()[r, found] = np.arange(len(found), dtype=np.int32)
        return found

    def _places(self) -> npt.NDArray[np.int32]:
        """Where each item stands in each profile's sequence (filled as sequences are made)."""
        if self._place is None:
            self._place = np.full(self.played_at.shape, -1, dtype=np.int32)
        return self._place

    def followers(
        self, profile_id: int, seeds: IntArray, weights: FloatArray, decay: float
    ) -> npt.NDArray[np.float64]:
        """What the other profiles played right after the seeds: for each seed, over the profiles
        that played it before the cut, the plays that followed it there (before the cut),
        weighted exp(-(steps - 1) / decay); a probability per seed, mixed by the seed weights."""
        found = self.others_of(profile_id)
        out = np.zeros(self.played_at.shape[1])
        span = math.ceil(5 * decay)  # beyond this the weight is under e^-5
        kernel = np.exp(-np.arange(span) / decay)
        sizes = found.matrix.sum(axis=1).astype(np.int64)
        total = float(weights.sum())
        if total <= 0:
            return out
        for seed, weight in zip(seeds.tolist(), weights.tolist(), strict=True):
            players = np.flatnonzero(found.matrix[:, seed] > 0)
            if len(players) == 0:
                continue
            share = weight / total / (len(players) * float(kernel.sum()))
            for o in players.tolist():
                r = found.keep[o]
                order = self.sequence(r)
                at = int(self._places()[r, seed])
                after = order[at + 1 : min(at + 1 + span, int(sizes[o]))]
                out[after] += share * kernel[: len(after)]
        return out


def history_rows(view: CatalogView, state: ProfileState) -> IntArray:
    played = {w.item_id for w in state.watched} | {p.item_id for p in state.in_progress}
    return view.positions(sorted(played))
