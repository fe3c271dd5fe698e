"""The main window: for now the library table, adding folders and scanning.

The full browsing, player and recommendation screens arrive with the desktop issue.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QToolBar,
)

from desktop.models.items import ItemTableModel
from desktop.tasks import Tasks
from engine.library import KINDS, Library, ScanCounts, ScanProgress

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, library: Library, tasks: Tasks) -> None:
        super().__init__()
        self.library = library
        self.tasks = tasks
        self.setWindowTitle("Reelcast")
        self.resize(960, 600)

        self.model = ItemTableModel(library, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Library items")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # titles get the room
        self.setCentralWidget(self.table)

        bar = QToolBar("Library", self)
        self.add_action = bar.addAction("Add folder…", self.ask_add_folder)
        self.scan_action = bar.addAction("Scan", self.start_scan)
        self.addToolBar(bar)
        self.status = QLabel(self)
        self.statusBar().addWidget(self.status, 1)
        self.refresh()

    def refresh(self) -> None:
        self.tasks.run(self.library.item_ids, on_done=self._show_ids, on_error=self._failed)

    def _show_ids(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        if not ids and not self.library.roots():
            self.status.setText("No library folders yet: use “Add folder…” to add one.")
        else:
            self.status.setText(f"{len(ids)} items")

    def ask_add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a library folder")
        if not path:
            return
        kind, ok = QInputDialog.getItem(self, "Folder kind", "This folder holds:", KINDS, 0, False)
        if ok:
            self.add_folder(path, kind)

    def add_folder(self, path: str, kind: str) -> None:
        self.tasks.run(
            lambda: self.library.add_root(path, kind),
            on_done=lambda _root: self.start_scan(),
            on_error=self._failed,
        )

    def start_scan(self) -> None:
        self.scan_action.setEnabled(False)
        self.status.setText("Scanning…")
        self.tasks.run(
            lambda report: self.library.scan(progress=report),
            on_done=self._scan_done,
            on_error=self._failed,
            on_progress=self._scan_progress,
        )

    def _scan_progress(self, p: ScanProgress) -> None:
        if p.phase == "read":
            self.status.setText(f"Reading {p.done} of {p.total} files ({p.rate:.0f}/s)")

    def _scan_done(self, counts: ScanCounts) -> None:
        self.scan_action.setEnabled(True)
        c = counts
        self.status.setText(
            f"Scan done: {c.added} added, {c.updated} updated, {c.moved} moved, "
            f"{c.missing} missing, {c.offline} offline, {c.errors} errors"
        )
        self.refresh()

    def _failed(self, exc: Any) -> None:
        self.scan_action.setEnabled(True)
        QMessageBox.warning(self, "Reelcast", str(exc))
