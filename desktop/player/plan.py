"""What the player needs before it plays an item, read off the UI thread: the first file that
is really there, the resume point, chapters, and the next episode."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QImage

from engine.library import Library

AUDIO_KINDS = frozenset({"podcast", "audio"})


@dataclass
class Plan:
    """What the worker found out about an item before it is played."""

    request: int
    item_id: int
    profile_id: int | None = None
    title: str = ""
    path: str | None = None
    problem: str | None = None  # "gone", "missing", "offline", "nofile"
    problem_path: str = ""
    resume: float | None = None
    show_id: int | None = None
    chapters: list[dict[str, Any]] = field(default_factory=list)
    audio: bool = False  # shows artwork instead of video
    artwork: QImage | None = None  # decoded here, off the UI thread (QImage allows that)


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
    plan.resume = library.history.resume_position(profile, item_id)
    plan.audio = item.get("kind") in AUDIO_KINDS
    if plan.audio:
        art = library.artwork(item_id)
        image = QImage(art) if art else None
        plan.artwork = image if image is not None and not image.isNull() else None
    return plan


def next_episode(
    library: Library, item_id: int, profile_id: int | None, show_id: int
) -> tuple[int, int, str] | None:
    """Worker thread: the Next up row's episode of the same show, as (for, next id, title)."""
    for row in library.recommendations(profile_id, kinds=["next"]):
        for entry in row.items:
            if entry.item_id == item_id:
                continue
            other = library.item(entry.item_id)
            if other is not None and other.get("show_id") == show_id:
                return item_id, entry.item_id, entry.title
    return None
