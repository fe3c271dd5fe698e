"""The player against a real library and real media, played offscreen by QMediaPlayer.

Waits are generous (the media really plays); no test asserts how fast anything happens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication, QSlider
from pytestqt.qtbot import QtBot

from desktop import appearance
from desktop.player.player_widget import PlayerWidget
from desktop.player.session import PlaybackRecorder
from desktop.tasks import Tasks
from engine.library import Library
from tests.mediagen import make_video

WAIT = 30_000  # ms: playing a 2 s clip, a scan, a history write

Playing = QMediaPlayer.PlaybackState.PlayingState
Paused = QMediaPlayer.PlaybackState.PausedState
FILM_SECONDS = 40.0
CHAPTERS = [(0.0, 5.0, "Intro"), (5.0, 15.0, "Middle"), (15.0, FILM_SECONDS, "Credits")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    videos = tmp_path / "Videos"
    show = videos / "Test Show"
    show.mkdir(parents=True)
    make_video(show / "Test Show S01E01.mp4", seconds=2.0)
    make_video(show / "Test Show S01E02.mp4", seconds=2.0)
    make_video(show / "Test Show S01E03.mp4", seconds=2.0)
    # Resume points under 10 s are not offered, and past half-way a video counts as watched:
    # a resumable video must be longer than 20 s.
    make_video(videos / "Long Film.mp4", seconds=FILM_SECONDS, chapters=CHAPTERS)
    make_video(videos / "Gone.mp4", seconds=1.0)
    return videos


@pytest.fixture
def library(scanned: Callable[..., Library], folder: Path) -> Library:
    return scanned((folder, "video"))


def watched(library: Library, profile: int) -> frozenset[int]:
    return library.history.load_profile_state(profile).watched_ids


def start_paused(qtbot: QtBot, player: PlayerWidget, item_id: int) -> None:
    """Play an item and pause it as soon as it plays, so positions stay put."""
    player.play_item(item_id)
    qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    player.media.pause()
    qtbot.waitUntil(lambda: player.media.playbackState() == Paused, timeout=WAIT)


def test_plays_to_the_end_and_records_a_completed_session(
    qtbot: QtBot, player: PlayerWidget, library: Library, ids: dict[str, int], profile: int
) -> None:
    episode = ids["Test Show S01E01"]
    completed: list[int] = []
    player.recorder.completed.connect(completed.append)
    with qtbot.waitSignal(player.recorder.started, timeout=WAIT):
        player.play_item(episode)
    assert player.title_label.text() == "Test Show S01E01"
    qtbot.waitUntil(
        lambda: player.media.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia, timeout=WAIT
    )
    qtbot.waitUntil(lambda: completed == [episode], timeout=WAIT)
    assert episode in watched(library, profile)
    assert not player.recorder.active
    timeline = library.history.timeline(profile)
    assert [e["event"] for e in timeline if e["item_id"] == episode][:2] == ["play", "completed"]


def test_next_episode_button_plays_the_next_up_episode(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]
) -> None:
    first, second = ids["Test Show S01E01"], ids["Test Show S01E02"]
    player.play_item(first)
    qtbot.waitUntil(lambda: player.next_item_id == second, timeout=WAIT)
    assert player.next_button.isEnabled()
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert player.item_id == second
    qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    assert player.title_label.text() == "Test Show S01E02"


def test_play_item_resumes_a_half_watched_item(
    qtbot: QtBot, player: PlayerWidget, library: Library, ids: dict[str, int], profile: int
) -> None:
    film, episode = ids["Long Film"], ids["Test Show S01E01"]
    session = library.history.start_session(profile, film, 0.0)
    assert not library.history.end_session(session, 11.0, FILM_SECONDS)
    assert library.history.resume_position(profile, film) == pytest.approx(11.0)

    start_paused(qtbot, player, film)
    qtbot.waitUntil(lambda: 10_500 <= player.media.position() < 20_000, timeout=WAIT)

    # The player's own report, on pause and when another item replaces it, is the next resume.
    player.seek_to(15.0)
    qtbot.waitUntil(lambda: abs(player.media.position() - 15_000) < 500, timeout=WAIT)
    player.play_item(episode)
    qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    qtbot.waitUntil(
        lambda: (library.history.resume_position(profile, film) or 0.0) > 14.5, timeout=WAIT
    )
    assert library.history.resume_position(profile, film) == pytest.approx(15.0, abs=0.5)

    start_paused(qtbot, player, film)
    qtbot.waitUntil(lambda: 14_500 <= player.media.position() < 25_000, timeout=WAIT)


def test_skip_buttons_move_the_position(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]
) -> None:
    start_paused(qtbot, player, ids["Long Film"])
    start = player.media.position()
    qtbot.mouseClick(player.forward_small, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.position() >= start + 9_000, timeout=WAIT)
    qtbot.mouseClick(player.forward_small, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.position() >= start + 19_000, timeout=WAIT)
    qtbot.mouseClick(player.back_small, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.position() <= start + 11_000, timeout=WAIT)
    qtbot.mouseClick(player.back_big, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.position() < 1_000, timeout=WAIT)
    qtbot.mouseClick(player.forward_big, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.media.position() >= 29_000, timeout=WAIT)
    qtbot.mouseClick(player.forward_big, Qt.MouseButton.LeftButton)  # clamped to the end
    qtbot.waitUntil(lambda: player.media.position() >= FILM_SECONDS * 1000 - 1_000, timeout=WAIT)


def test_speed_combo_sets_the_playback_rate(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]
) -> None:
    speeds = [player.speed_combo.itemData(n) for n in range(player.speed_combo.count())]
    assert min(speeds) == 0.5 and max(speeds) == 3.0
    player.speed_combo.setCurrentIndex(speeds.index(2.0))
    assert player.media.playbackRate() == 2.0
    start_paused(qtbot, player, ids["Long Film"])
    assert player.media.playbackRate() == 2.0  # kept for the next item
    player.speed_combo.setCurrentIndex(speeds.index(0.5))
    assert player.media.playbackRate() == 0.5
    player.set_speed(3.0)
    assert player.media.playbackRate() == 3.0


def test_chapters_menu_jumps_to_a_chapter(
    qtbot: QtBot, player: PlayerWidget, library: Library, ids: dict[str, int]
) -> None:
    item = library.item(ids["Long Film"])
    assert item is not None and [c["title"] for c in item["chapters"]] == [
        "Intro",
        "Middle",
        "Credits",
    ]
    start_paused(qtbot, player, ids["Long Film"])
    assert player.chapters_button.isVisible()
    actions = player.chapters_menu.actions()
    assert [a.text().split(maxsplit=1)[1] for a in actions] == ["Intro", "Middle", "Credits"]
    actions[2].trigger()
    qtbot.waitUntil(lambda: abs(player.media.position() - 15_000) < 500, timeout=WAIT)

    player.play_item(ids["Test Show S01E01"])  # no chapters: no menu
    qtbot.waitUntil(lambda: player.chapters_button.isHidden(), timeout=WAIT)


def test_missing_files_show_a_message_not_a_crash(
    qtbot: QtBot,
    player: PlayerWidget,
    library: Library,
    folder: Path,
    ids: dict[str, int],
) -> None:
    (folder / "Gone.mp4").unlink()
    library.scan()  # the catalogue now knows it is missing
    item = library.item(ids["Gone"])
    assert item is not None and item["files"][0]["missing"]
    player.play_item(ids["Gone"])
    qtbot.waitUntil(lambda: not player.message.isHidden(), timeout=WAIT)
    assert "missing" in player.message.text()
    assert "Gone.mp4" in player.message.text()
    assert player.media.source().isEmpty()
    assert not player.play_button.isEnabled()

    # Deleted since the last scan: the catalogue still says present, the disk does not.
    (folder / "Test Show" / "Test Show S01E02.mp4").unlink()
    player.message.clear()
    player.play_item(ids["Test Show S01E02"])
    qtbot.waitUntil(lambda: "missing" in player.message.text(), timeout=WAIT)

    player.play_item(10_000)  # not in the library at all
    qtbot.waitUntil(lambda: "no longer in the library" in player.message.text(), timeout=WAIT)
    assert not player.recorder.active


def test_unplayable_file_shows_the_player_error(
    qtbot: QtBot, player: PlayerWidget, library: Library, folder: Path, ids: dict[str, int]
) -> None:
    (folder / "Test Show" / "Test Show S01E02.mp4").write_bytes(b"not a video at all")
    player.play_item(ids["Test Show S01E02"])
    qtbot.waitUntil(lambda: "Cannot play this file" in player.message.text(), timeout=WAIT)
    assert player.media.playbackState() != Playing


def test_keyboard_shortcuts(qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]) -> None:
    start_paused(qtbot, player, ids["Long Film"])
    player.setFocus()
    start = player.media.position()

    qtbot.keyClick(player, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.media.position() >= start + 9_000, timeout=WAIT)
    qtbot.keyClick(player, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: player.media.position() < 1_000, timeout=WAIT)
    qtbot.keyClick(player, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: player.media.position() >= 29_000, timeout=WAIT)
    qtbot.keyClick(player.seek_slider, Qt.Key.Key_Left)  # the slider passes the keys on
    qtbot.waitUntil(lambda: player.media.position() <= 21_000, timeout=WAIT)

    volume = player.volume_slider.value()
    qtbot.keyClick(player, Qt.Key.Key_Down)
    assert player.volume_slider.value() == volume - 5
    assert player.audio.volume() == pytest.approx((volume - 5) / 100)
    qtbot.keyClick(player, Qt.Key.Key_Up)
    assert player.volume_slider.value() == volume

    qtbot.keyClick(player, Qt.Key.Key_M)
    assert player.audio.isMuted() and player.mute_button.isChecked()
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert not player.audio.isMuted()

    qtbot.keyClick(player, Qt.Key.Key_F)
    qtbot.waitUntil(player.is_fullscreen, timeout=WAIT)
    qtbot.keyClick(player.video, Qt.Key.Key_Escape)  # the full-screen video is its own window
    qtbot.waitUntil(lambda: not player.is_fullscreen(), timeout=WAIT)

    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.media.playbackState() == Paused, timeout=WAIT)


def test_progress_is_reported_while_playing(
    qtbot: QtBot, player: PlayerWidget, library: Library, ids: dict[str, int], profile: int
) -> None:
    film = ids["Long Film"]
    player.play_item(film)

    def reported() -> bool:
        row = library.history.progress(profile, film)
        return row is not None and row.position > 0

    qtbot.waitUntil(reported, timeout=WAIT)  # the periodic report, every 5 s
    assert player.recorder.active
    assert player.media.playbackState() == Playing


def test_recorder_reports_in_order_and_ends_the_session(
    qtbot: QtBot, library: Library, ids: dict[str, int], profile: int
) -> None:
    tasks = Tasks()
    where = [0.0]
    recorder = PlaybackRecorder(library, tasks, lambda: (where[0], FILM_SECONDS))
    film = ids["Long Film"]
    changed: list[None] = []
    recorder.historyChanged.connect(lambda: changed.append(None))
    recorder.start(None, film, 0.0)
    assert recorder.active and recorder.item_id == film
    where[0] = 6.0
    recorder.report()
    where[0] = 11.5
    recorder.pause()
    recorder.stop()
    assert not recorder.active
    tasks.wait()
    qtbot.waitUntil(lambda: len(changed) >= 1, timeout=WAIT)
    assert library.history.resume_position(profile, film) == pytest.approx(11.5)
    assert film not in watched(library, profile)


# --- issue 12: Stop, click-to-seek, full screen, "Next episode" only where there is one ---------


def saved_position(library: Library, profile: int, item_id: int) -> float:
    row = library.history.progress(profile, item_id)
    return row.position if row is not None else -1.0


def test_stop_button_and_keys_stop_and_save_the_position(
    qtbot: QtBot, player: PlayerWidget, library: Library, ids: dict[str, int], profile: int
) -> None:
    film = ids["Long Film"]
    assert player.stop_button.isVisible()
    assert "Ctrl+." in player.stop_button.toolTip()
    start_paused(qtbot, player, film)
    # Past half-way a video counts as watched (and resumes from the start): stop before that.
    player.seek_to(15.0)
    qtbot.waitUntil(lambda: abs(player.media.position() - 15_000) < 500, timeout=WAIT)
    player.media.play()
    qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    with qtbot.waitSignal(player.cleared, timeout=WAIT):
        qtbot.mouseClick(player.stop_button, Qt.MouseButton.LeftButton)
    assert player.media.playbackState() != Playing
    assert player.media.source().isEmpty() and player.item_id is None
    assert not player.recorder.active
    qtbot.waitUntil(lambda: saved_position(library, profile, film) >= 14.5, timeout=WAIT)
    assert saved_position(library, profile, film) < FILM_SECONDS / 2

    # The keys: Ctrl+. and the keyboard's Stop media key, with focus anywhere in the player.
    for key, mods in (
        (Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_MediaStop, Qt.KeyboardModifier.NoModifier),
    ):
        player.play_item(film)  # resumes where it stopped
        qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
        resumed = saved_position(library, profile, film)
        qtbot.waitUntil(lambda r=resumed: player.media.position() >= r * 1000 + 500, timeout=WAIT)
        with qtbot.waitSignal(player.cleared, timeout=WAIT):
            qtbot.keyClick(player.seek_slider, key, mods)
        assert player.media.playbackState() != Playing and player.media.source().isEmpty()
        qtbot.waitUntil(
            lambda r=resumed: saved_position(library, profile, film) > r + 0.4, timeout=WAIT
        )


def click_at_fraction(qtbot: QtBot, slider: QSlider, fraction: float) -> None:
    """Press and release the left button at `fraction` of the slider's width, as a user would."""
    point = QPoint(round(slider.width() * fraction), slider.height() // 2)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=point)


@pytest.mark.parametrize("fraction", [0.25, 0.8])
def test_a_click_on_the_seek_bar_jumps_to_the_point_clicked(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int], fraction: float
) -> None:
    start_paused(qtbot, player, ids["Long Film"])
    slider = player.seek_slider
    qtbot.waitUntil(lambda: slider.maximum() > 0, timeout=WAIT)
    duration = slider.maximum()
    click_at_fraction(qtbot, slider, fraction)
    target = duration * fraction
    # Within 2 % of the clicked point (a page step would land 30 s away).
    qtbot.waitUntil(lambda: abs(player.media.position() - target) <= 0.02 * duration, timeout=WAIT)
    assert abs(slider.value() - target) <= 0.02 * duration


