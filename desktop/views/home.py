"""The home screen: the profile's recommendation rows, one horizontal strip of cards each.

Everything that touches the engine runs through `Tasks`: loading rows (the first load also
loads the embedding model, seconds), card details, and feedback (mark watched, not
interested), which then reloads the rows.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QScrollArea,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.rows import CardInfo, RowItemsModel, fetch_cards, while_alive
from desktop.tasks import Tasks
from desktop.views.cards import CardActions, CardDelegate
from engine.library import Library

if TYPE_CHECKING:
    from engine.recommend.history import History
    from engine.recommend.rows import Row, RowItem

log = logging.getLogger(__name__)

__all__ = ["HomeView", "RowShelf"]

ProfileIdProvider = Callable[[], int | None]
_Key = tuple[str, int | None, int]  # kind, seed, n-th of that kind and seed


class RowShelf(QWidget):
    """One titled row: a heading over a single-line, horizontally scrolling list of cards."""

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        heading = QFont(self.label.font())
        heading.setBold(True)
        heading.setPointSizeF(heading.pointSizeF() * 1.2)
        self.label.setFont(heading)

        self.view = QListView(self)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(False)
        self.view.setMovement(QListView.Movement.Static)  # IconMode would let cards be dragged
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(4)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)  # hover highlight and tooltips
        self.view.setAccessibleDescription(
            self.tr("Enter plays the selected card; the Menu key or Shift+F10 shows more actions.")
        )
        self.label.setBuddy(self.view)

        self.model = RowItemsModel(library, tasks, self)
        self.view.setModel(self.model)
        self.delegate = CardDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.card_actions = CardActions(self.view)
        self.view.setFixedHeight(self._view_height())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.view)
        self.title = ""

    def _view_height(self) -> int:
        option = QStyleOptionViewItem()
        option.font = self.view.font()
        card = self.delegate.sizeHint(option, self.model.index(0, 0)).height()
        # The horizontal scroll bar's room is kept even when hidden, so rows never jump.
        bar = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.view)
        return card + 2 * self.view.spacing() + bar + 2 * self.view.frameWidth()

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

    def remove_item(self, item_id: int) -> bool:
        current = self.view.currentIndex()
        row = self.model.row_of(item_id)
        if not self.model.remove_item(item_id):
            return False
        if current.isValid() and current.row() == row:
            self._select(row)
        return True

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
        self._rows_layout = QVBoxLayout(self._content)
        self._rows_layout.setSpacing(16)
        self._rows_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName(self.tr("Recommendations"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._content)
        self.scroll_area.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll_area, 1)

        self._rows: list[Row] = []
        self._shelves: dict[_Key, RowShelf] = {}
        self._order: list[RowShelf] = []
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

        def load() -> tuple[int, list[Row], dict[int, CardInfo], bool]:
            rows = library.quick_rows(profile) if quick else library.recommendations(profile)
            final = not quick or (not rows and library.item_count() == 0)  # nothing to load
            resolved = profile if profile is not None else library.history.default_profile().id
            ids = [item.item_id for row in rows for item in row.items]
            return resolved, rows, fetch_cards(library, resolved, ids), not final

        self.tasks.run(
            load,
            on_done=while_alive(self, self._loaded),
            on_error=while_alive(self, self._load_failed),
        )

    def _loaded(self, result: tuple[int, list[Row], dict[int, CardInfo], bool]) -> None:
        profile, rows, cards, quick = result
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
        else:
            self.status.setText(self.tr("Add a folder to get recommendations"))
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
            self._rows_layout.insertWidget(n, shelf)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first.view, second.view)
        self._order = order
        if focused is not None and focused not in order and order:
            order[0].view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _new_shelf(self) -> RowShelf:
        shelf = RowShelf(self.library, self.tasks, self._content)
        actions = shelf.card_actions
        actions.playRequested.connect(self.playRequested)
        actions.moreLikeThisRequested.connect(self.moreLikeThisRequested)
        actions.markWatchedRequested.connect(self.mark_watched)
        actions.notInterestedRequested.connect(self.not_interested)
        shelf.view.installEventFilter(self)
        return shelf

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
