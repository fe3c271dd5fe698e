"""The Browse page's navigation: the list of sections and shows, the season picker, and the
pieces of loading them (the background read, the entries, each section's natural order).

`ShowDelegate` paints each row of the show list alike (docs/design.md): one fixed row height,
the art at one fixed size in a fixed slot (square for podcasts, 2:3 posters for TV shows, cropped
by `desktop.art.ArtProvider` off the UI thread; a generated cover where a show has none), and
the title with its counts beside it, starting at the same x on every row.

Strings use translate("BrowsePage", …) literally: they were written in BrowsePage, whose
existing translations live under that context."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.art import Art, ArtProvider, art_size
from desktop.models.browse import paint_small_art
from desktop.models.show_list import ShowListModel
from desktop.tasks import Tasks
from desktop.theme import RADIUS, SPACE, colors_for, font_for
from engine.library import BrowseQuery, Library

__all__ = [
    "NAV_ART_HEIGHT",
    "ShowDelegate",
    "fetch_sections",
    "fill_seasons",
    "make_nav",
    "make_season_combo",
    "natural_sort",
    "set_sections",
]

Key = tuple[str, int | None]  # a ShowListModel key: section, show id


NAV_ART_HEIGHT = SPACE["xxl"] + SPACE["s"]  # 40 px: the art of every row, whatever its shape
_PAD = SPACE["s"]  # around a row's art, and between the art and the text
_NAV_RADIUS = 4  # art this small reads better with less rounding than a card's


def _nav_art(kind: str | None) -> QSize:
    """`NAV_ART_HEIGHT` tall at the kind's shape: 40×40 square, 27×40 poster."""
    shape = art_size(kind)
    return QSize(round(NAV_ART_HEIGHT * shape.width() / shape.height()), NAV_ART_HEIGHT)


class ShowDelegate(QStyledItemDelegate):
    """One row of the show list: art in a fixed slot, then the title and the counts line."""

    def __init__(self, view: QListView, art: ArtProvider | None, show_kind: str) -> None:
        super().__init__(view)
        self.view = view
        self.provider = art
        # One slot for every row, as wide as the page's shape at the fixed height.
        self.slot = _nav_art(show_kind)
        if art is not None:
            art.changed.connect(view.viewport().update)

    def row_height(self) -> int:
        return NAV_ART_HEIGHT + 2 * _PAD

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width() or 180, self.row_height())

    @staticmethod
    def _inner(rect: QRect) -> QRect:
        """A row's painted area: inset from the list's sides, so highlights float."""
        return rect.adjusted(SPACE["xs"], 0, -SPACE["xs"], 0)

    def art_rect(self, rect: QRect, index: QModelIndex | QPersistentModelIndex) -> QRect:
        """The art of the row at `rect` (its visual rect): centred in the slot, at its shape."""
        row = self._inner(rect)
        art = index.data(ShowListModel.ArtRole)
        shape = _nav_art(art.kind if isinstance(art, Art) else None)
        if shape.width() > self.slot.width():  # a wider shape than the page's: fit its width
            shape = QSize(
                self.slot.width(), round(self.slot.width() * shape.height() / shape.width())
            )
        slot = QRect(
            row.left() + _PAD,
            row.top() + (row.height() - NAV_ART_HEIGHT) // 2,
            self.slot.width(),
            NAV_ART_HEIGHT,
        )
        rect = QRect(0, 0, shape.width(), shape.height())
        rect.moveCenter(slot.center())
        return rect

    def text_left(self, rect: QRect) -> int:
        """Where the text of the row at `rect` (its visual rect) starts: the same on every row."""
        return self._inner(rect).left() + _PAD + self.slot.width() + SPACE["m"]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        window = option.palette.color(option.palette.ColorRole.Window)
        colors = colors_for(window.lightness() < 128)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = bool(state & QStyle.StateFlag.State_HasFocus) and self.view.hasFocus()
        row = self._inner(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = float(RADIUS["control"])
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors.selected if selected else colors.hover))
            painter.drawRoundedRect(row, radius, radius)
        if focused:
            painter.setPen(QPen(QColor(colors.focus_ring), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(row.adjusted(1, 1, -1, -1), radius, radius)

        art = index.data(ShowListModel.ArtRole)
        rect = self.art_rect(option.rect, index)
        if self.provider is not None and isinstance(art, Art):
            paint_small_art(self.provider, painter, rect, art, _NAV_RADIUS)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors.surface_raised))
            painter.drawRoundedRect(rect, _NAV_RADIUS, _NAV_RADIUS)

        left = self.text_left(option.rect)
        width = max(0, row.right() - _PAD - left)
        title = str(index.data(ShowListModel.TitleRole) or "")
        counts = str(index.data(ShowListModel.CountsRole) or "")
        title_font = font_for(option.font, "body")  # one size: selecting a row never reflows it
        title_font.setWeight(QFont.Weight.DemiBold if selected else QFont.Weight.Medium)
        caption_font = font_for(option.font, "caption")
        lines = [(title_font, QColor(colors.text), title)]
        if counts:
            lines.append((caption_font, QColor(colors.text_muted), counts))
        block = sum(QFontMetrics(font).height() for font, _c, _t in lines)
        top = row.top() + (row.height() - block) // 2  # the text block centred on the art
        for font, color, text in lines:
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(color)
            line = QRect(left, top, width, metrics.height())
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
            top += metrics.height()
        painter.restore()