def assert_video_back_in_the_stage(player: PlayerWidget, before: tuple[int, int]) -> None:
    video, stage = player.video, player.stage
    assert not player.is_fullscreen() and player.fullscreen_window is None
    assert not video.isWindow() and video.parent() is stage
    assert stage.currentWidget() is video and video.isVisible()
    assert video.geometry() == stage.contentsRect()  # the stage's size, not a leftover strip
    assert (stage.width(), stage.height()) == before


@pytest.mark.parametrize("enter", ["F", "button", "double click"])
@pytest.mark.parametrize("leave", ["Escape", "F", "button"])
def test_full_screen_enters_and_leaves_by_each_route(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int], enter: str, leave: str
) -> None:
    start_paused(qtbot, player, ids["Long Film"])
    qtbot.waitUntil(player.fullscreen_button.isEnabled, timeout=WAIT)
    before = (player.stage.width(), player.stage.height())
    with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
        if enter == "F":
            qtbot.keyClick(player.seek_slider, Qt.Key.Key_F)
        elif enter == "button":
            qtbot.mouseClick(player.fullscreen_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.mouseDClick(player.video, Qt.MouseButton.LeftButton)
    full = player.fullscreen_window
    assert full is not None and full.isVisible() and full.isFullScreen()
    assert player.video.window() is full
    screen = player.screen() or QApplication.primaryScreen()
    assert full.geometry() == screen.geometry()  # covers the screen, even with no window manager
    assert full.exit_button.isVisible()  # a way out with the mouse, on the full-screen window

    def focus_in_full_screen() -> bool:  # so Esc and F reach it
        focused = QApplication.focusWidget()
        return focused is not None and focused.window() is full

    qtbot.waitUntil(focus_in_full_screen, timeout=WAIT)

    with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
        if leave == "Escape":
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        elif leave == "F":
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F)
        else:
            qtbot.mouseClick(full.exit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not full.isVisible(), timeout=WAIT)
    assert_video_back_in_the_stage(player, before)


