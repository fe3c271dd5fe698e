"""Start-up builds only the first screen: the other pages are made after the first paint of the
populated window, or as soon as something needs one; what the user sees is the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import LAZY_PAGES, SECTIONS, MainWindow
from engine.library import Library
from tests.mediagen import make_audio

WAIT = 60_000


@pytest.fixture
def scanned(tmp_path: Path, library: Library) -> Library:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    for n in range(2):
        make_audio(folder / f"ep{n}.mp3", seconds=0.2, title=f"Episode {n}", show="Show")
    library.add_root(folder, "podcast")
    library.scan()
    return library


@pytest.fixture
def window(qtbot: QtBot, scanned: Library) -> Iterator[MainWindow]:
    tasks = Tasks()
    win = MainWindow(scanned, tasks, watch=False)
    qtbot.addWidget(win)
    yield win
    win.close()
    tasks.wait()


def test_only_home_is_built_before_the_first_paint(qtbot: QtBot, window: MainWindow) -> None:
    assert window.built_pages() == {}
    assert window.pages.currentWidget() is window.home
    assert window.pages.count() == len(SECTIONS) + 2  # the sections, welcome, detail
    window.show()
    # After the populated window has painted, the rest are built in the background turns.
    qtbot.waitUntil(lambda: len(window.built_pages()) == len(LAZY_PAGES), timeout=WAIT)
    for name, index in LAZY_PAGES.items():
        assert window.pages.widget(index) is window.built_pages()[name]


def test_a_page_asked_for_before_then_is_built_in_its_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go_to("history")  # e.g. the section restored at start, or a click
    assert set(window.built_pages()) == {"history"}
    assert window.pages.currentWidget() is window.history_page
    assert window.current_section() == "history"
    window.sidebar.setCurrentRow(SECTIONS.index("videos"))
    assert window.pages.currentWidget() is window.videos
    assert window.pages.indexOf(window.videos) == LAZY_PAGES["videos"]
    # The page loads its content as it would have at start.
    with qtbot.waitSignal(window.videos.loaded, timeout=WAIT):
        window.videos.refresh()


def _docks(window: MainWindow) -> set[str]:
    return {dock.objectName() for dock in window.findChildren(QDockWidget)}


def test_the_problems_and_log_docks_are_made_after_the_first_paint(
    qtbot: QtBot, tmp_path: Path, scanned: Library
) -> None:
    (tmp_path / "Podcasts" / "broken.mp3").write_bytes(b"not audio at all")
    scanned.scan()
    assert len(scanned.errors()) == 1
    tasks = Tasks()
    window = MainWindow(scanned, tasks, watch=False)
    qtbot.addWidget(window)
    try:
        assert _docks(window) == set()  # nothing of them before the first paint
        window.show()
        qtbot.waitUntil(lambda: {"errors", "log"} <= _docks(window), timeout=WAIT)
        # The problems count still reaches the status bar, and the button opens the dock.
        qtbot.waitUntil(lambda: window.errors_button.isVisible(), timeout=WAIT)
        window.errors_button.click()
        assert window.errors_dock.isVisible()
    finally:
        window.close()
        tasks.wait()


def test_a_dock_left_open_is_open_again_at_the_next_start(qtbot: QtBot, scanned: Library) -> None:
    tasks = Tasks()
    first = MainWindow(scanned, tasks, watch=False)
    qtbot.addWidget(first)
    first.show()
    first.show_dock(first.log_dock)  # asked for before the first paint: made at once
    assert first.log_dock.isVisible() and not first.errors_dock.isVisible()
    first.close()  # saves the layout
    tasks.wait()
    second = MainWindow(scanned, tasks, watch=False)
    qtbot.addWidget(second)
    try:
        assert _docks(second) == set()
        second.show()
        qtbot.waitUntil(lambda: {"errors", "log"} <= _docks(second), timeout=WAIT)
        assert second.log_dock.isVisible() and not second.errors_dock.isVisible()
    finally:
        second.close()
        tasks.wait()
