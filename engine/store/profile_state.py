"""What the recommender knows about one profile, as plain data.

`engine/store/history_sql.py` loads it; the strategies in `engine/recommend/` only read it, so
they are pure functions of (profile state, catalogue, vectors): easy to test, deterministic,
and the evaluation harness exercises exactly the production path.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Watched:
    item_id: int
    at: float  # epoch seconds of the completion (or the last play, for a partial watch)
    completed: bool


@dataclass(frozen=True)
class InProgress:
    item_id: int
    position: float  # seconds
    duration: float | None
    at: float  # epoch seconds of the last play


@dataclass(frozen=True)
class ProfileState:
    profile_id: int
    name: str
    watched: tuple[Watched, ...] = ()  # oldest first; completed plays and "mark watched"
    in_progress: tuple[InProgress, ...] = ()  # most recent first
    likes: frozenset[int] = frozenset()
    dislikes: frozenset[int] = frozenset()
    not_interested: frozenset[int] = frozenset()
    followed_shows: frozenset[int] = frozenset()
    snoozed_shows: frozenset[int] = frozenset()  # snoozed now
    interests: str = ""  # free text, e.g. "history of science, slow cinema"
    languages: tuple[str, ...] = ()  # ISO 639-1
    seen: frozenset[int] = field(default_factory=frozenset)  # every item with any play

    @property
    def watched_ids(self) -> frozenset[int]:
        return frozenset(w.item_id for w in self.watched)
