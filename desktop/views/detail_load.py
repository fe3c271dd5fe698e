"""The detail page's background load: one item, its scan errors, its warnings (companion files
ignored, `desktop.models.errors.item_problems`), this profile's history of it, and where its
art is (found off the UI thread: it may grab a frame of a video); the art is
decoded, cropped and cached by `desktop.art`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from desktop.models.errors import Problem, item_problems
from engine.library import Library, LibraryError

log = logging.getLogger(__name__)

__all__ = ["HISTORY_LIMIT", "ItemDetails", "load_details"]

HISTORY_LIMIT = 50


@dataclass
class ItemDetails:
    """Everything the view shows about one item, read in the background."""

    item: dict[str, Any]
    profile_id: int
    scan_errors: list[dict[str, Any]] = field(default_factory=list)  # for the item's paths
    problems: list[Problem] = field(default_factory=list)  # warnings: sidecars ignored
    timeline: list[dict[str, Any]] = field(default_factory=list)  # newest first
    completed: bool = False
    resume: float | None = None  # seconds, when there is a point worth resuming from
    feedback: set[str] = field(default_factory=set)
    art_path: str | None = None  # the art file; None: the generated cover
    transcribed: bool = False  # a machine transcript exists: it can be saved as subtitles


def load_details(library: Library, item_id: int, profile_id: int | None) -> ItemDetails:
    """Background: read one item and this profile's history of it; LibraryError if it is gone."""
    history = library.history
    profile = history.profile(profile_id).id
    item = library.item(item_id)
    if item is None:
        raise LibraryError("This item is no longer in the library.")
    paths = {str(f["path"]) for f in item.get("files") or []}
    progress = history.progress(profile, item_id)
    artwork = library.artwork(item_id)  # may grab a frame of a video: we are in the background
    return ItemDetails(
        item=item,
        profile_id=profile,
        scan_errors=[e for e in library.errors() if e.get("path") in paths],
        problems=item_problems(library, item_id),
        timeline=history.timeline(profile, HISTORY_LIMIT, 0, item_id=item_id),
        completed=progress is not None and progress.completed,
        resume=history.resume_position(profile, item_id),
        feedback=history.feedback(profile, item_id),
        art_path=str(artwork) if artwork else None,
        transcribed=(library.transcript(item_id) or {}).get("outcome") == "done",
    )
