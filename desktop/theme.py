"""Design tokens: the one place that says how big, how far apart and what colour things are.

Widgets and delegates read these instead of hard-coding numbers or colours, so the light and
dark themes (and any later change of scale) stay consistent. `docs/design.md` explains the
choices. Nothing here creates widgets; `desktop/appearance.py` turns a `Colors` into a
`QPalette` and the app stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont

__all__ = [
    "CARD_ART",
    "DARK",
    "LIGHT",
    "RADIUS",
    "SPACE",
    "TYPE",
    "Colors",
    "art_shape",
    "colors_for",
    "font_for",
]

# Spacing grid: multiples of 4 px (at 1× scale). Name the step, never the number.
SPACE = {"xxs": 2, "xs": 4, "s": 8, "m": 12, "l": 16, "xl": 24, "xxl": 32, "xxxl": 48}

# Corner radii: cards and art are rounded a little, buttons and chips fully.
RADIUS = {"art": 8, "card": 10, "control": 6, "pill": 999}

# Type scale as multiples of the platform's default point size (users' font settings win), with
# the weight. "display" is the detail page title, "title" a shelf heading, "body" the default.
TYPE: dict[str, tuple[float, int]] = {
    "display": (2.0, 700),
    "headline": (1.5, 700),
    "title": (1.25, 600),
    "subtitle": (1.05, 600),
    "body": (1.0, 400),
    "caption": (0.88, 400),
    "overline": (0.8, 600),
}

# Art shapes per kind: square for podcasts and audio, 2:3 posters for films and shows, 16:9
# frames for TV episodes and plain videos. Width × height of a shelf card's art at 1× scale.
CARD_ART: dict[str, QSize] = {
    "square": QSize(168, 168),
    "poster": QSize(148, 222),
    "landscape": QSize(264, 148),
}

_SHAPES = {
    "podcast": "square",
    "audio": "square",
    "show": "poster",
    "movie": "poster",
    "episode": "landscape",
    "video": "landscape",
}


def art_shape(kind: str | None) -> str:
    """The art shape for an item or show kind ("square", "poster" or "landscape")."""
    return _SHAPES.get(kind or "", "landscape")


@dataclass(frozen=True)
class Colors:
    """Colour roles (not colours): what a colour is *for*."""

    dark: bool
    window: str  # the page background
    surface: str  # cards, panels, the sidebar
    surface_raised: str  # hovered cards, menus, the now-playing bar
    text: str
    text_muted: str  # secondary lines: show, duration, reasons
    text_disabled: str
    border: str  # hairlines between regions
    accent: str  # selection, focus, primary buttons, progress
    accent_text: str  # text on the accent
    focus_ring: str
    progress_track: str
    watched: str  # the finished badge
    warning: str
    error: str
    scrim: str  # the dark gradient under text laid over art
    # Added with the app stylesheet (desktop/appearance.py); defaults keep older callers working.
    hover: str = "#14000000"  # laid over a control or row under the pointer (#AARRGGBB)
    pressed: str = "#24000000"
    selected: str = "#245b4bdb"  # the selected sidebar row / checked toggle: accent, faint
    scrollbar: str = "#40000000"  # the scrollbar handle; solid text_muted when hovered
    tooltip: str = "#16161a"  # tooltips are inverted: dark on light, light on dark
    tooltip_text: str = "#f6f6f8"


LIGHT = Colors(
    dark=False,
    window="#f6f6f8",
    surface="#ffffff",
    surface_raised="#ececf1",
    text="#16161a",
    text_muted="#5c5c66",
    text_disabled="#a0a0a8",
    border="#dcdce2",
    accent="#5b4bdb",
    accent_text="#ffffff",
    focus_ring="#5b4bdb",
    progress_track="#d6d6de",
    watched="#2e9e5b",
    warning="#b26a00",
    error="#c62828",
    scrim="#000000",
    hover="#12000000",
    pressed="#22000000",
    selected="#225b4bdb",
    scrollbar="#48000000",
    tooltip="#26262e",
    tooltip_text="#f6f6f8",
)

DARK = Colors(
    dark=True,
    window="#121216",
    surface="#1b1b21",
    surface_raised="#26262e",
    text="#ececf1",
    text_muted="#a2a2ad",
    text_disabled="#5f5f69",
    border="#2c2c35",
    accent="#8b7cff",
    accent_text="#0e0e12",
    focus_ring="#a99dff",
    progress_track="#3a3a44",
    watched="#4cc37d",
    warning="#f0a030",
    error="#ff6b6b",
    scrim="#000000",
    hover="#14ffffff",
    pressed="#24ffffff",
    selected="#338b7cff",
    scrollbar="#50ffffff",
    tooltip="#ececf1",
    tooltip_text="#16161a",
)


def colors_for(dark: bool) -> Colors:
    return DARK if dark else LIGHT


def font_for(base: QFont, role: str) -> QFont:
    """`base` at a role of the type scale (`TYPE`): its size times the role's factor, its
    weight. Works for fonts sized in points or in pixels."""
    scale, weight = TYPE[role]
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * scale)
    else:
        font.setPixelSize(max(1, round(base.pixelSize() * scale)))
    font.setWeight(QFont.Weight(weight))
    return font
