"""The History page: one profile's timeline, newest first; remove entries, import and export.

Every engine call runs through `Tasks`. Import and export use the engine's open formats
(docs/history-format.md); the file dialogs only ask for a path and hand it to `export_to` /
`import_from`, which do the work (and which tests call directly).

The filter (All / Plays / Watched / Likes & feedback) is applied by the engine
(`History.timeline(..., events=...)` and `History.count_events`): filtering loaded pages here
would show short pages and a wrong count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import statuses
from desktop.models.rows import while_alive
from desktop.models.timeline import TimelineModel
from desktop.tasks import Tasks
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import ImportReport, Profile

log = logging.getLogger(__name__)

__all__ = ["FILTERS", "HistoryPage"]

ProfileIdProvider = Callable[[], int | None]

# The engine event kinds behind each filter of the "Show" combo (None: every event).
FILTERS: Mapping[str, frozenset[str] | None] = {
    "all": None,
    "plays": frozenset({"play", "completed"}),
    "watched": frozenset({"completed", "watched", "unwatched"}),
    "feedback": frozenset(
        {
            "like",
            "dislike",
            "not_interested",
            "clear_like",
            "clear_dislike",
            "clear_not_interested",
        }
    ),
}


def count_lines(history: Any, profile_id: int, events: frozenset[str] | None) -> int:
    """How many lines the timeline shows under a filter: its events, less the completions
    folded into their session's play line (desktop/models/timeline.py). Slow: background."""
    count = int(history.count_events(profile_id, events=events))
    if events is not None and not {"play", "completed"} <= events:
        return count
    finished = int(history.count_events(profile_id, events={"completed"}))
    if not finished:
        return count
    rows = history.timeline(profile_id, limit=finished, events={"completed"})
    folded = sum(1 for row in rows if isinstance((row.get("data") or {}).get("session_id"), int))
    return count - folded


