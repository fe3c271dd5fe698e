"""Damaged and cut-off files in the app: listed, warned about in words (Problems and the detail
page), and played as far as they go without a crash or a false "finished".

A real library over generated files; the player really plays them offscreen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from mutagen import id3
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from desktop.models.errors import KIND, PATH, STAGE, ErrorsModel, finding_text, item_problems
from desktop.player.player_widget import PlayerWidget
from desktop.tasks import Tasks
from desktop.views.detail_sections import files_text, warning_lines
from engine.library import Library
from tests.desktop.playing import WAIT, play_to_the_end
from tests.mediagen import make_audio

Playing = QMediaPlayer.PlaybackState.PlayingState


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    podcasts = tmp_path / "Podcasts"
    podcasts.mkdir()
    # A download that stopped a quarter of the way: 8 s promised, 2 s present.
    whole = make_audio(podcasts / "cut.mp3", seconds=8.0, title="Cut Short", show="Radio")
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 4])
    # An ID3 tag and then nothing but zeros: no MPEG frame to sync to.
    source = make_audio(tmp_path / "source.mp3", seconds=0.5, title="All Zeros", show="Radio")
    damaged = podcasts / "zeros.mp3"
    id3.ID3(source).save(damaged)
    damaged.write_bytes(damaged.read_bytes() + b"\x00" * 40_000)
    return podcasts


@pytest.fixture
def library(scanned: Callable[..., Library], folder: Path) -> Library:
    return scanned((folder, "podcast"))


def test_damaged_files_are_items_with_worded_warnings(
    qtmodeltester: object, library: Library, ids: dict[str, int]
) -> None:
    assert {"Cut Short", "All Zeros"} <= set(ids)  # before: both were errors, not items
    model = ErrorsModel()
    model.set_errors(library.errors())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    rows = {
        model.index(r, PATH).data(): [model.index(r, c).data() for c in range(6)]
        for r in range(model.rowCount())
    }
    assert set(rows) == {"cut.mp3", "zeros.mp3"}
    assert model.counts() == (0, 2)  # warnings: both are in the library
    assert rows["cut.mp3"][KIND] == "Warning"
    assert rows["cut.mp3"][STAGE] == "Damaged or incomplete file; the item is in your library"
    assert rows["cut.mp3"][4] == "Incomplete download: playback stops at 0:02 of 0:08"
    assert rows["zeros.mp3"][4] == "Damaged file: its details could be read, but it may not play"

    lines = warning_lines(item_problems(library, ids["Cut Short"]))
    assert lines == [
        "cut.mp3: Damaged or incomplete file; the item is in your library "
        "(Incomplete download: playback stops at 0:02 of 0:08)"
    ]
    # The files section does not repeat it as an English "scan error".
    item = library.item(ids["Cut Short"])
    assert item is not None
    paths = {f["path"] for f in item["files"]}
    text = files_text(item, [e for e in library.errors() if e["path"] in paths])
    assert "Scan error" not in text and "incomplete download" not in text


def test_finding_words_cover_every_engine_kind() -> None:
    from engine.ingest.integrity import KINDS

    for kind in (*KINDS, "unsupported_format"):
        text = finding_text(kind, {"present": 7.0, "expected": 3840.0, "extension": ".rm"})
        assert text and "%1" not in text and "%2" not in text, kind
    assert finding_text("incomplete", {"present": 7.0, "expected": 3840.0}) == (
        "Incomplete download: playback stops at 0:07 of 1:04:00"
    )
    assert finding_text("something new", {}) is None  # the engine's English is shown instead


def test_a_file_with_no_audio_fails_to_play_with_a_message(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]
) -> None:
    player.play_item(ids["All Zeros"])
    qtbot.waitUntil(lambda: "Cannot play this file" in player.message.text(), timeout=WAIT)
    assert player.media.playbackState() != Playing


def test_a_cut_off_file_plays_to_where_it_stops_and_is_not_finished(
    qtbot: QtBot,
    player: PlayerWidget,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
) -> None:
    progress = play_to_the_end(qtbot, player, library, tasks, ids["Cut Short"])
    assert progress is not None
    # The header promised 8 s; the audio stopped near 2 s. Before: recorded as finished.
    assert not progress.completed, progress
    assert progress.position < 5.0
