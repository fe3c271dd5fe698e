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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.art import ArtProvider
from desktop.models.rows import CardInfo, RowItemsModel, fetch_cards, while_alive
from desktop.tasks import Tasks
from desktop.theme import SPACE
from desktop.views.home_hero import HeroBand
from desktop.views.shelves import RowShelf, ShelfView
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import History, Row

log = logging.getLogger(__name__)

__all__ = ["HomeView", "RowShelf", "ShelfView"]

ProfileIdProvider = Callable[[], int | None]
_Key = tuple[str, int | None, int]  # kind, seed, n-th of that kind and seed


class HomeView(QWidget):
    """Recommendation rows for the profile `profile_id_provider()` names (None: the default).

    Emits `playRequested(item_id)` and `moreLikeThisRequested(item_id)` for its owner to act on;
    marks watched and not-interested itself, then refreshes. `refreshed` fires whenever rows
    from the engine have been shown.
    """

    playRequested = Signal(int)
    moreLikeThisRequested = Signal(int)
    # The same request with why the item was recommended (the engine's Reason, or None): the
    # detail page shows it under the title, as the card did.
    detailRequested = Signal(int, object)
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
        self.hero.moreLikeThisRequested.connect(self.open_detail)
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

    def reason_of(self, item_id: int) -> Any:
        """Why `item_id` is on Home (the engine's Reason of its first card), or None."""
        for row in self._rows:
            for item in row.items:
                if item.item_id == item_id:
                    return item.reason
        return None

    def open_detail(self, item_id: int) -> None:
        self.moreLikeThisRequested.emit(item_id)
        self.detailRequested.emit(item_id, self.reason_of(item_id))

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
        hero = self._hero_pick(rows, cards)
        for row in rows:
            items = list(row.items)
            if hero is not None and row is hero[0]:
                # The hero shows this card large: the shelf under it does not repeat it.
                items = [i for i in items if i.item_id != hero[1]]
                if not items:
                    continue
            n = counts.get((row.kind, row.seed_id), 0)
            counts[(row.kind, row.seed_id)] = n + 1
            key = (row.kind, row.seed_id, n)
            # Reusing a row's shelf keeps the keyboard focus in it (and, if unchanged, its scroll).
            shelf = old.pop(key, None) or self._new_shelf()
            row_cards = {i.item_id: cards[i.item_id] for i in items if i.item_id in cards}
            shelf.set_row(self._row_title(row), items, profile, row_cards)
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
        self._show_hero(hero, cards)
        if focused is not None and focused not in order and order:
            order[0].view.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _hero_pick(rows: list[Row], cards: dict[int, CardInfo]) -> tuple[Row, int] | None:
        """The first thing worth playing now: what is in progress, else what is next, else the
        top pick (its row and item id)."""
        for kind in ("continue", "next", "for-you", "explore", "new"):
            row = next((r for r in rows if r.kind == kind and r.items), None)
            if row is not None and row.items[0].item_id in cards:
                return row, row.items[0].item_id
        return None

    def _show_hero(self, hero: tuple[Row, int] | None, cards: dict[int, CardInfo]) -> None:
        if hero is None:
            self.hero.hide()
            return
        row, item_id = hero
        self.hero.set_item(item_id, row.kind, self._row_title(row), cards[item_id])
        self.hero.show()

    def set_playing(self, item_id: int | None) -> None:
        """Mark the card of what the player is playing (None: nothing)."""
        self._playing = item_id
        for shelf in self._order:
            shelf.set_playing(item_id)

    def _new_shelf(self) -> RowShelf:
        shelf = RowShelf(self.library, self.tasks, self._content)
        actions = shelf.card_actions
        actions.playRequested.connect(self.playRequested)
        actions.moreLikeThisRequested.connect(self.open_detail)
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
        # Worded from the row's heading kind (data); the engine's English title is the CLI's.
        if row.heading_kind == "because" and row.seed_title:
            return self.tr("Because you watched {title}").format(title=row.seed_title)
        headings = {
            "continue": self.tr("Continue watching"),
            "next": self.tr("Next up"),
            "for-you": self.tr("For you"),
            "popular": self.tr("Popular picks to start with"),
            "explore": self.tr("Explore your library"),
            "because": self.tr("Because you watched"),
            "household": self.tr("Profiles like yours"),
            "new": self.tr("New in your library"),
            "more": self.tr("More like this"),
        }
        return headings.get(row.heading_kind, row.title)

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
