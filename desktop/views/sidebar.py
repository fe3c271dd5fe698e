"""The main window's sidebar pieces: the app's mark and name at its top, and the sections'
icons tinted to the palette."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QWidget

from desktop import appearance, icons
from desktop.theme import SPACE


def brand(parent: QWidget) -> QWidget:
    """The app's mark and name at the top of the sidebar."""
    name = QLabel(parent)
    name.setObjectName("brand")
    icon = Path(appearance.default_translations_dir()).parent / "icons" / "reelcast-48.png"
    size = 28
    pixmap = QPixmap(str(icon))
    if not pixmap.isNull():
        ratio = parent.devicePixelRatioF()
        pixmap = pixmap.scaled(
            round(size * ratio),
            round(size * ratio),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        pixmap.setDevicePixelRatio(ratio)
    mark = QLabel(parent)
    mark.setPixmap(pixmap)
    name.setText("Reelcast")
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(SPACE["s"], 0, 0, SPACE["xs"])
    row.setSpacing(0)
    row.addWidget(mark)
    row.addWidget(name, 1)
    return box


def tint_sections(sidebar: QListWidget) -> None:
    """Muted icons; the selected section's in the accent (QIcon's Selected mode)."""
    palette = sidebar.palette()
    accent = palette.color(QPalette.ColorRole.Accent)
    for row in range(sidebar.count()):
        entry = sidebar.item(row)
        name = str(entry.data(Qt.ItemDataRole.UserRole))
        entry.setIcon(
            icons.icon(name, palette, role=QPalette.ColorRole.PlaceholderText, active=accent)
        )
