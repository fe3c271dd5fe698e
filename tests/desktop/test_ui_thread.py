"""Where the window's engine work runs: never on the UI thread.

The window is driven through first run, Home, Videos (browse), search, detail, play and
history on a real library, then opened again on it as at a later start-up. The library is the
real façade with each public call's thread recorded (tests/desktop/recording.py). Any engine
call on the UI thread is a freeze waiting for a slow disk or a busy database: the test names
the calls instead of timing the window, which a loaded machine cannot break. How long the UI
thread stalls is measured by the heartbeat benchmark (`make bench heartbeat`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import History, Library
from tests.desktop.recording import RecordingLibrary
from tests.mediagen import make_video

WAIT = 180_000  # ms; only a condition that never comes fails (the worker loads the model)

FILMS = {
    "Glacier Diaries": "Ice sheets carving valleys over thousands of years.",
    "Frozen Seas": "Polar oceans freeze and thaw with the seasons.",
    "Night Jazz": "Bebop clubs in New York after the war.",
    "Kitchen Stories": "A chef cooks bread and soup in a small village.",
}


@pytest.fixture
def films(tmp_path: Path) -> Path:
    folder = tmp_path / "Films"
    folder.mkdir()
    for title, text in FILMS.items():
        make_video(folder / f"{title}.mp4", seconds=1.0, title=title, comment=text)
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Iterator[RecordingLibrary]:
    lib = RecordingLibrary(tmp_path / "data", workers=1)
    lib.call_log.calls.clear()  # construction is the app's (desktop/app.py), not the window's
    yield lib
    lib.close()


def _close(window: MainWindow, tasks: Tasks) -> None:
    window.close()
    tasks.wait()


def test_no_engine_call_runs_on_the_ui_thread(
    qtbot: QtBot, library: RecordingLibrary, films: Path
) -> None:
    log = library.call_log
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    # First run: add a folder from the welcome page; the scan and the worker follow.
    window.welcome.add_folder(str(films), "video")
    qtbot.waitUntil(lambda: Library.item_count(library) == len(FILMS), timeout=WAIT)
    window.go_to("videos")
    qtbot.waitUntil(lambda: window.videos.model.rowCount() == len(FILMS), timeout=WAIT)
    qtbot.waitUntil(lambda: window.index_status.label.text() == "Up to date", timeout=WAIT)

    # Home, then search and the top result's detail.
    window.go_to("home")
    qtbot.waitUntil(lambda: window.home.model("for-you") is not None, timeout=WAIT)
    window.go_to("search")
    with qtbot.waitSignal(window.search.searched, timeout=WAIT):
        window.search.set_query("ice and glaciers")
    glacier = window.search.model.item_id(0)
    with qtbot.waitSignal(window.detail.loaded, timeout=WAIT):
        window.search.detailRequested.emit(glacier)

    # Play to the end: sessions, progress and the watched mark are written as it plays.
    profile = History.default_profile(library.history).id
    window.detail.playRequested.emit(glacier)
    qtbot.waitUntil(
        lambda: glacier in History.load_profile_state(library.history, profile).watched_ids,
        timeout=WAIT,
    )
    window.go_to("history")
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() > 0, timeout=WAIT)
    window.go_to("home")
    _close(window, tasks)
    first_run = log.on_ui_thread()
    reached = log.names()

    # A later start-up: the library has content, so the window opens on Home and fills it.
    log.calls.clear()
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.populated, timeout=WAIT):
        window.show()
    window.go_to("podcasts")
    window.go_to("videos")
    qtbot.waitUntil(lambda: window.videos.model.rowCount() == len(FILMS), timeout=WAIT)
    _close(window, tasks)
    later_start = log.on_ui_thread()
    reached |= log.names()

    # The flow reached the engine (a recording that saw nothing would prove nothing).
    assert {
        "add_root",
        "scan",
        "browse",
        "item_rows",
        "recommendations",
        "search",
        "item",
        "history.profiles",
        "history.start_session",
        "history.end_session",
        "history.timeline",
    } <= reached, sorted(reached)
    assert first_run == [], f"engine calls on the UI thread (first run): {first_run}"
    assert later_start == [], f"engine calls on the UI thread (start-up): {later_start}"
