"""How the player's views look, from the design tokens (desktop/theme.py): the slim seek bar in
the accent and the round accent play button, shared by the full player, the now-playing bar and
the full-screen controls. Each view sets these rules on itself and again when the theme changes
(`follow_theme`), so the app stylesheet (desktop/appearance.py) needs no player rules."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QWidget

from desktop import appearance
from desktop.theme import RADIUS, Colors

__all__ = ["PLAY_SIZE", "follow_theme", "play_button_rules", "seek_rules", "tint_on_accent"]

PLAY_SIZE = 40  # px: the round play button


def seek_rules(selector: str, c: Colors, groove: str | None = None) -> str:
    """A 4 px track with the played part and a 12 px knob in the accent."""
    track = groove or c.progress_track
    return f"""
{selector} {{ min-height: 16px; background: transparent; }}
{selector}::groove:horizontal {{ height: 4px; border-radius: 2px; background: {track}; }}
{selector}::sub-page:horizontal {{ height: 4px; border-radius: 2px; background: {c.accent}; }}
{selector}::handle:horizontal {{ width: 12px; height: 12px; margin: -4px 0; border-radius: 6px;
    background: {c.accent}; }}
{selector}::handle:horizontal:hover {{ background: {c.focus_ring}; }}
"""


def play_button_rules(selector: str, c: Colors) -> str:
    half = PLAY_SIZE // 2
    return f"""
{selector} {{ background: {c.accent}; border: 2px solid transparent; border-radius: {half}px;
    min-width: {PLAY_SIZE - 4}px; max-width: {PLAY_SIZE - 4}px;
    min-height: {PLAY_SIZE - 4}px; max-height: {PLAY_SIZE - 4}px; padding: 0; }}
{selector}:hover {{ background: {c.focus_ring}; }}
{selector}:focus {{ border: 2px solid {c.text}; }}
{selector}:disabled {{ background: {c.border}; }}
"""


def transport_rules(selector: str, c: Colors) -> str:
    """Icon buttons: no frame until hovered, the focus ring when focused."""
    return f"""
{selector} {{ background: transparent; border: 2px solid transparent;
    border-radius: {RADIUS["control"]}px; padding: 4px; min-height: 0; }}
{selector}:hover {{ background: {c.border}; }}
{selector}:focus {{ border: 2px solid {c.focus_ring}; }}
"""


def tint_on_accent(button: QAbstractButton, c: Colors) -> None:
    """The play icon in the text colour for the accent (icons are tinted from ButtonText)."""
    palette = button.palette()
    if palette.color(QPalette.ColorRole.ButtonText) != QColor(c.accent_text):
        palette.setColor(QPalette.ColorRole.ButtonText, QColor(c.accent_text))
        button.setPalette(palette)


class _ThemeWatch(QObject):
    def __init__(self, widget: QWidget, apply: Callable[[Colors], str]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._apply = apply
        widget.installEventFilter(self)

    def restyle(self) -> None:
        sheet = self._apply(appearance.current_colors())
        if sheet != self._widget.styleSheet():  # setting it changes the palette: no loop
            self._widget.setStyleSheet(sheet)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        return False


def follow_theme(widget: QWidget, stylesheet: Callable[[Colors], str]) -> None:
    """Set `stylesheet(colours)` on `widget` now and after every theme change."""
    _ThemeWatch(widget, stylesheet).restyle()
