"""The now-playing bar in the real main window, against a real library and real media played
offscreen by QMediaPlayer: it shows what plays on every page, keeps the playback (with its
controls) when the Player panel is closed, stops by button and by key, seeks where clicked, and
offers "Next episode" only where there is one. No test asserts how fast anything happens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QAbstractButton, QApplication, QSlider
from pytestqt.qtbot import QtBot

from desktop.appearance import apply_theme
from desktop.models.formatting import clock
from desktop.player.player_widget import PlayerWidget
from desktop.tasks import Tasks
from desktop.views.main_window import SECTIONS, MainWindow
from engine.library import Library
from tests.mediagen import make_audio, make_video

WAIT = 30_000  # ms: loading and playing a clip, a history write
FILM_SECONDS = 40.0
Playing = QMediaPlayer.PlaybackState.PlayingState
Paused = QMediaPlayer.PlaybackState.PausedState


@pytest.fixture
def library(tmp_path: Path, scanned: Callable[..., Library]) -> Library:
    videos = tmp_path / "Videos"
    show = videos / "Harbour Lights"
    show.mkdir(parents=True)
    for n in (1, 2):
        make_video(show / f"Harbour Lights S01E0{n}.mp4", seconds=2.0)
    make_video(videos / "Long Film.mp4", seconds=FILM_SECONDS)
    podcasts = tmp_path / "Podcasts"
    podcasts.mkdir()
    make_audio(podcasts / "tides.mp3", 3.0, title="Reading the Tides", show="Coastal Hour")
    return scanned((videos, "video"), (podcasts, "podcast"))


@pytest.fixture
def window(qtbot: QtBot, library: Library, qapp: QApplication) -> Iterator[MainWindow]:
    # In the app's own look, as the app always starts: its controls take more room than the
    # platform's, which is what left the video a strip (it passed without the theme).
    apply_theme(qapp, "dark")
    tasks = Tasks()
    win = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()  # records the last position
    tasks.wait()
    apply_theme(qapp, "native")


def playing(window: MainWindow, item_id: int, qtbot: QtBot) -> PlayerWidget:
    """Play from a page, as a click would, and wait until it really plays."""
    window.home.playRequested.emit(item_id)
    player = window.player
    assert player is not None
    qtbot.waitUntil(lambda: player.item_id == item_id and player.is_playing(), timeout=WAIT)
    return player


def saved_position(library: Library, profile: int, item_id: int) -> float:
    row = library.history.progress(profile, item_id)
    return row.position if row is not None else -1.0


def click_at_fraction(qtbot: QtBot, slider: QSlider, fraction: float) -> None:
    point = QPoint(round(slider.width() * fraction), slider.height() // 2)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=point)


def test_the_bar_is_hidden_until_something_plays_and_shows_what_plays(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    # Nothing is made for playback before the first play (start-up pays for none of it).
    assert window.player is None and window.now_playing is None
    assert not window.now_playing_bar.isVisible()
    player = playing(window, ids["Reading the Tides"], qtbot)
    bar = window.now_playing
    assert bar is not None
    qtbot.waitUntil(bar.isVisible, timeout=WAIT)
    assert bar.title_label.text() == "Reading the Tides"
    assert bar.show_label.text() == "Coastal Hour"
    assert bar.art.art is not None and bar.art.art.item_id == ids["Reading the Tides"]
    assert bar.art.width() == bar.art.height()  # a podcast's art is square
    # The bar follows the playback: time moves, and the seek bar with it.
    qtbot.waitUntil(lambda: bar.seek_slider.value() > 300, timeout=WAIT)
    assert bar.elapsed_label.text() == clock(bar.seek_slider.value())
    assert bar.remaining_label.text().startswith("−")
    # It stays while browsing every page.
    for section in SECTIONS:
        window.go_to(section)
        assert bar.isVisible(), section
    assert player.is_playing() or player.media.mediaStatus() == (
        QMediaPlayer.MediaStatus.EndOfMedia
    )


def test_closing_the_player_keeps_playing_only_in_the_bar(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    film = ids["Long Film"]
    player = playing(window, film, qtbot)
    dock = window.player_dock
    assert dock is not None and dock.isVisible()
    bar = window.now_playing
    qtbot.waitUntil(bar.isVisible, timeout=WAIT)

    # The panel's own close button, as a user closes it.
    close = next(
        b for b in dock.findChildren(QAbstractButton) if b.objectName().endswith("closebutton")
    )
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=WAIT)
    assert player.is_playing()
    assert bar.isVisible() and bar.title_label.text() == "Long Film"
    seen = bar.seek_slider.value()
    qtbot.waitUntil(lambda: bar.seek_slider.value() > seen + 200, timeout=WAIT)  # it plays on
    assert bar.open_button.accessibleName() == "Show the player"

    # Its controls are the player's: pause and play again from the bar.
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.playbackState() == Paused, timeout=WAIT)
    assert bar.play_button.accessibleName() == "Play"
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.is_playing, timeout=WAIT)

    # And the full player opens again from the bar, on the same playback.
    qtbot.mouseClick(bar.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dock.isVisible, timeout=WAIT)
    assert player.item_id == film and player.is_playing()
    assert bar.open_button.accessibleName() == "Hide the player"


def test_stop_in_the_bar_and_by_key_from_any_page_saves_the_position(
    qtbot: QtBot, window: MainWindow, library: Library, ids: dict[str, int], profile: int
) -> None:
    film = ids["Long Film"]
    player = playing(window, film, qtbot)
    bar = window.now_playing
    assert "Ctrl+." in bar.stop_button.toolTip()
    # Past half-way a video counts as watched: stop before, so the position is kept.
    player.seek_to(12.0)
    qtbot.waitUntil(lambda: player.media.position() >= 12_000, timeout=WAIT)
    with qtbot.waitSignal(player.cleared, timeout=WAIT):
        qtbot.mouseClick(bar.stop_button, Qt.MouseButton.LeftButton)
    assert not player.is_playing() and player.media.source().isEmpty()
    assert not bar.isVisible()  # nothing plays, nothing to control
    qtbot.waitUntil(lambda: saved_position(library, profile, film) >= 12.0, timeout=WAIT)

    # The window's keys, with the Player panel closed and focus on a page.
    keys = (
        (Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_MediaStop, Qt.KeyboardModifier.NoModifier),
    )
    for key, mods in keys:
        player = playing(window, film, qtbot)  # resumes where it stopped
        stopped_at = saved_position(library, profile, film)
        resumed_past = stopped_at * 1000 + 500
        qtbot.waitUntil(lambda p=player, r=resumed_past: p.media.position() >= r, timeout=WAIT)
        assert window.player_dock is not None
        window.player_dock.close()
        window.go_to("videos")
        window.videos.setFocus()
        with qtbot.waitSignal(player.cleared, timeout=WAIT):
            qtbot.keyClick(window.videos, key, mods)
        assert not player.is_playing() and not bar.isVisible()
        qtbot.waitUntil(
            lambda s=stopped_at: saved_position(library, profile, film) > s + 0.4, timeout=WAIT
        )


def test_a_click_on_the_bar_seek_bar_jumps_to_the_point_clicked(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    player = playing(window, ids["Long Film"], qtbot)
    player.toggle_play()
    qtbot.waitUntil(lambda: player.media.playbackState() == Paused, timeout=WAIT)
    slider = window.now_playing.seek_slider
    qtbot.waitUntil(lambda: slider.maximum() > 0, timeout=WAIT)
    duration = slider.maximum()
    for fraction in (0.7, 0.2):
        click_at_fraction(qtbot, slider, fraction)
        target = duration * fraction
        qtbot.waitUntil(
            lambda t=target: abs(player.media.position() - t) <= 0.02 * duration, timeout=WAIT
        )


def test_skip_buttons_in_the_bar_move_the_playback(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    player = playing(window, ids["Long Film"], qtbot)
    player.toggle_play()
    qtbot.waitUntil(lambda: player.media.playbackState() == Paused, timeout=WAIT)
    start = player.media.position()
    bar = window.now_playing
    qtbot.mouseClick(bar.forward_button, Qt.MouseButton.LeftButton)  # +30 s
    qtbot.waitUntil(lambda: player.media.position() >= start + 29_000, timeout=WAIT)
    qtbot.mouseClick(bar.back_button, Qt.MouseButton.LeftButton)  # −10 s
    qtbot.waitUntil(lambda: player.media.position() <= start + 21_000, timeout=WAIT)


def test_full_screen_from_the_window_gives_the_video_its_size_back(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    player = playing(window, ids["Long Film"], qtbot)
    qtbot.waitUntil(player.fullscreen_button.isEnabled, timeout=WAIT)
    stage = player.stage
    before = stage.size()
    assert before.height() > 180  # the panel opens with room for the video, not a strip
    for leave in ("Escape", "F", "button"):
        with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
            qtbot.mouseClick(player.fullscreen_button, Qt.MouseButton.LeftButton)
        full = player.fullscreen_window
        assert full is not None
        qtbot.waitUntil(
            lambda f=full: (w := QApplication.focusWidget()) is not None and w.window() is f,
            timeout=WAIT,
        )
        with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
            if leave == "button":
                qtbot.mouseClick(full.exit_button, Qt.MouseButton.LeftButton)
            else:
                key = Qt.Key.Key_Escape if leave == "Escape" else Qt.Key.Key_F
                qtbot.keyClick(QApplication.focusWidget(), key)
        assert not player.video.isWindow() and player.video.window() is window
        assert player.video.geometry() == stage.contentsRect()
        assert stage.size() == before, leave


def test_next_episode_in_the_bar_only_where_there_is_one(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    first, second = ids["Harbour Lights S01E01"], ids["Harbour Lights S01E02"]
    playing(window, ids["Long Film"], qtbot)
    bar = window.now_playing
    assert bar is not None and bar.isVisible()
    assert bar.next_button.isHidden()
    player = playing(window, first, qtbot)
    assert not bar.next_button.isHidden()
    assert "Harbour Lights S01E02" in bar.next_button.toolTip()
    qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.item_id == second and player.is_playing(), timeout=WAIT)
    assert bar.title_label.text() == "Harbour Lights S01E02"
    assert bar.next_button.isHidden()  # the show's last episode


def test_the_title_in_the_bar_opens_the_item_page(
    qtbot: QtBot, window: MainWindow, ids: dict[str, int]
) -> None:
    film = ids["Long Film"]
    playing(window, film, qtbot)
    bar = window.now_playing
    assert bar is not None
    window.go_to("history")
    with qtbot.waitSignal(window.detail.loaded, timeout=WAIT):
        qtbot.mouseClick(bar.title_label, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.detail
    assert window.detail.item_id() == film