class HistoryPage(QWidget):
    playRequested = Signal(int)  # item id
    detailRequested = Signal(int)  # item id
    historyChanged = Signal()  # entries were removed or imported
    messageShown = Signal(str)  # the page's status line changed (results and errors)

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: ProfileIdProvider,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.profile: Profile | None = None
        self.event_count: int | None = None  # None while counting
        self._generation = 0  # bumps on refresh: late results for another profile are dropped
        self._view_generation = 0  # bumps on each (re)load of the timeline: stale counts dropped
        self._busy = False  # one remove/import/export at a time

        self.title = QLabel(self)
        heading = QFont(self.title.font())
        heading.setBold(True)
        heading.setPointSizeF(heading.pointSizeF() * 1.2)
        self.title.setFont(heading)
        self.title.setAccessibleName(self.tr("Profile"))
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of history entries"))

        self.filter_combo = QComboBox(self)
        for label, key in (
            (self.tr("All"), "all"),
            (self.tr("Plays"), "plays"),
            (self.tr("Watched"), "watched"),
            (self.tr("Likes & feedback"), "feedback"),
        ):
            self.filter_combo.addItem(label, key)
        self.filter_combo.setAccessibleName(self.tr("Show entries"))
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        filter_label = QLabel(self.tr("&Show:"), self)
        filter_label.setBuddy(self.filter_combo)

        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected entries"))
        self.remove_button.setToolTip(self.tr("Remove the selected entries (Delete)"))
        self.export_button = QPushButton(self.tr("E&xport…"), self)
        self.export_button.setAccessibleName(self.tr("Export the history of all profiles"))
        self.import_button = QPushButton(self.tr("&Import…"), self)
        self.import_button.setAccessibleName(self.tr("Import a history file into this profile"))
        self.nfo_button = QPushButton(self.tr("Import from &Kodi NFO"), self)
        self.nfo_button.setAccessibleName(
            self.tr("Import play counts and resume points from Kodi NFO files")
        )
        self.remove_button.clicked.connect(self.remove_selected)
        self.export_button.clicked.connect(self.export_history)
        self.import_button.clicked.connect(self.import_history)
        self.nfo_button.clicked.connect(self.import_nfo)

        history = library.history
        self.model = TimelineModel(
            lambda profile, limit, offset, events: history.timeline(
                profile, limit=limit, offset=offset, events=events
            ),
            tasks,
            self,
        )
        self.model.pageLoaded.connect(self._update_state)
        self.model.loadFailed.connect(self._load_failed)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("History entries"))
        self.table.setAccessibleDescription(
            self.tr("Enter shows the item; Delete removes the selected entries.")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TimelineModel.ITEM, QHeaderView.ResizeMode.Stretch)
        for column in (
            TimelineModel.WHEN,
            TimelineModel.WHAT,
            TimelineModel.SHOW,
            TimelineModel.PROGRESS,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Enter or a double click opens the item (show events have none).
        self.table.activated.connect(self._activated)
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)

        self.play_action = QAction(self.tr("&Play"), self.table)
        self.play_action.triggered.connect(self._play_current)
        self.detail_action = QAction(self.tr("Show &details"), self.table)
        self.detail_action.triggered.connect(lambda: self._activated(self.table.currentIndex()))
        self.remove_action = QAction(self.tr("&Remove"), self.table)
        # The Delete key itself is handled in eventFilter; this shows it in the menu.
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        for action in (self.play_action, self.detail_action, self.remove_action):
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName(self.tr("No history"))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(self.tr("History status"))
        self.status.hide()

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(filter_label)
        top.addWidget(self.filter_combo)
        buttons = QHBoxLayout()
        for button in (self.remove_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addWidget(self.nfo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self._update_buttons()
        self.refresh()

    # --- loading -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def refresh(self) -> None:
        """Re-read the current profile's timeline (from the top) and its size."""
        self._generation += 1
        generation, ref, history = (
            self._generation,
            self.profile_id_provider(),
            self.library.history,
        )
        self.tasks.run(
            lambda: history.profile(ref),
            on_done=while_alive(self, lambda profile: self._profile_loaded(generation, profile)),
            on_error=while_alive(self, lambda exc: self._refresh_failed(generation, exc)),
        )

    def _profile_loaded(self, generation: int, profile: Profile) -> None:
        if generation != self._generation:
            return
        self.profile = profile
        self.event_count = None
        self.title.setText(self.tr("History: %1").replace("%1", statuses.profile_name(profile)))
        self._load_timeline()

    @property
    def filter_key(self) -> str:
        """The chosen filter: a key of `FILTERS`."""
        key = self.filter_combo.currentData()
        return key if isinstance(key, str) and key in FILTERS else "all"

    def set_filter(self, key: str) -> None:
        """Choose a filter by its `FILTERS` key (as picking it in the combo does)."""
        index = self.filter_combo.findData(key)
        if index < 0:
            raise KeyError(key)
        self.filter_combo.setCurrentIndex(index)

    def _filter_changed(self, _index: int) -> None:
        # Before the profile is known there is nothing to reload: the refresh in flight
        # reads the combo when its profile arrives.
        if self.profile is not None:
            self._load_timeline()

    def _load_timeline(self) -> None:
        """Reload the model and count the entries for the current profile and filter."""
        profile = self.profile
        if profile is None:
            return
        self._view_generation += 1
        view, history, events = (
            self._view_generation,
            self.library.history,
            FILTERS[self.filter_key],
        )
        self.event_count = None
        self.count_label.setText(self.tr("counting…"))
        if events is None:
            self.empty_label.setText(
                self.tr(
                    "No history for this profile yet. What you play, finish, mark as watched "
                    "or like appears here."
                )
            )
        else:
            self.empty_label.setText(self.tr("No history entries of this kind."))
        self.model.reload(profile.id, events)
        self._update_state()
        self.tasks.run(
            lambda: count_lines(history, profile.id, events),
            on_done=while_alive(self, lambda n: self._counted(view, n)),
            on_error=while_alive(self, lambda exc: self._count_failed(view, exc)),
        )

    def _counted(self, view: int, count: int) -> None:
        if view == self._view_generation:
            self._set_count(count)

    def _count_failed(self, view: int, exc: Exception) -> None:
        if view == self._view_generation:
            self.count_label.clear()
            self._show_message(self.tr("The history could not be read: %1").replace("%1", str(exc)))

    def _set_count(self, count: int) -> None:
        self.event_count = max(0, count)
        self.count_label.setText(self.tr("%n entries", "", self.event_count))

    def _refresh_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.count_label.clear()
            self._show_message(self.tr("The history could not be read: %1").replace("%1", str(exc)))

    def _load_failed(self, error: str) -> None:
        self._show_message(self.tr("The history could not be read: %1").replace("%1", error))

    def _update_state(self) -> None:
        empty = self.model.rowCount() == 0 and self.model.all_loaded and self.profile is not None
        self.stack.setCurrentWidget(self.empty_label if empty else self.table)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        has_profile = self.profile is not None and not self._busy
        selected = bool(self.table.selectionModel().selectedRows())
        self.remove_button.setEnabled(has_profile and selected)
        self.remove_action.setEnabled(has_profile and selected)
        self.export_button.setEnabled(not self._busy)
        self.import_button.setEnabled(has_profile)
        self.nfo_button.setEnabled(has_profile)
        current = self._current_item_id()
        self.play_action.setEnabled(current is not None)
        self.detail_action.setEnabled(current is not None)

    def _show_message(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self.messageShown.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], failure: str) -> None:
        """Run one user operation in the background; `failure` ("%1" = the error) on error."""
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            self._show_message(failure.replace("%1", str(exc)))

        self.tasks.run(fn, on_done=while_alive(self, done), on_error=while_alive(self, failed))

    # --- entries -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    def selected_event_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        # A play session's line stands for its play and its completion: both go.
        return [event_id for row in rows for event_id in self.model.entry(row).event_ids]

    def _current_item_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.entry(index.row()).item_id

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            item_id = self.model.entry(index.row()).item_id
            if item_id is not None:
                self.detailRequested.emit(item_id)

    def _play_current(self) -> None:
        item_id = self._current_item_id()
        if item_id is not None:
            self.playRequested.emit(item_id)

    def remove_selected(self) -> None:
        """The Remove button and the Delete key: confirm, then remove in the background."""
        ids = self.selected_event_ids()
        lines = len(self.table.selectionModel().selectedRows())
        if ids and not self._busy and self.confirm_remove(lines):
            self.remove_events(ids)

    def confirm_remove(self, count: int) -> bool:
        """Ask before removing `count` entries (tests replace this)."""
        if count == 1:
            question = self.tr("Remove this entry from the history?")
        else:
            question = self.tr("Remove %n entries from the history?", "", count)
        answer = QMessageBox.question(
            self,
            self.tr("Remove history entries"),
            question
            + "\n\n"
            + self.tr("Watched marks, resume points and feedback are updated to match."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def remove_events(self, event_ids: Sequence[int]) -> None:
        """Remove entries without asking; the engine refolds what they affected."""
        ids, history, view = list(event_ids), self.library.history, self._view_generation
        if not ids:
            return

        def work() -> list[int]:
            return [event_id for event_id in ids if history.remove_event(event_id)]

        def done(removed: list[int]) -> None:
            lines = self.model.remove_rows(removed)
            # Removed rows were listed under the current filter, so they count in it too.
            if view == self._view_generation and self.event_count is not None:
                self._set_count(self.event_count - lines)
            self._show_message(self.tr("Removed %n entries.", "", lines))
            if self.model.rowCount() == 0 and self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())  # the view has nothing left to scroll
            self._update_state()
            if removed:
                self.historyChanged.emit()

        self._start(work, done, self.tr("The entries could not be removed: %1"))

    # --- export and import ---------------------------------------------------------------------

    def export_history(self) -> None:
        """Export…: ask where, then `export_to`."""
        json_filter = self.tr("JSON, complete (*.json)")
        csv_filter = self.tr("CSV, for spreadsheets (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export history"),
            str(Path.home() / "reelcast-history.json"),
            ";;".join((json_filter, csv_filter)),
            json_filter,
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".json", ".csv"):
            path += ".csv" if chosen == csv_filter else ".json"
        self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Export every profile's history to `path`: CSV for a .csv name, JSON otherwise."""
        target, history = Path(path), self.library.history
        as_csv = target.suffix.lower() == ".csv"

        def work() -> int:
            return history.export_csv(target) if as_csv else history.export_json(target)

        def done(count: int) -> None:
            self._show_message(
                self.tr("Exported %n entries (all profiles) to %1.", "", count).replace(
                    "%1", str(target)
                )
            )

        self._start(work, done, self.tr("The history was not exported: %1"))

    def import_history(self) -> None:
        """Import…: ask which file, then `import_from`."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import history"),
            str(Path.home()),
            self.tr("History files (*.json *.csv);;All files (*)"),
        )
        if path:
            self.import_from(path)

    def import_from(self, path: str | Path) -> None:
        """Import a JSON or CSV history file into the current profile."""
        profile = self.profile
        if profile is None:
            self._show_message(self.tr("Nothing was imported: no profile is loaded yet."))
            return
        source, history = Path(path), self.library.history

        def work() -> ImportReport:
            return history.import_file(source, profile=profile.name)

        def done(report: ImportReport) -> None:
            self._show_message(
                self.tr("Imported %n entries into %1;", "", report.imported).replace(
                    "%1", profile.name
                )
                + " "
                + self.tr(
                    "skipped %n whose item is not in this library", "", report.skipped_unmatched
                )
                + self.tr(", ", "between counts")
                + self.tr("%n already present.", "", report.duplicates)
            )
            if report.imported:
                self._changed()

        self._start(work, done, self.tr("Nothing was imported: %1"))

    def import_nfo(self) -> None:
        """Kodi NFO play counts and resume points into the current profile."""
        profile = self.profile
        if profile is None:
            return
        history = self.library.history

        def done(added: int) -> None:
            if added:
                self._show_message(self.tr("Added %n entries from Kodi NFO files.", "", added))
                self._changed()
            else:
                self._show_message(self.tr("The Kodi NFO files hold nothing new."))

        self._start(
            lambda: history.import_nfo_history(profile.id),
            done,
            self.tr("Nothing was imported from Kodi NFO files: %1"),
        )

    def _changed(self) -> None:
        # Imported events land anywhere in time: reload from the top.
        self.refresh()
        self.historyChanged.emit()
