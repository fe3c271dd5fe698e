"""The Browse page's item views over one `ItemListModel`: the list (a table with fixed row
heights), the grid, whose tiles `GridDelegate` paints without asking the model for sizes, and
the text shown in their place when there are no items.

Accessible names use translate("BrowsePage", …) literally: they were written in BrowsePage,
whose existing translations live under that context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.models.browse import GRID_ART, ItemListModel

__all__ = ["GridDelegate", "empty_text", "make_grid", "make_table"]

_AUDIO_KINDS = frozenset({"podcast", "audio"})
_PAD = 6
_BAR = 3


class GridDelegate(QStyledItemDelegate):
    """A grid tile: artwork (or a placeholder), a thin progress bar, title and one more line."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Fixed, without reading the model: the grid lays out 100k tiles without fetching any.
        lines = QFontMetrics(option.font).lineSpacing() * 2
        return QSize(GRID_ART.width() + 2 * _PAD, GRID_ART.height() + lines + 3 * _PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        art = QRect(rect.x() + _PAD, rect.y() + _PAD, GRID_ART.width(), GRID_ART.height())
        image = index.data(ItemListModel.ArtworkRole)
        if isinstance(image, QImage) and not image.isNull():
            painter.fillRect(art, palette.color(QPalette.ColorRole.Dark))
            size = image.size().scaled(art.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(art.center())
            painter.drawImage(target, image)
        else:
            painter.fillRect(art, palette.color(QPalette.ColorRole.Mid))
            audio = index.data(ItemListModel.KindRole) in _AUDIO_KINDS
            icon = QApplication.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaVolume
                if audio
                else QStyle.StandardPixmap.SP_MediaPlay
            )
            icon_rect = QRect(0, 0, 32, 32)
            icon_rect.moveCenter(art.center())
            icon.paint(painter, icon_rect)
        played = index.data(ItemListModel.PlayedRole)
        progress = index.data(ItemListModel.ProgressRole)
        fraction = 1.0 if played == "played" else progress
        if isinstance(fraction, float) and fraction > 0:
            bar = QRect(art.left(), art.bottom() - _BAR + 1, art.width(), _BAR)
            painter.fillRect(bar, QColor(0, 0, 0, 120))
            bar.setWidth(max(1, round(art.width() * fraction)))
            colour = (
                palette.color(QPalette.ColorRole.Light)
                if played == "played"
                else palette.color(QPalette.ColorRole.Highlight)
            )
            painter.fillRect(bar, colour)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        text_rect = QRect(art.left(), art.bottom() + _PAD, art.width(), line)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.setPen(palette.color(text_role))
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, art.width()),
        )
        subtitle = str(index.data(ItemListModel.SubtitleRole) or "")
        if played == "played":
            subtitle = " · ".join(p for p in (subtitle, self.tr("Played")) if p)
        text_rect.translate(0, line)
        colour = palette.color(text_role)
        colour.setAlpha(170)  # the second line is quieter
        painter.setPen(colour)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, art.width()),
        )
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


def make_table(model: ItemListModel, parent: QWidget) -> QTableView:
    """The list view: one row per item, the show column hidden."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(QCoreApplication.translate("BrowsePage", "Items"))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setIconSize(QSize(56, 32))
    vertical = table.verticalHeader()
    vertical.hide()
    # Fixed row heights: the view never asks the model for sizes, so rows stay unfetched.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(36)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in ((1, 160), (2, 70), (3, 90), (4, 70), (5, 120)):
        header.resizeSection(column, width)
    table.setColumnHidden(1, True)  # the page lists one show at a time: it is the heading
    return table


def make_grid(model: ItemListModel, parent: QWidget) -> QListView:
    """The grid view: uniform tiles painted by `GridDelegate`."""
    grid = QListView(parent)
    grid.setModel(model)
    grid.setModelColumn(0)
    grid.setAccessibleName(QCoreApplication.translate("BrowsePage", "Items"))
    grid.setViewMode(QListView.ViewMode.IconMode)
    grid.setMovement(QListView.Movement.Static)
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setUniformItemSizes(True)
    grid.setSpacing(6)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    grid.setItemDelegate(GridDelegate(grid))
    return grid


def empty_text(
    kind: str, loading: bool, filtered: bool, key: tuple[str, int | None] | None, content: bool
) -> str:
    """What the page says in place of the views when there are no items; `content` is whether
    the page has any show or section at all."""
    if loading:
        return QCoreApplication.translate("BrowsePage", "Loading…")
    if filtered:
        return QCoreApplication.translate("BrowsePage", "Nothing matches these filters")
    if kind == "videos":
        if key is not None and key[0] == "show":
            return QCoreApplication.translate("BrowsePage", "This show has no episodes")
        return QCoreApplication.translate(
            "BrowsePage", "No films yet — add a video folder in Settings"
        )
    if not content:
        return QCoreApplication.translate(
            "BrowsePage", "No podcasts yet — add a podcast folder in Settings"
        )
    return QCoreApplication.translate("BrowsePage", "No episodes")
