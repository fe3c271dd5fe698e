"""The home screen: a hero band for what to play now, then shelves of cards, one per row.

A shelf is a heading over one line of cards with no scroll bar and no box: it scrolls
sideways with a horizontal wheel or trackpad swipe (Shift+wheel too), with the arrow buttons
that appear while the pointer is over it, and with the keys (Left/Right move along a row,
Up/Down move between rows). One card is selected on the whole page at a time.

Everything that touches the engine runs through `Tasks`: loading rows (the first load also
loads the embedding model, seconds), card details, and feedback (mark watched, not
interested), which then reloads the rows.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QItemSelection,
    QObject,
    QPointF,
    QPropertyAnimation,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.art import ArtProvider
from desktop.models.rows import CardInfo, RowItemsModel, fetch_cards, while_alive
from desktop.tasks import Tasks
from desktop.theme import SPACE, TYPE, art_shape
from desktop.views.cards import CardActions, CardDelegate, card_art_size, card_size, theme_colors
from desktop.views.home_hero import HeroBand
from engine.library import Library

if TYPE_CHECKING:
    from engine.recommend.history import History
    from engine.recommend.rows import Row, RowItem

log = logging.getLogger(__name__)

__all__ = ["HomeView", "RowShelf", "ShelfView"]

ProfileIdProvider = Callable[[], int | None]
_Key = tuple[str, int | None, int]  # kind, seed, n-th of that kind and seed
_ARROW = 40  # the shelf's scroll buttons


def heading_font(base: QFont, role: str = "title") -> QFont:
    scale, weight = TYPE[role]
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setWeight(QFont.Weight(weight))
    return font


class ShelfView(QListView):
    """One line of cards: no scroll bars, no frame; the wheel scrolls it only sideways.

    A vertical wheel is left to the page (so the page scrolls under the pointer as everywhere);
    a horizontal wheel, a sideways swipe or Shift+wheel scrolls the shelf.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)  # IconMode would let cards be dragged
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(SPACE["s"])
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)  # hover states and tooltips
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QListView { background: transparent; border: none; }")
        self._animation = QPropertyAnimation(self.horizontalScrollBar(), b"value", self)
        self._animation.setDuration(280)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        # The hover buttons light up under the pointer, and it becomes a hand over them.
        index = self.indexAt(event.position().toPoint())
        delegate = self.itemDelegate()
        over = False
        if index.isValid() and isinstance(delegate, CardDelegate):
            over = delegate.over_button(self.visualRect(index), index, event.position().toPoint())
            self.viewport().update(self.visualRect(index))
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels, angle = event.pixelDelta(), event.angleDelta()
        dx = pixels.x() or angle.x()
        if not dx and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            dx = pixels.y() or angle.y()
        if not dx:
            event.ignore()  # the page scrolls
            return
        bar = self.horizontalScrollBar()
        self._animation.stop()
        bar.setValue(bar.value() - dx)
        event.accept()

    def page(self, direction: int) -> None:
        """Scroll about one screenful of cards left (-1) or right (1), smoothly."""
        bar = self.horizontalScrollBar()
        running = self._animation.state() == QAbstractAnimation.State.Running
        start = self._animation.endValue() if running else bar.value()
        step = max(1, round(self.viewport().width() * 0.8))
        target = max(bar.minimum(), min(bar.maximum(), int(start) + direction * step))
        self._animation.stop()
        self._animation.setStartValue(bar.value())
        self._animation.setEndValue(target)
        self._animation.start()

    def can_scroll(self, direction: int) -> bool:
        bar = self.horizontalScrollBar()
        return bar.value() > bar.minimum() if direction < 0 else bar.value() < bar.maximum()


