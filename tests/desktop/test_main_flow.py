"""The main flow end to end, with the real engine, the real index worker and a real temporary
library: first run → add a folder → scan → items visible → search → detail → play → history
recorded → Home rows update. Screens are rendered offscreen to PNG files for a reviewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
from tests.mediagen import make_video

WAIT = 180_000  # the worker loads the embedding model on first use

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


def test_first_run_to_home_update(
    qtbot: QtBot, library: Library, films: Path, tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.welcome, timeout=WAIT)
    window.grab().save(str(shots / "welcome.png"))

    # First run: add a folder; the scan starts by itself, then the worker embeds.
    window.welcome.add_folder(str(films), "video")
    qtbot.waitUntil(lambda: library.item_count() == len(FILMS), timeout=WAIT)
    window.go_to("videos")
    qtbot.waitUntil(lambda: window.videos.model.rowCount() == len(FILMS), timeout=WAIT)
    window.grab().save(str(shots / "library.png"))
    qtbot.waitUntil(lambda: window.index_status.label.text() == "Up to date", timeout=WAIT)

    # Search, then open the top result's detail.
    window.go_to("search")
    with qtbot.waitSignal(window.search.searched, timeout=WAIT):
        window.search.set_query("ice and glaciers")
    glacier = window.search.model.item_id(0)
    assert library.item(glacier)["title"] == "Glacier Diaries"  # type: ignore[index]
    with qtbot.waitSignal(window.detail.loaded, timeout=WAIT):
        window.search.detailRequested.emit(glacier)
    assert window.pages.currentWidget() is window.detail
    window.grab().save(str(shots / "detail.png"))

    # Home has For you before playing; the played film leaves it once history is recorded.
    def for_you() -> list[int]:
        model = window.home.model("for-you")
        return model.item_ids() if model is not None else []

    qtbot.waitUntil(lambda: glacier in for_you(), timeout=WAIT)
    window.detail.playRequested.emit(glacier)
    assert window.player_dock is not None and window.player_dock.isVisible()
    profile = library.history.default_profile().id
    qtbot.waitUntil(
        lambda: glacier in library.history.load_profile_state(profile).watched_ids, timeout=WAIT
    )
    window.grab().save(str(shots / "player.png"))
    qtbot.waitUntil(lambda: glacier not in for_you(), timeout=WAIT)
    events = library.history.timeline(profile, item_id=glacier)
    assert events and events[0]["item_id"] == glacier
    window.go_to("home")
    window.grab().save(str(shots / "home.png"))
    window.go_to("history")
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() > 0, timeout=WAIT)
    window.grab().save(str(shots / "history.png"))
    for name in ("welcome", "library", "detail", "player", "home", "history"):
        assert (shots / f"{name}.png").stat().st_size > 5_000
    window.close()
    tasks.wait()
