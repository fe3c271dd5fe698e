"""One recommendation row as a list model: item ids, scores and reasons, details fetched lazily.

The engine's `Row` already carries what ranking produced (id, title, score, reason). Everything a
card shows beyond that (show, duration, artwork, progress) is read through the façade on first
use and kept in a small cache; with a `Tasks` the reads run in the background and the cards
fill in when they arrive, without one (tests, tools) they run inline.
"""

from __future__ import annotations

import html
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QImage

from desktop import reasons
from desktop.models.formatting import length_text
from desktop.tasks import Tasks
from engine.library import Library

if TYPE_CHECKING:  # the recommend layer pulls in numpy: the façade loads it on first use
    from engine.library import RowItem

log = logging.getLogger(__name__)

__all__ = [
    "CardInfo",
    "RowItemsModel",
    "fetch_cards",
    "plain_reason",
    "rich_reason",
    "while_alive",
]

_CACHE = 64  # cards kept; a row holds ~10, so this covers a row and what scrolled past
_EMPHASIS = re.compile(r"\*([^*]+)\*")  # the engine marks titles in reasons as *Title*


@dataclass(frozen=True)
class CardInfo:
    """What a card needs about one item, beyond what the row itself carries."""

    title: str
    show: str
    kind: str
    duration: float | None
    artwork: str | None  # the item's thumbnail, else its show's
    progress: float | None  # fraction played, only while partly played
    state: str
    image: QImage | None = None  # unused: cards draw art through desktop.art
    finished: bool = False  # played or watched to the end by this profile


def fetch_cards(
    library: Library, profile_id: int | None, item_ids: Iterable[int]
) -> dict[int, CardInfo]:
    """Read card details for `item_ids`; slow (disk, SQLite, image decoding): run it in the
    background. Items that no longer exist are left out."""
    profile = profile_id if profile_id is not None else library.history.default_profile().id
    cards: dict[int, CardInfo] = {}
    for item_id in dict.fromkeys(item_ids):
        item = library.item(item_id)
        if item is None:
            continue
        duration = _positive(item.get("duration"))
        row = library.history.progress(profile, item_id)
        progress = None
        finished = row is not None and bool(row.completed)
        if row is not None and not row.completed and row.position > 0:
            total = _positive(row.duration) or duration
            if total:
                progress = min(1.0, row.position / total)
        artwork = library.artwork(item_id)  # may grab a video frame: we are in the background
        cards[item_id] = CardInfo(
            title=str(item.get("title") or ""),
            show=str(item.get("show") or ""),
            kind=str(item.get("kind") or ""),
            duration=duration,
            artwork=artwork,
            progress=progress,
            state=str(item.get("state") or ""),
            finished=finished,
        )
    return cards


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def plain_reason(reason: str) -> str:
    return _EMPHASIS.sub(r"\1", reason)


def rich_reason(reason: str) -> str:
    """The reason as tooltip rich text, the titles it names in italics."""
    parts = _EMPHASIS.split(reason)  # odd entries are the emphasised titles
    out = [f"<i>{html.escape(p)}</i>" if n % 2 else html.escape(p) for n, p in enumerate(parts)]
    return "<p>" + "".join(out) + "</p>"  # <p> makes Qt treat it as rich text and wrap it


