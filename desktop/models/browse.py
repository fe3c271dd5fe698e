"""Models behind the Videos and Podcasts pages.

`ItemListModel` holds item ids in display order (from `Library.browse`) and reads the columns a
list or grid shows through `Library.item_rows`, one block of 64 rows at a time, the first time a
view asks for any row of the block. A bounded LRU cache keeps what scrolled past, so a list of
100,000 ids costs a Python list, and scrolling costs one small query per 64 rows. Given `tasks`
(as the pages do), a block is read in the background and its rows paint when it arrives, so no
query runs on the UI thread; the page hands over the first block with the ids.

Art comes from `desktop.art.ArtProvider` (decoded and cropped off the UI thread, generated covers
where there is none): the table's thumbnail is the item's art cropped to its kind's shape, centred
in one fixed slot so every row's title starts at the same place.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPixmap

from desktop.art import Art, ArtProvider, art_size
from desktop.models.formatting import clock_text
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import HistoryError, Library, LibraryError

log = logging.getLogger(__name__)

__all__ = [
    "BLOCK",
    "COLUMNS",
    "LETTERING_MIN",
    "TABLE_ART",
    "ItemListModel",
    "duration_text",
    "episode_text",
    "lettered",
    "paint_small_art",
    "table_art_size",
]

BLOCK = 64  # rows read per query: a screenful or two
_ROW_CACHE = 4_096  # display rows kept (a few hundred KB)
TABLE_ART = QSize(56, 32)  # the slot of the thumbnail in the table's first column (the 16:9 art)
_TABLE_RADIUS = 4
LETTERING_MIN = 36  # px: smaller generated covers are drawn without their title
_SLOTS = 512  # composed table thumbnails kept (a few screenfuls)

COLUMNS = ("title", "show", "episode", "date", "duration", "state")
AUDIO_KINDS = frozenset({"podcast", "audio"})  # "played"; every other kind is "watched"
_ENGINE_ERRORS = (LibraryError, HistoryError, sqlite3.Error, OSError)

ProfileProvider = Callable[[], int | None]
duration_text = clock_text  # the table's Duration column


def episode_text(season: Any, episode: Any) -> str:
    """S01E02, E05 or S01, from whichever numbers are known."""
    parts = []
    if isinstance(season, int):
        parts.append(f"S{season:02d}")
    if isinstance(episode, int):
        parts.append(f"E{episode:02d}")
    return "".join(parts)


def _date_text(row: dict[str, Any]) -> str:
    if row.get("air_date"):
        return str(row["air_date"])[:10]
    return str(row["year"]) if row.get("year") else ""


def _progress(row: dict[str, Any]) -> float | None:
    """Fraction played while partly played, else None."""
    if row.get("completed"):
        return None
    position = float(row.get("position") or 0)
    duration = float(row.get("duration") or 0)
    if position <= 0 or duration <= 0:
        return None
    return min(1.0, position / duration)


def _played(row: dict[str, Any]) -> str:
    if row.get("completed"):
        return "played"
    return "in_progress" if float(row.get("position") or 0) > 0 else "unplayed"


def table_art_size(kind: str | None) -> QSize:
    """The table thumbnail's art for `kind`: `TABLE_ART` tall at the kind's shape (square for
    podcasts and audio, 2:3 for films and shows, 16:9 for episodes and videos)."""
    shape = art_size(kind)
    height = TABLE_ART.height()
    return QSize(min(TABLE_ART.width(), round(height * shape.width() / shape.height())), height)


def lettered(size: QSize) -> bool:
    """Whether a generated cover at `size` carries its title: below ~36 px a side the letters
    are too small to read (and a word breaks), and the row's own text names it beside."""
    return min(size.width(), size.height()) >= LETTERING_MIN


def paint_small_art(
    provider: ArtProvider, painter: QPainter, rect: QRect, art: Art, radius: float
) -> None:
    """`provider.paint` for list-sized art: a generated cover without lettering when small."""
    device = painter.device()
    dpr = device.devicePixelRatioF() if device is not None else 1.0
    pixmap = provider.pixmap(art, rect.size(), dpr, text=lettered(rect.size()))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addRoundedRect(QRectF(rect), radius, radius)
    painter.setClipPath(clip, Qt.ClipOperation.IntersectClip)
    painter.drawPixmap(rect.topLeft(), pixmap)
    painter.restore()


def _dpr() -> float:
    app = QGuiApplication.instance()
    return float(app.devicePixelRatio()) if isinstance(app, QGuiApplication) else 1.0


