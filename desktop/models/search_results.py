"""Search results as a list model: the engine's matches, then (after a "Closest matches" header
row) the closest matches below its cut-off. Display columns (show, kind, year, duration, art,
description) come with the results (the page reads them through `library.item_rows` in the
background, with the search); a row without them is read in a block on first use. The snippet is the
part of the description around the first matched word, with the matched words marked.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
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
from engine.library import HistoryError, Library, LibraryError, has_cjk, highlight_spans

log = logging.getLogger(__name__)

__all__ = ["SearchResult", "SearchResultsModel", "duration_text", "kind_text", "snippet"]

_BLOCK = 50  # rows read per query
_CACHE = 256  # rows kept


@dataclass(frozen=True)
class SearchResult:
    """One hit as the engine ranked it (no display columns: those are fetched lazily)."""

    item_id: int
    score: float = 0.0
    similarity: float | None = None  # best chunk's cosine similarity, when semantic search ran
    keyword: float = 0.0  # share of the query's rare words the item holds
    language: str | None = None
    match: bool = True  # False: a closest match, below the engine's cut-off
    terms: tuple[str, ...] = ()  # the library's words the query matched (folded)

    @classmethod
    def from_hit(cls, hit: Mapping[str, Any]) -> SearchResult:
        """From one dict of `Library.search`."""
        return cls(
            item_id=int(hit["id"]),
            score=float(hit.get("score") or 0.0),
            similarity=hit.get("similarity"),
            keyword=float(hit.get("keyword") or 0.0),
            language=hit.get("language") or None,
            match=bool(hit.get("match", True)),
            terms=tuple(hit.get("terms") or ()),
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
    words = result.keyword > 0
    if result.similarity is not None and not words:
        return QCoreApplication.translate("SearchResultsModel", "Similar topic")
    if result.similarity is not None and words:
        return QCoreApplication.translate("SearchResultsModel", "Matches your words and topic")
    if words:
        return QCoreApplication.translate("SearchResultsModel", "Matches your words")
    return ""


_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 180


def _fold(word: str) -> str:
    # As the engine folds words (case, accents), so its matched terms find theirs in the text.
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(text: str, terms: Iterable[str], chars: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """About `chars` characters of `text` around its first word matching one of `terms` (a
    word matches a term it equals or, for the last word typed, starts with), as (piece,
    highlighted) pairs; the text's start when nothing matches. Whole words, "…" where cut."""
    text = " ".join((text or "").split())
    wanted = [t for t in terms if t]
    # A Chinese or Japanese term is a character pair inside a longer run: the engine marks
    # where it occurs; as a prefix it would mark the whole run.
    prefixes = [t for t in wanted if not has_cjk(t)]
    spans = highlight_spans(
        text,
        [
            (m.start(), m.end())
            for m in _WORD.finditer(text)
            if any(_fold(m.group()).startswith(t) for t in prefixes)
        ],
        wanted,
    )
    start = 0
    if spans and spans[0][1] > chars * 2 // 3:
        start = max(0, spans[0][0] - chars // 3)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > 0 else start
    end = min(len(text), start + chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        if begin > at:
            pieces.append((text[at:begin], False))
        pieces.append((text[begin:finish], True))
        at = finish
    if end > at:
        pieces.append((text[at:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


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
    HeaderRole = Qt.ItemDataRole.UserRole + 11  # True on the "Closest matches" header row
    IsMatchRole = Qt.ItemDataRole.UserRole + 12  # False: a closest match, below the cut-off
    SnippetRole = Qt.ItemDataRole.UserRole + 13  # [(text, highlighted)] from the description
    YearRole = Qt.ItemDataRole.UserRole + 14
    ArtRole = Qt.ItemDataRole.UserRole + 15  # a stored image path (item's, else show's) or None

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
        HeaderRole: b"header",
        IsMatchRole: b"isMatch",
        SnippetRole: b"snippet",
        YearRole: b"year",
        ArtRole: b"art",
    }

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.profile_id: int | None = None
        self._results: list[SearchResult] = []
        self._header = -1  # the row of the "Closest matches" header, -1: none
        self._rows: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._gone: set[int] = set()  # ids the catalogue no longer has (or a read failed)

    # --- contents ------------------------------------------------------------------------------

    def set_results(
        self,
        results: Iterable[SearchResult | Mapping[str, Any]],
        profile_id: int | None = None,
        rows: Mapping[int, dict[str, Any]] | None = None,
    ) -> None:
        """Show `results` (SearchResult or the dicts `Library.search` returns); `rows`, the
        `Library.item_rows` of them read off the UI thread, spare reading them when drawn."""
        self.beginResetModel()
        listed = [r if isinstance(r, SearchResult) else SearchResult.from_hit(r) for r in results]
        # Matches first, then the closest matches under their header (the engine's order kept).
        self._results = [r for r in listed if r.match] + [r for r in listed if not r.match]
        closest = any(not r.match for r in listed)
        self._header = sum(1 for r in listed if r.match) if closest else -1
        self.profile_id = profile_id
        # Progress and file state may have changed since the last search: read rows afresh.
        self._rows.clear()
        self._gone.clear()
        for item_id, row in (rows or {}).items():
            self._remember(item_id, row)
        self.endResetModel()

    def clear(self) -> None:
        self.set_results([], self.profile_id)

    def results(self) -> list[SearchResult]:
        return list(self._results)

    def match_count(self) -> int:
        """Results above the engine's cut-off (the count the page reports)."""
        return sum(1 for r in self._results if r.match)

    def closest_count(self) -> int:
        return sum(1 for r in self._results if not r.match)

    def header_row(self) -> int:
        """The row of the "Closest matches" header; -1 when there is none."""
        return self._header

    def item_ids(self) -> list[int]:
        return [r.item_id for r in self._results]

    def result(self, row: int) -> SearchResult | None:
        """The result shown at `row`; None for the header row."""
        if row == self._header:
            return None
        return self._results[row - 1 if 0 <= self._header < row else row]

    def item_id(self, row: int) -> int:
        """The item at `row`; on the header row, the first closest match's."""
        result = self.result(row)
        return (result or self._results[row]).item_id

    def row_of(self, item_id: int) -> int:
        n = next((n for n, r in enumerate(self._results) if r.item_id == item_id), -1)
        return n + 1 if 0 <= self._header <= n else n

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._results) + (1 if self._header >= 0 else 0)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.row() == self._header:
            return Qt.ItemFlag.ItemNeverHasChildren  # a label: not selectable, skipped by keys
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
        result = self.result(index.row())
        if result is None:  # the header row
            if role == self.HeaderRole:
                return True
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return QCoreApplication.translate("SearchResultsModel", "Closest matches")
            return None
        if role == self.HeaderRole:
            return False
        if role == self.ItemIdRole:
            return result.item_id
        if role == self.ScoreRole:
            return result.score
        if role == self.MatchRole:
            return match_text(result)
        if role == self.IsMatchRole:
            return result.match
        if role not in _ROW_ROLES:
            return None
        row = self._row(result.item_id)
        if row is None:
            return None
        if role == self.SnippetRole:
            return snippet(str(row.get("description") or ""), result.terms)
        if role == self.YearRole:
            return _year(row)
        if role == self.ArtRole:
            art = row.get("artwork") or row.get("show_artwork")
            return str(art) if art else None
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
                _year(row),
                duration_text(row.get("duration")),
                match_text(result),
            ]
            return ", ".join(p for p in parts if p)
        return None

    # --- lazy rows -----------------------------------------------------------------------------

    def _row(self, item_id: int) -> dict[str, Any] | None:
        row = self._rows.get(item_id)
        if row is not None:
            self._rows.move_to_end(item_id)
            return row
        if item_id in self._gone:
            return None
        position = next(n for n, r in enumerate(self._results) if r.item_id == item_id)
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
        SearchResultsModel.SnippetRole,
        SearchResultsModel.YearRole,
        SearchResultsModel.ArtRole,
    }
)


def _year(row: Mapping[str, Any]) -> str:
    year = row.get("year") or str(row.get("air_date") or "")[:4]
    return str(year) if str(year or "").isdigit() else ""
