"""The player's icons: bundled Lucide icons (desktop/icons.py) that can change with the state
(play ↔ pause) and follow theme changes, and the skip icons with their seconds written in."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap, QTransform
from PySide6.QtWidgets import QAbstractButton, QApplication

from desktop import icons

__all__ = ["glyph_icon", "set_glyph", "skip_pixmap"]

_NAME = "reelcastGlyph"
_FOLLOWING = "reelcastGlyphFollows"


def set_glyph(
    button: QAbstractButton,
    name: str,
    size: int = 20,
    role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
    color: str | None = None,
) -> None:
    """Show icon `name` on `button` (in `color`, else the palette's `role`); calling again
    swaps it (one palette follower per button, which always draws the current name).
    "skip:10:0" is a skip-back icon with 10 in it ("skip:30:1" forward); "chevron-left@90" a
    Lucide icon turned 90° clockwise."""
    button.setProperty(_NAME, name)
    button.setIconSize(QSize(size, size))

    def apply() -> None:
        palette = QPalette(button.palette())
        if color is not None:  # a fixed colour, e.g. on the always-black full-screen controls
            palette.setColor(QPalette.ColorGroup.Active, role, QColor(color))
            palette.setColor(QPalette.ColorGroup.Inactive, role, QColor(color))
        button.setIcon(glyph_icon(str(button.property(_NAME)), palette, size, role))

    if button.property(_FOLLOWING):
        apply()
    else:
        button.setProperty(_FOLLOWING, True)
        icons.follow_palette(button, apply)


def glyph_icon(name: str, palette: QPalette, size: int, role: QPalette.ColorRole) -> QIcon:
    if not name.startswith("skip:") and "@" not in name:
        return icons.icon(name, palette, size=size, role=role)
    result = QIcon()
    for mode, group in (
        (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
        (QIcon.Mode.Active, QPalette.ColorGroup.Active),
        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
    ):
        color = palette.color(group, role)
        if name.startswith("skip:"):
            seconds, forward = name.split(":")[1:]
            pixmap = skip_pixmap(int(seconds), forward == "1", color, size)
        else:
            base, _, turn = name.partition("@")
            pixmap = _turned(base, float(turn), color, size)
        result.addPixmap(pixmap, mode)
    return result


def _ratio() -> float:
    app = QApplication.instance()
    return app.devicePixelRatio() if isinstance(app, QApplication) else 1.0


def _turned(name: str, degrees: float, color: QColor, size: int) -> QPixmap:
    ratio = _ratio()
    turned = icons.pixmap(name, color, size, ratio).transformed(QTransform().rotate(degrees))
    turned.setDevicePixelRatio(ratio)
    return turned


def skip_pixmap(seconds: int, forward: bool, color: QColor, size: int) -> QPixmap:
    """A circular arrow (clockwise when `forward`) with the seconds in it, as podcast apps draw
    their skip buttons."""
    ratio = _ratio()
    arrow = icons.pixmap("rotate-ccw", color, size, ratio)
    if forward:
        arrow = arrow.transformed(QTransform().scale(-1, 1))
        arrow.setDevicePixelRatio(ratio)
    result = QPixmap(arrow.size())
    result.setDevicePixelRatio(ratio)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawPixmap(0, 0, arrow)
    font = QFont(QApplication.font())
    font.setPixelSize(max(6, round(size * 0.36)))
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(color)
    # Lucide's arrow circles the icon's centre: the digits sit there.
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, str(seconds))
    painter.end()
    return result
