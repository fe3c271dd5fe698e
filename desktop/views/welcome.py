"""The first-run screen, shown while the library has no folders: add a podcast, video or mixed
folder with the native folder picker, or generate the demo library and add it.

Adding a folder and generating the demo run through `Tasks`; the view emits `foldersAdded` once
a folder is in the library, and the main window then starts the scan and shows Home.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import statuses
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import Library, LibraryError

if TYPE_CHECKING:
    from engine.demo import DemoLibrary

log = logging.getLogger(__name__)

__all__ = ["DEMO_FOLDER", "WelcomeView"]

DEMO_FOLDER = "demo"  # under the library's data dir


class WelcomeView(QWidget):
    foldersAdded = Signal()

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self._busy = False
        # Set when the view goes away, so a demo still being generated stops early.
        cancel = self._cancel = threading.Event()
        self.destroyed.connect(lambda *_: cancel.set())

        heading = QLabel(self.tr("Welcome to Reelcast"), self)
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.8)
        heading.setFont(font)
        heading.setAccessibleName(self.tr("Welcome"))
        intro = QLabel(
            self.tr(
                "Tell Reelcast where your podcasts and videos live. It reads them on this "
                "computer only, lists them in your library and recommends what to play next."
            ),
            self,
        )
        intro.setWordWrap(True)

        # Worded as media apps do (Plex's "Add library", Jellyfin's content types): what is in
        # the folder, not how the library files it.
        self.podcast_button = self._button(self.tr("Add &podcasts…"), "podcast")
        self.podcast_button.setToolTip(self.tr("A folder of podcast episodes you downloaded"))
        self.video_button = self._button(self.tr("Add &films and TV…"), "video")
        self.video_button.setToolTip(self.tr("A folder of films and TV shows"))
        self.mixed_button = self._button(self.tr("Add a folder with &both…"), "mixed")
        self.mixed_button.setToolTip(
            self.tr("One folder that holds podcasts, films and TV shows together")
        )

        demo_intro = QLabel(
            self.tr(
                "Just want to look around? The demo library has a few short generated podcast "
                "episodes, a TV show and some films."
            ),
            self,
        )
        demo_intro.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("Try the &demo library"), self)
        self.demo_button.setAccessibleName(self.tr("Try the demo library"))
        self.demo_button.clicked.connect(self.use_demo)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Demo library progress"))
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Error"))
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        buttons = QHBoxLayout()
        for button in (self.podcast_button, self.video_button, self.mixed_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_button)
        demo_row.addWidget(self.progress, 1)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(line)
        column.addWidget(demo_intro)
        column.addLayout(demo_row)
        column.addSpacing(12)
        column.addWidget(self.status)
        column.addWidget(self.error)
        box = QWidget(self)
        box.setLayout(column)
        box.setMaximumWidth(680)
        # Stretches rather than an alignment flag: aligned widgets lose height-for-width, and
        # the wrapped texts would be cut off.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 6)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.podcast_button.setFocus()

    def _button(self, text: str, kind: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(lambda: self.ask_folder(kind))
        return button

    # --- folders -------------------------------------------------------------------------------

    def ask_folder(self, kind: str) -> None:
        """The native folder picker, then `add_folder` with the kind the button stands for."""
        titles = {
            "podcast": self.tr("Choose your podcasts folder"),
            "video": self.tr("Choose your films and TV folder"),
            "mixed": self.tr("Choose a folder with podcasts, films and TV"),
        }
        path = QFileDialog.getExistingDirectory(self, titles[kind], str(Path.home()))
        if path:
            self.add_folder(path, kind)

    def add_folder(self, path: str | os.PathLike[str], kind: str) -> None:
        """Add `path` as a library folder of `kind` in the background; errors show in the view."""
        if self._busy:
            return
        self._set_busy(True)
        self._show_error(None)
        self.status.setText(self.tr("Adding %1…").replace("%1", os.fspath(path)))
        self.tasks.run(
            lambda: self.library.add_root(path, kind),
            on_done=while_alive(self, self._folder_added),
            on_error=while_alive(self, self._failed),
        )

    def _folder_added(self, root: Any) -> None:
        self._set_busy(False)
        self.status.setText(self.tr("Added %1.").replace("%1", str(root.path)))
        self.foldersAdded.emit()

    # --- demo ----------------------------------------------------------------------------------

    def use_demo(self) -> None:
        """Generate the demo library under the data dir (a few seconds), then add its folders."""
        if self._busy:
            return
        self._set_busy(True)
        self._show_error(None)
        self.status.setText(self.tr("Creating the demo library…"))
        self.progress.setRange(0, 0)  # busy until the first report gives the total
        self.progress.show()
        library, cancel = self.library, self._cancel

        def work(report: Any) -> DemoLibrary:
            from engine.demo import make_demo_library  # PyAV and numpy: load only when asked

            demo = make_demo_library(
                library.data_dir / DEMO_FOLDER,
                progress=lambda done, total: report((done, total)),
                cancelled=cancel.is_set,
            )
            present = {os.path.realpath(r.path) for r in library.roots()}
            for folder, kind in ((demo.podcasts, "podcast"), (demo.videos, "video")):
                if os.path.realpath(folder) not in present:  # a second try adds what is left
                    library.add_root(folder, kind)
            return demo

        self.tasks.run(
            work,
            on_done=while_alive(self, self._demo_added),
            on_error=while_alive(self, self._failed),
            on_progress=while_alive(self, self._demo_progress),
        )

    def _demo_progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _demo_added(self, demo: DemoLibrary) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.status.setText(self.tr("The demo library is ready: %n items.", "", demo.count))
        self.foldersAdded.emit()

    # --- state ---------------------------------------------------------------------------------

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.status.clear()
        if not isinstance(exc, LibraryError | OSError):
            log.error("welcome: %s", exc)
        self._show_error(statuses.library_error(exc))

    def _show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.podcast_button, self.video_button, self.mixed_button):
            button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)

    @property
    def error_text(self) -> str:
        """The error shown, or "" (for tests and the main window)."""
        return self.error.text() if self.error.isVisibleTo(self) else ""
