"""Can this system draw the UI language? A translation into a script no installed font covers
shows every label as an empty box (simplified Chinese on a system without a CJK font).

`can_draw` asks Qt's font database whether some font has every character of a sample; the
window samples its own translated strings, so whatever language is installed is checked,
with no table of languages to keep.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication

log = logging.getLogger(__name__)

__all__ = ["can_draw", "missing_characters"]


def missing_characters(text: str, font: QFont | None = None) -> str:
    """The characters of `text` that neither `font` (the app's by default) nor any installed
    font can draw, in order, each once."""
    font = font if font is not None else QGuiApplication.font()
    wanted = [c for c in dict.fromkeys(text) if not c.isspace() and not c.isascii()]
    if not wanted:
        return ""
    metrics = QFontMetrics(font)
    missing = [c for c in wanted if not metrics.inFontUcs4(ord(c))]
    if not missing:
        return ""
    # The app font lacks them; Qt falls back to other fonts when painting: any will do.
    for family in _families():
        other = QFontMetrics(QFont(family))
        missing = [c for c in missing if not other.inFontUcs4(ord(c))]
        if not missing:
            return ""
    return "".join(missing)


def can_draw(text: str, font: QFont | None = None) -> bool:
    return not missing_characters(text, font)


@functools.cache
def _families() -> tuple[str, ...]:
    # Installed fonts do not change while the app runs (a new one needs a restart anyway).
    return tuple(QFontDatabase.families())
