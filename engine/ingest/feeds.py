"""Local podcast feed files (gPodder-style download folders) and matching episodes to media files.

Feeds are read from disk only; nothing here ever touches the network. Every feed is untrusted
input: it is size-capped and checked with defusedxml before podcastparser sees it, so DTD entity
declarations (entity bombs, external entities) are refused outright.
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes
from xml.sax.xmlreader import AttributesImpl

import defusedxml
import defusedxml.sax
import podcastparser

from engine.ingest import artwork
from engine.ingest.metadata import Chapter, DirContext, Metadata, ReaderError
from engine.ingest.text import clean_text
from engine.logs import configure_child_logging

log = logging.getLogger(__name__)

SOURCE = "feed"
MAX_FEED_BYTES = 20 * 1024 * 1024
DESCRIPTION_CAP = 10_000
DATE_TOLERANCE = timedelta(days=2)
_CACHE_SIZE = 8  # one folder's feeds at a time; parsed feeds can be large
_MEDIA_TYPES = ("audio/", "video/")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class FeedEpisode:
    """One item of a feed. Descriptions are kept as found (may hold HTML); clean on use."""

    guid: str | None
    title: str | None
    description: str | None
    published: str | None  # ISO 8601 datetime in UTC
    duration: float | None  # seconds
    enclosure_filename: str | None  # basename of the enclosure URL path, url-unquoted
    enclosure_url: str | None
    chapters: tuple[Chapter, ...] = ()
    image: str | None = None  # URL; never fetched


@dataclass(frozen=True)
class Feed:
    """A parsed feed. Instances are cached and shared between callers, hence immutable."""

    title: str | None
    description: str | None
    link: str | None  # the show's web page
    url: str | None  # the feed's own URL (itunes:new-feed-url or atom:link rel="self")
    artwork: str | None  # URL; never fetched
    language: str | None
    episodes: tuple[FeedEpisode, ...] = ()  # newest first, as podcastparser orders them


# --- reading -----------------------------------------------------------------------------------

# (path, size, mtime_ns) -> Feed, or the message of the ReaderError it raised. Broken feeds are
# cached too: the scanner asks once per episode file, and re-failing hundreds of times is waste.
_cache: OrderedDict[tuple[str, int, int], Feed | str] = OrderedDict()
_cache_lock = threading.Lock()
# podcastparser keeps per-parse state on module-level singletons (its element MAPPING), so two
# threads parsing at once could mix up each other's values. Parsing is GIL-bound anyway.
_parse_lock = threading.Lock()


def read_feed(path: str) -> Feed:
    """Parse the local feed file at `path`; ReaderError if it is unreadable, hostile or no feed."""
    try:
        with Path(path).open("rb") as fh:
            st = os.fstat(fh.fileno())
            key = (path, st.st_size, st.st_mtime_ns)
            with _cache_lock:
                cached = _cache.get(key)
                if cached is not None:
                    _cache.move_to_end(key)
            if cached is None:
                # Read one byte past the cap so a file that grew since fstat() is still caught.
                data = b"" if st.st_size > MAX_FEED_BYTES else fh.read(MAX_FEED_BYTES + 1)
    except OSError as exc:
        raise ReaderError(f"cannot read feed file: {exc.strerror or exc}") from exc

    if cached is None:
        try:
            if st.st_size > MAX_FEED_BYTES or len(data) > MAX_FEED_BYTES:
                raise ReaderError(f"feed file is too large (over {MAX_FEED_BYTES} bytes)")
            cached = _parse(data, path)
        except ReaderError as exc:
            cached = str(exc)
        with _cache_lock:
            _cache[key] = cached
            _cache.move_to_end(key)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    if isinstance(cached, str):
        raise ReaderError(cached)
    return cached


def clear_cache() -> None:
    """Forget every parsed feed (tests, or after the user edits files by hand)."""
    with _cache_lock:
        _cache.clear()


class _Guard(ContentHandler):
    """Sees the document first: notes the root element and the channel's self link."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.root: str | None = None
        self.self_link: str | None = None

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        local = name.rsplit(":", 1)[-1]
        if self.root is None:
            self.root = local
        parent = self.stack[-1] if self.stack else None
        if (
            self.self_link is None
            and local == "link"
            and parent in ("channel", "feed")
            and len(self.stack) <= 2
            and attrs.get("rel") == "self"
        ):
            self.self_link = (attrs.get("href") or "").strip() or None
        self.stack.append(local)

    def endElement(self, name: str) -> None:
        if self.stack:
            self.stack.pop()