def test_next_episode_is_offered_only_where_there_is_one(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int]
) -> None:
    def loaded(item_id: int) -> None:
        with qtbot.waitSignal(player.nowPlaying, timeout=WAIT):
            player.play_item(item_id)

    loaded(ids["Long Film"])  # a film: no next episode, and no button saying so
    assert player.next_item_id is None
    assert player.next_button.isHidden()
    loaded(ids["Test Show S01E03"])  # the show's last episode
    assert player.next_item_id is None
    assert player.next_button.isHidden()
    loaded(ids["Test Show S01E02"])  # the middle one: its next, in episode order
    assert player.next_item_id == ids["Test Show S01E03"]
    assert player.next_button.isVisible() and player.next_button.isEnabled()
    assert "Test Show S01E03" in player.next_button.toolTip()


def test_play_starts_while_the_shared_pool_is_busy(
    qtbot: QtBot, player: PlayerWidget, tasks: Tasks, ids: dict[str, int]
) -> None:
    # Home's recommendations (loading the model) filled the shared pool and a click on Play
    # waited for them; what to play is read on the player's own thread.
    release = threading.Event()
    for _ in range(tasks.pool.maxThreadCount()):
        tasks.run(release.wait)
    try:
        player.play_item(ids["Long Film"])
        qtbot.waitUntil(lambda: player.media.playbackState() == Playing, timeout=WAIT)
    finally:
        release.set()


