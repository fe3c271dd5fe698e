"""Search results as a list model: the engine's ranked ids with why each matched; the display
columns (show, kind, duration, progress) are read through `library.item_rows` in blocks on first
use and kept in a small cache (one query for ~50 rows, about a millisecond: fine on the UI thread).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.models.formatting import length_text
from engine.library import Library, LibraryError
from engine.recommend.history import HistoryError

log = logging.getLogger(__name__)

__all__ = ["SearchResult", "SearchResultsModel", "duration_text", "kind_text"]

_BLOCK = 50  # rows read per query
_CACHE = 256  # rows kept


@dataclass(frozen=True)
class SearchResult:
    """One hit as the engine ranked it (no display columns: those are fetched lazily)."""

    item_id: int
    score: float = 0.0
    similarity: float | None = None  # best chunk's cosine similarity, when semantic search ran
    keyword_rank: int | None = None  # 1-based BM25 rank, when the words matched
    language: str | None = None

    @classmethod
    def from_hit(cls, hit: Mapping[str, Any]) -> SearchResult:
        """From one dict of `Library.search`."""
        return cls(
            item_id=int(hit["id"]),
            score=float(hit.get("score") or 0.0),
            similarity=hit.get("similarity"),
            keyword_rank=hit.get("keyword_rank"),
            language=hit.get("language") or None,
        )


duration_text = length_text


def kind_text(kind: Any) -> str:
    names = {
        "podcast": QCoreApplication.translate("SearchResultsModel", "Podcast"),
        "episode": QCoreApplication.translate("SearchResultsModel", "TV episode"),
        "movie": QCoreApplication.translate("SearchResultsModel", "Film"),
        "video": QCoreApplication.translate("SearchResultsModel", "Video"),
        "audio": QCoreApplication.translate("SearchResultsModel", "Audio"),
    }
    return names.get(str(kind or ""), str(kind or ""))


def match_text(result: SearchResult) -> str:
    """Why the item matched, in words."""
    words = result.keyword_rank is not None
    if result.similarity is not None and not words:
        return QCoreApplication.translate("SearchResultsModel", "Similar topic (%1 %)").replace(
            "%1", str(round(result.similarity * 100))
        )
    if result.similarity is not None and words:
        return QCoreApplication.translate("SearchResultsModel", "Matches your words and topic")
    if words:
        return QCoreApplication.translate("SearchResultsModel", "Matches your words")
    return ""


class SearchResultsModel(QAbstractListModel):
    """The results of one search, best first."""

    ItemIdRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    ShowRole = Qt.ItemDataRole.UserRole + 3
    KindRole = Qt.ItemDataRole.UserRole + 4  # the engine's kind ("podcast", "movie", …)
    KindTextRole = Qt.ItemDataRole.UserRole + 5
    DurationTextRole = Qt.ItemDataRole.UserRole + 6
    MatchRole = Qt.ItemDataRole.UserRole + 7  # why it matched, in words
    ScoreRole = Qt.ItemDataRole.UserRole + 8
    StateRole = Qt.ItemDataRole.UserRole + 9  # "ok", "missing", "offline"
    CompletedRole = Qt.ItemDataRole.UserRole + 10

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        ItemIdRole: b"itemId",
        TitleRole: b"title",
        ShowRole: b"show",
        KindRole: b"kind",
        KindTextRole: b"kindText",
        DurationTextRole: b"durationText",
        MatchRole: b"match",
        ScoreRole: b"score",
        StateRole: b"state",
        CompletedRole: b"completed",
    }

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.profile_id: int | None = None
        self._results: list[SearchResult] = []
        self._rows: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._gone: set[int] = set()  # ids the catalogue no longer has (or a read failed)

    # --- contents ------------------------------------------------------------------------------

    def set_results(
        self, results: Iterable[SearchResult | Mapping[str, Any]], profile_id: int | None = None
    ) -> None:
        """Show `results` (SearchResult or the dicts `Library.search` returns)."""
        self.beginResetModel()
        self._results = [
            r if isinstance(r, SearchResult) else SearchResult.from_hit(r) for r in results
        ]
        self.profile_id = profile_id
        # Progress and file state may have changed since the last search: read rows afresh.
        self._rows.clear()
        self._gone.clear()
        self.endResetModel()

    def clear(self) -> None:
        self.set_results([], self.profile_id)

    def results(self) -> list[SearchResult]:
        return list(self._results)

    def item_ids(self) -> list[int]:
        return [r.item_id for r in self._results]

    def item_id(self, row: int) -> int:
        return self._results[row].item_id

    def row_of(self, item_id: int) -> int:
        return next((n for n, r in enumerate(self._results) if r.item_id == item_id), -1)

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

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

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not self.checkIndex(index, QAbstractListModel.CheckIndexOption.IndexIsValid):
            return None
        result = self._results[index.row()]
        if role == self.ItemIdRole:
            return result.item_id
        if role == self.ScoreRole:
            return result.score
        if role == self.MatchRole:
            return match_text(result)
        if role not in _ROW_ROLES:
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return str(row.get("title") or "")
        if role == self.ShowRole:
            return str(row.get("show") or "")
        if role == self.KindRole:
            return str(row.get("kind") or "")
        if role == self.KindTextRole:
            return kind_text(row.get("kind"))
        if role == self.DurationTextRole:
            return duration_text(row.get("duration"))
        if role == self.StateRole:
            return str(row.get("state") or "")
        if role == self.CompletedRole:
            return bool(row.get("completed"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("description") or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [
                str(row.get("title") or ""),
                str(row.get("show") or ""),
                kind_text(row.get("kind")),
                duration_text(row.get("duration")),
                match_text(result),
            ]
            return ", ".join(p for p in parts if p)
        return None

    # --- lazy rows -----------------------------------------------------------------------------

    def _row(self, position: int) -> dict[str, Any] | None:
        item_id = self._results[position].item_id
        row = self._rows.get(item_id)
        if row is not None:
            self._rows.move_to_end(item_id)
            return row
        if item_id in self._gone:
            return None
        start = position - position % _BLOCK
        block = [
            r.item_id
            for r in self._results[start : start + _BLOCK]
            if r.item_id not in self._rows and r.item_id not in self._gone
        ]
        try:
            fetched = self.library.item_rows(block, self.profile_id)
        except (LibraryError, HistoryError, OSError, sqlite3.Error) as exc:
            # A locked database or a profile deleted meanwhile: the row stays blank, no crash.
            log.warning("could not read search result rows: %s", exc)
            fetched = {}
        for fetched_id in block:
            found = fetched.get(fetched_id)
            if found is None:
                self._gone.add(fetched_id)
            else:
                self._remember(fetched_id, found)
        return self._rows.get(item_id)

    def _remember(self, item_id: int, row: dict[str, Any]) -> None:
        self._rows[item_id] = row
        self._rows.move_to_end(item_id)
        while len(self._rows) > _CACHE:
            self._rows.popitem(last=False)


_ROW_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        SearchResultsModel.TitleRole,
        SearchResultsModel.ShowRole,
        SearchResultsModel.KindRole,
        SearchResultsModel.KindTextRole,
        SearchResultsModel.DurationTextRole,
        SearchResultsModel.StateRole,
        SearchResultsModel.CompletedRole,
    }
)