class RowItemsModel(QAbstractListModel):
    """The items of ONE recommendation row."""

    ItemIdRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    ShowRole = Qt.ItemDataRole.UserRole + 3
    DurationTextRole = Qt.ItemDataRole.UserRole + 4
    ProgressRole = Qt.ItemDataRole.UserRole + 5  # float in (0, 1) or None
    ReasonRole = Qt.ItemDataRole.UserRole + 6
    ArtworkRole = Qt.ItemDataRole.UserRole + 7  # file path or None
    KindRole = Qt.ItemDataRole.UserRole + 8
    ScoreRole = Qt.ItemDataRole.UserRole + 9
    FinishedRole = Qt.ItemDataRole.UserRole + 10  # bool: played or watched to the end

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        ItemIdRole: b"itemId",
        TitleRole: b"title",
        ShowRole: b"show",
        DurationTextRole: b"durationText",
        ProgressRole: b"progress",
        ReasonRole: b"reason",
        ArtworkRole: b"artwork",
        KindRole: b"kind",
        ScoreRole: b"score",
        FinishedRole: b"finished",
    }

    def __init__(
        self, library: Library, tasks: Tasks | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id: int | None = None
        self._items: list[RowItem] = []
        self._cards: OrderedDict[int, CardInfo] = OrderedDict()
        self._wanted: set[int] = set()  # to fetch on the next background round
        self._in_flight: set[int] = set()
        self._unavailable: set[int] = set()  # gone or failed: not retried until the next set
        self._generation = 0  # bumps when the profile changes, so late details are dropped

    # --- contents ------------------------------------------------------------------------------

    def set_items(
        self,
        items: Sequence[RowItem],
        profile_id: int | None = None,
        cards: Mapping[int, CardInfo] | None = None,
    ) -> None:
        """Show `items`; `cards` are details already fetched (they replace cached ones, so
        progress stays current)."""
        items = list(items)
        same = profile_id == self.profile_id and [i.item_id for i in items] == self.item_ids()
        if same:
            # A refresh that changed nothing in this row: no reset, so the view keeps its
            # scroll position and selection; reasons, scores and details may still change.
            self._items = items
            self._unavailable.clear()
            for item_id, card in (cards or {}).items():
                self._remember(item_id, card)
            if items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, 0))
            return
        self.beginResetModel()
        if profile_id != self.profile_id:
            self.profile_id = profile_id
            self._cards.clear()
            self._generation += 1
        self._items = items
        self._unavailable.clear()
        for item_id, card in (cards or {}).items():
            self._remember(item_id, card)
        self.endResetModel()

    def item_ids(self) -> list[int]:
        return [i.item_id for i in self._items]

    def item_id(self, row: int) -> int:
        return self._items[row].item_id

    def row_of(self, item_id: int) -> int:
        """The row showing `item_id`, or -1."""
        return next((n for n, i in enumerate(self._items) if i.item_id == item_id), -1)

    def remove_item(self, item_id: int) -> bool:
        row = self.row_of(item_id)
        if row < 0:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        return True

    def card(self, item_id: int) -> CardInfo | None:
        """Cached details, without fetching."""
        return self._cards.get(item_id)

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Not editable and no drag and drop: a row is the engine's ranking, not the user's list.
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not self.checkIndex(index, QAbstractListModel.CheckIndexOption.IndexIsValid):
            return None
        entry = self._items[index.row()]
        if role == self.ItemIdRole:
            return entry.item_id
        if role == self.ScoreRole:
            return entry.score
        if role == self.ReasonRole:
            return reasons.text(entry.reason)  # the engine's reason is data: worded here
        if role == Qt.ItemDataRole.ToolTipRole:
            return reasons.tooltip(entry.reason)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return reasons.text(entry.reason)
        if role not in _CARD_ROLES:
            return None
        card = self._card_for(entry.item_id)
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            # Until details arrive the row's own title ("Show: Episode") stands in.
            return card.title if card is not None and card.title else entry.title
        if card is None:
            return None
        if role == self.ShowRole:
            return card.show
        if role == self.DurationTextRole:
            return self.duration_text(card.duration)
        if role == self.ProgressRole:
            return card.progress
        if role == self.ArtworkRole:
            return card.artwork
        if role == Qt.ItemDataRole.DecorationRole:
            return card.image
        if role == self.KindRole:
            return card.kind
        if role == self.FinishedRole:
            return card.finished
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [card.title or entry.title, card.show, self.duration_text(card.duration)]
            if card.progress is not None:
                parts.append(
                    self.tr("{percent}% played").format(percent=round(card.progress * 100))
                )
            return ", ".join(p for p in parts if p)
        return None

    def duration_text(self, seconds: float | None) -> str:
        return length_text(seconds)

    # --- lazy details --------------------------------------------------------------------------

    def _remember(self, item_id: int, card: CardInfo) -> None:
        self._cards[item_id] = card
        self._cards.move_to_end(item_id)
        while len(self._cards) > _CACHE:
            self._cards.popitem(last=False)

    def _card_for(self, item_id: int) -> CardInfo | None:
        card = self._cards.get(item_id)
        if card is not None:
            self._cards.move_to_end(item_id)
            return card
        if item_id in self._unavailable or item_id in self._in_flight:
            return None
        if self.tasks is None:
            found = fetch_cards(self.library, self.profile_id, [item_id]).get(item_id)
            if found is None:
                self._unavailable.add(item_id)
            else:
                self._remember(item_id, found)
            return found
        if not self._wanted:
            # data() is called for every visible card in one paint: batch them into one read.
            QTimer.singleShot(0, self, self._fetch_wanted)
        self._wanted.add(item_id)
        return None

    def _fetch_wanted(self) -> None:
        ids = sorted(self._wanted - self._in_flight)
        self._wanted.clear()
        if not ids or self.tasks is None:
            return
        self._in_flight.update(ids)
        generation, profile, library = self._generation, self.profile_id, self.library
        self.tasks.run(
            lambda: fetch_cards(library, profile, ids),
            on_done=while_alive(self, lambda cards: self._fetched(generation, ids, cards)),
            on_error=while_alive(self, lambda exc: self._fetch_failed(ids, exc)),
        )

    def _fetched(self, generation: int, ids: list[int], cards: dict[int, CardInfo]) -> None:
        self._in_flight.difference_update(ids)
        if generation != self._generation:
            return  # fetched for another profile: progress would be wrong
        for item_id in ids:
            if item_id in cards:
                self._remember(item_id, cards[item_id])
            else:
                self._unavailable.add(item_id)
        self._changed(ids)

    def _fetch_failed(self, ids: list[int], exc: Exception) -> None:
        log.warning("could not read card details: %s", exc)
        self._in_flight.difference_update(ids)
        self._unavailable.update(ids)

    def _changed(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        for row, entry in enumerate(self._items):
            if entry.item_id in wanted:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)


_CARD_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.AccessibleTextRole,
        RowItemsModel.TitleRole,
        RowItemsModel.ShowRole,
        RowItemsModel.DurationTextRole,
        RowItemsModel.ProgressRole,
        RowItemsModel.ArtworkRole,
        RowItemsModel.KindRole,
        RowItemsModel.FinishedRole,
    }
)


def while_alive(owner: QObject, fn: Callable[[Any], None]) -> Callable[[Any], None]:
    """A background result may land after its Qt owner was deleted; drop it then."""

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            fn(value)

    return call
