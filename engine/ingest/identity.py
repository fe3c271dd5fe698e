"""Is this the same film or episode? The comparison behind "content over path".

A fingerprint says "same bytes". When the bytes differ, identity metadata decides: a file whose
tags were rewritten in place is the same item when its title, show, season, episode and year
agree and its duration is within 5 %; a new encode of a film or episode that replaced a vanished
file is the same item when all of that agrees and its duration is within 2 %.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EDIT_TOLERANCE = 0.05  # tags rewritten in place: the audio/video is the same, give or take
ENCODE_TOLERANCE = 0.02  # another encode of the same work: stricter, the path changed too


@dataclass(frozen=True)
class Identity:
    title: str | None
    title_from_name: bool  # made from the file name: weaker than a tag
    show: str | None
    season: int | None
    episode: int | None
    year: int | None
    duration: float | None


def fold(text: str | None) -> str | None:
    """Case, width and spacing folded, so "The  Wire" matches "the wire"."""
    if text is None:
        return None
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded or None


def from_item(row: Mapping[str, Any]) -> Identity:
    """From `Catalog.identity_of`."""
    return Identity(
        title=fold(row.get("title")),
        title_from_name=row.get("title_source") == "filename",
        show=fold(row.get("show")),
        season=row.get("season"),
        episode=row.get("episode"),
        year=row.get("year"),
        duration=row.get("duration"),
    )


def from_values(values: Mapping[str, Any], show: str | None, title_from_name: bool) -> Identity:
    """From the item columns a scan is about to write (see `records.item_values`)."""
    return Identity(
        title=fold(values.get("title")),
        title_from_name=title_from_name,
        show=fold(show),
        season=values.get("season"),
        episode=values.get("episode"),
        year=values.get("year"),
        duration=values.get("duration"),
    )


def durations_close(a: float | None, b: float | None, tolerance: float) -> bool | None:
    """Within `tolerance` of the longer one; None when either is unknown."""
    if not a or not b:
        return None
    return abs(a - b) <= tolerance * max(a, b)


def _conflict(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


def agrees(old: Identity, new: Identity, tolerance: float) -> bool:
    """Nothing known on both sides disagrees: title (unless only one side took it from the
    file name), show, season, episode, year, and duration within `tolerance`."""
    if old.title_from_name == new.title_from_name and _conflict(old.title, new.title):
        return False
    for a, b in (
        (old.show, new.show),
        (old.season, new.season),
        (old.episode, new.episode),
        (old.year, new.year),
    ):
        if _conflict(a, b):
            return False
    return durations_close(old.duration, new.duration, tolerance) is not False


def same_encode(old: Identity, new: Identity) -> bool:
    """Another encode of the same film or episode: the same title, everything else known on
    both sides agreeing, and both durations known and within 2 %."""
    if old.title is None or old.title != new.title:
        return False
    if not durations_close(old.duration, new.duration, ENCODE_TOLERANCE):
        return False
    return agrees(old, new, ENCODE_TOLERANCE)
