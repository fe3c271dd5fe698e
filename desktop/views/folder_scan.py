"""The main window's library folders and scanning: add a folder (asking its kind), scan, and the
status bar's words for the scan's progress and result.

Strings use translate("MainWindow", …): they were the window's own tr() strings and keep its
translation context (as desktop/views/menus.py does)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog

from engine.library import KINDS, ScanCounts, ScanProgress

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow


def ask_add_folder(window: MainWindow) -> None:
    path = QFileDialog.getExistingDirectory(
        window, QCoreApplication.translate("MainWindow", "Add a library folder")
    )
    if not path:
        return
    # The same words as Settings > Folders: one name for a folder of both.
    labels = [
        QCoreApplication.translate("MainWindow", "Podcasts"),
        QCoreApplication.translate("MainWindow", "Videos"),
        QCoreApplication.translate("MainWindow", "Podcasts and videos"),
    ]
    label, ok = QInputDialog.getItem(
        window,
        QCoreApplication.translate("MainWindow", "Folder kind"),
        QCoreApplication.translate("MainWindow", "This folder holds:"),
        labels,
        0,
        False,
    )
    if ok:
        add_folder(window, path, KINDS[labels.index(label)])


def add_folder(window: MainWindow, path: str, kind: str) -> None:
    window.tasks.run(
        lambda: window.library.add_root(path, kind),
        on_done=lambda _root: window._folders_added(),
        on_error=window._failed,
    )


def start_scan(window: MainWindow) -> None:
    window.scan_action.setEnabled(False)
    window.status.setText(QCoreApplication.translate("MainWindow", "Scanning…"))
    window.tasks.run(
        lambda report: window.library.scan(progress=report),
        on_done=lambda counts: scan_done(window, counts),
        on_error=window._failed,
        on_progress=lambda progress: scan_progress(window, progress),
    )


def scan_progress(window: MainWindow, p: ScanProgress) -> None:
    if p.phase == "read":
        window.status.setText(
            QCoreApplication.translate("MainWindow", "Reading %1 of %2 files (%3/s)")
            .replace("%1", str(p.done))
            .replace("%2", str(p.total))
            .replace("%3", f"{p.rate:.0f}")
        )


def scan_done(window: MainWindow, counts: ScanCounts) -> None:
    window.scan_action.setEnabled(True)
    c = counts
    window.status.setText(
        QCoreApplication.translate(
            "MainWindow",
            "Scan done: %1 added, %2 updated, %3 moved, %4 missing, %5 offline, %6 errors",
        )
        .replace("%1", str(c.added))
        .replace("%2", str(c.updated))
        .replace("%3", str(c.moved))
        .replace("%4", str(c.missing))
        .replace("%5", str(c.offline))
        .replace("%6", str(c.errors))
    )
    window.tasks.run(window.library.request_indexing)  # the worker embeds what the scan added
    window.refresh()
