"""Fixtures every desktop test module shares; a module that needs a prepared library defines
its own `library` (usually `scanned(...)` over folders it made), and `tasks`, `ids`, `profile`
and `player` then follow it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.appearance import install_language
from desktop.tasks import Tasks
from desktop.ui_thread_gc import UiThreadGc
from engine.library import Library

if TYPE_CHECKING:  # QtMultimedia: imported by the modules that play
    from desktop.player.player_widget import PlayerWidget


@pytest.fixture(autouse=True, scope="session")
def english_plurals(qapp: QApplication) -> None:
    # As the app does at start: English plural forms ("1 problem") come from reelcast_en.qm.
    install_language(qapp, "en")


@pytest.fixture(autouse=True, scope="session")
def ui_thread_gc(qapp: QApplication) -> Iterator[None]:
    # As the app does once started: garbage cycles holding Qt objects are collected on the UI
    # thread, never in a task's thread (desktop/ui_thread_gc.py).
    collector = UiThreadGc(qapp)
    collector.start()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def delete_closed_widgets(qapp: QApplication) -> Iterator[None]:
    """Delete what the test scheduled for deletion (qtbot closes its widgets with deleteLater)
    before the next test starts. pytest-qt leaves those events queued, and hundreds of windows
    from earlier tests destroyed inside a later test's wait crashed the suite in ~QObject; the
    app's event loop deletes each one as soon as it returns to it."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "data", workers=1)
    yield lib
    lib.close()


@pytest.fixture
def tasks(library: Library) -> Iterator[Tasks]:
    # Depends on `library` so that background jobs finish before the library closes.
    pool = Tasks()
    yield pool
    pool.wait()


@pytest.fixture
def scanned(tmp_path: Path) -> Iterator[Callable[..., Library]]:
    """Opens a library over folders the test made and scans them: `scanned((videos, "video"))`.
    Closed after the test, once the tasks using it have finished."""
    opened: list[Library] = []

    def open_scanned(*roots: tuple[Path, str]) -> Library:
        lib = Library(tmp_path / "data", workers=1)
        opened.append(lib)
        for folder, kind in roots:
            lib.add_root(folder, kind)
        lib.scan()
        return lib

    yield open_scanned
    for lib in opened:
        lib.close()


@pytest.fixture
def ids(library: Library) -> dict[str, int]:
    """Item ids by title."""
    return {str(item["title"]): int(item["id"]) for item in library.items()}


@pytest.fixture
def profile(library: Library) -> int:
    return library.history.default_profile().id


@pytest.fixture
def player(qtbot: QtBot, library: Library, tasks: Tasks) -> Iterator[PlayerWidget]:
    from desktop.player.player_widget import PlayerWidget

    widget = PlayerWidget(library, tasks, lambda: None)
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    yield widget
    widget.shutdown()
    qtbot.wait(10)
