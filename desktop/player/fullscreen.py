"""Full screen: the player's video moved into a window of our own that covers the screen.

QVideoWidget.setFullScreen() turns the video widget itself into a top-level window and relies on
a window manager to make it cover the screen and give it the keyboard: with none (a bare X
server, a kiosk) it stayed a 1182×180 window that never got the keys, so Esc could not bring it
back. This window is sized to the screen by hand, takes the focus itself, and has its own
controls (play/pause, seek, time, and a button that leaves full screen); leaving puts the video
back in the player's stage, where its layout gives it the stage's size again.

The controls get out of the way after a few seconds without the mouse moving (as in every
player's full screen) and come back on any mouse move or key; they stay while the pointer is on
them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import appearance
from desktop.models.formatting import clock
from desktop.player.glyphs import set_glyph
from desktop.player.seek_slider import SeekSlider
from desktop.player.style import seek_rules
from desktop.theme import RADIUS, SPACE

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget

__all__ = ["FullScreenWindow"]

_STRIP = "#e6000000"  # the controls' backdrop: near-black, like every player's full screen
_TEXT = "#f2f2f2"
IDLE_MS = 2_500  # the controls hide after this long without the mouse moving


class FullScreenWindow(QWidget):
    """Holds the player's video while in full screen; `PlayerWidget.set_fullscreen` drives it."""

    def __init__(self, player: PlayerWidget) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.player = player
        self.setObjectName("fullScreenPlayer")
        self.setWindowTitle(player.title_label.text() or "Reelcast")
        self.setAccessibleName(self.tr("Full-screen video"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            palette.setColor(role, QColor("black"))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            palette.setColor(role, QColor(_TEXT))
        self.setPalette(palette)

        self.strip = QWidget(self)
        self.strip.setObjectName("fullScreenControls")
        colors = appearance.current_colors()
        self.strip.setStyleSheet(
            f"#fullScreenControls {{ background: {_STRIP}; }}"
            f" #fullScreenControls QLabel {{ color: {_TEXT}; }}"
            " #fullScreenControls QToolButton { border: 2px solid transparent; padding: 6px;"
            f" border-radius: {RADIUS['control']}px; background: transparent; }}"
            " #fullScreenControls QToolButton:hover { background: #33ffffff; }"
            f" #fullScreenControls QToolButton:focus {{ border: 2px solid {colors.focus_ring}; }}"
            + seek_rules("#fullScreenControls QSlider", colors, "#55ffffff")
        )
        self.play_button = self._button(
            "play", self.tr("Play or pause (Space)"), player.toggle_play
        )
        self.position_label = QLabel(clock(0), self.strip)
        self.position_label.setAccessibleName(self.tr("Position"))
        self.seek_slider = SeekSlider(self.strip)
        self.seek_slider.setAccessibleName(self.tr("Seek"))
        self.remaining_label = QLabel(clock(0), self.strip)
        self.remaining_label.setAccessibleName(self.tr("Remaining"))
        self.stop_button = self._button("square", player.stop_tooltip(), player.stop)
        self.exit_button = self._button(
            "minimize",
            self.tr("Leave full screen (Esc or F)"),
            lambda: player.set_fullscreen(False),
        )
        self.exit_button.setAccessibleName(self.tr("Leave full screen"))

        row = QHBoxLayout(self.strip)
        row.setContentsMargins(SPACE["l"], SPACE["s"], SPACE["l"], SPACE["s"])
        row.setSpacing(SPACE["m"])
        row.addWidget(self.play_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.position_label)
        row.addWidget(self.seek_slider, 1)
        row.addWidget(self.remaining_label)
        row.addWidget(self.exit_button)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.column.addWidget(self.strip)
        self.setMouseTracking(True)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self.hide_controls)
        # The video draws in a native window of its own that keeps mouse moves from us (seen
        # under X): the pointer's position is watched instead.
        self._pointer = QTimer(self)
        self._pointer.setInterval(200)
        self._pointer.timeout.connect(self._check_pointer)
        self._last_pointer = QCursor.pos()
        self._pointer.start()

        self.seek_slider.valueChanged.connect(self._on_slider_value)
        self.seek_slider.sliderReleased.connect(lambda: player.seek_ms(self.seek_slider.value()))
        player.playingChanged.connect(self._on_playing)
        player.positionMoved.connect(self._on_position)
        player.durationKnown.connect(self._on_duration)
        self._on_duration(player.duration_ms())
        self._on_position(player.position_ms())
        self._on_playing(player.is_playing())
        # The player's keys work here too (Space, arrows, M, F; Esc leaves).
        for child in (self.seek_slider, *self.strip.findChildren(QAbstractButton)):
            child.installEventFilter(self)

    def _button(self, icon: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self.strip)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        set_glyph(button, icon, size=24, color=_TEXT)
        button.clicked.connect(slot)
        return button

    # --- holding the video ---------------------------------------------------------------------

    def hold(self, video: QWidget) -> None:
        video.setParent(self)
        self.column.insertWidget(0, video, 1)
        video.show()
        video.setMouseTracking(True)
        video.installEventFilter(self)
        self.show_controls()

    def release(self, video: QWidget) -> None:
        self._idle.stop()
        self._pointer.stop()
        video.removeEventFilter(self)
        self.column.removeWidget(video)

    def show_on(self, screen_of: QWidget) -> None:
        """Cover the screen `screen_of` is on, even without a window manager to do it."""
        screen = screen_of.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # --- state from the player -----------------------------------------------------------------

    def _on_playing(self, playing: bool) -> None:
        set_glyph(self.play_button, "pause" if playing else "play", size=24, color=_TEXT)
        self.play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def _on_position(self, ms: int) -> None:
        self.position_label.setText(clock(ms))
        self.remaining_label.setText("−" + clock(max(0, self.player.duration_ms() - ms)))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.blockSignals(True)
            self.seek_slider.setValue(ms)
            self.seek_slider.blockSignals(False)

    def _on_duration(self, ms: int) -> None:
        self.seek_slider.setRange(0, max(0, ms))

    def _on_slider_value(self, value: int) -> None:
        if not self.seek_slider.isSliderDown():
            self.player.seek_ms(value)

    # --- keys ----------------------------------------------------------------------------------

    # --- controls that get out of the way --------------------------------------------------------

    def show_controls(self) -> None:
        """Show the controls and the pointer; hide them again after IDLE_MS of stillness."""
        self.strip.show()
        self.unsetCursor()
        self._idle.start()

    def _check_pointer(self) -> None:
        where = QCursor.pos()
        if where != self._last_pointer:
            self._last_pointer = where
            if not self.strip.isVisible():
                self.show_controls()

    def hide_controls(self) -> None:
        focused = QApplication.focusWidget()
        if self.strip.underMouse() or (focused is not None and self.strip.isAncestorOf(focused)):
            self._idle.start()  # the pointer or the keyboard is on them: keep them
            return
        self.strip.hide()
        self.setCursor(QCursor(Qt.CursorShape.BlankCursor))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.show_controls()
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.show_controls()
        if self.player.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick and watched is self.player.video:
            self.player.set_fullscreen(False)
            return True
        if event.type() in (QEvent.Type.MouseMove, QEvent.Type.KeyPress):
            self.show_controls()
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            button_space = isinstance(watched, QAbstractButton) and event.key() == Qt.Key.Key_Space
            if not button_space and self.player.handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed by the window manager (Alt+F4): leave full screen, keep the video.
        event.ignore()
        self.player.set_fullscreen(False)
