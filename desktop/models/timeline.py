"""One profile's viewing history as a table, newest first, loaded page by page.

One line per play session: the engine logs a "completed" event when a session passes the end
and a "play" event when it stops; the model folds the completion into its session's play line
(Finished, where it stopped, of how long) instead of listing two rows for one play. Offsets
into the engine's timeline count events, not lines, so paging stays exact.

Timelines can hold tens of thousands of events, so the model holds only the pages loaded so far
and asks for the next one through `canFetchMore`/`fetchMore` as the view scrolls. The fetch runs
in the background (`Tasks`); since `fetchMore` is called on the UI thread again and again while
a page is on its way, one page at a time is in flight and results for an older `reload` are
dropped (a generation counter).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.models.formatting import date_time_text, time_text
from desktop.models.rows import while_alive
from desktop.tasks import Tasks

log = logging.getLogger(__name__)

__all__ = ["AUDIO_KINDS", "PAGE_SIZE", "FetchPage", "TimelineEntry", "TimelineModel"]

PAGE_SIZE = 200
AUDIO_KINDS = frozenset({"podcast", "audio"})  # "played"/"finished"; other kinds are "watched"
# (profile_id, limit, offset, events) -> newest-first events as `History.timeline` returns them;
# `events` is the set of engine event names to keep, or None for every event.
FetchPage = Callable[[int, int, int, frozenset[str] | None], Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class TimelineEntry:
    """One event, parsed off the UI thread."""

    event_id: int
    item_id: int | None
    event: str
    at: datetime  # local time
    data: Mapping[str, Any]
    title: str
    kind: str
    show: str
    completed: bool = False  # a play line whose session reached the end
    merged_ids: tuple[int, ...] = ()  # events folded into this line (its session's completion)

    @property
    def event_ids(self) -> tuple[int, ...]:
        """Every engine event this line stands for: removing the line removes them all."""
        return (self.event_id, *self.merged_ids)

    @property
    def session_id(self) -> int | None:
        value = self.data.get("session_id")
        return value if isinstance(value, int) else None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TimelineEntry:
        at = datetime.fromisoformat(str(row["at"]))
        item_id = row.get("item_id")
        data = row.get("data")
        return cls(
            event_id=int(row["id"]),
            item_id=int(item_id) if item_id is not None else None,
            event=str(row.get("event") or ""),
            at=at.astimezone(),  # a naive time is taken as local, an aware one converted
            data=data if isinstance(data, Mapping) else {},
            title=str(row.get("title") or ""),
            kind=str(row.get("kind") or ""),
            show=str(row.get("show") or ""),
        )


def _parse(rows: Iterable[Mapping[str, Any]]) -> list[TimelineEntry]:
    return [TimelineEntry.from_row(row) for row in rows]


class TimelineModel(QAbstractTableModel):
    """Columns When, What, Item, Show, Progress; one row per history event of one profile,
    except that a play session is one row (its completion folded in)."""

    WHEN, WHAT, ITEM, SHOW, PROGRESS = range(5)

    EventIdRole = Qt.ItemDataRole.UserRole + 1
    ItemIdRole = Qt.ItemDataRole.UserRole + 2  # int, or None for show events
    EventRole = Qt.ItemDataRole.UserRole + 3  # the engine's event name ("play", "like", …)
    AtRole = Qt.ItemDataRole.UserRole + 4  # aware local datetime
    EventIdsRole = Qt.ItemDataRole.UserRole + 5  # every event id the row stands for

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        EventIdRole: b"eventId",
        ItemIdRole: b"itemId",
        EventRole: b"event",
        AtRole: b"at",
        EventIdsRole: b"eventIds",
    }

    pageLoaded = Signal()  # a page arrived (possibly the last, possibly empty)
    loadFailed = Signal(str)

    def __init__(
        self,
        fetch: FetchPage,
        tasks: Tasks | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """Without `tasks` pages are fetched inline (tools, tests); `now` fixes "today"."""
        super().__init__(parent)
        self._fetch = fetch
        self.tasks = tasks
        self.page_size = page_size
        self._now = now or (lambda: datetime.now().astimezone())
        self.profile_id: int | None = None
        self.events: frozenset[str] | None = None  # the filter the rows were fetched with
        self._entries: list[TimelineEntry] = []
        self._ids: set[int] = set()
        self._consumed = 0  # engine events read so far: the next page's offset
        self._plays: dict[int, int] = {}  # session id -> event id of its play line
        self._generation = 0
        self._loading = False  # a page is in flight: fetchMore waits for it
        self._at_end = True  # nothing to fetch until reload() names a profile
        self._failed = False  # stop asking after an error, or every scroll retries it
        self._labels: dict[str, str] | None = None

    # --- contents ------------------------------------------------------------------------------

    def reload(self, profile_id: int, events: frozenset[str] | None = None) -> None:
        """Show `profile_id`'s timeline from the top, only the `events` kinds when given (the
        engine filters, so pages and offsets stay right); the first page is requested at once."""
        self.beginResetModel()
        self.profile_id = profile_id
        self.events = events
        self._generation += 1
        self._entries = []
        self._ids = set()
        self._consumed = 0
        self._plays = {}
        self._loading = False
        self._at_end = False
        self._failed = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def remove_rows(self, event_ids: Iterable[int]) -> int:
        """Drop rows whose events were removed in the engine; returns how many rows went."""
        gone = set(event_ids) & self._ids
        if not gone:
            return 0
        rows = [n for n, e in enumerate(self._entries) if gone & set(e.event_ids)]
        # Contiguous runs from the bottom up, so earlier row numbers stay valid.
        for first, last in reversed(list(_runs(rows))):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._entries[first : last + 1]
            self.endRemoveRows()
        self._ids -= gone
        self._consumed = max(0, self._consumed - len(gone))  # the engine's offsets moved up
        return len(rows)

    def entry(self, row: int) -> TimelineEntry:
        return self._entries[row]

    def event_ids(self) -> list[int]:
        return [e.event_id for e in self._entries]

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def all_loaded(self) -> bool:
        """Every event the filter keeps is in the model (or loading stopped on an error)."""
        return self._at_end or self._failed

    # --- paging --------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        # True while a page is in flight too: fetchMore then does nothing, and the view asks
        # again after the rows arrive.
        return not parent.isValid() and not self._at_end and not self._failed

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent) or self._loading or self.profile_id is None:
            return
        self._loading = True
        generation, fetch = self._generation, self._fetch
        profile, limit, offset = self.profile_id, self.page_size, self._consumed
        events = self.events

        def load() -> list[TimelineEntry]:
            return _parse(fetch(profile, limit, offset, events))

        if self.tasks is None:
            try:
                entries = load()
            except Exception as exc:  # shown to the user like a background failure
                self._failed_page(generation, exc)
            else:
                self._arrived(generation, entries)
            return
        self.tasks.run(
            load,
            on_done=while_alive(self, lambda entries: self._arrived(generation, entries)),
            on_error=while_alive(self, lambda exc: self._failed_page(generation, exc)),
        )

    def _arrived(self, generation: int, entries: list[TimelineEntry]) -> None:
        if generation != self._generation:
            return  # for a profile or reload that is no longer shown
        self._loading = False
        if len(entries) < self.page_size:
            self._at_end = True
        self._consumed += len(entries)
        # Events recorded since the previous page shift offsets down: skip the repeats.
        fresh: list[TimelineEntry] = []
        for entry in entries:
            if entry.event_id in self._ids:
                continue
            if not self._fold(entry, fresh):
                fresh.append(entry)
            self._ids.add(entry.event_id)
        if fresh:
            first = len(self._entries)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._entries.extend(fresh)
            self.endInsertRows()
        self.pageLoaded.emit()

    def _fold(self, entry: TimelineEntry, pending: list[TimelineEntry]) -> bool:
        """Fold a completion into its session's play line (listed earlier: newest first);
        True when `entry` needs no row of its own."""
        session = entry.session_id
        if session is None:
            return False
        if entry.event == "play":
            self._plays[session] = entry.event_id
            return False
        if entry.event != "completed" or session not in self._plays:
            return False  # a session still playing: its completion stands alone for now
        play_id = self._plays[session]
        for n, line in enumerate(pending):
            if line.event_id == play_id:
                pending[n] = replace(
                    line, completed=True, merged_ids=(*line.merged_ids, entry.event_id)
                )
                return True
        for n, line in enumerate(self._entries):
            if line.event_id == play_id:
                self._entries[n] = replace(
                    line, completed=True, merged_ids=(*line.merged_ids, entry.event_id)
                )
                self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))
                return True
        return False

    def _failed_page(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        log.warning("could not read the history timeline: %s", exc)
        self._loading = False
        self._failed = True
        self.loadFailed.emit(str(exc))

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("When"),
            self.tr("What"),
            self.tr("Item"),
            self.tr("Show"),
            self.tr("Progress"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        entry = self._entries[index.row()]
        if role == self.EventIdRole:
            return entry.event_id
        if role == self.ItemIdRole:
            return entry.item_id
        if role == self.EventRole:
            return entry.event
        if role == self.AtRole:
            return entry.at
        if role == self.EventIdsRole:
            return list(entry.event_ids)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return self.when_text(entry.at)
            if column == self.WHAT:
                return self.entry_label(entry)
            if column == self.ITEM:
                return entry.title
            if column == self.PROGRESS:
                return self.progress_text(entry)
            return entry.show
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.WHEN:
                return QLocale().toString(_qdate(entry.at), QLocale.FormatType.LongFormat) + (
                    " " + _time_text(entry.at)
                )
            if column in (self.WHAT, self.PROGRESS):
                return self.event_detail(entry.event, entry.data) or None
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [
                self.when_text(entry.at),
                self.entry_label(entry),
                entry.title,
                entry.show,
                self.progress_text(entry),
            ]
            return ", ".join(p for p in parts if p)
        return None

    # --- text ----------------------------------------------------------------------------------

    def when_text(self, at: datetime) -> str:
        """ "Today 14:03", "Yesterday 09:10", else "12 Mar 2026, 10:00", in local time."""
        today = self._now().date()
        day = at.date()
        clock = _time_text(at)
        if day == today:
            return self.tr("Today %1").replace("%1", clock)
        if day == today - timedelta(days=1):
            return self.tr("Yesterday %1").replace("%1", clock)
        return date_time_text(at)  # the locale's medium form (desktop.models.formatting)

    def entry_label(self, entry: TimelineEntry) -> str:
        """What a line says happened; a play session that reached the end is "Finished"."""
        event = "completed" if entry.event == "play" and entry.completed else entry.event
        return self.event_label(event, entry.data, entry.kind)

    def progress_text(self, entry: TimelineEntry) -> str:
        """Where a play session stopped, of how long: "12:30 of 45:00", "45:00" when
        finished; empty for other events."""
        if entry.event not in ("play", "completed"):
            return ""
        position = entry.data.get("position")
        duration = entry.data.get("duration")
        length = _clock(duration) if isinstance(duration, int | float) and duration > 0 else ""
        if entry.completed or entry.event == "completed":
            return length
        if not isinstance(position, int | float):
            return ""
        if not length:
            return _clock(position)
        return (
            self.tr("%1 of %2", "position of length")
            .replace("%1", _clock(position))
            .replace("%2", length)
        )

    def event_label(self, event: str, data: Mapping[str, Any] | None = None, kind: str = "") -> str:
        """A human name for an engine event; unknown events show as the engine names them.
        Podcasts and audio are played and finished, videos watched."""
        if kind in AUDIO_KINDS and event in ("watched", "unwatched"):
            label = (
                self.tr("Marked as played")
                if event == "watched"
                else self.tr("Marked as not played")
            )
            if data and data.get("source") == "nfo":
                label = self.tr("%1 (from Kodi)").replace("%1", label)
            return label
        if self._labels is None:
            self._labels = {
                "play": self.tr("Played"),
                "completed": self.tr("Finished"),
                "watched": self.tr("Marked as watched"),
                "unwatched": self.tr("Marked as not watched"),
                "like": self.tr("Liked"),
                "dislike": self.tr("Disliked"),
                "not_interested": self.tr("Not interested"),
                "clear_like": self.tr("Like withdrawn"),
                "clear_dislike": self.tr("Dislike withdrawn"),
                "clear_not_interested": self.tr("Interested again"),
                "follow": self.tr("Followed"),
                "unfollow": self.tr("Unfollowed"),
                "snooze": self.tr("Snoozed"),
                "unsnooze": self.tr("Snooze ended"),
            }
        label = self._labels.get(event, event)
        if data and data.get("source") == "nfo":
            label = self.tr("%1 (from Kodi)").replace("%1", label)
        return label

    def event_detail(self, event: str, data: Mapping[str, Any]) -> str:
        """The tooltip: where a play stopped, until when a show is snoozed."""
        position = data.get("position")
        duration = data.get("duration")
        if event == "play" and isinstance(position, int | float):
            if isinstance(duration, int | float) and duration > 0:
                return (
                    self.tr("Stopped at %1 of %2")
                    .replace("%1", _clock(position))
                    .replace("%2", _clock(duration))
                )
            return self.tr("Stopped at %1").replace("%1", _clock(position))
        until = data.get("until")
        if event == "snooze" and isinstance(until, str):
            try:
                moment = datetime.fromisoformat(until).astimezone()
            except ValueError:
                return ""
            return self.tr("Until %1").replace("%1", self.when_text(moment))
        return ""


def _qdate(at: datetime) -> QDate:
    return QDate(at.year, at.month, at.day)


def _time_text(at: datetime) -> str:
    return time_text(at)


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _runs(rows: Sequence[int]) -> Iterable[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    start = prev = None
    for row in sorted(rows):
        if start is None or prev is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            yield start, prev
            start = prev = row
    if start is not None and prev is not None:
        yield start, prev
