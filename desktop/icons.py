"""Icons from the bundled Lucide set (resources/icons/lucide, ISC licence), tinted from the palette.

Lucide draws with `stroke="currentColor"`: an icon is its SVG text with that word replaced by a
colour, rendered by Qt's SVG image plug-in at the size asked for (times the screen's pixel
ratio), so it is sharp at any scale and follows the light or dark theme. Nothing is read until an
icon is asked for, and each (name, colour, size) is rendered once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QColor, QIcon, QImageReader, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

log = logging.getLogger(__name__)

__all__ = ["ICON_SIZES", "follow_palette", "icon", "icon_dir", "icon_names", "pixmap", "set_icon"]

# Icon sizes at 1× scale: inline with text, on buttons, in the sidebar, the big play button.
ICON_SIZES = {"s": 16, "m": 20, "l": 24, "xl": 32}


def icon_dir() -> Path:
    """resources/icons/lucide next to the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if isinstance(bundle, str) and bundle else Path(__file__).parent.parent
    return root / "resources" / "icons" / "lucide"


def icon_names() -> list[str]:
    return sorted(p.stem for p in icon_dir().glob("*.svg"))


@cache
def _svg(name: str) -> str:
    return (icon_dir() / f"{name}.svg").read_text(encoding="utf-8")


def _render(name: str, color: str, px: int) -> QPixmap:
    try:
        text = _svg(name)
    except OSError:
        log.warning("no icon named %s in %s", name, icon_dir())
        return QPixmap()
    data = QByteArray(text.replace("currentColor", color).encode())
    buffer = QBuffer(data)
    reader = QImageReader(buffer, QByteArray(b"svg"))
    reader.setScaledSize(QSize(px, px))
    image = reader.read()
    if image.isNull():
        log.warning("icon %s did not render: %s", name, reader.errorString())
        return QPixmap()
    return QPixmap.fromImage(image)


_cache: dict[tuple[str, str, int], QPixmap] = {}


def pixmap(name: str, color: str | QColor, size: int = 20, ratio: float = 0.0) -> QPixmap:
    """`name` drawn in `color` at `size` logical pixels (sharp at the screen's pixel ratio)."""
    if not ratio:
        app = QApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    hex_color = QColor(color).name(QColor.NameFormat.HexArgb)
    px = max(1, round(size * ratio))
    key = (name, hex_color, px)
    found = _cache.get(key)
    if found is None:
        # SVG takes #rrggbb plus an opacity; keep alpha by tinting with the opaque colour.
        found = _render(name, QColor(color).name(), px)
        alpha = QColor(color).alphaF()
        if alpha < 1 and not found.isNull():
            faded = QPixmap(found.size())
            faded.fill(QColor(0, 0, 0, 0))
            painter = QPainter(faded)
            painter.setOpacity(alpha)
            painter.drawPixmap(0, 0, found)
            painter.end()
            found = faded
        found.setDevicePixelRatio(ratio)
        _cache[key] = found
    return found


def icon(
    name: str,
    palette: QPalette | None = None,
    *,
    size: int = 20,
    role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
    active: QColor | str | None = None,
) -> QIcon:
    """A QIcon of `name` tinted with the palette's `role` (the app's palette by default): the
    normal state in that colour, disabled in the disabled colour, and — when `active` is given —
    the selected/checked state in `active` (e.g. text on the accent)."""
    if palette is None:
        palette = QApplication.palette()
    result = QIcon()
    normal = palette.color(QPalette.ColorGroup.Active, role)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role)
    result.addPixmap(pixmap(name, normal, size), QIcon.Mode.Normal, QIcon.State.Off)
    result.addPixmap(pixmap(name, normal, size), QIcon.Mode.Active, QIcon.State.Off)
    result.addPixmap(pixmap(name, disabled, size), QIcon.Mode.Disabled, QIcon.State.Off)
    selected = QColor(active) if active is not None else normal
    for state in (QIcon.State.Off, QIcon.State.On):
        result.addPixmap(pixmap(name, selected, size), QIcon.Mode.Selected, state)
    result.addPixmap(pixmap(name, selected, size), QIcon.Mode.Normal, QIcon.State.On)
    return result


class _PaletteFollower(QObject):
    """Calls `apply` again whenever its widget's palette really changes (a theme switch).

    Setting an icon under a stylesheet can re-polish the widget, which sends another
    PaletteChange: only a changed palette re-applies, and never from inside `apply`. Changes
    are looked at once, when the widget is shown or on the next event-loop turn, whichever
    comes first: a widget being built, reparented and polished changes palette several times
    (the sidebar's icons were tinted six times while the window was made, docs/startup.md)."""

    def __init__(self, widget: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._apply = apply
        self._busy = False
        self._pending = False
        self._seen = self._key()
        widget.installEventFilter(self)

    def _key(self) -> tuple[str, ...]:
        palette = self._widget.palette()
        roles = (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Accent, QPalette.ColorRole.Text)
        return tuple(palette.color(role).name() for role in roles)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.PaletteChange and not self._busy and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._check)  # dies with the widget
        elif kind == QEvent.Type.Show and self._pending:
            self._check()  # shown: polished, and not yet painted
        return False

    def _check(self) -> None:
        if not self._pending:
            return
        self._pending = False
        key = self._key()
        if key != self._seen:
            self._seen = key
            self._busy = True
            try:
                self._apply()
            finally:
                self._busy = False


def follow_palette(widget: QWidget, apply: Callable[[], None]) -> None:
    """Run `apply` now and again after each palette change of `widget` (icons re-tint)."""
    apply()
    _PaletteFollower(widget, apply)


def set_icon(
    button: QAbstractButton,
    name: str,
    *,
    size: int = 20,
    role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
) -> None:
    """Give `button` the icon `name`, tinted from its palette now and after theme changes."""
    button.setIconSize(QSize(size, size))
    follow_palette(
        button, lambda: button.setIcon(icon(name, button.palette(), size=size, role=role))
    )
