"""The navigation list of the Videos and Podcasts pages: a few fixed sections ("Films", "Other
audio") followed by the shows, with episode and unplayed counts. `ArtRole` gives the `Art` the
list's delegate paints (the show's, else a generated cover)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.art import Art

__all__ = ["ShowListModel"]

_SECTION_KINDS = {"films": "movie", "loose_audio": "audio"}  # the shape of a section's cover


class ShowListModel(QAbstractListModel):
    """Navigation entries: fixed sections first (e.g. "films"), then shows (dicts from
    `Library.shows`)."""

    ShowIdRole = Qt.ItemDataRole.UserRole + 1  # None for a fixed section
    SectionRole = Qt.ItemDataRole.UserRole + 2  # "films", "loose_audio" or "show"
    TitleRole = Qt.ItemDataRole.UserRole + 3
    UnplayedRole = Qt.ItemDataRole.UserRole + 4
    ArtRole = Qt.ItemDataRole.UserRole + 5  # an `Art` for the row: the show's, else a cover
    CountsRole = Qt.ItemDataRole.UserRole + 6  # "3 episodes · 3 unplayed"; "" for a section

    def __init__(self, parent: QObject | None = None, show_kind: str = "podcast") -> None:
        super().__init__(parent)
        self._entries: list[dict[str, Any]] = []
        self.show_kind = show_kind  # "podcast" (square art) or "show" (2:3 posters)

    def set_shows(
        self,
        shows: Sequence[dict[str, Any]],
        before: Sequence[tuple[str, str]] = (),
        after: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`before` and `after`: (section, label) pairs listed before and after the shows. When
        the entries are the same as before (counts may differ) the rows update in place, so
        the view keeps its selection."""
        entries = [{"section": s, "title": label, "id": None} for s, label in before]
        entries += [{**show, "section": "show"} for show in shows]
        entries += [{"section": s, "title": label, "id": None} for s, label in after]
        if [self._key(e) for e in entries] == [self._key(e) for e in self._entries]:
            self._entries = entries
            if entries:
                self.dataChanged.emit(self.index(0, 0), self.index(len(entries) - 1, 0))
            return
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    @staticmethod
    def _key(entry: dict[str, Any]) -> tuple[str, int | None]:
        return (str(entry["section"]), entry.get("id"))

    def key(self, row: int) -> tuple[str, int | None]:
        """(section, show id) of a row: what the page browses when it is chosen."""
        return self._key(self._entries[row])

    def row_of(self, key: tuple[str, int | None]) -> int:
        return next((n for n, e in enumerate(self._entries) if self._key(e) == key), -1)

    def show_count(self) -> int:
        return sum(1 for e in self._entries if e["section"] == "show")

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

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
        entry = self._entries[index.row()]
        is_show = entry["section"] == "show"
        if role == Qt.ItemDataRole.DisplayRole:
            title = str(entry.get("title") or "")
            return f"{title}\n{self.counts_text(entry)}" if is_show else title
        if role == self.TitleRole:
            return str(entry.get("title") or "")
        if role == self.ShowIdRole:
            return entry.get("id")
        if role == self.SectionRole:
            return entry["section"]
        if role == self.UnplayedRole:
            return int(entry.get("unplayed") or 0) if is_show else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(entry["description"]) if entry.get("description") else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            title = str(entry.get("title") or "")
            return f"{title}, {self.counts_text(entry)}" if is_show else title
        if role == self.ArtRole:
            return self.art_for(entry)
        if role == self.CountsRole:
            return self.counts_text(entry) if is_show else ""
        return None

    def art_for(self, entry: dict[str, Any]) -> Art:
        """The show's art; a fixed section and a show without art get a generated cover."""
        title = str(entry.get("title") or "")
        path = entry.get("artwork") if entry["section"] == "show" else None
        kind = self.show_kind if entry["section"] == "show" else None
        kind = kind or _SECTION_KINDS.get(str(entry["section"]), self.show_kind)
        return Art(path=str(path) if path else None, title=title, show=title, kind=kind)

    def counts_text(self, entry: dict[str, Any]) -> str:
        episodes = int(entry.get("episodes") or 0)
        unplayed = int(entry.get("unplayed") or 0)
        text = self.tr("%n episodes", "", episodes)
        if unplayed:
            text = self.tr("%1 · %n unplayed", "", unplayed).replace("%1", text)
        return text