class _ArrowButton(QAbstractButton):
    """A round button with a chevron, floating over a shelf's edge."""

    def __init__(self, direction: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.direction = direction
        self.setFixedSize(_ARROW, _ARROW)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys already scroll a shelf
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def paintEvent(self, _event: QPaintEvent) -> None:
        colors = theme_colors(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 50))
        painter.drawEllipse(rect.translated(0, 1.5))
        fill = QColor(colors.surface_raised if self.underMouse() else colors.surface)
        painter.setBrush(fill)
        painter.setPen(QPen(QColor(colors.border), 1))
        painter.drawEllipse(rect)
        pen = QPen(QColor(colors.text), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        c = rect.center()
        d = 4.5 * self.direction
        chevron = QPainterPath(c + QPointF(-d / 1.5, -9))
        chevron.lineTo(c + QPointF(d, 0))
        chevron.lineTo(c + QPointF(-d / 1.5, 9))
        painter.drawPath(chevron)
        painter.end()


class RowShelf(QWidget):
    """One titled shelf: a heading over a single line of cards (see the module docstring)."""

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.label = QLabel(self)
        self.label.setFont(heading_font(self.label.font()))

        self.view = ShelfView(self)
        self.view.setAccessibleDescription(
            self.tr("Enter plays the selected card; the Menu key or Shift+F10 shows more actions.")
        )
        self.label.setBuddy(self.view)

        self.model = RowItemsModel(library, tasks, self)
        self.view.setModel(self.model)
        self.art = ArtProvider.shared(library, tasks)
        self.delegate = CardDelegate(self.view, self.art)
        self.view.setItemDelegate(self.delegate)
        self.card_actions = CardActions(self.view)

        self.left = _ArrowButton(-1, self)
        self.right = _ArrowButton(1, self)
        self.left.setToolTip(self.tr("Scroll left"))
        self.right.setToolTip(self.tr("Scroll right"))
        self.left.clicked.connect(lambda: self.view.page(-1))
        self.right.clicked.connect(lambda: self.view.page(1))
        self.left.hide()
        self.right.hide()
        bar = self.view.horizontalScrollBar()
        bar.valueChanged.connect(self._update_arrows)
        bar.rangeChanged.connect(self._update_arrows)
        self.model.dataChanged.connect(self._fit_height)
        self.model.modelReset.connect(self._fit_height)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACE["xs"])
        heading = QHBoxLayout()
        heading.setContentsMargins(SPACE["xs"] + SPACE["s"], 0, 0, 0)  # flush with the art
        heading.addWidget(self.label)
        heading.addStretch(1)
        layout.addLayout(heading)
        layout.addWidget(self.view)
        self.title = ""
        self._hovered = False
        self._laid_out_kinds: list[str | None] = []
        self._fit_height()

    # --- size and arrows -----------------------------------------------------------------------

    def _kinds(self) -> list[str | None]:
        return [
            self.model.index(row, 0).data(RowItemsModel.KindRole)
            for row in range(self.model.rowCount())
        ]

    def _fit_height(self, *_args: Any) -> None:
        kinds = self._kinds()
        shapes = {art_shape(kind) for kind in kinds if kind}
        # One shape: the theme's size for it. Mixed: all as tall as a square card, each at
        # its own shape, so the row stays one clean line.
        height = None if len(shapes) <= 1 else card_art_size("podcast").height()
        # Card widths follow each kind and the row's height: lay out again when either changes.
        relayout = self.delegate.art_height != height or kinds != self._laid_out_kinds
        self._laid_out_kinds = kinds
        self.delegate.art_height = height
        kind = next(iter(shapes)) if len(shapes) == 1 else None
        sample = {"square": "podcast", "poster": "movie", "landscape": "episode"}.get(kind or "")
        art = card_art_size(sample if sample else "podcast", height)
        card = card_size(art, self.view.font()).height()
        wanted = card + 2 * self.view.spacing()
        if self.view.height() != wanted:
            self.view.setFixedHeight(wanted)
            relayout = True
        if relayout:
            self.view.doItemsLayout()

    def _update_arrows(self, *_args: int) -> None:
        self.left.setVisible(self._hovered and self.view.can_scroll(-1))
        self.right.setVisible(self._hovered and self.view.can_scroll(1))
        self._place_arrows()

    def _place_arrows(self) -> None:
        geometry = self.view.geometry()
        y = geometry.top() + (geometry.height() - _ARROW) // 2 - SPACE["l"]
        self.left.move(geometry.left() + SPACE["xs"], y)
        self.right.move(geometry.right() - _ARROW - SPACE["xs"], y)
        self.left.raise_()
        self.right.raise_()

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self._update_arrows()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        self._update_arrows()
        super().leaveEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_arrows()

    # --- contents ------------------------------------------------------------------------------

    def set_row(
        self,
        title: str,
        items: Sequence[RowItem],
        profile_id: int | None,
        cards: dict[int, CardInfo],
    ) -> None:
        self.title = title
        self.label.setText(title)
        self.view.setAccessibleName(title)
        current = self.view.currentIndex()
        previous_id = self.model.item_id(current.row()) if current.isValid() else None
        self.model.set_items(items, profile_id, cards)
        if previous_id is not None:
            # Keep the keyboard user's place: the same card, or its neighbour if it left.
            row = self.model.row_of(previous_id)
            self._select(row if row >= 0 else current.row())
        self._fit_height()

    def remove_item(self, item_id: int) -> bool:
        current = self.view.currentIndex()
        row = self.model.row_of(item_id)
        if not self.model.remove_item(item_id):
            return False
        if current.isValid() and current.row() == row:
            self._select(row)
        return True

    def set_playing(self, item_id: int | None) -> None:
        if self.delegate.playing_id != item_id:
            self.delegate.playing_id = item_id
            self.view.viewport().update()

    def _select(self, row: int) -> None:
        count = self.model.rowCount()
        if count:
            self.view.setCurrentIndex(self.model.index(min(max(row, 0), count - 1), 0))


