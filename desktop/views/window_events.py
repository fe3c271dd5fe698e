"""One-shot watchers the main window leaves behind: run something after the next paint, seek the
player once an item has started."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget


class AfterPaint(QObject):
    """Calls `then` soon after the next paint of any widget in `window` (its paint pass done)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        app = QApplication.instance()
        if app is None:
            QTimer.singleShot(0, then)
            return
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            # Two turns: whatever else waited on this paint (the start-up probe) goes first.
            then = self._then
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, then))
            self.deleteLater()
        return False


class SeekWhenPlaying(QObject):
    """Seeks the player to a point once it has started the item (it resumes first: seeking
    before the media has loaded is ignored). Gone after that, or when another item starts."""

    def __init__(self, player: PlayerWidget, item_id: int, seconds: float) -> None:
        super().__init__(player)
        self.player, self.item_id, self.seconds = player, item_id, seconds
        player.itemStarted.connect(self._started)

    def _started(self, item_id: int) -> None:
        if item_id == self.item_id:
            self.player.seek_to(self.seconds)
        self.player.itemStarted.disconnect(self._started)
        self.setParent(None)
        self.deleteLater()
