"""The engine's log file, read-only: its last lines, following new ones while visible.

The log is a rotating file (engine/logs.py). Only its end is read at first (a seek, never the
whole file); after that only the bytes appended since the last read, which are small, so the
reading stays on the UI thread. A file watcher notices appends quickly; a slow timer covers
file systems where the watcher says nothing. Rotation (a new file under the same name) and
truncation are noticed by the file's identity and size, and the file is read again from its
start.
"""

from __future__ import annotations

import logging
import os
import re
from collections import deque
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QFontDatabase,
    QHideEvent,
    QKeySequence,
    QShowEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

__all__ = ["LogViewer"]

MAX_LINES = 2000
# Enough bytes for MAX_LINES lines of ~250 characters; only this much of a big file is read.
TAIL_BYTES = 512 * 1024
_CHECK_BYTES = 64
POLL_MS = 2000  # the fallback when the file watcher is silent (network drives, some systems)
# "2024-01-05 12:00:00,123 WARNING engine.x: ..." (engine/logs.py's format)
_LEVEL = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ([A-Z]+) ")
_WARNING = logging.WARNING


class LogViewer(QWidget):
    def __init__(self, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_path = Path(log_path)
        # (level, text); continuation lines (tracebacks) take their record's level.
        self._lines: deque[tuple[int, str]] = deque(maxlen=MAX_LINES)
        self._pos = 0  # bytes of the current file already read
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file read
        self._partial = b""  # an unfinished last line, completed by the next read
        self._seen = b""  # the last bytes read, to notice a file rewritten behind our back
        self._last_level = logging.INFO
        self._read_failed = False

        self.setAccessibleName(self.tr("Log"))
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMaximumBlockCount(MAX_LINES)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(self.tr("Log lines"))
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self.level = QComboBox(self)
        self.level.addItem(self.tr("All"), logging.NOTSET)
        self.level.addItem(self.tr("Warnings and errors"), _WARNING)
        self.level.setAccessibleName(self.tr("Which log lines to show"))
        self.level.currentIndexChanged.connect(self._render)
        level_label = QLabel(self.tr("&Show:"), self)
        level_label.setBuddy(self.level)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find in log"))
        self.search.setAccessibleName(self.tr("Find in log"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.find_button = QPushButton(self.tr("Find &next"), self)
        self.find_button.setAccessibleName(self.tr("Find the next match"))
        self.find_button.clicked.connect(self.find_next)
        self.open_button = QPushButton(self.tr("Open log &folder"), self)
        self.open_button.setAccessibleName(self.tr("Open the folder holding the log files"))
        self.open_button.clicked.connect(self.open_folder)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Log viewer status"))

        find = QAction(self.tr("Find in log"), self)
        # Ctrl+F belongs to the window (go to Search); two owners would make it ambiguous.
        find.setShortcut(QKeySequence("Ctrl+Shift+F"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.search.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.addAction(find)
        again = QAction(self.tr("Find next"), self)
        again.setShortcut(QKeySequence(QKeySequence.StandardKey.FindNext))
        again.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        again.triggered.connect(self.find_next)
        self.addAction(again)

        bar = QHBoxLayout()
        bar.addWidget(level_label)
        bar.addWidget(self.level)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.find_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)

        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        # The folder too: after a rotation the file is new, and a watcher on the old one is gone.
        self.watcher.directoryChanged.connect(self._file_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(100)
        self.soon.timeout.connect(self.poll)
        self.poll()

    # --- following the file --------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._watch()
        self.timer.start()
        self.poll()  # catch up on what was written while hidden

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()
        if self.watcher.files() or self.watcher.directories():
            self.watcher.removePaths(self.watcher.files() + self.watcher.directories())

    def _watch(self) -> None:
        wanted = [str(self.log_path.parent), str(self.log_path)]
        present = set(self.watcher.files()) | set(self.watcher.directories())
        missing = [p for p in wanted if p not in present and os.path.exists(p)]
        if missing:
            self.watcher.addPaths(missing)

    @Slot(str)
    def _file_changed(self, _path: str) -> None:
        if not self.isVisible():
            return
        self._watch()  # a rotated or re-created file must be watched again
        if not self.soon.isActive():
            self.soon.start()  # a burst of writes becomes one read

    @Slot()
    def poll(self) -> None:
        """Read whatever was appended since the last read (or the tail of a new file)."""
        try:
            lines = self._read_new()
        except OSError as exc:
            self.status.setText(self.tr("Cannot read the log: %1").replace("%1", str(exc)))
            self._read_failed = True
            return
        if self._read_failed:  # leave search messages alone
            self._read_failed = False
            self.status.clear()
        if lines:
            self._append(lines)

    def _read_new(self) -> list[tuple[int, str]]:
        try:
            st = os.stat(self.log_path)
        except FileNotFoundError:
            return []  # not written yet, or mid-rotation
        identity = (st.st_dev, st.st_ino)
        first = self._identity is None
        if identity != self._identity or st.st_size < self._pos:
            self._restart(identity)  # a rotated or truncated file
        with open(self.log_path, "rb") as fh:
            if self._pos and not self._still_same(fh):
                # Truncated and written past where we were before we looked: start over.
                self._restart(identity)
            # Only the very first read takes just the tail; a new or truncated file is read
            # from its start, below what is already shown.
            start = max(0, st.st_size - TAIL_BYTES) if first else self._pos
            mid_line = start > 0 and first
            if st.st_size - start > TAIL_BYTES:
                # A burst bigger than the tail (rare) skips to its end: one read stays small.
                start = st.st_size - TAIL_BYTES
                self._partial = b""
                mid_line = True
            if st.st_size <= start:
                return []
            fh.seek(start)
            data = fh.read(st.st_size - start)
        self._pos = start + len(data)
        self._seen = data[-_CHECK_BYTES:]
        return self._parse(data, drop_first=mid_line)

    def _restart(self, identity: tuple[int, int]) -> None:
        self._identity = identity
        self._pos = 0
        self._partial = b""
        self._seen = b""

    def _still_same(self, fh: BinaryIO) -> bool:
        """Do the last bytes we read still sit just before `_pos`?"""
        if not self._seen:
            return True
        fh.seek(self._pos - len(self._seen))
        return fh.read(len(self._seen)) == self._seen

    def _parse(self, data: bytes, drop_first: bool) -> list[tuple[int, str]]:
        data = self._partial + data
        *complete, self._partial = data.split(b"\n")
        if drop_first and complete:
            complete = complete[1:]  # began mid-line
        out = []
        for raw in complete:
            raw = raw.rstrip(b"\r")
            match = _LEVEL.match(raw)
            if match:
                name = match.group(1).decode("ascii")
                level = logging.getLevelName(name)
                self._last_level = level if isinstance(level, int) else logging.INFO
            out.append((self._last_level, raw.decode("utf-8", "replace")))
        return out

    # --- display -------------------------------------------------------------------------------

    def _minimum(self) -> int:
        value = self.level.currentData()
        return int(value) if value is not None else logging.NOTSET

    def _append(self, lines: list[tuple[int, str]]) -> None:
        self._lines.extend(lines)
        minimum = self._minimum()
        shown = [text for level, text in lines[-MAX_LINES:] if level >= minimum]
        if not shown:
            return
        bar = self.text.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 2  # only follow when already at the end
        cursor = QTextCursor(self.text.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not self.text.document().isEmpty():
            cursor.insertBlock()
        cursor.insertText("\n".join(shown))
        if follow:
            bar.setValue(bar.maximum())

    @Slot()
    def _render(self) -> None:
        minimum = self._minimum()
        self.text.setPlainText("\n".join(t for level, t in self._lines if level >= minimum))
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())

    def visible_text(self) -> str:
        return self.text.toPlainText()

    # --- actions -------------------------------------------------------------------------------

    @Slot()
    def find_next(self) -> bool:
        """Select the next match of the search text, wrapping to the top; False if none."""
        needle = self.search.text()
        if not needle:
            return False
        if self.text.find(needle):
            self.status.clear()
            return True
        cursor = self.text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.text.setTextCursor(cursor)
        if self.text.find(needle):
            self.status.setText(self.tr("Search wrapped to the top"))
            return True
        self.status.setText(self.tr("Not found: %1").replace("%1", needle))
        return False

    @Slot()
    def open_folder(self) -> None:
        folder = self.log_path.parent
        if not self._open_url(QUrl.fromLocalFile(str(folder))):
            self.status.setText(self.tr("Could not open the folder %1").replace("%1", str(folder)))

    def _open_url(self, url: QUrl) -> bool:
        # One place that leaves the app, so tests can replace it.
        return QDesktopServices.openUrl(url)
