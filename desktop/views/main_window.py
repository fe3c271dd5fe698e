"""The main window: wiring only. A sidebar picks a page (Home, Library); the player docks at the
bottom; the status bar shows scanning and indexing. Each part lives in its own module."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
)

from desktop.player.player_widget import PlayerWidget
from desktop.tasks import Tasks
from desktop.views.home import HomeView
from desktop.views.index_status import IndexStatus
from desktop.views.library_page import LibraryPage
from engine.library import KINDS, Library, ScanCounts, ScanProgress

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, library: Library, tasks: Tasks, *, watch: bool = True) -> None:
        super().__init__()
        self.library = library
        self.tasks = tasks
        self.setWindowTitle("Reelcast")
        self.resize(1100, 700)

        profile = self._profile_id
        self.home = HomeView(library, tasks, profile)
        self.library_page = LibraryPage(library)
        self.model = self.library_page.model
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.library_page)
        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName(self.tr("Sections"))
        self.sidebar.addItems([self.tr("Home"), self.tr("Library")])
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setMaximumWidth(180)
        split = QSplitter(self)
        split.addWidget(self.sidebar)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        self.setCentralWidget(split)

        self.player = PlayerWidget(library, tasks, profile)
        self.player_dock = QDockWidget(self.tr("Player"), self)
        self.player_dock.setObjectName("player")
        self.player_dock.setWidget(self.player)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.player_dock)
        self.player_dock.hide()
        self.home.playRequested.connect(self.play)
        self.library_page.playRequested.connect(self.play)
        self.player.recorder.historyChanged.connect(self.home.refresh)

        bar = QToolBar(self.tr("Library"), self)
        bar.setObjectName("library-toolbar")
        self.add_action = bar.addAction(self.tr("Add folder…"), self.ask_add_folder)
        self.scan_action = bar.addAction(self.tr("Scan"), self.start_scan)
        self.addToolBar(bar)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Scan status"))
        self.index_status = IndexStatus(library, self)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.index_status)
        self.sidebar.setCurrentRow(0)
        self.refresh()
        if watch:
            # After the first paint: the worker loads the model on its own thread.
            QTimer.singleShot(0, self._start_watching)

    def _profile_id(self) -> int | None:
        return None  # the default profile until the profile switcher lands

    def _start_watching(self) -> None:
        self.tasks.run(
            lambda: self.library.start_watching(self.index_status.on_worker_status),
            on_error=self._failed,
        )

    def play(self, item_id: int) -> None:
        self.player_dock.show()
        self.player.play_item(item_id)

    def refresh(self) -> None:
        self.tasks.run(self.library.item_ids, on_done=self._show_ids, on_error=self._failed)
        self.home.refresh()

    def _show_ids(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        if not ids and not self.library.roots():
            self.status.setText(self.tr("No library folders yet: use “Add folder…” to add one."))
        else:
            self.status.setText(self.tr("%1 items").replace("%1", str(len(ids))))

    def ask_add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a library folder"))
        if not path:
            return
        kind, ok = QInputDialog.getItem(
            self, self.tr("Folder kind"), self.tr("This folder holds:"), KINDS, 0, False
        )
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
        self.status.setText(self.tr("Scanning…"))
        self.tasks.run(
            lambda report: self.library.scan(progress=report),
            on_done=self._scan_done,
            on_error=self._failed,
            on_progress=self._scan_progress,
        )

    def _scan_progress(self, p: ScanProgress) -> None:
        if p.phase == "read":
            self.status.setText(
                self.tr("Reading %1 of %2 files (%3/s)")
                .replace("%1", str(p.done))
                .replace("%2", str(p.total))
                .replace("%3", f"{p.rate:.0f}")
            )

    def _scan_done(self, counts: ScanCounts) -> None:
        self.scan_action.setEnabled(True)
        c = counts
        self.status.setText(
            self.tr("Scan done: %1 added, %2 updated, %3 moved, %4 missing, %5 offline, %6 errors")
            .replace("%1", str(c.added))
            .replace("%2", str(c.updated))
            .replace("%3", str(c.moved))
            .replace("%4", str(c.missing))
            .replace("%5", str(c.offline))
            .replace("%6", str(c.errors))
        )
        self.refresh()

    def _failed(self, exc: Any) -> None:
        self.scan_action.setEnabled(True)
        QMessageBox.warning(self, "Reelcast", str(exc))

    def closeEvent(self, event: Any) -> None:
        self.player.shutdown()  # records the last position before the app tears down
        super().closeEvent(event)
