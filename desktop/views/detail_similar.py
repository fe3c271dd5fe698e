"""The detail page's More like this shelf: its keys (Enter opens, Ctrl+Enter plays), its
background load with a generation counter, and the feedback given from its cards.

Strings use translate("DetailView", …) literally: they were written in DetailView, whose
existing translations live under that context."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from desktop.models.rows import CardInfo, fetch_cards, while_alive
from desktop.tasks import Tasks
from desktop.views.shelves import RowShelf
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import History, RowItem

__all__ = ["SIMILAR", "MoreLikeThis"]

SIMILAR = 10


class MoreLikeThis(QObject):
    """Drives `shelf` for the item given to `load(item_id)`."""

    playRequested = Signal(int)
    detailRequested = Signal(int)  # an item of the shelf was opened
    historyChanged = Signal()  # feedback from a card was saved
    loaded = Signal()  # the shelf is filled (or failed)
    changeFailed = Signal(str)  # feedback from a card was not saved: the message to show

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: Callable[[], int | None],
        shelf: RowShelf,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.shelf = shelf
        self._item_id: int | None = None
        self._generation = 0
        shelf.label.setText(QCoreApplication.translate("DetailView", "More like this"))
        shelf.view.setAccessibleName(QCoreApplication.translate("DetailView", "More like this"))
        self._wire()

    def _wire(self) -> None:
        view = self.shelf.view
        actions = self.shelf.card_actions
        # In this shelf Enter and a click open a card's details; Play moves to Ctrl+Enter.
        actions.play_action.setShortcuts(
            [
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter),
            ]
        )
        view.doubleClicked.disconnect()  # CardActions plays on double-click; here a click opens
        self.open_action = QAction(QCoreApplication.translate("DetailView", "&Open"), view)
        self.open_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(lambda _checked=False: self.open())
        view.addAction(self.open_action)
        actions.menu.insertAction(actions.play_action, self.open_action)
        view.clicked.connect(lambda index: self.open(index.row()))
        view.setAccessibleDescription(
            QCoreApplication.translate(
                "DetailView",
                "Enter opens the selected item; Ctrl+Enter plays it; the Menu key shows more.",
            )
        )
        actions.playRequested.connect(self.playRequested)
        actions.moreLikeThisRequested.connect(self.detailRequested)
        actions.markWatchedRequested.connect(self._mark_watched)
        actions.notInterestedRequested.connect(self._not_interested)

    def clear(self) -> None:
        self.shelf.set_row(QCoreApplication.translate("DetailView", "More like this"), [], None, {})
        self.shelf.show()  # "finding similar items…" while it loads

    # --- loading -------------------------------------------------------------------------------

    def load(self, item_id: int | None) -> None:
        self._item_id = item_id
        if item_id is None:
            return
        self._generation += 1
        generation = self._generation
        library, profile = self.library, self.profile_id_provider()

        def run() -> tuple[int, list[RowItem], dict[int, CardInfo]]:
            resolved = library.history.profile(profile).id
            row = library.more_like_this(item_id, resolved, SIMILAR)
            items = [i for i in row.items if i.item_id != item_id]  # never the item itself
            return resolved, items, fetch_cards(library, resolved, [i.item_id for i in items])

        if not self.shelf.model.rowCount():
            self.shelf.label.setText(
                QCoreApplication.translate("DetailView", "More like this (finding similar items…)")
            )
        self.tasks.run(
            run,
            on_done=while_alive(self, lambda result: self._loaded(generation, result)),
            on_error=while_alive(self, lambda exc: self._failed(generation, exc)),
        )

    def _loaded(
        self, generation: int, result: tuple[int, list[RowItem], dict[int, CardInfo]]
    ) -> None:
        if generation != self._generation:
            return
        profile, items, cards = result
        title = (
            QCoreApplication.translate("DetailView", "More like this")
            if items
            else QCoreApplication.translate("DetailView", "More like this: nothing yet")
        )
        self.shelf.set_row(title, items, profile, cards)
        # Nothing similar enough: no empty shelf (rows with too little evidence are absent).
        self.shelf.setVisible(bool(items))
        self.loaded.emit()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.shelf.set_row(
            QCoreApplication.translate("DetailView", "More like this is not available: %1").replace(
                "%1", str(exc)
            ),
            [],
            None,
            {},
        )
        self.shelf.show()
        self.loaded.emit()

    # --- cards ---------------------------------------------------------------------------------

    def open(self, row: int | None = None) -> None:
        """Open the card at `row` (the current one by default) in the detail page."""
        view = self.shelf.view
        if row is None:
            index = view.currentIndex()
            row = index.row() if index.isValid() else -1
        if 0 <= row < self.shelf.model.rowCount():
            self.detailRequested.emit(self.shelf.model.item_id(row))

    def _mark_watched(self, item_id: int) -> None:
        self._feedback(item_id, lambda h, p: h.mark_watched(p, item_id))

    def _not_interested(self, item_id: int) -> None:
        self._feedback(item_id, lambda h, p: h.not_interested(p, item_id))

    def _feedback(self, item_id: int, act: Callable[[History, int], Any]) -> None:
        history, profile = self.library.history, self.profile_id_provider()
        self.shelf.remove_item(item_id)  # the card goes at once, like on Home

        def run() -> None:
            act(history, history.profile(profile).id)

        self.tasks.run(
            run,
            on_done=while_alive(self, lambda _result: self.historyChanged.emit()),
            on_error=while_alive(self, self._feedback_failed),
        )

    def _feedback_failed(self, exc: Exception) -> None:
        self.changeFailed.emit(
            QCoreApplication.translate("DetailView", "That change was not saved: %1").replace(
                "%1", str(exc)
            )
        )
        self.load(self._item_id)  # puts back the card that was taken away
