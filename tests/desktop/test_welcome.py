"""The first-run screen (adding folders, the demo library) and the start-up probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.welcome import DEMO_FOLDER, WelcomeView
from engine.library import Library
from tests.mediagen import make_episodes

DEMO_TIMEOUT = 60_000  # ms; generating is a few seconds, more on a busy machine


@pytest.fixture
def view(qtbot: QtBot, library: Library, tasks: Tasks) -> WelcomeView:
    welcome = WelcomeView(library, tasks)
    qtbot.addWidget(welcome)
    return welcome


def test_adding_a_real_folder_adds_a_root_and_emits(
    qtbot: QtBot, view: WelcomeView, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    with qtbot.waitSignal(view.foldersAdded, timeout=10_000):
        view.add_folder(folder, "podcast")
    assert [(r.path, r.kind) for r in library.roots()] == [(str(folder), "podcast")]
    assert view.error_text == ""
    assert view.podcast_button.isEnabled()


def test_a_bad_path_shows_an_error_and_emits_nothing(
    qtbot: QtBot, view: WelcomeView, library: Library, tmp_path: Path
) -> None:
    emitted: list[bool] = []
    view.foldersAdded.connect(lambda: emitted.append(True))
    view.add_folder(tmp_path / "nowhere", "video")
    qtbot.waitUntil(lambda: view.error_text != "", timeout=10_000)
    assert "is not a folder" in view.error_text
    assert library.roots() == []
    assert emitted == []
    assert view.video_button.isEnabled()  # the user can try again


def test_an_overlapping_folder_is_refused_in_the_view(
    qtbot: QtBot, view: WelcomeView, library: Library, tmp_path: Path
) -> None:
    outer = tmp_path / "Media"
    (outer / "Videos").mkdir(parents=True)
    library.add_root(outer, "mixed")
    emitted: list[bool] = []
    view.foldersAdded.connect(lambda: emitted.append(True))
    view.add_folder(outer / "Videos", "video")
    qtbot.waitUntil(lambda: view.error_text != "", timeout=10_000)
    assert "overlaps" in view.error_text
    assert emitted == []


def test_each_button_asks_for_a_folder_of_its_kind(
    qtbot: QtBot,
    view: WelcomeView,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folders = {kind: tmp_path / kind for kind in ("podcast", "video", "mixed")}
    for folder in folders.values():
        folder.mkdir()
    picked = iter(folders.values())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(next(picked)))
    for button in (view.podcast_button, view.video_button, view.mixed_button):
        with qtbot.waitSignal(view.foldersAdded, timeout=10_000):
            button.click()
    assert {r.kind: r.path for r in library.roots()} == {k: str(p) for k, p in folders.items()}


def test_cancelling_the_folder_picker_adds_nothing(
    qtbot: QtBot, view: WelcomeView, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: "")
    view.podcast_button.click()
    assert library.roots() == []
    assert view.podcast_button.isEnabled()


def test_the_demo_library_is_generated_and_both_folders_added(
    qtbot: QtBot, view: WelcomeView, library: Library
) -> None:
    values: list[int] = []
    view.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(view.foldersAdded, timeout=DEMO_TIMEOUT):
        view.use_demo()
        assert not view.demo_button.isEnabled()  # one demo at a time
        assert view.progress.isVisibleTo(view)
    demo = library.data_dir / DEMO_FOLDER
    assert sorted((r.path, r.kind) for r in library.roots()) == [
        (str(demo / "Podcasts"), "podcast"),
        (str(demo / "Videos"), "video"),
    ]
    assert values and values[-1] == view.progress.maximum()
    assert not view.progress.isVisibleTo(view)
    assert view.error_text == ""
    counts = library.scan()
    assert counts.added >= 25 and counts.errors == 0


def _desktop_command(data: Path) -> list[str]:
    script = Path(sys.executable).with_name("reelcast-desktop")
    if script.exists():
        return [str(script), "--data-dir", str(data)]
    return [sys.executable, "-m", "desktop.app", "--data-dir", str(data)]


@pytest.mark.parametrize("until", ["paint", "model"])
def test_the_start_up_probe_reports_a_populated_window_without_torch(
    tmp_path: Path, until: str
) -> None:
    make_episodes(
        tmp_path / "Podcasts" / "Stars",
        [
            ("Comets", "Stars", "Icy visitors from the outer solar system."),
            ("Nebulae", "Stars", "Clouds of gas where new stars are born."),
        ],
    )
    data = tmp_path / "data"
    with Library(data, workers=1) as lib:
        lib.add_root(tmp_path / "Podcasts", "podcast")
        lib.scan()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        REELCAST_STARTUP_PROBE="1",
        REELCAST_STARTUP_PROBE_TIMEOUT="120",
        REELCAST_STARTUP_PROBE_UNTIL=until,
    )
    proc = subprocess.Popen(
        _desktop_command(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = [line for line in proc.stdout if line.startswith("{")]
        proc.wait(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert len(lines) == 1, lines
    report = json.loads(lines[0])
    assert report["populated"] is True
    assert report["torch_imported"] is False
    assert report["heavy_imported"] is False
    assert proc.returncode == 0
    if until == "model":
        # The model loaded in its child process: the window's process still holds none of it.
        assert report["model_ready"] is True
        assert report["heavy_modules_with_model"] == []
    else:
        assert "model_ready" not in report
