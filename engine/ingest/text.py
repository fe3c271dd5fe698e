"""Text hygiene shared by every reader: strip HTML, fold whitespace, cap length."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCKS = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"]
_TAG_HINT = re.compile(r"<[a-zA-Z/!]|&[#a-zA-Z0-9]+;")


def clean_text(value: str | None, cap: int | None = None) -> str | None:
    """Plain text from a description that may hold HTML; None when nothing is left.

    Paragraph breaks survive as single blank lines; runs of spaces fold to one.
    """
    if value is None:
        return None
    text = value
    if _TAG_HINT.search(text):
        with warnings.catch_warnings():
            # Plain text that looks like a URL or filename makes bs4 warn; it is still parsed.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "html.parser")
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for block in soup.find_all(_BLOCKS):
            block.append("\n\n")
        text = soup.get_text()
    text = text.replace("\x00", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if cap is not None and len(text) > cap:
        text = text[:cap].rsplit(" ", 1)[0] + "…"
    return text or None


def first_line(value: str | None) -> str | None:
    """The first non-empty line, cleaned; for titles taken from free text."""
    cleaned = clean_text(value)
    if not cleaned:
        return None
    return cleaned.split("\n", 1)[0].strip() or None
