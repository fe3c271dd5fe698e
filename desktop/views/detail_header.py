"""The detail page's visual parts: the hero band (blurred backdrop, art at its own shape), the
chapter list (a click plays from there), the files with their state, and per-item warnings.

The art comes from `desktop.art.ArtProvider` (one cache for every view); the hero asks it for
the same art twice: at the art's own shape, sharp, and tiny for the backdrop, which drawn large
is the blur (no blur filter to run). Strings use translate("DetailView", …).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop import icons
from desktop.art import Art, ArtProvider
from desktop.models.formatting import clock
from desktop.theme import RADIUS, SPACE, art_shape

__all__ = [
    "DETAIL_ART",
    "ArtLabel",
    "ChapterList",
    "FilesSection",
    "Hero",
    "WarningsBox",
    "WrappedLabel",
    "art_for",
    "detail_art_size",
]

# The art on the detail page: the card's shape, larger (Plex and Jellyfin show the poster at
# about 1.5-2x the shelf card beside the title).
DETAIL_ART = {
    "square": QSize(240, 240),
    "poster": QSize(200, 300),
    "landscape": QSize(352, 198),
}
_BACKDROP = QSize(48, 27)  # drawn across the hero: the scaling is the blur


def detail_art_size(kind: str | None) -> QSize:
    return QSize(DETAIL_ART[art_shape(kind)])


def art_for(item: dict[str, Any], art_path: str | None) -> Art:
    """What the detail page draws for `item`: its art file, else the generated cover. The one
    place that says where the page's art comes from."""
    return Art(
        path=art_path,
        title=str(item.get("title") or ""),
        show=str(item.get("show") or ""),
        kind=str(item.get("kind") or "") or None,
        item_id=None if art_path else int(item["id"]),
    )


