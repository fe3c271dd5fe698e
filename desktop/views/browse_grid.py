"""The Browse page's item views over one `ItemListModel`: the list (a table with fixed row
heights), the grid, whose tiles `GridDelegate` paints without asking the model for sizes, and
the text shown in their place when there are no items.

Accessible names use translate("BrowsePage", …) literally: they were written in BrowsePage,
whose existing translations live under that context."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.art import Art, ArtProvider
from desktop.models.browse import ItemListModel
from desktop.tasks import Tasks
from desktop.views.cards import CardLook, card_art_size, card_size, paint_card

__all__ = ["GridDelegate", "empty_text", "make_grid", "make_table"]


class GridDelegate(QStyledItemDelegate):
    """A grid tile with the same look as Home's cards (`cards.paint_card`): art at the shape of
    the page's kind, a watched badge, progress, title and one more line.

    Every tile has the size of the first item's kind (a page lists one show or one section),
    so the grid lays out 100k tiles without reading more than that one row.
    """

    def __init__(self, parent: QWidget, art: ArtProvider | None = None) -> None:
        super().__init__(parent)
        self.art = art
        if art is not None and isinstance(parent, QAbstractItemView):
            art.changed.connect(parent.viewport().update)

    def art_size(self, index: QModelIndex | QPersistentModelIndex) -> QSize:
        model = index.model()
        first = model.index(0, 0) if model is not None and model.rowCount() else index
        return card_art_size(first.data(ItemListModel.KindRole) or "episode")

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return card_size(self.art_size(index), option.font)

    def look(self, index: QModelIndex | QPersistentModelIndex) -> CardLook:
        model = index.model()
        row: dict[str, Any] | None = None
        if isinstance(model, ItemListModel):
            row = model.display_row(index.row())
        row = row or {}
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        show = str(row.get("show") or "")
        path = row.get("artwork") or row.get("show_artwork")
        item_id = index.data(ItemListModel.ItemIdRole)
        kind = str(row.get("kind") or "") or None
        # Without stored art, the provider asks the library (a video's frame) in the background.
        art = Art(
            path=str(path) if path else None,
            title=title,
            show=show,
            kind=kind,
            item_id=None if path or item_id is None else int(item_id),
        )
        progress = index.data(ItemListModel.ProgressRole)
        return CardLook(
            art=art,
            title=title,
            subtitle=str(index.data(ItemListModel.SubtitleRole) or ""),
            progress=progress if isinstance(progress, float) else None,
            finished=index.data(ItemListModel.PlayedRole) == "played",
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        paint_card(painter, opt, self.look(index), self.art_size(index), self.art)


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
    """The grid view: uniform tiles painted by `GridDelegate`; art loads through the parent's
    `tasks` (a `Tasks`), without one the tiles show plain surfaces."""
    grid = QListView(parent)
    grid.setModel(model)
    grid.setModelColumn(0)
    grid.setAccessibleName(QCoreApplication.translate("BrowsePage", "Items"))
    grid.setViewMode(QListView.ViewMode.IconMode)
    grid.setMovement(QListView.Movement.Static)
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setUniformItemSizes(True)
    grid.setSpacing(8)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    grid.setMouseTracking(True)  # hover state
    grid.setFrameShape(QListView.Shape.NoFrame)
    tasks = getattr(parent, "tasks", None)  # the page's background pool, for the art
    art = ArtProvider.shared(model.library, tasks) if isinstance(tasks, Tasks) else None
    grid.setItemDelegate(GridDelegate(grid, art))
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
