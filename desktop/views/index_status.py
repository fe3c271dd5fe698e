"""The status bar's indexing part: what the worker does, how folders are watched, pause/resume.

The worker reports on its own thread; a signal carries each report, with the watchers' state
read there too, to the UI thread. Pausing and resuming run in the background: the worker's
report on a pause counts the queue in SQLite. The words come from desktop.statuses (the
engine reports states and reasons as data); nothing shows while there is nothing to index.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop import statuses
from desktop.tasks import Tasks
from engine.library import Library

# States in which the worker has (or may have) something to say even with no folder watched.
ACTIVE = frozenset({"scanning", "embedding", "transcribing", "paused", "failed", "standby"})


class _Bridge(QObject):
    """Lives on the UI thread; `report` may be emitted from any thread (queued delivery)."""

    report = Signal(object)


class IndexStatus(QWidget):
    # The worker finished a pass that changed the index: search and recommendations may change.
    indexed = Signal()

    def __init__(
        self, library: Library, parent: QWidget | None = None, tasks: Tasks | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks or Tasks(self)
        self.bridge = _Bridge(self)
        self.bridge.report.connect(self._show)
        self.label = QLabel(self)
        self.label.setAccessibleName(self.tr("Indexing status"))
        self.watch = QLabel(self)
        self.watch.setAccessibleName(self.tr("Folder watching"))
        self.pause = QPushButton(self.tr("Pause indexing"), self)
        self.pause.setCheckable(True)
        self.pause.setAccessibleName(self.tr("Pause or resume indexing"))
        self.pause.toggled.connect(self._toggle)
        self._busy = False
        for part in (self.label, self.watch, self.pause):
            part.hide()  # until the worker's first report says there is something to index
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.watch)
        layout.addWidget(self.pause)

    def on_worker_status(self, status: Any) -> None:
        """Give this to `Library.start_watching`; it runs on the worker's thread."""
        self.bridge.report.emit((status, self.library.indexing_status()))

    @Slot(object)
    def _show(self, report: tuple[Any, Any]) -> None:
        status, indexing = report
        if status.state in ("scanning", "embedding", "transcribing"):
            self._busy = True
        elif status.state == "idle" and self._busy:
            self._busy = False
            self.indexed.emit()
        watchers = list(indexing.watchers) if indexing is not None else []
        # An empty library has nothing to index: no "Up to date" and no Pause button for it.
        working = bool(watchers or status.queued) or status.state in ACTIVE
        text, tip = statuses.worker_line(status)
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.label.setVisible(working)
        self.pause.setVisible(working and status.state not in ("standby", "failed", "stopped"))
        if watchers:
            text, tip = statuses.watch_summary(watchers)
            self.watch.setText(text)
            self.watch.setToolTip(tip)
        self.watch.setVisible(bool(watchers))

    @Slot(bool)
    def _toggle(self, paused: bool) -> None:
        if paused:
            self.tasks.run(self.library.pause_indexing)
            self.pause.setText(self.tr("Resume indexing"))
        else:
            self.tasks.run(self.library.resume_indexing)
            self.pause.setText(self.tr("Pause indexing"))
