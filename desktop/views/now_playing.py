"""The now-playing bar: what plays, at the bottom of the main window on every page.

Art, title and show on the left; skip back, play/pause, skip forward and Stop over a seek bar
(a click jumps there) with elapsed and remaining time in the middle; the next episode, where
there is one, and the button that opens or closes the full player on the right — the layout of
the mini players in Apple Podcasts, Pocket Casts and Plexamp. It is a second view of the one
`PlayerWidget`: closing the Player panel leaves the playback here, with its controls, and Stop
(here, in the player, Ctrl+. or the Stop media key) ends it and hides the bar.

No QtMultimedia here: the bar is made with the window, the player on first play (`attach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.art import Art, ArtProvider, art_size
from desktop.models.formatting import clock
from desktop.player.glyphs import set_glyph
from desktop.player.keys import BIG_SKIP, SMALL_SKIP
from desktop.player.plan import Plan
from desktop.player.seek_slider import SeekSlider
from desktop.player.style import (
    PLAY_SIZE,
    follow_theme,
    play_button_rules,
    seek_rules,
    tint_on_accent,
    transport_rules,
)
from desktop.tasks import Tasks
from desktop.theme import RADIUS, SPACE, Colors
from engine.library import Library

if TYPE_CHECKING:
    from desktop.player.player_widget import PlayerWidget

__all__ = ["ART_HEIGHT", "NowPlayingBar"]

ART_HEIGHT = 56  # px at 1×: the art keeps its own shape at this height


class ArtTile(QWidget):
    """The playing item's art at its own shape (square, poster or frame), rounded."""

    def __init__(self, provider: ArtProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.art: Art | None = None
        self.setFixedSize(ART_HEIGHT, ART_HEIGHT)
        provider.changed.connect(self.update)

    def set_art(self, art: Art | None) -> None:
        self.art = art
        shape = art_size(art.kind if art else "podcast", None)
        width = round(ART_HEIGHT * shape.width() / max(1, shape.height()))
        self.setFixedSize(max(ART_HEIGHT * 2 // 3, min(width, ART_HEIGHT * 16 // 9)), ART_HEIGHT)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.art is None:
            return
        painter = QPainter(self)
        self.provider.paint(painter, self.rect(), self.art, RADIUS["control"])
        painter.end()


class NowPlayingBar(QFrame):
    """See the module docstring. `attach` a player; its holder shows the bar while
    `activeChanged` says something is loaded."""

    openPlayerRequested = Signal()  # the full player: show it, or hide it when it shows
    detailRequested = Signal(int)  # the title was clicked: the item's page
    activeChanged = Signal(bool)  # something is loaded (the bar shows) or not

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nowPlayingBar")
        self.setAccessibleName(self.tr("Now playing"))
        self.player: PlayerWidget | None = None
        self._item_id: int | None = None
        self._duration = 0
        self._player_open = False

        self.art = ArtTile(ArtProvider.shared(library, tasks), self)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("nowPlayingTitle")
        self.title_label.setAccessibleName(self.tr("Title"))
        self.title_label.setProperty("textStyle", "subtitle")
        self.title_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title_label.installEventFilter(self)
        self.show_label = QLabel(self)
        self.show_label.setAccessibleName(self.tr("Show"))
        self.show_label.setProperty("textStyle", "caption")
        for label in (self.title_label, self.show_label):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(80)

        self.back_button = self._button(
            self.tr("Back {n} seconds").format(n=f"{SMALL_SKIP:g}"),
            self.tr("Back {n} seconds (Left in the player)").format(n=f"{SMALL_SKIP:g}"),
            f"skip:{SMALL_SKIP:g}:0",
        )
        self.play_button = self._button(self.tr("Play"), self.tr("Play or pause"), "play", 22)
        self.play_button.setObjectName("nowPlayingPlay")
        self.play_button.setFixedSize(PLAY_SIZE, PLAY_SIZE)
        self.forward_button = self._button(
            self.tr("Forward {n} seconds").format(n=f"{BIG_SKIP:g}"),
            self.tr("Forward {n} seconds (Shift+Right in the player)").format(n=f"{BIG_SKIP:g}"),
            f"skip:{BIG_SKIP:g}:1",
        )
        self.stop_button = self._button(self.tr("Stop"), "", "square", 18)
        self.next_button = self._button(self.tr("Next episode"), "", "skip-forward")
        self.next_button.hide()
        self.open_button = self._button(self.tr("Show the player"), "", "chevron-left@90")

        self.elapsed_label = QLabel(clock(0), self)
        self.elapsed_label.setAccessibleName(self.tr("Elapsed"))
        self.remaining_label = QLabel(clock(0), self)
        self.remaining_label.setAccessibleName(self.tr("Remaining"))
        for label in (self.elapsed_label, self.remaining_label):
            label.setProperty("textStyle", "caption")
            label.setMinimumWidth(44)
        self.elapsed_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.seek_slider = SeekSlider(self)
        self.seek_slider.setObjectName("nowPlayingSeek")
        self.seek_slider.setAccessibleName(self.tr("Seek"))
        self.seek_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the buttons take the keys

        self._lay_out()
        self._connect_controls()
        follow_theme(self, self._stylesheet)

    def _button(self, name: str, tip: str, glyph: str, size: int = 20) -> QToolButton:
        button = QToolButton(self)
        button.setAccessibleName(name)
        button.setToolTip(tip or name)
        button.setAutoRaise(True)
        set_glyph(button, glyph, size)
        return button

    def _lay_out(self) -> None:
        words = QVBoxLayout()
        words.setSpacing(SPACE["xxs"])
        words.addStretch(1)
        words.addWidget(self.title_label)
        words.addWidget(self.show_label)
        words.addStretch(1)
        left = QHBoxLayout()
        left.setSpacing(SPACE["m"])
        left.addWidget(self.art)
        left.addLayout(words, 1)

        transport = QHBoxLayout()
        transport.setSpacing(SPACE["s"])
        transport.addStretch(1)
        for button in (self.back_button, self.play_button, self.forward_button, self.stop_button):
            transport.addWidget(button)
        transport.addStretch(1)
        timeline = QHBoxLayout()
        timeline.setSpacing(SPACE["s"])
        timeline.addWidget(self.elapsed_label)
        timeline.addWidget(self.seek_slider, 1)
        timeline.addWidget(self.remaining_label)
        middle = QVBoxLayout()
        middle.setSpacing(0)
        middle.addLayout(transport)
        middle.addLayout(timeline)

        right = QHBoxLayout()
        right.setSpacing(SPACE["s"])
        right.addStretch(1)
        right.addWidget(self.next_button)
        right.addWidget(self.open_button)

        row = QHBoxLayout(self)
        row.setContentsMargins(SPACE["l"], SPACE["s"], SPACE["l"], SPACE["s"])
        row.setSpacing(SPACE["xl"])
        row.addLayout(left, 3)
        row.addLayout(middle, 4)
        row.addLayout(right, 3)

    def _connect_controls(self) -> None:
        self.back_button.clicked.connect(lambda: self._call(lambda p: p.skip(-SMALL_SKIP)))
        self.play_button.clicked.connect(lambda: self._call(lambda p: p.toggle_play()))
        self.forward_button.clicked.connect(lambda: self._call(lambda p: p.skip(BIG_SKIP)))
        self.stop_button.clicked.connect(lambda: self._call(lambda p: p.stop()))
        self.next_button.clicked.connect(lambda: self._call(lambda p: p.play_next()))
        self.open_button.clicked.connect(self.openPlayerRequested)
        self.seek_slider.valueChanged.connect(self._on_slider_value)
        self.seek_slider.sliderReleased.connect(
            lambda: self._call(lambda p: p.seek_ms(self.seek_slider.value()))
        )

    def _call(self, action: object) -> None:
        if self.player is not None and callable(action):
            action(self.player)

    # --- the player ------------------------------------------------------------------------------

    def attach(self, player: PlayerWidget) -> None:
        """Follow `player` from now on (the window makes it on first play)."""
        self.player = player
        self.stop_button.setToolTip(player.stop_tooltip())
        player.nowPlaying.connect(self._on_now_playing)
        player.cleared.connect(self._on_cleared)
        player.playingChanged.connect(self._on_playing)
        player.positionMoved.connect(self._on_position)
        player.durationKnown.connect(self._on_duration)

    def set_player_open(self, open_: bool) -> None:
        """The full player shows (the button then hides it) or not."""
        self._player_open = open_
        name = self.tr("Hide the player") if open_ else self.tr("Show the player")
        self.open_button.setAccessibleName(name)
        self.open_button.setToolTip(name)
        set_glyph(self.open_button, "chevron-left@-90" if open_ else "chevron-left@90")

    @property
    def item_id(self) -> int | None:
        return self._item_id

    def _on_now_playing(self, plan: Plan) -> None:
        self._item_id = plan.item_id
        self.title_label.setText(plan.title)
        self.title_label.setToolTip(plan.title)
        self.show_label.setText(plan.show)
        self.show_label.setVisible(bool(plan.show))
        self.art.set_art(Art(None, plan.title, plan.show, plan.kind or None, plan.item_id))
        if plan.next_id is not None:
            self.next_button.setToolTip(
                self.tr("Next episode: {title}").format(title=plan.next_title)
            )
        self.next_button.setVisible(plan.next_id is not None)
        self._on_duration(0)
        self._on_position(0)
        self.activeChanged.emit(True)

    def _on_cleared(self) -> None:
        self._item_id = None
        self.activeChanged.emit(False)

    def _on_playing(self, playing: bool) -> None:
        set_glyph(self.play_button, "pause" if playing else "play", 22)
        self.play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def _on_position(self, ms: int) -> None:
        self.elapsed_label.setText(clock(ms))
        self.remaining_label.setText("−" + clock(max(0, self._duration - ms)))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.blockSignals(True)  # a position update is not a seek request
            self.seek_slider.setValue(ms)
            self.seek_slider.blockSignals(False)

    def _on_duration(self, ms: int) -> None:
        self._duration = ms
        self.seek_slider.setRange(0, max(0, ms))
        self.remaining_label.setText("−" + clock(max(0, ms - self.seek_slider.value())))

    def _on_slider_value(self, value: int) -> None:
        if self.seek_slider.isSliderDown():
            self.elapsed_label.setText(clock(value))  # dragging: seek on release
        else:
            self._call(lambda p: p.seek_ms(value))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.title_label
            and event.type() == QEvent.Type.MouseButtonRelease
            and self._item_id is not None
        ):
            self.detailRequested.emit(self._item_id)
            return True
        return super().eventFilter(watched, event)

    # --- look ------------------------------------------------------------------------------------

    def _stylesheet(self, colors: Colors) -> str:
        tint_on_accent(self.play_button, colors)
        return bar_stylesheet(colors)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), ART_HEIGHT + 2 * SPACE["s"] + 2)


def bar_stylesheet(c: Colors) -> str:
    """The bar from the design tokens: a raised surface with a hairline on top, quiet icon
    buttons, the slim accent seek bar and the round accent play button (desktop/player/style)."""
    return (
        f"QFrame#nowPlayingBar {{ background: {c.surface_raised};"
        f" border-top: 1px solid {c.border}; }}"
        f"QFrame#nowPlayingBar QLabel {{ background: transparent; color: {c.text}; }}"
        f'QFrame#nowPlayingBar QLabel[textStyle="caption"] {{ color: {c.text_muted}; }}'
        + transport_rules("QFrame#nowPlayingBar QToolButton", c)
        + play_button_rules("QFrame#nowPlayingBar QToolButton#nowPlayingPlay", c)
        + seek_rules("QFrame#nowPlayingBar QSlider#nowPlayingSeek", c, c.border)
    )
