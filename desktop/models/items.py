"""The library table: holds item ids only and fetches rows through the engine on demand."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from engine.library import Library

COLUMNS = (("title", "Title"), ("show", "Show"), ("kind", "Kind"), ("state", "State"))
_CACHE = 512  # rows kept; a screenful is ~40, scrolling back stays instant


class ItemTableModel(QAbstractTableModel):
    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self._ids: list[int] = []
        self._rows: OrderedDict[int, dict[str, Any]] = OrderedDict()

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self.endResetModel()

    def item_id(self, row: int) -> int:
        return self._ids[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._row(self._ids[index.row()])
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("description")
        return row.get(COLUMNS[index.column()][0])

    def _row(self, item_id: int) -> dict[str, Any] | None:
        row = self._rows.get(item_id)
        if row is None:
            row = self.library.item(item_id)
            if row is None:
                return None
            self._rows[item_id] = row
            if len(self._rows) > _CACHE:
                self._rows.popitem(last=False)
        else:
            self._rows.move_to_end(item_id)
        return row