class ItemListModel(QAbstractTableModel):
    """Item ids in display order; display rows fetched lazily in blocks of `BLOCK`."""

    ItemIdRole = Qt.ItemDataRole.UserRole + 1
    PlayedRole = Qt.ItemDataRole.UserRole + 2  # "played", "in_progress" or "unplayed"
    ProgressRole = Qt.ItemDataRole.UserRole + 3  # fraction while partly played, else None
    ArtworkRole = Qt.ItemDataRole.UserRole + 4  # the art's file path, or None
    KindRole = Qt.ItemDataRole.UserRole + 5
    SubtitleRole = Qt.ItemDataRole.UserRole + 6  # the grid's second line
    FileStateRole = Qt.ItemDataRole.UserRole + 7  # "ok", "missing" or "offline"

    readFailed = Signal(str)  # a block could not be read: the page shows why

    def __init__(
        self,
        library: Library,
        profile_id_provider: ProfileProvider = lambda: None,
        parent: QObject | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.profile_id_provider = profile_id_provider
        self.tasks = tasks  # None: blocks are read on the calling thread (scripts, tests)
        self._loading: set[int] = set()  # blocks being read in the background
        self._generation = 0  # bumped when the ids or rows are reset: late blocks are dropped
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None  # built on first use: set_ids stays cheap
        self._rows: OrderedDict[int, dict[str, Any] | None] = OrderedDict()  # None: gone
        self._failed: set[int] = set()  # blocks whose read failed, until invalidate()
        # Without tasks (scripts, tests) there is no background to decode in: no thumbnails.
        self.art = ArtProvider.shared(library, tasks) if tasks is not None else None
        self._slots: OrderedDict[tuple[int, int, str], QPixmap] = OrderedDict()
        if self.art is not None:
            self.art.changed.connect(self._art_changed)
        self.last_error: Exception | None = None

    # --- contents ------------------------------------------------------------------------------

    def set_ids(
        self, ids: Sequence[int], rows: Mapping[int, dict[str, Any] | None] | None = None
    ) -> None:
        """Show `ids`, with display `rows` already read for some of them (None: gone). The same
        ids again refresh the rows in place (no reset, so the views keep their scroll position
        and selection)."""
        ids = list(ids)
        if ids == self._ids:
            self.invalidate(rows)
            return
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._forget(rows)
        self.endResetModel()

    def ids(self) -> list[int]:
        return list(self._ids)

    def item_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, item_id: int) -> int:
        """The row showing `item_id`, or -1."""
        if self._row_of is None:
            self._row_of = {item_id: row for row, item_id in enumerate(self._ids)}
        return self._row_of.get(item_id, -1)

    def invalidate(self, rows: Mapping[int, dict[str, Any] | None] | None = None) -> None:
        """Forget every fetched row (the profile or the history changed): views re-read them.
        `rows`, read afresh already, are kept."""
        self._forget(rows)
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def _forget(self, rows: Mapping[int, dict[str, Any] | None] | None) -> None:
        self._rows.clear()
        self._failed.clear()
        self._loading.clear()
        self._generation += 1
        self.last_error = None
        self._rows.update(rows or {})

    def refresh_item(self, item_id: int) -> None:
        """Re-read one item (marked played, say) and repaint its row."""
        self._rows.pop(item_id, None)
        row = self.row_of(item_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def cached_row(self, item_id: int) -> dict[str, Any] | None:
        """A fetched row, without fetching."""
        return self._rows.get(item_id)

    def display_row(self, row: int) -> dict[str, Any] | None:
        """The engine's display row for `row` (fetching its block if needed), None if gone."""
        item_id = self._ids[row]
        if item_id in self._rows:
            self._rows.move_to_end(item_id)
            return self._rows[item_id]
        block = row // BLOCK
        if block in self._failed:
            return None
        start = block * BLOCK
        wanted = [i for i in self._ids[start : start + BLOCK] if i not in self._rows]
        if self.tasks is not None:
            self._read_later(block, wanted)
            return None  # painted blank until the block arrives
        try:
            fetched = self.library.item_rows(wanted, self.profile_id_provider())
        except _ENGINE_ERRORS as exc:
            # Shown by the page; not retried on every paint until the next invalidate().
            log.warning("could not read rows %d-%d: %s", start, start + BLOCK - 1, exc)
            self.last_error = exc
            self._failed.add(block)
            self.readFailed.emit(str(exc))
            return None
        self._store(wanted, fetched)
        return self._rows.get(item_id)

    def _store(self, wanted: list[int], fetched: Mapping[int, dict[str, Any]]) -> None:
        for wanted_id in wanted:
            self._rows[wanted_id] = fetched.get(wanted_id)  # None: deleted since browse()
        while len(self._rows) > _ROW_CACHE:
            self._rows.popitem(last=False)

    def _read_later(self, block: int, wanted: list[int]) -> None:
        if block in self._loading or self.tasks is None:
            return
        self._loading.add(block)
        generation, library, profile = self._generation, self.library, self.profile_id_provider()
        self.tasks.run(
            lambda: library.item_rows(wanted, profile),
            on_done=while_alive(
                self, lambda fetched: self._block_read(generation, block, wanted, fetched)
            ),
            on_error=while_alive(self, lambda exc: self._block_failed(generation, block, exc)),
        )

    def _block_read(
        self, generation: int, block: int, wanted: list[int], fetched: dict[int, dict[str, Any]]
    ) -> None:
        if generation != self._generation:
            return  # the ids or the rows were reset meanwhile: the views ask again
        self._loading.discard(block)
        self._store(wanted, fetched)
        start = block * BLOCK
        end = min(start + BLOCK, len(self._ids)) - 1
        if end >= start:
            self.dataChanged.emit(self.index(start, 0), self.index(end, len(COLUMNS) - 1))

    def _block_failed(self, generation: int, block: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading.discard(block)
        start = block * BLOCK
        log.warning("could not read rows %d-%d: %s", start, start + BLOCK - 1, exc)
        self.last_error = exc
        self._failed.add(block)
        self.readFailed.emit(str(exc))

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

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
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] == "duration":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Title"),
            self.tr("Show"),
            self.tr("Episode"),
            self.tr("Date"),
            self.tr("Duration"),
            self.tr("Status"),
        )

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        if role == self.ItemIdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[index.column()] == "duration":
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        if role not in _ROW_ROLES:
            return None
        row = self.display_row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row["description"]) if row.get("description") else None
        if role == Qt.ItemDataRole.DecorationRole:
            if column != "title":
                return None
            return self._thumbnail(row)
        if role == self.ArtworkRole:
            path = row.get("artwork") or row.get("show_artwork")
            return str(path) if path else None
        if role == self.PlayedRole:
            return _played(row)
        if role == self.ProgressRole:
            return _progress(row)
        if role == self.KindRole:
            return str(row.get("kind") or "")
        if role == self.FileStateRole:
            return str(row.get("state") or "ok")
        if role == self.SubtitleRole:
            return self._subtitle(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            texts = (self._text(row, name) for name in COLUMNS)
            return ", ".join(t for t in texts if t)
        return None

    def _text(self, row: dict[str, Any], column: str) -> str:
        if column == "title":
            return str(row.get("title") or "")
        if column == "show":
            return str(row.get("show") or "")
        if column == "episode":
            return episode_text(row.get("season"), row.get("episode"))
        if column == "date":
            return _date_text(row)
        if column == "duration":
            return duration_text(row.get("duration"))
        return self.state_text(row)

    def state_text(self, row: dict[str, Any]) -> str:
        played = _played(row)
        # Podcasts and audio are played, videos watched.
        audio = str(row.get("kind") or "") in AUDIO_KINDS
        if played == "played":
            text = self.tr("Played") if audio else self.tr("Watched")
        elif played == "in_progress":
            progress = _progress(row)
            text = (
                self.tr("In progress %1%").replace("%1", str(round(progress * 100)))
                if progress is not None
                else self.tr("In progress")
            )
        else:
            text = self.tr("Unplayed") if audio else self.tr("Unwatched")
        state = row.get("state")
        if state == "missing":
            text = self.tr("%1 · Missing").replace("%1", text)
        elif state == "offline":
            text = self.tr("%1 · Offline").replace("%1", text)
        return text

    def _subtitle(self, row: dict[str, Any]) -> str:
        parts = [
            str(row.get("show") or ""),
            episode_text(row.get("season"), row.get("episode")),
        ]
        if not any(parts):
            parts = [_date_text(row), duration_text(row.get("duration"))]
        return " · ".join(p for p in parts if p)

    def art_for(self, row: dict[str, Any]) -> Art:
        """What the provider draws for a display row; without stored art it asks the library
        (a video's frame) in the background, like the grid."""
        path = row.get("artwork") or row.get("show_artwork")
        item_id = row.get("id")
        return Art(
            path=str(path) if path else None,
            title=str(row.get("title") or ""),
            show=str(row.get("show") or ""),
            kind=str(row.get("kind") or "") or None,
            item_id=None if path or item_id is None else int(item_id),
        )

    def _thumbnail(self, row: dict[str, Any]) -> QPixmap | None:
        """The art cropped to the row's shape, centred in the fixed `TABLE_ART` slot (rounded
        corners, transparent around narrower shapes): titles line up whatever the kind."""
        if self.art is None:
            return None
        art = self.art_for(row)
        size = table_art_size(art.kind)
        dpr = _dpr()
        inner = self.art.pixmap(art, size, dpr, text=lettered(size))
        key = (int(row.get("id") or 0), int(inner.cacheKey()), f"{dpr:g}")
        found = self._slots.get(key)
        if found is not None:
            self._slots.move_to_end(key)
            return found
        slot = QPixmap(round(TABLE_ART.width() * dpr), round(TABLE_ART.height() * dpr))
        slot.setDevicePixelRatio(dpr)
        slot.fill(QColor(0, 0, 0, 0))
        painter = QPainter(slot)
        try:
            x = (TABLE_ART.width() - size.width()) // 2
            rect = QRect(x, 0, size.width(), size.height())
            paint_small_art(self.art, painter, rect, art, _TABLE_RADIUS)
        finally:
            painter.end()
        self._slots[key] = slot
        while len(self._slots) > _SLOTS:
            self._slots.popitem(last=False)
        return slot

    def _art_changed(self) -> None:
        # New art arrived somewhere: repaint the thumbnails (views only repaint what is shown).
        if self._ids:
            last = self.index(len(self._ids) - 1, 0)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.DecorationRole])


_ROW_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ItemListModel.ArtworkRole,
        ItemListModel.PlayedRole,
        ItemListModel.ProgressRole,
        ItemListModel.KindRole,
        ItemListModel.FileStateRole,
        ItemListModel.SubtitleRole,
    }
)