def make_nav(model: ShowListModel, parent: QWidget, podcasts: bool) -> QListView:
    """The show list; art loads through the parent's `tasks` (a `Tasks`) when it has one."""
    model.show_kind = "podcast" if podcasts else "show"
    nav = QListView(parent)
    nav.setModel(model)
    nav.setAccessibleName(
        QCoreApplication.translate("BrowsePage", "Shows")
        if podcasts
        else QCoreApplication.translate("BrowsePage", "Sections")
    )
    nav.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    nav.setUniformItemSizes(True)  # every row is one height: no size asked of the model
    nav.setSpacing(SPACE["xxs"])
    nav.setMouseTracking(True)  # hover state
    nav.setMinimumWidth(180)
    tasks = getattr(parent, "tasks", None)
    library = getattr(parent, "library", None)
    art = (
        ArtProvider.shared(library, tasks)
        if isinstance(tasks, Tasks) and isinstance(library, Library)
        else None
    )
    nav.setItemDelegate(ShowDelegate(nav, art, model.show_kind))
    return nav


def make_season_combo(parent: QWidget) -> QComboBox:
    """Hidden until a show with numbered seasons is chosen."""
    combo = QComboBox(parent)
    combo.setAccessibleName(QCoreApplication.translate("BrowsePage", "Season"))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.hide()
    return combo


def fetch_sections(
    library: Library, podcasts: bool, profile: int | None
) -> tuple[list[dict[str, Any]], bool]:
    """Background: the shows, and whether there is loose audio (podcasts only)."""
    shows = library.shows("podcast" if podcasts else "tv", profile)
    # Loose audio only gets an entry when there is some.
    loose = podcasts and bool(library.browse(BrowseQuery("loose_audio"), profile))
    return shows, loose


def set_sections(model: ShowListModel, kind: str, shows: list[dict[str, Any]], loose: bool) -> bool:
    """Fill the navigation list; True when the page has anything to show at all."""
    if kind == "videos":
        model.set_shows(
            shows, before=[("films", QCoreApplication.translate("BrowsePage", "Films"))]
        )
    else:
        # Podcasts: the shows first, then loose audio files when there are any.
        other = (
            [("loose_audio", QCoreApplication.translate("BrowsePage", "Other audio"))]
            if loose
            else []
        )
        model.set_shows(shows, after=other)
    return bool(shows) or kind == "videos" or loose


def natural_sort(kind: str, key: Key | None) -> str:
    # Each section opens in its natural order: films by title, TV in episode order,
    # podcasts newest first.
    if key is None:
        return "title"
    if kind == "podcasts":
        return "newest"
    return "episode" if key[0] == "show" else "title"


def fill_seasons(combo: QComboBox, seasons: list[tuple[int | None, int]], keep: bool) -> bool:
    """Offer All seasons and each numbered one, keeping the chosen season when `keep`; True
    when the chosen season is gone (the items must be read again, all seasons)."""
    chosen = combo.currentData() if keep else None
    numbered = [season for season, _count in seasons if season is not None]
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(QCoreApplication.translate("BrowsePage", "All seasons"), None)
    for season in numbered:
        combo.addItem(
            QCoreApplication.translate("BrowsePage", "Season %1").replace("%1", str(season)),
            season,
        )
    at = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(max(at, 0))
    combo.blockSignals(False)
    combo.setVisible(bool(numbered))
    return chosen is not None and at < 0
