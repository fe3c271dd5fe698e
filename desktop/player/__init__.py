"""The player: playback widget and the history recorder behind it."""

from desktop.player.player_widget import PlayerWidget
from desktop.player.session import PlaybackRecorder

__all__ = ["PlaybackRecorder", "PlayerWidget"]