def _parse(data: bytes, path: str) -> Feed:
    if not data.strip():
        raise ReaderError("feed file is empty")
    guard = _Guard()
    parser: Any = defusedxml.sax.make_parser()
    # Any <!ENTITY> declaration is refused, so neither an entity bomb nor XXE ever reaches
    # podcastparser (which parses with plain xml.sax). A DOCTYPE naming an external DTD, as old
    # RSS 0.91 feeds do, is allowed but never loaded: external entities stay off.
    parser.forbid_dtd = False
    parser.forbid_entities = True
    parser.forbid_external = False
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(guard)
    try:
        parser.parse(io.BytesIO(data))
    except defusedxml.DefusedXmlException as exc:
        raise ReaderError(f"feed file refused: it declares XML entities ({exc})") from exc
    except SAXException as exc:
        raise ReaderError(f"feed file is not well-formed XML: {exc}") from exc
    if guard.root not in ("rss", "feed"):
        raise ReaderError(f"not a podcast feed: the root element is <{guard.root}>")
    try:
        # An empty base URL keeps relative GUIDs as written; a file:// base would rewrite
        # "abc-123" into "file:///abc-123" and break matching against the ID3 TGID tag.
        configure_child_logging()  # podcastparser logs bad dates: into our log, not stderr
        with _parse_lock:
            raw: dict[str, Any] = podcastparser.parse("", io.BytesIO(data))
    except Exception as exc:
        # A third-party parser on untrusted input: any failure means "unreadable feed".
        raise ReaderError(f"cannot parse feed: {exc}") from exc
    log.debug("parsed feed %s: %d episodes", path, len(raw.get("episodes", [])))
    episodes = tuple(_episode(item) for item in raw.get("episodes", []) if isinstance(item, dict))
    return Feed(
        title=_text(raw.get("title")),
        description=_text(raw.get("description")),
        link=_text(raw.get("link")),
        url=_text(raw.get("new_url")) or guard.self_link,
        artwork=_text(raw.get("cover_url")),
        language=_text(raw.get("language")),
        episodes=episodes,
    )


def _episode(item: dict[str, Any]) -> FeedEpisode:
    enclosure = _pick_enclosure(item.get("enclosures") or [])
    url = _text(enclosure.get("url")) if enclosure else None
    duration = _number(item.get("total_time"))
    return FeedEpisode(
        guid=_text(item.get("guid")),
        title=_text(item.get("title")),
        description=_text(item.get("description_html")) or _text(item.get("description")),
        published=_iso(item.get("published")),
        duration=duration,
        enclosure_filename=_url_basename(url) if url else None,
        enclosure_url=url,
        chapters=_chapters(item.get("chapters") or [], duration),
        image=_text(item.get("episode_art_url")),
    )


def _pick_enclosure(enclosures: list[Any]) -> dict[str, Any] | None:
    """The first audio/video enclosure, else the first one (mime types are often missing)."""
    found = [e for e in enclosures if isinstance(e, dict) and e.get("url")]
    for enc in found:
        if str(enc.get("mime_type") or "").startswith(_MEDIA_TYPES):
            return enc
    return found[0] if found else None


def _chapters(raw: list[Any], duration: float | None) -> tuple[Chapter, ...]:
    points: list[tuple[float, str]] = []
    for ch in raw:
        if not isinstance(ch, dict):
            continue
        start, title = _number(ch.get("start"), allow_zero=True), _text(ch.get("title"))
        if start is not None and title:
            points.append((start, title))
    points.sort(key=lambda p: p[0])
    chapters = []
    for i, (start, title) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else duration
        chapters.append(Chapter(start=start, title=title, end=end if end and end > start else None))
    return tuple(chapters)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _number(value: Any, allow_zero: bool = False) -> float | None:
    # podcastparser uses 0 for "unknown" durations; a chapter may legitimately start at 0.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value < 0 or (value == 0 and not allow_zero):
        return None
    return float(value)


