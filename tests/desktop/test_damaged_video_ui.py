"""Damaged and cut-off videos in the app: an MP4 cut before its index is an item whose
playback fails with a message (no crash, no history); a cut Matroska file plays as far as it
goes and is not recorded as finished. A real library over generated files, played offscreen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from desktop.models.errors import ErrorsModel
from desktop.player.player_widget import PlayerWidget
from desktop.tasks import Tasks
from engine.library import Library
from tests.desktop.playing import WAIT, play_to_the_end
from tests.mediagen import make_video

Playing = QMediaPlayer.PlaybackState.PlayingState


def _cut(path: Path, share: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])


@pytest.fixture
def library(tmp_path: Path, scanned: Callable[..., Library]) -> Library:
    videos = tmp_path / "Videos"
    videos.mkdir()
    _cut(make_video(videos / "Harbour Lights (2021).mp4", seconds=2.0, title="Harbour"), 0.5)
    _cut(make_video(videos / "Tide.mkv", seconds=6.0, title="The Tide"), 0.5)
    return scanned((videos, "video"))


def test_cut_videos_are_worded_warnings(library: Library, ids: dict[str, int]) -> None:
    assert {"Harbour Lights", "The Tide"} <= set(ids)  # before: two errors, no items
    model = ErrorsModel()
    model.set_errors(library.errors())
    assert model.counts() == (0, 2)  # warnings, not errors: both are in the library
    words = {model.index(r, 4).data() for r in range(model.rowCount())}
    # Worded from kind + args by the desktop (its words still say "audio" for a video).
    assert any(w.startswith("Damaged") for w in words)
    assert any(w.startswith("Incomplete download: ") and " of 0:06" in w for w in words)


def test_an_mp4_with_nothing_readable_fails_to_play_with_a_message(
    qtbot: QtBot, player: PlayerWidget, library: Library, tasks: Tasks, ids: dict[str, int]
) -> None:
    item = ids["Harbour Lights"]
    player.play_item(item)
    qtbot.waitUntil(lambda: "Cannot play this file" in player.message.text(), timeout=WAIT)
    assert player.media.playbackState() != Playing
    tasks.wait()
    profile = library.history.default_profile().id
    progress = library.history.progress(profile, item)
    assert progress is None or not progress.completed


def test_a_cut_video_plays_to_where_it_stops_and_is_not_finished(
    qtbot: QtBot, player: PlayerWidget, library: Library, tasks: Tasks, ids: dict[str, int]
) -> None:
    progress = play_to_the_end(qtbot, player, library, tasks, ids["The Tide"])
    assert progress is not None
    assert not progress.completed, progress  # six seconds promised, about three there
    assert progress.position < 5.0