class HomeView(QWidget):
    """Recommendation rows for the profile `profile_id_provider()` names (None: the default).

    Emits `playRequested(item_id)` and `moreLikeThisRequested(item_id)` for its owner to act on;
    marks watched and not-interested itself, then refreshes. `refreshed` fires whenever rows
    from the engine have been shown.
    """

    playRequested = Signal(int)
    moreLikeThisRequested = Signal(int)
    refreshed = Signal()

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: ProfileIdProvider = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.setAccessibleName(self.tr("Home"))

        self.status = QLabel(self.tr("Preparing recommendations…"), self)
        self.status.setAccessibleName(self.tr("Home status"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)

        self._content = QWidget()
        self._content.setObjectName("homeContent")
        self.hero = HeroBand(ArtProvider.shared(library, tasks), self._content)
        self.hero.playRequested.connect(self.playRequested)
        self.hero.moreLikeThisRequested.connect(self.moreLikeThisRequested)
        self.hero.hide()
        self._rows_layout = QVBoxLayout(self._content)
        self._rows_layout.setContentsMargins(SPACE["xl"], SPACE["l"], SPACE["xl"], SPACE["xl"])
        self._rows_layout.setSpacing(SPACE["xl"])
        self._rows_layout.addWidget(self.hero)
        self._rows_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName(self.tr("Recommendations"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._content)
        self.scroll_area.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll_area, 1)

        self._rows: list[Row] = []
        self._shelves: dict[_Key, RowShelf] = {}
        self._order: list[RowShelf] = []
        self._playing: int | None = None
        self._loading = False
        self._again = False  # a refresh was asked for while one ran
        self._quick_shown = False  # the model-less rows are shown once, at start-up
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """The rows on screen, as the engine gave them."""
        return list(self._rows)

    def shelves(self) -> list[RowShelf]:
        return list(self._order)

    def shelf(self, kind: str, seed_id: int | None = None) -> RowShelf | None:
        """The first shelf showing a row of `kind` (and `seed_id`, for "because" rows)."""
        for (k, seed, _n), shelf in self._shelves.items():
            if k == kind and (seed_id is None or seed == seed_id):
                return shelf
        return None

    def model(self, kind: str, seed_id: int | None = None) -> RowItemsModel | None:
        shelf = self.shelf(kind, seed_id)
        return shelf.model if shelf is not None else None

    @property
    def loading(self) -> bool:
        return self._loading

    # --- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the rows in the background; the current ones stay until the new ones arrive."""
        if self._loading:
            self._again = True  # one reload after this one, not one per request
            return
        self._loading = True
        profile = self.profile_id_provider()
        library = self.library
        # Until the model has loaded (seconds, on first use), show the rows that need none.
        quick = not self._quick_shown and not library.model_ready
        self._quick_shown = True

        def load() -> tuple[int, list[Row], dict[int, CardInfo], bool, bool]:
            rows = library.quick_rows(profile) if quick else library.recommendations(profile)
            empty_library = not rows and library.item_count() == 0
            final = not quick or empty_library  # nothing to load
            resolved = profile if profile is not None else library.history.default_profile().id
            ids = [item.item_id for row in rows for item in row.items]
            cards = fetch_cards(library, resolved, ids)
            return resolved, rows, cards, not final, empty_library

        self.tasks.run(
            load,
            on_done=while_alive(self, self._loaded),
            on_error=while_alive(self, self._load_failed),
        )

    def _loaded(self, result: tuple[int, list[Row], dict[int, CardInfo], bool, bool]) -> None:
        profile, rows, cards, quick, empty_library = result
        self._loading = False
        self._show_rows(profile, rows, cards)
        self.scroll_area.setVisible(bool(rows))
        if quick:
            self.status.setText(self.tr("Preparing recommendations…"))
            self.status.show()
            self._again = True  # now the full rows, which load the model
        elif rows:
            self.status.clear()
            self.status.hide()
        elif empty_library:
            self.status.setText(self.tr("Add a folder to get recommendations"))
            self.status.show()
        else:  # items, but nothing left to suggest (everything played or set aside)
            self.status.setText(
                self.tr("Nothing to suggest right now: Videos and Podcasts list all you have.")
            )
            self.status.show()
        self.refreshed.emit()
        self._run_again()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self.status.setText(self.tr("Recommendations are not available: {error}").format(error=exc))
        self.status.show()
        self._run_again()

    def _run_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _show_rows(self, profile: int, rows: list[Row], cards: dict[int, CardInfo]) -> None:
        self._rows = list(rows)
        focused = self._focused_shelf()
        old = self._shelves
        self._shelves = {}
        order: list[RowShelf] = []
        counts: dict[tuple[str, int | None], int] = {}
        for row in rows:
            n = counts.get((row.kind, row.seed_id), 0)
            counts[(row.kind, row.seed_id)] = n + 1
            key = (row.kind, row.seed_id, n)
            # Reusing a row's shelf keeps the keyboard focus in it (and, if unchanged, its scroll).
            shelf = old.pop(key, None) or self._new_shelf()
            row_cards = {i.item_id: cards[i.item_id] for i in row.items if i.item_id in cards}
            shelf.set_row(self._row_title(row), row.items, profile, row_cards)
            self._shelves[key] = shelf
            order.append(shelf)
        for shelf in old.values():
            self._rows_layout.removeWidget(shelf)
            shelf.hide()
            shelf.deleteLater()
        for shelf in order:
            self._rows_layout.removeWidget(shelf)
        for n, shelf in enumerate(order):
            self._rows_layout.insertWidget(n + 1, shelf)  # below the hero band
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first.view, second.view)
        self._order = order
        self._show_hero(rows, cards)
        if focused is not None and focused not in order and order:
            order[0].view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_hero(self, rows: list[Row], cards: dict[int, CardInfo]) -> None:
        """The first thing worth playing now: what is in progress, else what is next, else the
        top pick."""
        for kind in ("continue", "next", "for-you", "new"):
            row = next((r for r in rows if r.kind == kind and r.items), None)
            if row is None:
                continue
            item = row.items[0]
            card = cards.get(item.item_id)
            if card is None:
                continue
            self.hero.set_item(item.item_id, kind, self._row_title(row), card)
            self.hero.show()
            return
        self.hero.hide()

    def set_playing(self, item_id: int | None) -> None:
        """Mark the card of what the player is playing (None: nothing)."""
        self._playing = item_id
        for shelf in self._order:
            shelf.set_playing(item_id)

    def _new_shelf(self) -> RowShelf:
        shelf = RowShelf(self.library, self.tasks, self._content)
        actions = shelf.card_actions
        actions.playRequested.connect(self.playRequested)
        actions.moreLikeThisRequested.connect(self.moreLikeThisRequested)
        actions.markWatchedRequested.connect(self.mark_watched)
        actions.notInterestedRequested.connect(self.not_interested)
        shelf.view.installEventFilter(self)
        shelf.set_playing(self._playing)
        selection = shelf.view.selectionModel()
        selection.selectionChanged.connect(
            lambda selected, _old, shelf=shelf: self._selected_in(shelf, selected)
        )
        return shelf

    def _selected_in(self, shelf: RowShelf, selected: QItemSelection) -> None:
        """One selection on the page: a card selected in one shelf clears every other."""
        if selected.isEmpty():
            return
        for other in self._order:
            if other is not shelf and other.view.selectionModel().hasSelection():
                other.view.selectionModel().clearSelection()

    def selected_item(self) -> int | None:
        """The one selected card's item id on the page, or None."""
        for shelf in self._order:
            rows = shelf.view.selectionModel().selectedIndexes()
            if rows:
                return shelf.model.item_id(rows[0].row())
        return None

    def _row_title(self, row: Row) -> str:
        # The engine titles rows in English; known titles are translated here.
        if row.kind == "because" and row.seed_id is not None:
            seed = row.title.removeprefix("Because you watched").strip()
            return self.tr("Because you watched {title}").format(title=seed)
        known = {
            "Continue watching": self.tr("Continue watching"),
            "Next up": self.tr("Next up"),
            "For you": self.tr("For you"),
            "Popular picks to start with": self.tr("Popular picks to start with"),
            "Explore your library": self.tr("Explore your library"),
            "Because you watched": self.tr("Because you watched"),
            "Profiles like yours": self.tr("Profiles like yours"),
            "New in your library": self.tr("New in your library"),
            "More like this": self.tr("More like this"),
        }
        return known.get(row.title, row.title)

    # --- feedback ------------------------------------------------------------------------------

    def mark_watched(self, item_id: int) -> None:
        self._feedback(item_id, lambda history, profile: history.mark_watched(profile, item_id))

    def not_interested(self, item_id: int) -> None:
        self._feedback(item_id, lambda history, profile: history.not_interested(profile, item_id))

    def _feedback(self, item_id: int, act: Callable[[History, int], Any]) -> None:
        profile = self.profile_id_provider()
        history = self.library.history

        def run() -> None:
            act(history, profile if profile is not None else history.default_profile().id)

        # The card goes at once; the refresh that follows brings whatever replaces it.
        for shelf in self._order:
            shelf.remove_item(item_id)
        self.tasks.run(
            run,
            on_done=while_alive(self, lambda _result: self.refresh()),
            on_error=while_alive(self, self._feedback_failed),
        )

    def _feedback_failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("That change was not saved: {error}").format(error=exc))
        self.status.show()
        self.refresh()  # puts back the card that was taken away

    # --- keyboard between rows -----------------------------------------------------------------

    def _focused_shelf(self) -> RowShelf | None:
        return next((s for s in self._order if s.view.hasFocus()), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shelf = next((s for s in self._order if s.view is watched), None)
        if shelf is None:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.FocusIn:
            self.scroll_area.ensureWidgetVisible(shelf, 0, 0)
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                # A row is one line: Up and Down move to the row above or below.
                self._move_to(shelf, step)
                return True
        return super().eventFilter(watched, event)

    def _move_to(self, shelf: RowShelf, step: int) -> None:
        at = self._order.index(shelf) + step
        if not 0 <= at < len(self._order):
            return
        target = self._order[at]
        column = max(shelf.view.currentIndex().row(), 0)
        count = target.model.rowCount()
        if count:
            target.view.setCurrentIndex(target.model.index(min(column, count - 1), 0))
        target.view.setFocus(Qt.FocusReason.OtherFocusReason)
