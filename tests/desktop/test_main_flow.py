"""The main flow end to end, with the real engine: scan → Home rows → play → history → Home
updates. Screens are rendered offscreen to PNG files for a reviewer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
from tests.mediagen import make_video

WAIT = 120_000


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "Films"
    folder.mkdir()
    for title, text in (
        ("Glacier Diaries", "Ice sheets carving valleys."),
        ("Frozen Seas", "Polar oceans freeze and thaw."),
        ("Night Jazz", "Bebop clubs in New York."),
    ):
        make_video(folder / f"{title}.mp4", seconds=1.0, title=title, comment=text)
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(folder, "video")
    yield lib
    lib.close()


def test_scan_play_and_home_updates(qtbot: QtBot, library: Library, tmp_path: Path) -> None:
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    window.show()
    window.start_scan()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=WAIT)
    library.index_now()
    window.home.refresh()

    def for_you() -> list[int]:
        model = window.home.model("for-you")
        return model.item_ids() if model is not None else []

    qtbot.waitUntil(lambda: len(for_you()) == 3, timeout=WAIT)
    window.grab().save(str(tmp_path / "home.png"))
    glacier = next(i for i in library.items() if i["title"] == "Glacier Diaries")["id"]

    window.play(int(glacier))
    assert window.player_dock.isVisible()
    profile = library.history.default_profile().id
    qtbot.waitUntil(
        lambda: int(glacier) in library.history.load_profile_state(profile).watched_ids,
        timeout=WAIT,
    )
    window.grab().save(str(tmp_path / "player.png"))
    # The recorder's history signal refreshes Home: the watched film leaves For you.
    qtbot.waitUntil(lambda: int(glacier) not in for_you(), timeout=WAIT)

    window.sidebar.setCurrentRow(1)
    window.grab().save(str(tmp_path / "library.png"))
    for name in ("home", "player", "library"):
        assert (tmp_path / f"{name}.png").stat().st_size > 5_000
    window.close()
    tasks.wait()
