"""What the player needs before it plays an item, read off the UI thread: the first file that
is really there, the resume point, chapters, and the next episode (only an episode of a show
has one, and the show's last episode has none)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QImage

from engine.library import BrowseQuery, Library

AUDIO_KINDS = frozenset({"podcast", "audio"})


@dataclass
class Plan:
    """What the worker found out about an item before it is played."""

    request: int
    item_id: int
    profile_id: int | None = None
    title: str = ""
    show: str = ""  # the show's title ("" for a film or a loose file)
    kind: str = ""
    path: str | None = None
    problem: str | None = None  # "gone", "missing", "offline", "nofile"
    problem_path: str = ""
    resume: float | None = None
    show_id: int | None = None
    chapters: list[dict[str, Any]] = field(default_factory=list)
    audio: bool = False  # shows artwork instead of video
    artwork: QImage | None = None  # decoded here, off the UI thread (QImage allows that)
    next_id: int | None = None  # the show's next episode, in the show's episode order
    next_title: str = ""


def plan_playback(library: Library, request: int, item_id: int, profile_id: int | None) -> Plan:
    """Worker thread: the item, the first file that is really there, the resume point."""
    plan = Plan(request, item_id)
    profile = profile_id if profile_id is not None else library.history.default_profile().id
    plan.profile_id = profile
    item = library.item(item_id)
    if item is None:
        plan.problem = "gone"
        return plan
    plan.title = str(item.get("title") or "")
    plan.show_id = item.get("show_id")
    plan.show = str(item.get("show") or "")
    plan.kind = str(item.get("kind") or "")
    plan.chapters = [c for c in item.get("chapters") or [] if isinstance(c, dict)]
    files = item.get("files") or []
    for entry in files:
        # The catalogue can lag behind the disk: check the file is really there.
        if not entry["missing"] and not entry["offline"] and os.path.isfile(entry["path"]):
            plan.path = entry["path"]
            break
    else:
        if not files:
            plan.problem = "nofile"
        else:
            offline = any(f["offline"] for f in files)
            plan.problem = "offline" if offline else "missing"
            plan.problem_path = str(files[0]["path"])
        return plan
    if plan.show_id is not None:
        found = next_episode(library, item_id, profile, plan.show_id)
        if found is not None:
            plan.next_id, plan.next_title = found
    plan.resume = library.history.resume_position(profile, item_id)
    plan.audio = item.get("kind") in AUDIO_KINDS
    if plan.audio:
        art = library.artwork(item_id)
        image = QImage(art) if art else None
        plan.artwork = image if image is not None and not image.isNull() else None
    return plan


def next_episode(
    library: Library, item_id: int, profile_id: int | None, show_id: int
) -> tuple[int, str] | None:
    """Worker thread: the episode after `item_id` in its show's episode order (season, episode,
    then air date: a podcast's next is the one published after it), as (id, title); None for
    the last one."""
    order = library.browse(BrowseQuery("show", show_id=show_id, sort="episode"), profile_id)
    try:
        at = order.index(item_id)
    except ValueError:
        return None
    if at + 1 >= len(order):
        return None
    following = library.item(order[at + 1])
    return (order[at + 1], str(following.get("title") or "")) if following else None
