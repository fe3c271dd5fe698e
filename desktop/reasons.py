"""Why an item is recommended, in the UI language.

The engine gives a reason as data (engine/recommend/reasons.py: a kind and its arguments);
this module words it with tr() and plural forms. A card shows the human line ("Because you
watched *Alien*", "Next in *99% Invisible*"); numbers (similarity, votes) go to the tooltip
only. `text` is plain, `rich` puts the titles it names in italics (HTML-escaped), `tooltip`
is the rich line plus the number behind it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QLocale, QObject

from desktop.models.formatting import clock

__all__ = ["ReasonLike", "Reasons", "detail", "rich", "text", "tooltip"]


class ReasonLike(Protocol):
    """engine.recommend.reasons.Reason, without importing the recommend layer (numpy)."""

    @property
    def kind(self) -> str: ...

    @property
    def args(self) -> Mapping[str, Any]: ...


Mark = Callable[[str], str]  # how a title is set in the line: plain, or <i>escaped</i>


class Reasons(QObject):
    """Holds the tr() calls, so lupdate files them under the "Reasons" context with their
    plural forms (it reads `self.tr` literally)."""

    def line(self, reason: ReasonLike, mark: Mark, esc: Callable[[str], str]) -> str:
        a = reason.args
        title = mark(str(a.get("title") or ""))
        k = reason.kind
        if k == "liked_self":
            return esc(self.tr("You liked this"))
        if k == "because_liked":
            return esc(self.tr("Because you liked %1")).replace("%1", title)
        if k == "because_watched":
            return esc(self.tr("Because you watched %1")).replace("%1", title)
        if k == "watched_with":
            return esc(self.tr("Often watched with %1 on this computer")).replace("%1", title)
        if k == "similar_to":
            return esc(self.tr("Similar to %1")).replace("%1", title)
        if k == "popular":
            return esc(self.tr("Popular with viewers"))
        if k == "variety":
            return esc(self.tr("Something different"))
        if k == "start_popular":
            return esc(self.tr("A popular pick to start with"))
        if k == "start":
            return esc(self.tr("A pick to start with"))
        if k == "explore":
            return esc(self.tr("From your library"))
        if k == "continue":
            left = a.get("remaining")
            if isinstance(left, int | float) and left >= 30:
                minutes = max(1, round(left / 60))
                return esc(self.tr("%n min left", "time left to play", minutes))
            return esc(self.tr("Pick up where you left off"))
        if k == "next_in_show":
            show = mark(str(a.get("show") or ""))
            if not a.get("show"):
                return esc(self.tr("Next episode"))
            if a.get("followed"):
                return esc(self.tr("Next in %1, a show you follow")).replace("%1", show)
            return esc(self.tr("Next in %1")).replace("%1", show)
        if k == "watched_by":
            names = [mark(str(n)) for n in a.get("names") or []]
            if len(names) >= 2:
                both = esc(self.tr("Watched by %1 and %2"))
                return both.replace("%1", names[0]).replace("%2", names[1])
            if names:
                return esc(self.tr("Watched by %1")).replace("%1", names[0])
            return esc(self.tr("Watched by profiles like yours"))
        if k == "added_days_ago":
            days = int(a.get("days") or 0)
            if days <= 0:
                return esc(self.tr("Added today"))
            if days == 1:
                return esc(self.tr("Added yesterday"))
            return esc(self.tr("Added %n days ago", "", days))
        return esc(k)  # a kind this version does not know: better its name than nothing

    def detail(self, reason: ReasonLike) -> str:
        a = reason.args
        locale = QLocale()
        if "similarity" in a:
            value = locale.toString(float(a["similarity"]), "f", 2)
            return self.tr("Similarity %1", "cosine similarity of two items").replace("%1", value)
        if reason.kind in ("popular", "start_popular") and "votes" in a:
            rating = locale.toString(float(a.get("rating") or 0), "f", 1)
            votes = int(a["votes"])
            return self.tr("Rated %1/10 by %n people", "", votes).replace("%1", rating)
        if reason.kind == "watched_by" and "match" in a:
            value = locale.toString(float(a["match"]), "f", 2)
            return self.tr("Taste match %1").replace("%1", value)
        if reason.kind == "continue" and "position" in a:
            position = clock(int(float(a["position"]) * 1000))
            return self.tr("Stopped at %1").replace("%1", position)
        return ""


_words: Reasons | None = None


def _the_words() -> Reasons:
    global _words
    if _words is None:
        _words = Reasons()
    return _words


def text(reason: ReasonLike | None) -> str:
    """The plain line for a card, the detail page and screen readers."""
    if reason is None:
        return ""
    return _the_words().line(reason, lambda t: t, lambda t: t)


def rich(reason: ReasonLike | None) -> str:
    """The line as rich text, the titles it names in italics."""
    if reason is None:
        return ""
    return _the_words().line(reason, lambda t: f"<i>{html.escape(t)}</i>", html.escape)


def detail(reason: ReasonLike | None) -> str:
    """The number behind a reason, in words ("Similarity 0.82"), or ""."""
    return _the_words().detail(reason) if reason is not None else ""


def tooltip(reason: ReasonLike | None) -> str | None:
    """Rich text for a card's tooltip: the line, and the number behind it on its own line."""
    if reason is None:
        return None
    more = detail(reason)
    body = rich(reason) + (f"<br>{html.escape(more)}" if more else "")
    return "<p>" + body + "</p>"  # <p> makes Qt treat it as rich text and wrap it
