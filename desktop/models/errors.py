"""The scan errors as a table: which file, at what stage, why, and when.

There is at most one error per path and a library rarely has more than a few thousand, so the
model holds the engine's rows themselves (unlike the item models, which hold ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

__all__ = ["ErrorsModel", "stage_label", "when_text"]

PATH, STAGE, ERROR, WHEN = range(4)


def stage_label(stage: str) -> str:
    """A human label for a stage the scanner records (engine/ingest: scanner, extract, pool)."""
    labels = {
        "walk": QCoreApplication.translate("ErrorsModel", "Folder could not be listed"),
        "access": QCoreApplication.translate("ErrorsModel", "File could not be opened"),
        "read": QCoreApplication.translate("ErrorsModel", "Unreadable or unsupported file"),
        "timeout": QCoreApplication.translate("ErrorsModel", "Reading took too long"),
        "sidecar": QCoreApplication.translate(
            "ErrorsModel", "Companion file or artwork unusable (NFO, subtitles, feed, image)"
        ),
    }
    return labels.get(stage, stage)


def when_text(at: str) -> str:
    """The engine's UTC ISO time in the user's time zone and locale format."""
    moment = QDateTime.fromString(at, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return at
    return QLocale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)


class ErrorsModel(QAbstractTableModel):
    """Rows are the dicts `Library.errors()` returns: path, stage, error, at."""

    RowRole = Qt.ItemDataRole.UserRole + 1  # the engine's dict for the row
    SortRole = Qt.ItemDataRole.UserRole + 2  # raw values, so "when" sorts by time

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._headers = (self.tr("File"), self.tr("Problem"), self.tr("Details"), self.tr("When"))

    def set_errors(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def error(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

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
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == self.RowRole:
            return row
        if role == self.SortRole:
            return str(row.get(("path", "stage", "error", "at")[column]) or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PATH:
                return str(row.get("path") or "")
            if column == STAGE:
                return stage_label(str(row.get("stage") or ""))
            if column == ERROR:
                # One line in the table; the tooltip and "Copy details" carry all of it.
                return str(row.get("error") or "").split("\n", 1)[0]
            return when_text(str(row.get("at") or ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PATH:
                return str(row.get("path") or "")
            if column == ERROR:
                return str(row.get("error") or "")
            if column == STAGE:
                return str(row.get("stage") or "")
        return None
