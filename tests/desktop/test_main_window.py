"""The main window against a real library: first run, navigation, detail and back, settings,
profiles and the problems badge."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
from tests.mediagen import make_audio

WAIT = 60_000


@pytest.fixture
def podcasts(tmp_path: Path) -> Path:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    for n in range(3):
        make_audio(folder / f"ep{n}.mp3", seconds=0.2, title=f"Episode {n}", show="Show")
    (folder / "broken.mp3").write_bytes(b"")  # a per-file error for the problems panel
    return folder


@pytest.fixture
def window(qtbot: QtBot, library: Library) -> Iterator[MainWindow]:
    tasks = Tasks()
    win = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    tasks.wait()


def test_first_run_welcome_then_scan_lists_items(
    qtbot: QtBot, window: MainWindow, library: Library, podcasts: Path
) -> None:
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.welcome, timeout=WAIT)
    with qtbot.waitSignal(window.welcome.foldersAdded, timeout=WAIT):
        window.welcome.add_folder(str(podcasts), "podcast")
    assert window.pages.currentWidget() is window.home
    qtbot.waitUntil(lambda: library.item_count() == 3, timeout=WAIT)
    qtbot.waitUntil(lambda: window.scan_action.isEnabled(), timeout=WAIT)
    assert "1 errors" in window.status.text()
    # The problems badge counts the unreadable file.
    qtbot.waitUntil(lambda: window.errors_button.isVisible(), timeout=WAIT)
    window.errors_button.click()
    assert window.errors_dock.isVisible()

    window.go_to("podcasts")
    assert window.pages.currentWidget() is window.podcasts
    qtbot.waitUntil(lambda: window.podcasts.model.rowCount() == 3, timeout=WAIT)


def test_detail_opens_from_a_page_and_back_returns(
    qtbot: QtBot, window: MainWindow, library: Library, podcasts: Path
) -> None:
    library.add_root(podcasts, "podcast")
    library.scan()
    window.refresh()
    window.go_to("podcasts")
    qtbot.waitUntil(lambda: window.podcasts.model.rowCount() == 3, timeout=WAIT)
    item = window.podcasts.model.item_id(0)
    with qtbot.waitSignal(window.detail.loaded, timeout=WAIT):
        window.podcasts.detailRequested.emit(item)
    assert window.pages.currentWidget() is window.detail
    assert window.detail.item_id() == item
    window.detail.backRequested.emit()
    assert window.pages.currentWidget() is window.podcasts


def test_profile_switch_and_settings(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    sam = library.history.add_profile("Sam").id
    with qtbot.waitSignal(window.profiles.loaded, timeout=WAIT):
        window.profiles.reload()
    with qtbot.waitSignal(window.profiles.profileChanged, timeout=WAIT):
        window.profiles.set_profile(sam)
    assert window.profiles.current_profile_id() == sam
    qtbot.waitUntil(lambda: library.settings().profile_id == sam, timeout=WAIT)
    dialog = window.open_settings("appearance")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.themeChanged, timeout=WAIT):
        dialog.appearance_tab.theme.setCurrentIndex(dialog.appearance_tab.theme.findData("dark"))
    dialog.close()
    qtbot.waitUntil(lambda: library.settings().theme == "dark", timeout=WAIT)


def test_keyboard_reaches_every_section(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for n, page in enumerate(
        (window.home, window.videos, window.podcasts, window.search, window.history_page), 1
    ):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.AltModifier)
        assert window.pages.currentWidget() is page
    window.go_to("home")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.search
    assert window.search.edit.hasFocus()