@pytest.fixture
def light_theme(qapp: QApplication) -> Iterator[None]:
    appearance.apply_theme(qapp, "light")
    yield
    appearance.apply_theme(qapp, "native")


def test_full_screen_controls_step_aside_and_come_back(
    qtbot: QtBot, player: PlayerWidget, ids: dict[str, int], light_theme: None
) -> None:
    start_paused(qtbot, player, ids["Long Film"])
    qtbot.waitUntil(player.fullscreen_button.isEnabled, timeout=WAIT)
    with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
        player.set_fullscreen(True)
    full = player.fullscreen_window
    assert full is not None and full.strip.isVisible()
    # Its icons are light on the black strip whatever the theme (they were drawn in the
    # theme's dark text colour: invisible in the light theme).
    for button in (full.play_button, full.stop_button, full.exit_button):
        image = button.grab().toImage()
        light = [
            image.pixelColor(x, y).lightness()
            for x in range(image.width())
            for y in range(image.height())
        ]
        assert max(light) > 200, button.accessibleName()
    full.hide_controls()  # what the idle timer does: the picture alone
    assert not full.strip.isVisible()
    qtbot.mouseMove(full, QPoint(full.width() // 2, full.height() // 3))
    qtbot.waitUntil(full.strip.isVisible, timeout=WAIT)
    full.hide_controls()
    qtbot.keyClick(full, Qt.Key.Key_Up)  # any key brings them back (and still does its job)
    assert full.strip.isVisible()
    with qtbot.waitSignal(player.fullscreenChanged, timeout=WAIT):
        qtbot.keyClick(full, Qt.Key.Key_Escape)
    assert not player.is_fullscreen()
