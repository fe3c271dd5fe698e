"""The status bar's indexing part: what the worker does, how folders are watched, pause/resume.

The worker reports on its own thread; a signal carries each report, with the watchers' state
read there too, to the UI thread. Pausing and resuming run in the background: the worker's
report on a pause counts the queue in SQLite.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.tasks import Tasks
from engine.library import Library


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
        self.label = QLabel(self.tr("Indexing not started"), self)
        self.label.setAccessibleName(self.tr("Indexing status"))
        self.watch = QLabel(self)
        self.watch.setAccessibleName(self.tr("Folder watching"))
        self.pause = QPushButton(self.tr("Pause indexing"), self)
        self.pause.setCheckable(True)
        self.pause.setAccessibleName(self.tr("Pause or resume indexing"))
        self.pause.toggled.connect(self._toggle)
        self._busy = False
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
        if status.state in ("scanning", "embedding"):
            self._busy = True
        elif status.state == "idle" and self._busy:
            self._busy = False
            self.indexed.emit()
        text = {
            "starting": self.tr("Preparing the search model…"),
            "idle": self.tr("Up to date"),
            "paused": self.tr("Indexing paused"),
            "stopped": self.tr("Indexing stopped"),
            "failed": self.tr("Indexing failed: %1").replace("%1", status.last_error or ""),
        }.get(status.state)
        tip = status.current or ""
        if status.state == "standby":  # another process is this library's index writer
            pid = getattr(status, "writer_pid", None)
            if pid:
                text = self.tr("Indexed by another Reelcast (process %1)").replace("%1", str(pid))
            else:
                text = self.tr("Indexed by another Reelcast")
            tip = self.tr(
                "Another Reelcast window or command is indexing this library. Changes to your "
                "folders are queued here and that process indexes them; this one takes over "
                "when it ends."
            )
        if text is None:  # scanning or embedding
            verb = self.tr("Reading") if status.state == "scanning" else self.tr("Indexing")
            text = f"{verb} {status.done}/{status.total}"
            if status.rate:
                text += self.tr(" · %1 items/s").replace("%1", f"{status.rate:.0f}")
            if status.eta:
                text += self.tr(" · about %1 s left").replace("%1", f"{status.eta:.0f}")
        if status.queued:
            text += self.tr(" · %n changes waiting", "", status.queued)
        self.label.setText(text)
        self.label.setToolTip(tip)
        if indexing is not None and indexing.watchers:
            modes = sorted({w.mode for w in indexing.watchers})
            self.watch.setText(self.tr("Watching: %1").replace("%1", ", ".join(modes)))
            self.watch.setToolTip("\n".join(f"{w.path}: {w.reason}" for w in indexing.watchers))

    @Slot(bool)
    def _toggle(self, paused: bool) -> None:
        if paused:
            self.tasks.run(self.library.pause_indexing)
            self.pause.setText(self.tr("Resume indexing"))
        else:
            self.tasks.run(self.library.resume_indexing)
            self.pause.setText(self.tr("Pause indexing"))
