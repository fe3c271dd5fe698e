"""The main window's player, made on first play: the dock that holds it, the now-playing bar
that keeps playback visible when the dock is closed, and the dock's height when it opens.

The dock's title uses translate("MainWindow", …): it was the window's own tr() string and keeps
its translation context (as desktop/views/menus.py does)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget
    from desktop.views.main_window import MainWindow


def make_player(window: MainWindow) -> PlayerWidget:
    """The player in its dock at the bottom, with the now-playing bar attached to it."""
    from desktop.player.player_widget import PlayerWidget

    player = PlayerWidget(window.library, window.tasks, window.profiles.current_profile_id)
    window.player = player
    player.recorder.historyChanged.connect(window.history_changed)
    dock = window._dock(QCoreApplication.translate("MainWindow", "Player"), "player", player)
    window.player_dock = dock
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    # Closing the panel keeps playing in the now-playing bar, never unseen.
    from desktop.views.now_playing import NowPlayingBar

    bar = NowPlayingBar(window.library, window.tasks, window)
    bar.openPlayerRequested.connect(window.toggle_player)
    bar.detailRequested.connect(window.show_detail)
    bar.activeChanged.connect(window.now_playing_bar.setVisible)
    window.now_playing_bar.addWidget(bar)
    bar.attach(player)
    dock.visibilityChanged.connect(bar.set_player_open)
    window.now_playing = bar
    # Home marks the card of what is playing.
    player.itemStarted.connect(window.home.set_playing)
    player.cleared.connect(lambda: window.home.set_playing(None))
    return player


def player_room(window: MainWindow, player: PlayerWidget) -> int:
    """The player panel's height when it opens: its controls plus a picture about half the
    window wide at 16:9, leaving the page above at least a strip. Half the window was a
    122 px video strip at 1280×800 once the themed controls took their room."""
    controls = player.minimumSizeHint().height()
    height, width = window.height(), window.width()
    picture = max(height // 3, width * 9 // 32)
    return max(height // 2, min(controls + picture, height - 200))
