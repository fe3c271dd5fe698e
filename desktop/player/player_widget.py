"""The player: QMediaPlayer + QVideoWidget + QAudioOutput with the controls, resume, chapters
and "next episode", recording history through `PlaybackRecorder`.

Everything that reads the library (the item, its resume point, the Next up row) runs through
`Tasks`; QMediaPlayer errors are shown in `message` and logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.player.plan import Plan, clock, next_episode, plan_playback
from desktop.player.session import PlaybackRecorder
from desktop.player.stage import Stage
from desktop.tasks import Tasks
from engine.library import Library

log = logging.getLogger(__name__)

__all__ = ["BIG_SKIP", "SMALL_SKIP", "SPEEDS", "VOLUME_STEP", "PlayerWidget", "clock"]

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
SMALL_SKIP = 10.0  # seconds: the ±10 buttons and Left/Right
BIG_SKIP = 30.0  # seconds: the ±30 buttons and Shift+Left/Right
VOLUME_STEP = 5  # percent, Up/Down

ProfileProvider = Callable[[], int | None]


class PlayerWidget(QWidget):
    """Plays one library item at a time. `play_item(item_id)` starts it (in the background)."""

    itemStarted = Signal(int)  # item_id: its media is loaded and playing
    nextAvailable = Signal(int)  # item_id of the next episode, once known

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: ProfileProvider,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.setAccessibleName(self.tr("Player"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._request = 0  # play_item calls; only the latest one's answer is used
        self._item_id: int | None = None
        self._profile_id: int | None = None
        self._show_id: int | None = None
        self._pending_resume: float | None = None
        self._autoplay = False  # play (and seek to the resume point) once the media has loaded
        self._last_position = 0  # ms, survives the reset to 0 when the player stops
        self._next_id: int | None = None
        self._next_busy = False
        self._next_again = False

        self.media = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.media.setAudioOutput(self.audio)
        self.video = QVideoWidget(self)
        self.video.setAccessibleName(self.tr("Video"))
        self.video.setMinimumSize(160, 90)
        self.video.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.media.setVideoOutput(self.video)
        self.stage = Stage(self.video, self)
        self.recorder = PlaybackRecorder(library, tasks, self._position_seconds, self)

        self._build_controls()
        self._connect()
        self.audio.setVolume(self.volume_slider.value() / 100)
        self._update_enabled()

    # --- construction ----------------------------------------------------------------------------

    def _button(self, text: str, name: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build_controls(self) -> None:
        style = self.style()
        self.title_label = QLabel(self)
        self.title_label.setAccessibleName(self.tr("Now playing"))
        self.message = QLabel(self)
        self.message.setAccessibleName(self.tr("Player message"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.position_label = QLabel(clock(0), self)
        self.position_label.setAccessibleName(self.tr("Position"))
        self.duration_label = QLabel(clock(0), self)
        self.duration_label.setAccessibleName(self.tr("Duration"))
        self.seek_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.seek_slider.setAccessibleName(self.tr("Seek"))
        self.seek_slider.setRange(0, 0)
        self.seek_slider.setSingleStep(int(SMALL_SKIP * 1000))
        self.seek_slider.setPageStep(int(BIG_SKIP * 1000))

        self.back_big = self._button(
            self.tr("−30 s"),
            self.tr("Back 30 seconds"),
            self.tr("Back 30 seconds (Shift+Left)"),
            lambda: self.skip(-BIG_SKIP),
        )
        self.back_small = self._button(
            self.tr("−10 s"),
            self.tr("Back 10 seconds"),
            self.tr("Back 10 seconds (Left)"),
            lambda: self.skip(-SMALL_SKIP),
        )
        self.play_button = self._button(
            "", self.tr("Play"), self.tr("Play or pause (Space)"), self.toggle_play
        )
        self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.forward_small = self._button(
            self.tr("+10 s"),
            self.tr("Forward 10 seconds"),
            self.tr("Forward 10 seconds (Right)"),
            lambda: self.skip(SMALL_SKIP),
        )
        self.forward_big = self._button(
            self.tr("+30 s"),
            self.tr("Forward 30 seconds"),
            self.tr("Forward 30 seconds (Shift+Right)"),
            lambda: self.skip(BIG_SKIP),
        )
        self.next_button = self._button(
            self.tr("Next episode"),
            self.tr("Next episode"),
            self.tr("Play the next episode of this show"),
            self.play_next,
        )
        self.next_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))

        self.chapters_menu = QMenu(self)
        self.chapters_menu.setAccessibleName(self.tr("Chapters menu"))
        self.chapters_button = QToolButton(self)
        self.chapters_button.setText(self.tr("Chapters"))
        self.chapters_button.setAccessibleName(self.tr("Chapters"))
        self.chapters_button.setToolTip(self.tr("Jump to a chapter"))
        self.chapters_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.chapters_button.setMenu(self.chapters_menu)
        self.chapters_button.hide()

        self.speed_combo = QComboBox(self)
        self.speed_combo.setAccessibleName(self.tr("Playback speed"))
        self.speed_combo.setToolTip(self.tr("Playback speed"))
        for speed in SPEEDS:
            self.speed_combo.addItem(self.tr("{speed}×").format(speed=f"{speed:g}"), speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))

        self.mute_button = self._button(
            "", self.tr("Mute"), self.tr("Mute or unmute (M)"), self.toggle_mute
        )
        self.mute_button.setCheckable(True)
        self.mute_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setAccessibleName(self.tr("Volume"))
        self.volume_slider.setToolTip(self.tr("Volume (Up/Down)"))
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(80)
        self.volume_slider.setMaximumWidth(120)
        self.fullscreen_button = self._button(
            self.tr("Full screen"),
            self.tr("Full screen"),
            self.tr("Full screen video (F; Escape leaves)"),
            self.toggle_fullscreen,
        )

        bar = QHBoxLayout()
        bar.addWidget(self.position_label)
        bar.addWidget(self.seek_slider, 1)
        bar.addWidget(self.duration_label)
        buttons = QHBoxLayout()
        left: tuple[QWidget, ...] = (
            self.back_big,
            self.back_small,
            self.play_button,
            self.forward_small,
            self.forward_big,
            self.next_button,
            self.chapters_button,
        )
        right: tuple[QWidget, ...] = (
            self.speed_combo,
            self.mute_button,
            self.volume_slider,
            self.fullscreen_button,
        )
        for widget in left:
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in right:
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        layout.addLayout(buttons)

        # The player's keys work wherever focus is inside it, and on the full-screen video.
        filtered: list[QWidget] = [self.video, self.seek_slider]
        filtered += self.findChildren(QAbstractButton)
        for child in filtered:
            child.installEventFilter(self)

    def _connect(self) -> None:
        self.media.positionChanged.connect(self._on_position)
        self.media.durationChanged.connect(self._on_duration)
        self.media.playbackStateChanged.connect(self._on_state)
        self.media.mediaStatusChanged.connect(self._on_status)
        self.media.errorOccurred.connect(self._on_error)
        self.media.hasVideoChanged.connect(lambda _has: self._update_enabled())
        self.seek_slider.valueChanged.connect(self._on_slider_value)
        self.seek_slider.sliderReleased.connect(
            lambda: self.media.setPosition(self.seek_slider.value())
        )
        self.speed_combo.currentIndexChanged.connect(self._on_speed)
        self.volume_slider.valueChanged.connect(self._on_volume)
        self.audio.mutedChanged.connect(self._on_muted)
        self.recorder.historyChanged.connect(self._refresh_next)
        self.recorder.failed.connect(self._on_record_failed)

    # --- public API ------------------------------------------------------------------------------

    @property
    def item_id(self) -> int | None:
        """The item loaded (or loading) in the player."""
        return self._item_id

    @property
    def next_item_id(self) -> int | None:
        return self._next_id

    def play_item(self, item_id: int) -> None:
        """Play an item from its saved position; problems show in `message`."""
        self._stop_current()
        self._request += 1
        self._item_id = item_id
        self._next_id = None
        self._show_message("")
        self.title_label.setText(self.tr("Loading…"))
        self._update_enabled()
        request, profile = self._request, self.profile_id_provider()
        self.tasks.run(
            lambda: plan_playback(self.library, request, item_id, profile),
            on_done=self._on_plan,
            on_error=self._on_plan_failed,
        )

    def toggle_play(self) -> None:
        if self.media.source().isEmpty():
            return
        if self.media.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.media.pause()
        else:
            self.media.play()

    def skip(self, seconds: float) -> None:
        if self.media.source().isEmpty() or not self.media.isSeekable():
            return
        target = self.media.position() + int(seconds * 1000)
        duration = self.media.duration()
        self.media.setPosition(max(0, min(target, duration) if duration > 0 else target))

    def set_speed(self, rate: float) -> None:
        """Pick the nearest offered speed (0.5×–3×)."""
        nearest = min(range(len(SPEEDS)), key=lambda n: abs(SPEEDS[n] - rate))
        self.speed_combo.setCurrentIndex(nearest)

    def change_volume(self, percent: int) -> None:
        self.volume_slider.setValue(self.volume_slider.value() + percent)

    def toggle_mute(self) -> None:
        self.audio.setMuted(not self.audio.isMuted())

    def toggle_fullscreen(self) -> None:
        self.set_fullscreen(not self.video.isFullScreen())

    def set_fullscreen(self, on: bool) -> None:
        if on and not self.media.hasVideo():
            return
        if on == self.video.isFullScreen():
            return
        self.video.setFullScreen(on)
        # Keys must keep reaching the player: the full-screen video is its own window.
        (self.video if on else self).setFocus()

    def play_next(self) -> None:
        if self._next_id is not None:
            self.play_item(self._next_id)

    def seek_to(self, seconds: float) -> None:
        self.media.setPosition(max(0, int(seconds * 1000)))

    def shutdown(self) -> None:
        """Stop playing and record where it stopped; call before the library closes."""
        self._stop_current()
        self._request += 1  # answers still on their way are for a closed player

    # --- loading ---------------------------------------------------------------------------------

    def _stop_current(self) -> None:
        self.recorder.stop(self._last_position / 1000, self._duration_seconds())
        self.set_fullscreen(False)
        self._pending_resume = None
        self._autoplay = False
        if not self.media.source().isEmpty():
            self.media.stop()
            self.media.setSource(QUrl())
        self._last_position = 0

    def _on_plan(self, plan: Plan) -> None:
        if plan.request != self._request:
            return  # the user picked something else meanwhile
        self._profile_id = plan.profile_id
        self._show_id = plan.show_id
        self.title_label.setText(plan.title)
        self._set_chapters(plan.chapters)
        if plan.path is None:
            self._show_problem(plan)
            self._update_enabled()
            return
        if plan.audio:
            self.stage.show_art(plan.artwork)
        else:
            self.stage.show_video()
        self._pending_resume = plan.resume
        self._autoplay = True
        self.media.setPlaybackRate(self._speed())
        self.media.setSource(QUrl.fromLocalFile(plan.path))
        self._update_enabled()
        if not QMediaDevices.audioOutputs():
            self._show_message(self.tr("No audio output device found: playing without sound."))
        # Seeking before LoadedMedia is ignored: _on_status seeks and plays once loaded.
        if self.media.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia:
            self._begin_playback()
        self._refresh_next()

    def _on_plan_failed(self, exc: Exception) -> None:
        log.warning("could not open item %s: %s", self._item_id, exc)
        self.title_label.setText("")
        self._show_message(self.tr("Could not open this item: {error}").format(error=exc))
        self._update_enabled()

    def _show_problem(self, plan: Plan) -> None:
        if plan.problem == "gone":
            text = self.tr("This item is no longer in the library.")
        elif plan.problem == "offline":
            text = self.tr(
                "The drive holding this file is offline: {path}. Connect it and try again."
            ).format(path=plan.problem_path)
        elif plan.problem == "missing":
            text = self.tr(
                "The file is missing: {path}. It was moved or deleted; rescan the library."
            ).format(path=plan.problem_path)
        else:
            text = self.tr("This item has no file to play.")
        log.info("cannot play item %s: %s", plan.item_id, text)
        self._show_message(text)

    def _set_chapters(self, chapters: list[dict[str, Any]]) -> None:
        self.chapters_menu.clear()
        for chapter in chapters:
            start = float(chapter.get("start") or 0.0)
            title = str(chapter.get("title") or "").strip() or self.tr("Chapter")
            action = self.chapters_menu.addAction(f"{clock(int(start * 1000))}  {title}")
            action.triggered.connect(lambda _checked=False, s=start: self.seek_to(s))
        self.chapters_button.setVisible(bool(chapters))

    def _begin_playback(self) -> None:
        self._autoplay = False
        resume, self._pending_resume = self._pending_resume, None
        if resume:
            self.media.setPosition(int(resume * 1000))
            self._last_position = int(resume * 1000)
        self.media.play()

    # --- QMediaPlayer signals --------------------------------------------------------------------

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        Status = QMediaPlayer.MediaStatus
        if status == Status.LoadedMedia and self._autoplay:
            self._begin_playback()
        elif status == Status.EndOfMedia:
            # Report the very end: the position can read 0 once the player has stopped.
            duration = self._duration_seconds()
            self.recorder.stop(duration or self._last_position / 1000, duration)
            self._last_position = 0  # playing again starts from the beginning
        elif status == Status.InvalidMedia:
            self._autoplay = False
            self.recorder.stop(self._last_position / 1000, self._duration_seconds())

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        State = QMediaPlayer.PlaybackState
        playing = state == State.PlayingState
        Pixmap = QStyle.StandardPixmap
        icon = Pixmap.SP_MediaPause if playing else Pixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))
        if playing:
            if self.recorder.active:
                self.recorder.resume()
            elif self._item_id is not None:
                self.recorder.start(self._profile_id, self._item_id, self._last_position / 1000)
                self.itemStarted.emit(self._item_id)
        elif state == State.PausedState:
            self.recorder.pause(self._last_position / 1000, self._duration_seconds())
        elif self.media.mediaStatus() != QMediaPlayer.MediaStatus.EndOfMedia:
            # Stopped short of the end (an error, a stop); EndOfMedia reports the end itself.
            position = max(self._last_position, self.media.position()) / 1000
            self.recorder.stop(position, self._duration_seconds())

    def _on_position(self, ms: int) -> None:
        if self.media.playbackState() != QMediaPlayer.PlaybackState.StoppedState or ms > 0:
            self._last_position = ms
        self.position_label.setText(clock(ms))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.blockSignals(True)  # a position update is not a seek request
            self.seek_slider.setValue(ms)
            self.seek_slider.blockSignals(False)

    def _on_duration(self, ms: int) -> None:
        self.seek_slider.setRange(0, max(0, ms))
        self.duration_label.setText(clock(ms))

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        log.warning("player error %s on item %s: %s", error.name, self._item_id, text)
        reason = text or error.name
        self._show_message(self.tr("Cannot play this file: {reason}").format(reason=reason))
        self._update_enabled()

    # --- controls --------------------------------------------------------------------------------

    def _on_slider_value(self, value: int) -> None:
        if self.seek_slider.isSliderDown():
            self.position_label.setText(clock(value))  # dragging: seek on release
        else:
            self.media.setPosition(value)  # a click on the groove or the keyboard

    def _speed(self) -> float:
        data = self.speed_combo.currentData()
        return float(data) if data is not None else 1.0

    def _on_speed(self, _index: int) -> None:
        self.media.setPlaybackRate(self._speed())

    def _on_volume(self, value: int) -> None:
        self.audio.setVolume(value / 100)
        if value > 0 and self.audio.isMuted():
            self.audio.setMuted(False)

    def _on_muted(self, muted: bool) -> None:
        self.mute_button.setChecked(muted)
        self.mute_button.setAccessibleName(self.tr("Unmute") if muted else self.tr("Mute"))
        icon = (
            QStyle.StandardPixmap.SP_MediaVolumeMuted
            if muted
            else (QStyle.StandardPixmap.SP_MediaVolume)
        )
        self.mute_button.setIcon(self.style().standardIcon(icon))

    def _update_enabled(self) -> None:
        loaded = not self.media.source().isEmpty()
        transport: tuple[QWidget, ...] = (
            self.back_big,
            self.back_small,
            self.play_button,
            self.forward_small,
            self.forward_big,
            self.seek_slider,
            self.chapters_button,
        )
        for widget in transport:
            widget.setEnabled(loaded)
        self.fullscreen_button.setEnabled(loaded and self.media.hasVideo())
        self.next_button.setEnabled(self._next_id is not None)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_record_failed(self, text: str) -> None:
        self._show_message(self.tr("Could not record your progress: {error}").format(error=text))

    # --- next episode ----------------------------------------------------------------------------

    def _refresh_next(self) -> None:
        if self._item_id is None or self._show_id is None:
            return
        if self._next_busy:  # one query at a time; ask again once it answers
            self._next_again = True
            return
        self._next_busy = True
        item, profile, show = self._item_id, self._profile_id, self._show_id
        self.tasks.run(
            lambda: next_episode(self.library, item, profile, show),
            on_done=self._on_next,
            on_error=self._on_next_failed,
        )

    def _on_next(self, found: tuple[int, int, str] | None) -> None:
        self._next_busy = False
        if found is not None and found[0] == self._item_id:
            self._next_id = found[1]
            self.next_button.setToolTip(self.tr("Next episode: {title}").format(title=found[2]))
            self.nextAvailable.emit(found[1])
        elif found is None and not self._next_again:
            self._next_id = None
        self._update_enabled()
        if self._next_again:
            self._next_again = False
            self._refresh_next()

    def _on_next_failed(self, exc: Exception) -> None:
        self._next_busy = False
        log.warning("could not find the next episode: %s", exc)
        self._next_again = False

    # --- keyboard --------------------------------------------------------------------------------

    def handle_key(self, event: QKeyEvent) -> bool:
        """The player's keys; True when the key was one of them."""
        key = event.key()
        mods = event.modifiers()
        Mod = Qt.KeyboardModifier
        if mods & (Mod.ControlModifier | Mod.AltModifier | Mod.MetaModifier):
            return False  # leave Ctrl/Alt combinations to the window's own shortcuts
        shift = bool(mods & Mod.ShiftModifier)
        Key = Qt.Key
        if key == Key.Key_Space:
            self.toggle_play()
        elif key in (Key.Key_Left, Key.Key_Right):
            step = BIG_SKIP if shift else SMALL_SKIP
            self.skip(step if key == Key.Key_Right else -step)
        elif key in (Key.Key_Up, Key.Key_Down):
            self.change_volume(VOLUME_STEP if key == Key.Key_Up else -VOLUME_STEP)
        elif key == Key.Key_F:
            self.toggle_fullscreen()
        elif key == Key.Key_M:
            self.toggle_mute()
        elif key == Key.Key_Escape and self.video.isFullScreen():
            self.set_fullscreen(False)
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            # A focused button keeps Space, so keyboard users can still press it.
            button_space = isinstance(watched, QAbstractButton) and event.key() == Qt.Key.Key_Space
            if not button_space and self.handle_key(event):
                return True
        return super().eventFilter(watched, event)

    # --- lifetime --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- helpers ---------------------------------------------------------------------------------

    def _duration_seconds(self) -> float | None:
        ms = self.media.duration()
        return ms / 1000 if ms > 0 else None

    def _position_seconds(self) -> tuple[float, float | None]:
        return self._last_position / 1000, self._duration_seconds()
