"""Item images behind the façade's `artwork` and `backdrop`: the item's or its show's art, a
frame grabbed from a video, a backdrop found beside the files."""

from __future__ import annotations

import os
from pathlib import Path

from engine.ingest.walk import media_type
from engine.store import Catalog, Database


def artwork(database: Database, thumbs_dir: Path, item_id: int) -> str | None:
    """A thumbnail path for the item: its own artwork, else its show's, else (for a video
    whose file is present) a frame grabbed from the video. Decoding a frame takes
    ~50-200 ms the first time: call in the background."""
    item = Catalog(database.reader).item(item_id)
    if item is None:
        return None
    if item.get("artwork") or item.get("show_artwork"):
        return str(item.get("artwork") or item["show_artwork"])
    for file in item["files"]:
        path = file["path"]
        if file["missing"] or file["offline"] or media_type(os.fsencode(path)) != "video":
            continue
        if os.path.isfile(path):
            # PyAV and Pillow load here, for a frame, not for cards that have their art
            # (Home's first cards are read before the window's first paint).
            from engine.ingest.artwork import STORED_THUMB_SIZE
            from engine.ingest.frames import grab_frame

            frames = str(thumbs_dir / "frames")
            return grab_frame(path, frames, file["fingerprint"], STORED_THUMB_SIZE)
    return None


def backdrop(database: Database, item_id: int) -> str | None:
    """A wide image to show behind the item's detail page: Kodi's `fanart`, Jellyfin's
    `backdrop` (see `artwork.BACKDROP_NAMES`) beside its file or in its show's folder; None
    if there is none. The image itself, not a thumbnail. Lists folders: call in the
    background."""
    from engine.ingest.artwork import backdrop_for

    item = Catalog(database.db).item(item_id)
    if item is None:
        return None
    roots = [root.path for root in Catalog(database.reader).roots()]
    for file in item["files"]:
        path = str(file["path"])
        if file["missing"] or file["offline"]:
            continue
        root = next((r for r in roots if path.startswith(r.rstrip(os.sep) + os.sep)), None)
        found = backdrop_for(path, root) if root is not None else None
        if found:
            return found
    return None
