"""The player: QMediaPlayer + QVideoWidget + QAudioOutput with the controls (`controls`), its
keys (`keys`), resume, chapters, "next episode", Stop and full screen (`fullscreen`), recording
history through `PlaybackRecorder`.

The full player and the now-playing bar (desktop/views/now_playing.py) are two views of this one
playback: the bar follows the signals below and calls the same methods, so closing the Player
panel leaves playing only what the bar shows and controls.

Everything that reads the library (the item, its resume point, the next episode) runs through
`Tasks`; QMediaPlayer errors are shown in `message` and logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QWidget,
)

from desktop.models.formatting import clock
from desktop.player.controls import SPEEDS, build_controls, set_chapters
from desktop.player.fullscreen import FullScreenWindow
from desktop.player.glyphs import set_glyph
from desktop.player.keys import (
    BIG_SKIP,
    SMALL_SKIP,
    STOP_KEYS,
    VOLUME_STEP,
    filter_key,
    handle_key,
)
from desktop.player.plan import Plan, plan_playback
from desktop.player.seek_slider import SeekSlider
from desktop.player.session import PlaybackRecorder
from desktop.player.stage import Stage
from desktop.player.style import (
    follow_theme,
    play_button_rules,
    seek_rules,
    tint_on_accent,
    transport_rules,
)
from desktop.tasks import Tasks
from desktop.theme import Colors
from engine.library import Library

log = logging.getLogger(__name__)

__all__ = ["BIG_SKIP", "SMALL_SKIP", "SPEEDS", "VOLUME_STEP", "PlayerWidget", "clock"]

ProfileProvider = Callable[[], int | None]


class PlayerWidget(QWidget):
    """Plays one library item at a time. `play_item(item_id)` starts it (in the background)."""

    itemStarted = Signal(int)  # item_id: its media is loaded and playing
    nextAvailable = Signal(int)  # item_id of the next episode, once known
    # For the other views of this playback (the now-playing bar, the full-screen window):
    nowPlaying = Signal(object)  # the Plan of the item loaded (title, show, kind, next episode)
    cleared = Signal()  # nothing is loaded any more (Stop, a file that cannot be played)
    playingChanged = Signal(bool)
    positionMoved = Signal(int)  # ms
    durationKnown = Signal(int)  # ms
    fullscreenChanged = Signal(bool)

    # Made by `controls.build_controls`.
    title_label: QLabel
    show_label: QLabel
    message: QLabel
    position_label: QLabel
    duration_label: QLabel
    seek_slider: SeekSlider
    back_big: QPushButton
    back_small: QPushButton
    play_button: QPushButton
    forward_small: QPushButton
    forward_big: QPushButton
    stop_button: QPushButton
    next_button: QPushButton
    chapters_menu: QMenu
    chapters_button: QToolButton
    speed_combo: QComboBox
    mute_button: QPushButton
    volume_slider: QSlider
    fullscreen_button: QPushButton

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
        self._plan: Plan | None = None  # the item loaded, once its plan answered
        self._pending_resume: float | None = None
        self._autoplay = False  # play (and seek to the resume point) once the media has loaded
        self._last_position = 0  # ms, survives the reset to 0 when the player stops
        # ms: the last position short of the declared length. At the end FFmpeg reports the
        # length itself, even for a cut-off file whose audio stopped long before it.
        self._heard_to = 0
        self._next_id: int | None = None
        self._fullscreen: FullScreenWindow | None = None

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
        # What to play is read on a thread of the player's own: in the shared pool it queued
        # behind Home's recommendations (40 s while the model loaded, measured offscreen).
        self._reads = Tasks(self)
        self._reads.pool.setMaxThreadCount(1)

        build_controls(self)
        follow_theme(self, self._stylesheet)
        self._connect()
        self.audio.setVolume(self.volume_slider.value() / 100)
        self._update_enabled()

    # --- construction ----------------------------------------------------------------------------

    def _connect(self) -> None:
        self.media.positionChanged.connect(self._on_position)
        self.media.durationChanged.connect(self._on_duration)
        self.media.playbackStateChanged.connect(self._on_state)
        self.media.mediaStatusChanged.connect(self._on_status)
        self.media.errorOccurred.connect(self._on_error)
        self.media.hasVideoChanged.connect(lambda _has: self._update_enabled())
        self.seek_slider.valueChanged.connect(self._on_slider_value)
        self.seek_slider.sliderReleased.connect(lambda: self.seek_ms(self.seek_slider.value()))
        self.speed_combo.currentIndexChanged.connect(self._on_speed)
        self.volume_slider.valueChanged.connect(self._on_volume)
        self.audio.mutedChanged.connect(self._on_muted)
        self.recorder.failed.connect(self._on_record_failed)
        self.video.installEventFilter(self)  # a double click toggles full screen

    # --- public API ------------------------------------------------------------------------------

    @property
    def item_id(self) -> int | None:
        """The item loaded (or loading) in the player."""
        return self._item_id

    @property
    def next_item_id(self) -> int | None:
        return self._next_id

    @property
    def plan(self) -> Plan | None:
        """What is loaded: title, show, kind, next episode (None while loading or stopped)."""
        return self._plan

    def is_playing(self) -> bool:
        return self.media.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def is_loaded(self) -> bool:
        return not self.media.source().isEmpty()

    def is_fullscreen(self) -> bool:
        return self._fullscreen is not None

    @property
    def fullscreen_window(self) -> FullScreenWindow | None:
        return self._fullscreen

    def position_ms(self) -> int:
        return self._last_position if self.is_loaded() else 0

    def duration_ms(self) -> int:
        return max(0, self.media.duration())

    def play_item(self, item_id: int) -> None:
        """Play an item from its saved position; problems show in `message`."""
        self._stop_current()
        self._request += 1
        self._item_id = item_id
        self._plan = None
        self._set_next(None, "")
        self._show_message("")
        self.title_label.setText(self.tr("Loading…"))
        self._update_enabled()
        request, profile = self._request, self.profile_id_provider()
        self._reads.run(
            lambda: plan_playback(self.library, request, item_id, profile),
            on_done=self._on_plan,
            on_error=self._on_plan_failed,
        )

    def toggle_play(self) -> None:
        if not self.is_loaded():
            return
        if self.is_playing():
            self.media.pause()
        else:
            self.media.play()

    def stop(self) -> None:
        """Stop: record where it stopped, unload, and leave nothing playing anywhere."""
        if self._item_id is None and not self.is_loaded():
            return
        self._stop_current()
        self._request += 1  # a plan still on its way is for an item no longer wanted
        self._item_id = None
        self._plan = None
        self._set_next(None, "")
        self.title_label.setText(self.tr("Nothing playing"))
        self.show_label.hide()
        self._set_chapters([])
        self._on_duration(0)
        self._on_position(0)
        self._update_enabled()
        self.cleared.emit()

    @staticmethod
    def stop_tooltip() -> str:
        keys = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in STOP_KEYS)
        return QCoreApplication.translate("PlayerWidget", "Stop ({keys})").format(keys=keys)

    def skip(self, seconds: float) -> None:
        if not self.is_loaded() or not self.media.isSeekable():
            return
        target = self.media.position() + int(seconds * 1000)
        duration = self.media.duration()
        self.media.setPosition(max(0, min(target, duration) if duration > 0 else target))

    def seek_ms(self, ms: int) -> None:
        if self.is_loaded():
            self.media.setPosition(max(0, ms))

    def set_speed(self, rate: float) -> None:
        """Pick the nearest offered speed (0.5×–3×)."""
        nearest = min(range(len(SPEEDS)), key=lambda n: abs(SPEEDS[n] - rate))
        self.speed_combo.setCurrentIndex(nearest)

    def change_volume(self, percent: int) -> None:
        self.volume_slider.setValue(self.volume_slider.value() + percent)

    def toggle_mute(self) -> None:
        self.audio.setMuted(not self.audio.isMuted())

    def toggle_fullscreen(self) -> None:
        self.set_fullscreen(not self.is_fullscreen())

    def set_fullscreen(self, on: bool) -> None:
        """Move the video into a window covering the screen, or back into the stage."""
        if on == self.is_fullscreen() or (on and not self.media.hasVideo()):
            return
        if on:
            full = FullScreenWindow(self)
            self.stage.removeWidget(self.video)
            full.hold(self.video)
            self._fullscreen = full
            full.show_on(self)
        elif self._fullscreen is not None:
            full, self._fullscreen = self._fullscreen, None
            full.release(self.video)
            self.stage.put_video_back()
            full.hide()
            full.deleteLater()
            self.activateWindow()
            self.setFocus()
        self._update_fullscreen_button()
        self.fullscreenChanged.emit(on)

    def play_next(self) -> None:
        if self._next_id is not None:
            self.play_item(self._next_id)

    def seek_to(self, seconds: float) -> None:
        self.seek_ms(int(seconds * 1000))

    def shutdown(self) -> None:
        """Stop playing and record where it stopped; call before the library closes."""
        self._stop_current()
        self._request += 1  # answers still on their way are for a closed player
        self._reads.wait()  # no read of the library after it closes

    # --- loading ---------------------------------------------------------------------------------

    def _stop_current(self) -> None:
        self.recorder.stop(self._last_position / 1000, self._duration_seconds())
        self.set_fullscreen(False)
        self._pending_resume = None
        self._autoplay = False
        if self.is_loaded():
            # setSource(QUrl()) stops playback too, and PySide releases the GIL around it, which
            # it does not for stop(). stop() waits for FFmpeg's audio thread, and that thread can
            # be waiting for the GIL (to tell our Python-made QAudioOutput about a disconnect):
            # called with the GIL held, stop() deadlocked (seen in CI, test_player).
            self.media.setSource(QUrl())
        self._last_position = self._heard_to = 0

    def _on_plan(self, plan: Plan) -> None:
        if plan.request != self._request:
            return  # the user picked something else meanwhile
        self._profile_id = plan.profile_id
        self.title_label.setText(plan.title)
        self.show_label.setText(plan.show)
        self.show_label.setVisible(bool(plan.show))
        self._set_chapters(plan.chapters)
        if plan.path is None:
            self._show_problem(plan)
            self._item_id = None
            self._update_enabled()
            self.cleared.emit()
            return
        if plan.audio:
            self.stage.show_art(plan.artwork, plan.title, plan.show)
        else:
            self.stage.show_video()
        self._plan = plan
        self._set_next(plan.next_id, plan.next_title)
        self._pending_resume = plan.resume
        self._autoplay = True
        self.media.setPlaybackRate(self._speed())
        self.media.setSource(QUrl.fromLocalFile(plan.path))
        self._update_enabled()
        if not QMediaDevices.audioOutputs():
            self._show_message(self.tr("No audio output device found: playing without sound."))
        self.nowPlaying.emit(plan)
        # Seeking before LoadedMedia is ignored: _on_status seeks and plays once loaded.
        if self.media.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia:
            self._begin_playback()

    def _on_plan_failed(self, exc: Exception) -> None:
        log.warning("could not open item %s: %s", self._item_id, exc)
        self.title_label.setText("")
        self._item_id = None
        self._show_message(self.tr("Could not open this item: {error}").format(error=exc))
        self._update_enabled()
        self.cleared.emit()

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
        set_chapters(self, chapters)

    def _begin_playback(self) -> None:
        self._autoplay = False
        resume, self._pending_resume = self._pending_resume, None
        if resume:
            self.media.setPosition(int(resume * 1000))
            self._last_position = self._heard_to = int(resume * 1000)
        self.media.play()

    # --- QMediaPlayer signals --------------------------------------------------------------------

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        Status = QMediaPlayer.MediaStatus
        if status == Status.LoadedMedia and self._autoplay:
            self._begin_playback()
        elif status == Status.EndOfMedia:
            # Report the very end: the position can read 0 once the player has stopped. But a
            # cut-off file (a download that stopped) ends where its audio does, well short of
            # the length its header declares: that is where the listener got to, not the end.
            duration = self._duration_seconds()
            reached = self._reached()
            if duration and self._cut_short(reached, duration):
                self.recorder.stop(reached, duration)
            else:
                self.recorder.stop(duration or reached, duration)
            self._last_position = 0  # playing again starts from the beginning
        elif status == Status.InvalidMedia:
            self._autoplay = False
            self.recorder.stop(self._last_position / 1000, self._duration_seconds())

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        State = QMediaPlayer.PlaybackState
        playing = state == State.PlayingState
        set_glyph(self.play_button, "pause" if playing else "play", size=24)
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
            self.recorder.stop(self._reached(), self._duration_seconds())
        # Transcription (issue 17) waits while something plays: the CPU is the player's.
        self.library.hold_transcription(playing)
        self.playingChanged.emit(playing)

    def _on_position(self, ms: int) -> None:
        if self.media.playbackState() != QMediaPlayer.PlaybackState.StoppedState or ms > 0:
            self._last_position = ms
            if self.media.duration() <= 0 or ms < self.media.duration():
                self._heard_to = ms
        self.position_label.setText(clock(ms))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.blockSignals(True)  # a position update is not a seek request
            self.seek_slider.setValue(ms)
            self.seek_slider.blockSignals(False)
        self.positionMoved.emit(ms)

    def _on_duration(self, ms: int) -> None:
        self.seek_slider.setRange(0, max(0, ms))
        self.duration_label.setText(clock(ms))
        self.durationKnown.emit(max(0, ms))

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
            self.seek_ms(value)  # a click on the groove (it jumps there) or the keyboard

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
        set_glyph(self.mute_button, "volume-x" if muted else "volume-2")

    def _update_enabled(self) -> None:
        loaded = self.is_loaded()
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
        self.stop_button.setEnabled(loaded or self._item_id is not None)
        self.fullscreen_button.setEnabled(loaded and self.media.hasVideo())
        # Only an episode with a next one offers it: never a film, never a show's last episode.
        self.next_button.setVisible(self._next_id is not None)
        self.next_button.setEnabled(self._next_id is not None)

    def _update_fullscreen_button(self) -> None:
        on = self.is_fullscreen()
        set_glyph(self.fullscreen_button, "minimize" if on else "maximize")
        name = self.tr("Leave full screen") if on else self.tr("Full screen")
        self.fullscreen_button.setAccessibleName(name)

    def _set_next(self, item_id: int | None, title: str) -> None:
        self._next_id = item_id
        tip = self.tr("Next episode: {title}").format(title=title) if item_id is not None else ""
        self.next_button.setToolTip(tip)
        self._update_enabled()
        if item_id is not None:
            self.nextAvailable.emit(item_id)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_record_failed(self, text: str) -> None:
        self._show_message(self.tr("Could not record your progress: {error}").format(error=text))

    # --- keyboard --------------------------------------------------------------------------------

    def handle_key(self, event: QKeyEvent) -> bool:
        """The player's keys; True when the key was one of them."""
        return handle_key(self, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.video
            and event.type() == QEvent.Type.MouseButtonDblClick
            and not self.is_fullscreen()
        ):
            self.set_fullscreen(True)
            return True
        return filter_key(self, watched, event) or super().eventFilter(watched, event)

    # --- lifetime --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- helpers ---------------------------------------------------------------------------------

    def _stylesheet(self, colors: Colors) -> str:
        tint_on_accent(self.play_button, colors)
        return (
            seek_rules("QSlider#playerSeek", colors)
            + play_button_rules("QPushButton#playerPlay", colors)
            + transport_rules('QPushButton[transport="true"]', colors)
        )

    @staticmethod
    def _cut_short(reached: float, duration: float) -> bool:
        return reached < duration - max(2.0, 0.02 * duration)

    def _reached(self) -> float:
        """Seconds played to. At the end FFmpeg reports the declared length, even for a cut-off
        file whose audio stopped well before it: then the last position short of it counts."""
        last = max(self._last_position, self.media.position()) / 1000
        duration = self._duration_seconds()
        heard = self._heard_to / 1000
        if duration and last >= duration and self._cut_short(heard, duration):
            return heard
        return last

    def _duration_seconds(self) -> float | None:
        ms = self.media.duration()
        return ms / 1000 if ms > 0 else None

    def _position_seconds(self) -> tuple[float, float | None]:
        return self._last_position / 1000, self._duration_seconds()
