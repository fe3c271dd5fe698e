"""The player's keyboard: Space, Left/Right (Shift for the big skip), Up/Down for volume, F,
M, Escape (leaves full screen), Ctrl+. or the Stop media key, and the play/pause media keys,
wherever focus is inside the player or its full-screen window. The main window also has Stop and
Play/Pause actions with these keys (Playback menu), so they work from any page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget

__all__ = [
    "BIG_SKIP",
    "PLAY_PAUSE_KEYS",
    "SMALL_SKIP",
    "STOP_KEYS",
    "VOLUME_STEP",
    "filter_key",
    "handle_key",
]

SMALL_SKIP = 10.0  # seconds: the ±10 buttons and Left/Right
BIG_SKIP = 30.0  # seconds: the ±30 buttons and Shift+Left/Right
VOLUME_STEP = 5  # percent, Up/Down
# Stop is always a key away: Ctrl+. (as in many players) and the keyboard's Stop media key.
STOP_KEYS = (QKeySequence("Ctrl+."), QKeySequence(Qt.Key.Key_MediaStop))
PLAY_PAUSE_KEYS = (
    QKeySequence(Qt.Key.Key_MediaTogglePlayPause),
    QKeySequence(Qt.Key.Key_MediaPlay),
    QKeySequence(Qt.Key.Key_MediaPause),
)


def handle_key(player: PlayerWidget, event: QKeyEvent) -> bool:
    """Act on one of the player's keys; True when the key was one of them."""
    pressed = QKeySequence(event.keyCombination())
    if pressed in STOP_KEYS:
        player.stop()
        return True
    if pressed in PLAY_PAUSE_KEYS:
        player.toggle_play()
        return True
    key = event.key()
    mods = event.modifiers()
    Mod = Qt.KeyboardModifier
    if mods & (Mod.ControlModifier | Mod.AltModifier | Mod.MetaModifier):
        return False  # leave Ctrl/Alt combinations to the window's own shortcuts
    shift = bool(mods & Mod.ShiftModifier)
    Key = Qt.Key
    if key == Key.Key_Space:
        player.toggle_play()
    elif key in (Key.Key_Left, Key.Key_Right):
        step = BIG_SKIP if shift else SMALL_SKIP
        player.skip(step if key == Key.Key_Right else -step)
    elif key in (Key.Key_Up, Key.Key_Down):
        player.change_volume(VOLUME_STEP if key == Key.Key_Up else -VOLUME_STEP)
    elif key == Key.Key_F:
        player.toggle_fullscreen()
    elif key == Key.Key_M:
        player.toggle_mute()
    elif key == Key.Key_Escape and player.is_fullscreen():
        player.set_fullscreen(False)
    else:
        return False
    return True


def filter_key(player: PlayerWidget, watched: QObject, event: QEvent) -> bool:
    """The event filter on the player's children: True when the key press was handled."""
    if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
        # A focused button keeps Space, so keyboard users can still press it.
        button_space = isinstance(watched, QAbstractButton) and event.key() == Qt.Key.Key_Space
        if not button_space and handle_key(player, event):
            return True
    return False
