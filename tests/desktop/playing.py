"""Helpers shared by the tests that play real media in the player widget (offscreen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from desktop.player.player_widget import PlayerWidget
from desktop.tasks import Tasks
from engine.library import Library

if TYPE_CHECKING:
    from engine.store.history_sql import ProgressRow

WAIT = 30_000  # ms: playing a short clip, a history write
EndOfMedia = QMediaPlayer.MediaStatus.EndOfMedia


def play_to_the_end(
    qtbot: QtBot, player: PlayerWidget, library: Library, tasks: Tasks, item: int
) -> ProgressRow | None:
    """Play an item until its media ends and its session is recorded; the progress saved."""
    player.play_item(item)
    qtbot.waitUntil(lambda: player.media.mediaStatus() == EndOfMedia, timeout=WAIT)
    qtbot.waitUntil(lambda: not player.recorder.active, timeout=WAIT)
    tasks.wait()
    profile = library.history.default_profile().id
    return library.history.progress(profile, item)
