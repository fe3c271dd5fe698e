"""What the settings tabs and the profile switcher share: one serial settings writer, a status
line, and the display names of folder kinds."""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop import statuses
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import Library

log = logging.getLogger(__name__)


def kind_label(kind: str) -> str:
    labels = {
        "podcast": QCoreApplication.translate("Settings", "Podcasts"),
        "video": QCoreApplication.translate("Settings", "Videos"),
        "mixed": QCoreApplication.translate("Settings", "Podcasts and videos"),
    }
    return labels.get(kind, kind)


def error_text(exc: BaseException) -> str:
    """The engine's refusal in the UI language (desktop.statuses), else its message; a bug
    still says something."""
    return statuses.library_error(exc)


class SettingsWriter(QObject):
    """Saves setting changes in the background, one write at a time, in order.

    `Library.update_settings` reads, changes and writes the whole record, so two writes running
    at once could lose one change; queueing them here also keeps the last choice the one saved.
    """

    saved = Signal(object)  # the engine's Settings after a write
    failed = Signal(str)

    def __init__(self, library: Library, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self._pending: dict[str, Any] = {}
        self._writing = False
        self._released = False

    def release(self) -> None:
        """The owner is going away: finish the queued writes, then delete this writer.

        Parent the writer to something that outlives its owner (the `Tasks`) for this to
        matter: a dialog closed right after a change still saves it."""
        self._released = True
        self._delete_when_idle()

    def _delete_when_idle(self) -> None:
        if self._released and not self.busy():
            self.deleteLater()

    def write(self, **changes: Any) -> None:
        self._pending.update(changes)
        self._next()

    def busy(self) -> bool:
        return self._writing or bool(self._pending)

    def _next(self) -> None:
        if self._writing or not self._pending:
            return
        batch, self._pending = self._pending, {}
        self._writing = True
        self.tasks.run(
            lambda: self.library.update_settings(**batch),
            on_done=while_alive(self, self._done),
            on_error=while_alive(self, self._failed),
        )

    def _done(self, settings: Any) -> None:
        self._writing = False
        self.saved.emit(settings)
        self._next()
        self._delete_when_idle()

    def _failed(self, exc: Exception) -> None:
        self._writing = False
        self.failed.emit(error_text(exc))
        self._next()
        self._delete_when_idle()


class StatusLine(QLabel):
    """One line under a tab's controls: what just happened, or what went wrong."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.is_error = False

    def show_info(self, text: str) -> None:
        if shiboken6.isValid(self):
            self.is_error = False
            self.setStyleSheet("")
            self.setText(text)

    def show_error(self, text: str) -> None:
        if shiboken6.isValid(self):
            self.is_error = True
            self.setStyleSheet("color: #d04040;")
            self.setText(text)
