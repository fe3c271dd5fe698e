""" "Why isn't this item here?": the files the scanner could not read, and why.

A panel for a dock. The list comes from `Library.errors()` in the background; `countChanged`
lets the main window show a badge without opening the panel. Errors (the file is not in the
library) come first, then warnings (the item is listed, a companion file was ignored); each
row leads with the file name, its folder elided in the middle so where paths differ shows.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.errors import (
    ERROR,
    FOLDER,
    KIND,
    PATH,
    STAGE,
    ErrorsModel,
    severity_label,
    severity_of,
    stage_label,
    when_text,
)
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import Library

log = logging.getLogger(__name__)

__all__ = ["ErrorsPanel"]


class ErrorsPanel(QWidget):
    countChanged = Signal(int)  # how many problems (errors and warnings), after each refresh

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self._generation = 0  # a newer refresh drops the result of an older one
        self._count = -1  # unknown until the first refresh lands

        self.setAccessibleName(self.tr("Problems with library files"))
        title = QLabel(self.tr("Why isn't this item here?"), self)
        title.setObjectName("errorsTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(
            self.tr(
                "Errors: these files were found in your library folders but could not be "
                "read, so they are not in your library. Warnings: the item is in your library, "
                "but a companion file of it (NFO, subtitles, artwork) was ignored. Fix or "
                "replace a file and it is read again on the next scan."
            ),
            self,
        )
        hint.setWordWrap(True)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter by file, problem or details"))
        self.filter.setAccessibleName(self.tr("Filter problems"))
        self.filter.setClearButtonEnabled(True)

        self.model = ErrorsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)  # match any column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(ErrorsModel.SortRole)
        self.filter.textChanged.connect(self._filter_changed)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Problems"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(KIND, Qt.SortOrder.AscendingOrder)  # errors, then warnings
        self.table.setWordWrap(False)
        # Paths share their leading folders: cut in the middle, the ends that differ stay.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PATH, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FOLDER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(STAGE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ERROR, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(PATH, 220)
        header.resizeSection(FOLDER, 200)
        header.resizeSection(STAGE, 220)
        self.table.activated.connect(self._open_row_folder)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of problems"))
        self.status = QLabel(self)  # engine failures, shown here rather than in a dialog
        self.status.setAccessibleName(self.tr("Problem list status"))
        self.status.setWordWrap(True)
        self.status.hide()

        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the list of problems"))
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self.refresh)
        self.copy_button = QPushButton(self.tr("&Copy details"), self)
        self.copy_button.setAccessibleName(self.tr("Copy details of the selected problems"))
        self.copy_button.clicked.connect(self.copy_details)
        self.open_button = QPushButton(self.tr("&Open folder"), self)
        self.open_button.setAccessibleName(self.tr("Open the folder holding the file"))
        self.open_button.clicked.connect(self.open_folder)

        copy = QAction(self.tr("Copy details"), self.table)
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_details)
        self.table.addAction(copy)
        find = QAction(self.tr("Filter"), self)
        # Ctrl+F belongs to the window (go to Search); two owners would make it ambiguous.
        find.setShortcut(QKeySequence("Ctrl+Shift+F"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.addAction(find)

        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show_count()
        self._update_buttons()
        self.refresh()

    # --- loading -------------------------------------------------------------------------------

    def count(self) -> int:
        """Problems (errors and warnings) as of the last refresh (0 before the first lands)."""
        return max(self._count, 0)

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) as of the last refresh."""
        return self.model.counts()

    @Slot()
    def refresh(self) -> None:
        """Re-read the errors in the background."""
        self._generation += 1
        generation = self._generation
        self.tasks.run(
            self.library.errors,
            on_done=while_alive(self, lambda rows: self._loaded(generation, rows)),
            on_error=while_alive(self, lambda exc: self._failed(generation, exc)),
        )

    def _loaded(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self.status.hide()
        self.model.set_errors(rows)
        self._update_buttons()
        count = self.model.rowCount()
        changed = count != self._count
        self._count = count
        self._show_count()
        if changed:
            self.countChanged.emit(count)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        log.warning("could not read the scan errors: %s", exc)
        self.status.setText(
            self.tr("Could not read the list of problems: %1").replace("%1", str(exc))
        )
        self.status.show()

    # --- display -------------------------------------------------------------------------------

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        total = self.count()
        if self._count < 0:
            text = self.tr("Reading the list of problems…")
        else:
            text = self.model.count_text()
        shown = self.proxy.rowCount()
        if shown != total and total:
            text += self.tr(" (%1 shown)").replace("%1", str(shown))
        self.count_label.setText(text)

    @Slot()
    def _update_buttons(self) -> None:
        self.copy_button.setEnabled(self.proxy.rowCount() > 0)
        self.open_button.setEnabled(self.table.currentIndex().isValid())

    # --- actions -------------------------------------------------------------------------------

    def _selected_errors(self) -> list[dict[str, Any]]:
        """The selected rows in view order, or every shown row when none is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.proxy.rowCount()))
        out = []
        for row in rows:
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            out.append(self.model.error(source.row()))
        return out

    def details_text(self) -> str:
        """What "Copy details" puts on the clipboard: one block per problem."""
        blocks = []
        for e in self._selected_errors():
            stage = str(e.get("stage") or "")
            severity = severity_label(severity_of(stage))
            blocks.append(
                f"{e.get('path', '')}\n"
                f"  {severity}: {stage_label(stage)} ({stage}): {e.get('error', '')}\n"
                f"  {when_text(str(e.get('at') or ''))}"
            )
        return "\n\n".join(blocks)

    @Slot()
    def copy_details(self) -> None:
        text = self.details_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    @Slot()
    def open_folder(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_row_folder(index)

    @Slot(QModelIndex)
    def _open_row_folder(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        path = str(self.model.error(source.row()).get("path") or "")
        if not path:
            return
        folder = os.path.dirname(path)
        if not self._open_url(QUrl.fromLocalFile(folder)):
            self.status.setText(self.tr("Could not open the folder %1").replace("%1", folder))
            self.status.show()

    def _open_url(self, url: QUrl) -> bool:
        # One place that leaves the app, so tests can replace it.
        return QDesktopServices.openUrl(url)
