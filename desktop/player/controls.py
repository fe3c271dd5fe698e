"""The player's controls: transport buttons, Stop, seek bar (a click jumps there), chapters,
speed, volume and full screen, laid out under the stage; `build_controls` makes them as
attributes of the player.

Strings use translate("PlayerWidget", …) literally: they were written in PlayerWidget, whose
existing translations live under that context."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.formatting import clock
from desktop.player.glyphs import set_glyph
from desktop.player.keys import BIG_SKIP, SMALL_SKIP
from desktop.player.seek_slider import SeekSlider
from desktop.theme import SPACE

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget

__all__ = ["SPEEDS", "build_controls", "set_chapters"]

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


def _button(
    player: QWidget, text: str, name: str, tip: str, slot: Callable[[], Any]
) -> QPushButton:
    button = QPushButton(text, player)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def build_controls(player: PlayerWidget) -> None:
    """Make the controls and the layout; the player's keys work on every one of them."""
    player.title_label = QLabel(player)
    player.title_label.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Now playing"))
    player.title_label.setProperty("textStyle", "title")
    player.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    player.title_label.setWordWrap(True)
    player.show_label = QLabel(player)
    player.show_label.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Show"))
    player.show_label.setProperty("textStyle", "muted")
    player.show_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    player.show_label.hide()
    player.message = QLabel(player)
    player.message.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Player message"))
    player.message.setWordWrap(True)
    player.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    player.message.hide()

    player.position_label = QLabel(clock(0), player)
    player.position_label.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Position"))
    player.duration_label = QLabel(clock(0), player)
    player.duration_label.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Duration"))
    player.seek_slider = SeekSlider(player)
    player.seek_slider.setObjectName("playerSeek")
    player.seek_slider.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Seek"))
    player.seek_slider.setSingleStep(int(SMALL_SKIP * 1000))
    player.seek_slider.setPageStep(int(BIG_SKIP * 1000))

    player.back_big = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Back 30 seconds"),
        QCoreApplication.translate("PlayerWidget", "Back 30 seconds (Shift+Left)"),
        lambda: player.skip(-BIG_SKIP),
    )
    set_glyph(player.back_big, "skip:30:0", size=22)
    player.back_small = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Back 10 seconds"),
        QCoreApplication.translate("PlayerWidget", "Back 10 seconds (Left)"),
        lambda: player.skip(-SMALL_SKIP),
    )
    set_glyph(player.back_small, "skip:10:0", size=22)
    player.play_button = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Play"),
        QCoreApplication.translate("PlayerWidget", "Play or pause (Space)"),
        player.toggle_play,
    )
    set_glyph(player.play_button, "play", size=24)
    player.stop_button = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Stop"),
        player.stop_tooltip(),
        player.stop,
    )
    set_glyph(player.stop_button, "square")
    player.forward_small = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Forward 10 seconds"),
        QCoreApplication.translate("PlayerWidget", "Forward 10 seconds (Right)"),
        lambda: player.skip(SMALL_SKIP),
    )
    set_glyph(player.forward_small, "skip:10:1", size=22)
    player.forward_big = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Forward 30 seconds"),
        QCoreApplication.translate("PlayerWidget", "Forward 30 seconds (Shift+Right)"),
        lambda: player.skip(BIG_SKIP),
    )
    set_glyph(player.forward_big, "skip:30:1", size=22)
    player.next_button = _button(
        player,
        QCoreApplication.translate("PlayerWidget", "Next episode"),
        QCoreApplication.translate("PlayerWidget", "Next episode"),
        QCoreApplication.translate("PlayerWidget", "Play the next episode of this show"),
        player.play_next,
    )
    set_glyph(player.next_button, "skip-forward")
    player.next_button.hide()  # shown only when there is a next episode

    player.chapters_menu = QMenu(player)
    player.chapters_menu.setAccessibleName(
        QCoreApplication.translate("PlayerWidget", "Chapters menu")
    )
    player.chapters_button = QToolButton(player)
    player.chapters_button.setText(QCoreApplication.translate("PlayerWidget", "Chapters"))
    player.chapters_button.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Chapters"))
    player.chapters_button.setToolTip(
        QCoreApplication.translate("PlayerWidget", "Jump to a chapter")
    )
    player.chapters_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    player.chapters_button.setMenu(player.chapters_menu)
    player.chapters_button.hide()

    player.speed_combo = QComboBox(player)
    player.speed_combo.setAccessibleName(
        QCoreApplication.translate("PlayerWidget", "Playback speed")
    )
    player.speed_combo.setToolTip(QCoreApplication.translate("PlayerWidget", "Playback speed"))
    for speed in SPEEDS:
        player.speed_combo.addItem(
            QCoreApplication.translate("PlayerWidget", "{speed}×").format(speed=f"{speed:g}"), speed
        )
    player.speed_combo.setCurrentIndex(SPEEDS.index(1.0))

    player.mute_button = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Mute"),
        QCoreApplication.translate("PlayerWidget", "Mute or unmute (M)"),
        player.toggle_mute,
    )
    player.mute_button.setCheckable(True)
    set_glyph(player.mute_button, "volume-2")
    player.volume_slider = QSlider(Qt.Orientation.Horizontal, player)
    player.volume_slider.setAccessibleName(QCoreApplication.translate("PlayerWidget", "Volume"))
    player.volume_slider.setToolTip(QCoreApplication.translate("PlayerWidget", "Volume (Up/Down)"))
    player.volume_slider.setRange(0, 100)
    player.volume_slider.setValue(80)
    player.volume_slider.setMaximumWidth(120)
    player.fullscreen_button = _button(
        player,
        "",
        QCoreApplication.translate("PlayerWidget", "Full screen"),
        QCoreApplication.translate("PlayerWidget", "Full screen video (F; Escape leaves)"),
        player.toggle_fullscreen,
    )
    set_glyph(player.fullscreen_button, "maximize")

    player.play_button.setObjectName("playerPlay")
    for button in (
        player.back_big,
        player.back_small,
        player.forward_small,
        player.forward_big,
        player.stop_button,
        player.mute_button,
        player.fullscreen_button,
    ):
        button.setProperty("transport", True)
    for label in (player.position_label, player.duration_label):
        label.setProperty("textStyle", "caption")
        label.setMinimumWidth(44)
    player.position_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    bar = QHBoxLayout()
    bar.setSpacing(SPACE["s"])
    bar.addWidget(player.position_label)
    bar.addWidget(player.seek_slider, 1)
    bar.addWidget(player.duration_label)
    # Three columns of equal stretch keep the transport centred under the seek bar, as in every
    # podcast app's full player: extras on the left, output and full screen on the right.
    buttons = QGridLayout()
    buttons.setHorizontalSpacing(SPACE["s"])
    groups: tuple[tuple[QWidget, ...], ...] = (
        (player.next_button, player.chapters_button),
        (
            player.back_big,
            player.back_small,
            player.play_button,
            player.forward_small,
            player.forward_big,
            player.stop_button,
        ),
        (player.speed_combo, player.mute_button, player.volume_slider, player.fullscreen_button),
    )
    for column, group in enumerate(groups):
        row = QHBoxLayout()
        row.setSpacing(SPACE["s"])
        if column > 0:
            row.addStretch(1)
        for widget in group:
            row.addWidget(widget)
        if column < 2:
            row.addStretch(1)
        buttons.addLayout(row, 0, column)
        buttons.setColumnStretch(column, 1)
    layout = QVBoxLayout(player)
    layout.setContentsMargins(SPACE["l"], SPACE["s"], SPACE["l"], SPACE["m"])
    layout.setSpacing(SPACE["xs"])
    layout.addWidget(player.stage, 1)
    layout.addSpacing(SPACE["s"])
    layout.addWidget(player.title_label)
    layout.addWidget(player.show_label)
    layout.addWidget(player.message)
    layout.addLayout(bar)
    layout.addLayout(buttons)

    # The player's keys work wherever focus is inside it, and on the full-screen video.
    filtered: list[QWidget] = [player.video, player.seek_slider]
    filtered += player.findChildren(QAbstractButton)
    for child in filtered:
        child.installEventFilter(player)


def set_chapters(player: PlayerWidget, chapters: list[dict[str, Any]]) -> None:
    """Fill the Chapters menu (each entry seeks to its start); no chapters hide the button."""
    player.chapters_menu.clear()
    for chapter in chapters:
        start = float(chapter.get("start") or 0.0)
        title = str(chapter.get("title") or "").strip() or QCoreApplication.translate(
            "PlayerWidget", "Chapter"
        )
        action = player.chapters_menu.addAction(f"{clock(int(start * 1000))}  {title}")
        action.triggered.connect(lambda _checked=False, s=start: player.seek_to(s))
    player.chapters_button.setVisible(bool(chapters))
