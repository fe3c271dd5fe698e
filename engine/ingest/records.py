"""Turning an extracted file into catalogue rows: the item's kind, fields and show."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from engine.ingest.metadata import Extracted, Metadata
from engine.store.catalog import ITEM_COLUMNS

# Columns copied as they are from Metadata into items; the rest are built below.
_BUILT = frozenset(
    {
        "kind",
        "title",
        "show_id",
        "genres",
        "people",
        "chapters",
        "artwork",
        "sources",
        "external_ids",
    }
)
_PLAIN = [c for c in ITEM_COLUMNS if c not in _BUILT]


def item_kind(md: Metadata, media_type: str, root_kind: str) -> str:
    """podcast, episode, movie, audio or video."""
    if md.kind in ("podcast", "episode", "movie", "video"):  # "video": an NFO's <musicvideo>
        return md.kind
    if root_kind == "podcast":
        return "podcast"
    if media_type == "video":
        if md.show and (md.season is not None or md.episode is not None):
            return "episode"
        return "movie" if root_kind == "video" else "video"
    return "audio"


def item_values(md: Metadata, res: Extracted, root_kind: str) -> dict[str, Any]:
    kind = item_kind(md, res.media_type, root_kind)
    title = md.title or os.path.splitext(os.path.basename(res.path))[0]
    values: dict[str, Any] = {name: getattr(md, name) for name in _PLAIN}
    sources = dict(md.sources)
    if not md.title:
        sources["title"] = "filename"
    values.update(
        kind=kind,
        title=title,
        genres=json.dumps(md.genres, ensure_ascii=False),
        people=json.dumps(md.people, ensure_ascii=False),
        chapters=json.dumps([asdict(c) for c in md.chapters], ensure_ascii=False),
        external_ids=json.dumps(md.external_ids, sort_keys=True) if md.external_ids else None,
        artwork=res.thumbnail,
        sources=json.dumps(sources, sort_keys=True),
    )
    return values


@dataclass(frozen=True)
class ShowRow:
    kind: str
    title: str
    fields: dict[str, Any]


def show_fields(md: Metadata, res: Extracted, kind: str) -> ShowRow | None:
    """The show, series or podcast this item belongs to; films have none."""
    if not md.show or kind == "movie":
        return None
    show_kind = "tv" if kind in ("episode", "video") else "podcast"
    sources = {"title": md.sources.get("show", "unknown")}
    if md.show_description:
        sources["description"] = md.sources.get("show_description", "unknown")
    return ShowRow(
        kind=show_kind,
        title=md.show,
        fields={
            "description": md.show_description,
            "artwork": res.show_thumbnail,
            "feed_url": md.show_feed_url,
            "sources": sources,
        },
    )
