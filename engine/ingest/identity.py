"""Is this the same film or episode? The comparison behind "content over path".

A fingerprint says "same bytes". When the bytes differ, identity metadata decides: a file whose
tags were rewritten in place is the same item when its title, show, season, episode and year
agree and its duration is within 5 %; a new encode of a film or episode that replaced a vanished
file is the same item when all of that agrees and its duration is within 2 %.

An incomplete download lasts only as long as what was downloaded, so its duration says nothing
about which episode it is: when either side was cut off, the durations agree when the cut one is
no longer than the other. A podcast episode's feed GUID, when both sides have one, decides on
its own: the same GUID is the same episode, another GUID is another one. So do the ids an NFO
gives (imdb, tmdb, tvdb): a film whose NFO names the same imdb id is the same film whatever its
duration (another encode, a new cut of the same entry), and different ids of a type both sides
have are different works, even when title and year agree.
"""

from __future__ import annotations

import json
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
    guid: str | None = None
    incomplete: bool = False  # a cut-off file: `duration` is what was there, not the work's
    # The item's own ids in other catalogues, folded: {"imdb": "tt0062622", "tmdb": "62"}.
    ids: Mapping[str, str] | None = None


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
        guid=row.get("guid") or None,
        incomplete=bool(row.get("incomplete")),
        ids=own_ids(row.get("external_ids")),
    )


def from_values(
    values: Mapping[str, Any], show: str | None, title_from_name: bool, incomplete: bool = False
) -> Identity:
    """From the item columns a scan is about to write (see `records.item_values`)."""
    return Identity(
        title=fold(values.get("title")),
        title_from_name=title_from_name,
        show=fold(show),
        season=values.get("season"),
        episode=values.get("episode"),
        year=values.get("year"),
        duration=values.get("duration"),
        guid=values.get("guid") or None,
        incomplete=incomplete,
        ids=own_ids(values.get("external_ids")),
    )


def own_ids(stored: str | Mapping[str, Any] | None) -> dict[str, str] | None:
    """The item's own external ids from `items.external_ids` (JSON), folded; the show's ids
    ("show_tvdb", from tvshow.nfo) are left out: every episode of a show shares them."""
    if not stored:
        return None
    try:
        raw = json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return None
    if not isinstance(raw, Mapping):
        return None
    ids = {
        str(kind).casefold(): folded
        for kind, value in raw.items()
        if not str(kind).startswith("show_")
        for folded in [fold(str(value)) if value is not None else None]
        if folded
    }
    return ids or None


def ids_decide(old: Identity, new: Identity) -> bool | None:
    """True when a feed GUID or an id of a type both sides have matches, False when they are
    known on both sides and none matches; None when they do not say (no common id type)."""
    if old.guid and new.guid:
        return old.guid == new.guid
    if not old.ids or not new.ids:
        return None
    shared = old.ids.keys() & new.ids.keys()
    if not shared:
        return None
    return any(old.ids[kind] == new.ids[kind] for kind in shared)


def durations_close(a: float | None, b: float | None, tolerance: float) -> bool | None:
    """Within `tolerance` of the longer one; None when either is unknown."""
    if not a or not b:
        return None
    return abs(a - b) <= tolerance * max(a, b)


def durations_fit(old: Identity, new: Identity, tolerance: float) -> bool | None:
    """`durations_close`, except that a cut-off side only has to be no longer than the other
    (within `tolerance`); None when unknown and neither side was cut off."""
    if old.incomplete or new.incomplete:
        cut, whole = (old, new) if old.incomplete else (new, old)
        if not cut.duration or not whole.duration:
            return True
        return cut.duration <= whole.duration * (1 + tolerance)
    return durations_close(old.duration, new.duration, tolerance)


def _conflict(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


def agrees(old: Identity, new: Identity, tolerance: float) -> bool:
    """Nothing known on both sides disagrees: title (unless only one side took it from the
    file name), show, season, episode, year, and duration within `tolerance`; the same feed
    GUID on both sides is enough, another GUID is never the same; so are NFO ids."""
    decided = ids_decide(old, new)
    if decided is not None:
        return decided
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
    return durations_fit(old, new, tolerance) is not False


def same_encode(old: Identity, new: Identity) -> bool:
    """Another encode of the same film or episode (or the complete download of a cut-off
    one): the same title, everything else known on both sides agreeing, and both durations
    known and within 2 % (or the cut-off one no longer than the other). The same feed GUID
    or NFO id is enough whatever the durations; a different one is never the same."""
    decided = ids_decide(old, new)
    if decided is not None:
        return decided
    if old.title is None or old.title != new.title:
        return False
    if not durations_fit(old, new, ENCODE_TOLERANCE):
        return False
    return agrees(old, new, ENCODE_TOLERANCE)
