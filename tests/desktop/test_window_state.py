"""The window comes back as it was left: size, splitters and the section shown."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import window_state
from desktop.tasks import Tasks
from desktop.views.main_window import LAZY_PAGES, MainWindow
from engine.library import Library
from tests.mediagen import make_audio


def _open(qtbot: QtBot, library: Library, tasks: Tasks) -> MainWindow:
    window = MainWindow(library, tasks, watch=False)
    window.show()  # splitters apply sizes when they are laid out
    qtbot.waitExposed(window)
    # Pages besides Home are built after the first paint; then the minimum size is final.
    qtbot.waitUntil(lambda: len(window.built_pages()) == len(LAZY_PAGES))
    return window


def _close(window: MainWindow, tasks: Tasks) -> None:
    window.close()  # saves the layout
    tasks.wait()
    shiboken6.delete(window)
    QApplication.processEvents()
    tasks.wait()


def test_geometry_splitters_and_section_are_restored(
    qtbot: QtBot, tmp_path: Path, library: Library, tasks: Tasks
) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "a.mp3", seconds=0.2, title="A")
    library.add_root(folder, "podcast")
    library.scan()

    first = _open(qtbot, library, tasks)
    # Not the default size (1200 x 760), and within the offscreen screen's 800 x 800.
    size = QSize(first.minimumSize().width(), 700)
    first.resize(size)
    qtbot.waitUntil(lambda: first.size() == size)
    first.go_to("videos")
    splitter = first.videos.splitter
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 400)
    default = splitter.sizes()
    splitter.setSizes([default[0] + 60, default[1] - 60])
    qtbot.waitUntil(lambda: splitter.sizes() != default)
    sizes = splitter.sizes()
    first.go_to("history")
    _close(first, tasks)
    assert window_state.settings_path(library.data_dir).is_file()

    second = _open(qtbot, library, tasks)
    try:
        assert second.size() == size
        # Whether the library has folders is read in the background, then the section shows.
        qtbot.waitUntil(lambda: second.pages.currentWidget() is second.history_page)
        assert second.current_section() == "history"
        second.go_to("videos")
        # The list of shows keeps the width it was given (the items pane takes the rest).
        qtbot.waitUntil(lambda: second.videos.splitter.sizes() == sizes)
    finally:
        _close(second, tasks)


def test_a_damaged_layout_file_leaves_the_default(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    window_state.settings_path(library.data_dir).write_bytes(b"\x00\xff garbage [[[")
    window = _open(qtbot, library, tasks)
    try:
        assert window.current_section() == "home"
    finally:
        _close(window, tasks)
