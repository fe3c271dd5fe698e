"""The Library page: every catalogued item in a lazy, id-backed table."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from desktop.models.items import ItemTableModel
from engine.library import Library


class LibraryPage(QWidget):
    playRequested = Signal(int)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ItemTableModel(library, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Library items"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # titles get the room
        # Enter or a double click plays the item.
        self.table.activated.connect(
            lambda index: self.playRequested.emit(self.model.item_id(index.row()))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
