"""Transcription in the window (issue 17): a folder opted in from Settings ▸ Folders, and the
status bar saying what is being listened to while the real worker transcribes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import statuses
from desktop.tasks import Tasks
from desktop.views.index_status import IndexStatus
from desktop.views.main_window import MainWindow
from desktop.views.settings_dialog import SettingsDialog
from desktop.views.settings_tabs.folders import LISTEN
from engine.library import Library
from tests.engine.test_transcription import SENTENCES as HARBOUR
from tests.engine.test_transcription import TARGET
from tests.speechgen import make_spoken_episode

pytestmark = pytest.mark.skipif(
    not Library.transcription_available(),
    reason="faster-whisper or the speech model is not installed",
)

WAIT = 300_000  # ms: a safety net for a slow machine, not a speed assertion
SENTENCES = [
    "Today we visit a workshop where old church organs are repaired by hand.",
    "The organ builder tunes every pipe by ear, one note at a time.",
    "Some of the pipes are taller than a house and older than the town hall.",
]


def test_a_folder_opted_in_from_settings_is_transcribed_with_the_status_shown(
    qtbot: QtBot, tmp_path: Path, tasks: Tasks
) -> None:
    folder = tmp_path / "Podcasts"
    make_spoken_episode(folder / "organs.mp3", SENTENCES, title="Organ Pipes", show="Workshops")
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        root = library.add_root(folder, "podcast")
        library.scan()
        library.index_now()

        dialog = SettingsDialog(library, tasks)
        qtbot.addWidget(dialog)
        model = dialog.folders_tab.model
        assert "after the first episode" in dialog.folders_tab.cost.text()
        cell = model.index(0, LISTEN)
        assert model.flags(cell) & Qt.ItemFlag.ItemIsUserCheckable
        assert model.data(cell, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
        assert model.setData(cell, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        qtbot.waitUntil(lambda: library.transcribing_folders() == {root.id}, timeout=WAIT)

        status = IndexStatus(library, tasks=tasks)
        qtbot.addWidget(status)
        lines: list[tuple[str, str]] = []
        status.bridge.report.connect(lambda report: lines.append(statuses.worker_line(report[0])))
        library.start_watching(status.on_worker_status)
        try:
            qtbot.waitUntil(
                lambda: bool(library.search_passages("tuning organ pipes by ear")), timeout=WAIT
            )
            qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=WAIT)
        finally:
            library.stop_watching()
        dialog.folders_tab.reload()  # what it cost, measured on that episode
        assert "min of work per hour of audio" in dialog.folders_tab.cost.text()
        shown = [(text, tip) for text, tip in lines if text.startswith("Transcribing")]
        assert shown and shown[-1][0].startswith("Transcribing 1 of 1")
        assert "“Organ Pipes”" in shown[-1][1]


def test_play_from_here_starts_a_transcribed_episode_where_it_was_said(
    qtbot: QtBot, tmp_path: Path, tasks: Tasks
) -> None:
    spoken = make_spoken_episode(
        tmp_path / "Podcasts" / "harbour.mp3", HARBOUR, title="Episode 12", show="Harbour Hour"
    )
    said_at = spoken.starts[TARGET]
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        root = library.add_root(spoken.path.parent, "podcast")
        library.scan()
        library.index_now()
        library.set_transcribing(root.id, True)
        assert library.transcribe_now().done == 1

        window = MainWindow(library, tasks, watch=False)
        qtbot.addWidget(window)
        window.show()
        window.go_to("search")
        said = window.search.passages
        window.search.set_query("a volunteer showed us the rescue station")
        qtbot.waitUntil(lambda: bool(said.rows()), timeout=WAIT)
        row = said.rows()[0]
        assert row.hit["title"] == "Episode 12"
        assert abs(float(row.hit["start_s"]) - said_at) <= 3.0
        qtbot.mouseClick(row.play_button, Qt.MouseButton.LeftButton)
        player = window.player
        assert player is not None
        qtbot.waitUntil(
            lambda: player.is_playing() and player.media.position() >= (said_at - 3.0) * 1000,
            timeout=WAIT,
        )
        assert player.media.position() <= (said_at + 30.0) * 1000

        # The detail page saves what was heard as subtitles beside the file, once.
        item_id = int(row.hit["item"])
        window.show_detail(item_id)
        detail = window.detail
        qtbot.waitUntil(lambda: detail.details() is not None, timeout=WAIT)
        assert detail.save_transcript_button.isVisibleTo(detail)
        qtbot.mouseClick(detail.save_transcript_button, Qt.MouseButton.LeftButton)
        saved = spoken.path.with_suffix(".srt")
        qtbot.waitUntil(lambda: "saved" in detail.status.text(), timeout=WAIT)
        assert saved.is_file() and str(saved) in detail.status.text()
        qtbot.mouseClick(detail.save_transcript_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "exists already" in detail.status.text(), timeout=WAIT)
        window.close()
        tasks.wait()
