"""OPML subscription lists (exports from other podcast apps), for importing subscriptions.

The file is local and untrusted. listparser is only ever given bytes: given a str that starts
with "http", it would fetch that URL. It parses with the stdlib HTML parser (or lxml's HTML
parser when lxml is installed), neither of which expands DTD entities; we still refuse any
<!ENTITY> declaration up front so a later switch of parser cannot reopen XXE or entity bombs.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import listparser

from engine.ingest.metadata import ReaderError
from engine.ingest.safe_read import read_capped

log = logging.getLogger(__name__)

MAX_OPML_BYTES = 20 * 1024 * 1024
_TITLE_CAP = 500
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Podcast-app URL schemes that mean plain HTTP(S).
_HTTP_ALIASES = {"feed": "http", "itpc": "http", "pcast": "http", "podcast": "http"}


@dataclass(frozen=True)
class Subscription:
    title: str | None
    url: str  # the feed URL; http(s) only, other schemes (file:, javascript:, ...) are dropped
    html_url: str | None = None
    folders: tuple[str, ...] = ()  # the enclosing outline titles, outermost first


def read_opml(path: str) -> list[Subscription]:
    """The podcast subscriptions in the OPML file at `path`, in document order, de-duplicated.

    ReaderError if the file cannot be read, is too large, declares XML entities or is not OPML.
    """
    data = read_capped(path, MAX_OPML_BYTES, "OPML file")
    text = _decode(data)
    # Checked on the decoded text so a UTF-16 file cannot hide the declaration from the scan.
    if _ENTITY_DECL.search(text):
        raise ReaderError("OPML file refused: it declares XML entities")
    try:
        # Re-encoded as UTF-8 because listparser decodes bytes as UTF-8 without looking at the
        # XML declaration; bytes (never str) so it cannot mistake the input for a URL.
        result: Any = listparser.parse(text.encode("utf-8"))
    except Exception as exc:
        # A third-party parser on untrusted input: any failure means "unreadable file".
        raise ReaderError(f"cannot parse OPML file: {exc}") from exc
    if result.get("bozo"):
        raise ReaderError(f"cannot parse OPML file: {result.get('bozo_exception')}")
    if not str(result.get("version") or "").startswith("opml"):
        raise ReaderError("not an OPML file: no <opml> element")

    outlines = _collect_outlines(text)
    subs: list[Subscription] = []
    seen: set[str] = set()
    for entry in result.get("feeds") or []:
        raw_url = str(entry.get("url") or "").strip()
        url = _http_url(raw_url)
        if url is None:
            log.debug("skipping OPML outline with unusable feed URL %r", raw_url)
            continue
        if url in seen:
            continue
        seen.add(url)
        title = str(entry.get("title") or "").strip()[:_TITLE_CAP] or None
        html_url, folders = outlines.get(raw_url, (None, ()))
        subs.append(Subscription(title, url, _http_url(html_url), folders))
    return subs


def _decode(data: bytes) -> str:
    """Decode by BOM, then the XML declaration's encoding, then UTF-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    else:
        declared = _XML_ENCODING.match(data.lstrip()[:200])
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise ReaderError(f"OPML file has a bad text encoding: {exc}") from exc
    return text.lstrip("\ufeff")


class _OutlineCollector(HTMLParser):
    """xmlUrl -> (htmlUrl, enclosing folder titles); listparser keeps neither as such."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self.stack: list[str] = []  # titles of the open outlines, "" for untitled ones

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.rsplit(":", 1)[-1] != "outline":
            return
        values = {k: (v or "").strip() for k, v in attrs}  # names arrive lower-cased
        xml_url = values.get("xmlurl")
        if xml_url and xml_url not in self.found:
            folders = tuple(t for t in self.stack if t)
            self.found[xml_url] = (values.get("htmlurl") or None, folders)
        self.stack.append("" if xml_url else values.get("text") or values.get("title") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "outline" and self.stack:
            self.stack.pop()


def _collect_outlines(text: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    collector = _OutlineCollector()
    try:
        collector.feed(text)
        collector.close()
    except Exception:
        # Web links and folders are niceties; a hiccup here must not lose the subscriptions.
        log.debug("could not collect OPML outline details", exc_info=True)
    return collector.found


def _http_url(value: Any) -> str | None:
    """The URL if it is http(s) (podcast-app aliases mapped to http), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    scheme = _HTTP_ALIASES.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))
