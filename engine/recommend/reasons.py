"""Why an item is in a row, as data: a kind and its arguments, never English text.

The engine states facts ("because_watched", title "Alien", similarity 0.82); whoever shows
them words them: desktop/reasons.py translates them for the window, engine/cli_recommend.py
writes the CLI's plain English. Arguments are plain JSON values, so the CLI's JSON carries
them as they are.

Kinds and their arguments:
  liked_self                            a liked item the profile has not played yet
  because_liked    title, item_id, similarity
  because_watched  title, item_id, similarity
  watched_with     title, item_id       often played on this computer with an item played
  similar_to       title, item_id, similarity   (More like this)
  popular          rating, votes
  variety          -                     no single signal stands out
  start_popular    rating, votes         first run, no history yet
  start            -                     first run, nothing known about the item either
  explore          -                     from the library: nothing personal had evidence yet
  continue         position, remaining (seconds; remaining None when the length is unknown)
  next_in_show     show, show_id, followed
  watched_by       names (list), match
  added_days_ago   days (whole days; 0 is today)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "Reason"]

KINDS = (
    "liked_self",
    "because_liked",
    "because_watched",
    "watched_with",
    "similar_to",
    "popular",
    "variety",
    "start_popular",
    "start",
    "explore",
    "continue",
    "next_in_show",
    "watched_by",
    "added_days_ago",
)


@dataclass(frozen=True)
class Reason:
    kind: str  # one of KINDS
    args: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reason {self.kind!r}")

    def __hash__(self) -> int:
        return hash((self.kind, json.dumps(dict(self.args), sort_keys=True, default=str)))

    def get(self, name: str, default: Any = None) -> Any:
        return self.args.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "args": dict(self.args)}