class ArtLabel(QLabel):
    """The item's art, at its own shape, with rounded corners; repaints when the art arrives."""

    def __init__(self, provider: ArtProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.art: Art | None = None
        self.setFixedSize(DETAIL_ART["square"])
        provider.changed.connect(self._refresh)

    def set_art(self, art: Art | None) -> None:
        self.art = art
        if art is not None:
            self.setFixedSize(detail_art_size(art.kind))
        self._refresh()

    def _refresh(self) -> None:
        if self.art is None:
            self.clear()
            return
        # A pixmap (not only a paint): tests and accessibility tools read it.
        self.setPixmap(self.provider.pixmap(self.art, self.size(), self.devicePixelRatioF()))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.art is None:
            return
        painter = QPainter(self)
        self.provider.paint(painter, self.rect(), self.art, RADIUS["art"])
        painter.end()


class Hero(QWidget):
    """The top band: the art's colours blurred behind, fading into the page."""

    def __init__(self, provider: ArtProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.art: Art | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        provider.changed.connect(self.update)

    def set_art(self, art: Art | None) -> None:
        self.art = art
        self.update()

    def backdrop(self) -> QPixmap | None:
        """The art drawn small, to be scaled up across the band (the scaling is the blur);
        without a generated cover's lettering, which would smear into a white streak."""
        if self.art is None:
            return None
        return self.provider.pixmap(self.art, _BACKDROP, 1.0, text=False)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        window = self.palette().color(QPalette.ColorRole.Window)
        painter.fillRect(rect, window)
        small = self.backdrop()
        if small is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            # Cover the band keeping 16:9 (wider bands crop top and bottom).
            height = max(rect.height(), round(rect.width() * 9 / 16))
            target = QRect(0, (rect.height() - height) // 2, rect.width(), height)
            painter.setOpacity(0.55 if window.lightness() > 128 else 0.7)
            painter.drawPixmap(target, small)
            painter.setOpacity(1.0)
        # A scrim: the page colour comes up from the bottom, so the text below reads and the
        # band ends without an edge.
        fade = QLinearGradient(0, 0, 0, rect.height())
        top, mid, end = QColor(window), QColor(window), QColor(window)
        top.setAlphaF(0.35)
        mid.setAlphaF(0.7)
        fade.setColorAt(0.0, top)
        fade.setColorAt(0.6, mid)
        fade.setColorAt(1.0, end)
        painter.fillRect(rect, fade)
        painter.end()


class ChapterList(QListWidget):
    """An item's chapters, one row each (start time, title); a click, Enter or a double-click
    asks to play from the chapter's start."""

    chapterRequested = Signal(float)  # seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(QCoreApplication.translate("DetailView", "Chapters"))
        self.setAccessibleDescription(
            QCoreApplication.translate(
                "DetailView", "Click a chapter or press Enter to play from there."
            )
        )
        self.setObjectName("chapterList")  # quiet rows with a hover (the app stylesheet)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.setIconSize(QSize(16, 16))
        self.setMouseTracking(True)
        self.itemClicked.connect(self._request)
        self.itemActivated.connect(self._request)
        icons.follow_palette(self, self._tint)

    def set_chapters(self, chapters: list[dict[str, Any]]) -> None:
        self.clear()
        for chapter in chapters:
            start = chapter.get("start")
            if not isinstance(start, int | float):
                continue
            title = str(chapter.get("title") or "") or QCoreApplication.translate(
                "DetailView", "Chapter %1"
            ).replace("%1", str(self.count() + 1))
            entry = QListWidgetItem(f"{clock(round(start * 1000))}   {title}", self)
            entry.setData(Qt.ItemDataRole.UserRole, float(start))
            entry.setToolTip(
                QCoreApplication.translate("DetailView", "Play from %1").replace(
                    "%1", clock(round(float(start) * 1000))
                )
            )
        self._tint()
        self.setFixedHeight(self.sizeHintForRow(0) * self.count() + 4 if self.count() else 0)

    def start_of(self, row: int) -> float:
        return float(self.item(row).data(Qt.ItemDataRole.UserRole))

    def _tint(self) -> None:
        play = icons.icon("circle-play", self.palette(), size=16, role=QPalette.ColorRole.Accent)
        for row in range(self.count()):
            self.item(row).setIcon(play)

    def _request(self, entry: QListWidgetItem) -> None:
        start = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(start, float):
            self.chapterRequested.emit(start)


_STATE_ICONS = {
    "ok": "circle-check",
    "offline": "unplug",
    "missing": "file-x",
    "error": "circle-alert",
}
_STATE_TONES = {"ok": "watched", "offline": "warning", "missing": "error", "error": "error"}


def file_state(f: dict[str, Any]) -> tuple[str, str]:
    """(state key, translated state) of one file of an item."""
    if f.get("offline"):
        return "offline", QCoreApplication.translate("DetailView", "Offline")
    if f.get("missing"):
        return "missing", QCoreApplication.translate("DetailView", "Missing")
    if f.get("error"):
        return "error", QCoreApplication.translate("DetailView", "Error: %1").replace(
            "%1", str(f["error"])
        )
    return "ok", QCoreApplication.translate("DetailView", "OK")


class FilesSection(QWidget):
    """One row per file: a state icon, the file name first, the state in words, then its
    folder (elided in the middle, the full path in the tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(QCoreApplication.translate("DetailView", "Files"))
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(SPACE["s"])
        self.grid.setVerticalSpacing(SPACE["xs"])
        self.grid.setColumnStretch(3, 1)
        self._rows: list[tuple[str, str]] = []  # (path, state key)

    def set_files(self, files: list[dict[str, Any]], summary: str) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self._rows = []
        self.setAccessibleDescription(summary)
        if not files:
            note = QLabel(summary, self)
            note.setWordWrap(True)
            note.setProperty("textStyle", "muted")
            self.grid.addWidget(note, 0, 0, 1, 4)
            return
        for row, f in enumerate(files):
            path = str(f.get("path") or "")
            key, state = file_state(f)
            self._rows.append((path, key))
            badge = QLabel(self)
            tone = _STATE_TONES[key]
            name = _STATE_ICONS[key]
            icons.follow_palette(badge, _badge_painter(badge, name, tone))
            badge.setAccessibleName(state)
            title = QLabel(os.path.basename(path) or path, self)
            title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            title.setToolTip(path)
            folder = _ElidedLabel(os.path.dirname(path), self)
            folder.setProperty("textStyle", "muted")
            status = QLabel(state, self)
            status.setProperty("tone", tone)
            self.grid.addWidget(badge, row, 0)
            self.grid.addWidget(title, row, 1)
            self.grid.addWidget(status, row, 2)
            self.grid.addWidget(folder, row, 3)

    def states(self) -> list[tuple[str, str]]:
        """(path, "ok" | "offline" | "missing" | "error") per file shown."""
        return list(self._rows)


def _badge_painter(badge: QLabel, name: str, tone: str) -> Callable[[], None]:
    def paint() -> None:
        from desktop.appearance import current_colors

        colour = getattr(current_colors(), tone)
        badge.setPixmap(icons.pixmap(name, colour, 16, badge.devicePixelRatioF()))

    return paint


class _ElidedLabel(QLabel):
    """A path elided in the middle, so the distinct end stays visible; full text as tooltip."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setToolTip(text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.setText(
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, self.width())
        )


class WrappedLabel(QLabel):
    """A word-wrapped label that keeps the height of all its lines: inside the scroll area the
    page's layout may otherwise hand it the height of its size hint and clip the last line."""

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def setText(self, text: str) -> None:
        super().setText(text)
        needed = self.heightForWidth(self.width())
        if needed > 0:
            self.setMinimumHeight(needed)


class WarningsBox(QFrame):
    """What the scan noticed about this item (a sidecar ignored, a file unreadable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.setAccessibleName(QCoreApplication.translate("DetailView", "Warnings about this item"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE["m"], SPACE["s"], SPACE["m"], SPACE["s"])
        self.icon = QLabel(self)
        icons.follow_palette(self.icon, _badge_painter(self.icon, "triangle-alert", "warning"))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self.hide()

    def set_warnings(self, lines: list[str]) -> None:
        self.text.setText("\n".join(lines))
        self.setVisible(bool(lines))


def section_heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("textStyle", "title")
    return label


def column(*widgets: QWidget, spacing: int = SPACE["s"]) -> QVBoxLayout:
    layout = QVBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return layout