def _iso(timestamp: Any) -> str | None:
    # podcastparser gives 0 for a missing or unparseable date.
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float) or timestamp == 0:
        return None
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _url_basename(url: str) -> str | None:
    try:
        url_path = urlsplit(url).path
    except ValueError:
        return None
    name = unquote(url_path.rstrip("/").rsplit("/", 1)[-1])
    return name or None


# --- matching ----------------------------------------------------------------------------------


def match_episode(media: str, md: Metadata, ctx: DirContext) -> Metadata:
    """Facts from the feed(s) in `ctx.feeds` for the episode that `media` is; empty if none fits.

    Tried in order over all feeds: enclosure file name (exact, then gPodder-sanitised), GUID,
    then title with the publish date within two days. A match must be unique within its feed;
    ambiguous candidates (e.g. every enclosure named "audio.mp3") fall through to the next rule.
    A broken feed becomes a warning on the feed's path, never an exception.
    """
    out = Metadata()
    feeds: list[Feed] = []
    for feed_path in ctx.feeds:
        try:
            feeds.append(read_feed(feed_path))
        except ReaderError as exc:
            log.info("skipping feed %s: %s", feed_path, exc)
            out.warnings.append((feed_path, str(exc)))
    found = _find(media, md, feeds)
    if found is None:
        return out
    feed, ep = found
    out.put("kind", "podcast", SOURCE)
    out.put("title", ep.title, SOURCE)
    out.put("description", clean_text(ep.description, DESCRIPTION_CAP), SOURCE)
    out.put("air_date", ep.published, SOURCE)
    out.put("duration", ep.duration, SOURCE)
    out.put("guid", ep.guid, SOURCE)
    out.put("chapters", list(ep.chapters), SOURCE)
    out.put("show", feed.title, SOURCE)
    out.put("show_description", clean_text(feed.description, DESCRIPTION_CAP), SOURCE)
    out.put("show_feed_url", feed.url, SOURCE)
    out.put("language", feed.language, SOURCE)
    # The feed's images only when a podcatcher saved them beside it: nothing is fetched.
    out.put("artwork_path", artwork.local_image(ep.image, ctx), SOURCE)
    out.put("show_artwork_path", artwork.local_image(feed.artwork, ctx), SOURCE)
    return out


def _find(media: str, md: Metadata, feeds: list[Feed]) -> tuple[Feed, FeedEpisode] | None:
    name = Path(media).name
    name_key = _name_key(name)
    guid = (md.guid or "").strip()
    title_key = _title_key(md.title)
    air = _parse_date(md.air_date)

    def by_title(ep: FeedEpisode) -> bool:
        if not title_key or _title_key(ep.title) != title_key:
            return False
        published = _parse_date(ep.published)
        return air is None or published is None or abs(published - air) <= DATE_TOLERANCE

    rules = [
        lambda ep: ep.enclosure_filename == name,
        lambda ep: bool(name_key) and _name_key(ep.enclosure_filename) == name_key,
        lambda ep: bool(guid) and ep.guid == guid,
        by_title,
    ]
    for rule in rules:
        for feed in feeds:
            hits = [ep for ep in feed.episodes if rule(ep)]
            if len(hits) == 1:
                return feed, hits[0]
    return None


def _name_key(name: str | None) -> str:
    """A file name reduced the way gPodder's sanitising can't disturb it.

    Drops any URL query, the extension, case, and every non-alphanumeric character (gPodder
    strips or replaces characters that are unsafe in file names).
    """
    if not name:
        return ""
    name = name.split("?", 1)[0]
    stem, dot, _ext = name.rpartition(".")
    if dot and stem:
        name = stem
    name = unicodedata.normalize("NFKC", name).casefold()
    return _NON_WORD.sub("", name)


def _title_key(title: str | None) -> str:
    if not title:
        return ""
    title = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", title).strip()


def _parse_date(value: str | None) -> datetime | None:
    """An aware datetime from an ISO date or datetime; None for a bare year or junk."""
    if not value or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # Dates without a zone (ID3 TDRC, NFO) are taken as UTC; the 2-day window absorbs the error.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
