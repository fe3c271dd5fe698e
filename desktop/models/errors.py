"""The scan problems as a table: errors apart from warnings, file name first, then its folder.

An error means the file is not in the library (it could not be listed, opened or read). A
warning means the item is listed but a companion file of it (NFO, subtitles, feed, artwork)
was ignored (the engine's "sidecar" stage), or the media file itself is cut off or damaged
but its tags, sidecars or feed entry say what it is ("integrity"). The severity is derived here
from the stage; where the engine gives a problem as data (`kind` + `args`), it is worded here.

There is at most one problem per path and a library rarely has more than a few thousand, so the
model holds the engine's rows themselves (unlike the item models, which hold ids).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle

from desktop.models.formatting import clock_text, date_time_text

if TYPE_CHECKING:
    from engine.library import Library

__all__ = [
    "ErrorsModel",
    "Problem",
    "finding_text",
    "item_problems",
    "problems_near",
    "severity_label",
    "severity_of",
    "stage_label",
    "when_text",
]

KIND, PATH, FOLDER, STAGE, ERROR, WHEN = range(6)
# The item is listed: only a companion file was ignored, or its own file is cut off or damaged.
WARNING_STAGES = frozenset({"sidecar", "integrity"})


def severity_of(stage: str) -> str:
    """ "warning" when the item is in the library anyway, else "error"."""
    return "warning" if stage in WARNING_STAGES else "error"


def stage_label(stage: str) -> str:
    """A human label for a stage the scanner records (engine/ingest: scanner, extract, pool)."""
    labels = {
        "walk": QCoreApplication.translate("ErrorsModel", "Folder could not be listed"),
        "access": QCoreApplication.translate("ErrorsModel", "File could not be opened"),
        "read": QCoreApplication.translate("ErrorsModel", "Unreadable or unsupported file"),
        "timeout": QCoreApplication.translate("ErrorsModel", "Reading took too long"),
        "sidecar": QCoreApplication.translate(
            "ErrorsModel", "Companion file ignored; the item is in your library"
        ),
        "integrity": QCoreApplication.translate(
            "ErrorsModel", "Damaged or incomplete file; the item is in your library"
        ),
        "unsupported": QCoreApplication.translate("ErrorsModel", "Unsupported format"),
    }
    return labels.get(stage, stage)


def finding_text(kind: str, args: dict[str, Any]) -> str | None:
    """The words for a problem the engine gives as data (engine/ingest/integrity.py kinds,
    "unsupported_format"); None for a kind this version does not know."""
    if kind == "incomplete":
        present, expected = clock_text(args.get("present")), clock_text(args.get("expected"))
        if present and expected:
            return (
                QCoreApplication.translate(
                    "ErrorsModel", "Incomplete download: playback stops at %1 of %2"
                )
                .replace("%1", present)
                .replace("%2", expected)
            )
        if present:
            return QCoreApplication.translate(
                "ErrorsModel", "Incomplete download: playback stops at %1"
            ).replace("%1", present)
        return QCoreApplication.translate(
            "ErrorsModel", "Incomplete download: the end of the file is missing"
        )
    if kind == "damaged":
        return QCoreApplication.translate(
            "ErrorsModel", "Damaged file: its details could be read, but it may not play"
        )
    if kind == "unknown_duration":
        return QCoreApplication.translate(
            "ErrorsModel", "Unknown duration: the file does not say how long it is"
        )
    if kind == "no_content":
        return QCoreApplication.translate(
            "ErrorsModel",
            "Nothing in the file could be read; it is listed from its companion files",
        )
    if kind == "unsupported_format":
        return QCoreApplication.translate("ErrorsModel", "Reelcast cannot play %1 files").replace(
            "%1", str(args.get("extension", ""))
        )
    return None


def severity_label(severity: str) -> str:
    if severity == "warning":
        return QCoreApplication.translate("ErrorsModel", "Warning")
    return QCoreApplication.translate("ErrorsModel", "Error")


def when_text(at: str) -> str:
    """The engine's UTC ISO time in the user's time zone and locale format."""
    return date_time_text(at)  # medium form, one place: desktop.models.formatting


@dataclass(frozen=True)
class Problem:
    """One problem, worded: what the detail page and the panel show."""

    severity: str  # "error" or "warning"
    name: str  # the file name
    folder: str
    label: str  # stage_label
    message: str  # the engine's explanation
    path: str
    stage: str


def problem_of(row: dict[str, Any]) -> Problem:
    path = str(row.get("path") or "")
    stage = str(row.get("stage") or "")
    return Problem(
        severity=severity_of(stage),
        name=os.path.basename(path) or path,
        folder=os.path.dirname(path),
        label=stage_label(stage),
        message=finding_text(str(row.get("kind") or ""), dict(row.get("args") or {}))
        or str(row.get("error") or ""),
        path=path,
        stage=stage,
    )


def item_problems(library: Library, item_id: int) -> list[Problem]:
    """The problems about one item, for its detail page: companion files ignored next to its
    files (same name, or folder-wide ones such as tvshow.nfo, poster.jpg). Slow (SQLite):
    call it in the background."""
    item = library.item(item_id)
    if item is None:
        return []
    return problems_near(library.errors(), [str(f.get("path") or "") for f in item["files"]])


def problems_near(rows: Iterable[dict[str, Any]], files: Sequence[str]) -> list[Problem]:
    """Sidecar problems that belong to `files`: in the same folder, named after the file (its
    stem, "movie.nfo", "movie-poster.jpg") or folder-wide (no media file of that stem)."""
    folders = {os.path.dirname(f) for f in files if f}
    stems = {os.path.splitext(os.path.basename(f))[0] for f in files if f}
    out = []
    for row in rows:
        problem = problem_of(row)
        if problem.severity != "warning" or problem.folder not in folders:
            continue
        stem = os.path.splitext(problem.name)[0]
        own = any(stem == s or stem.startswith((s + "-", s + ".")) for s in stems)
        folder_wide = stem.lower() in _FOLDER_SIDECARS
        if own or folder_wide:
            out.append(problem)
    return sorted(out, key=lambda p: p.name.casefold())


# Sidecars that describe a whole folder (a show, a season, an album), not one file.
_FOLDER_SIDECARS = frozenset(
    {"tvshow", "season", "folder", "cover", "poster", "fanart", "banner", "logo", "thumb"}
)


class ErrorsModel(QAbstractTableModel):
    """Rows are the dicts `Library.errors()` returns: path, stage, error, at."""

    RowRole = Qt.ItemDataRole.UserRole + 1  # the engine's dict for the row
    SortRole = Qt.ItemDataRole.UserRole + 2  # raw values, so "when" sorts by time
    SeverityRole = Qt.ItemDataRole.UserRole + 3  # "error" or "warning"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._problems: list[Problem] = []
        self._headers = (
            self.tr("Kind"),
            self.tr("File"),
            self.tr("Folder"),
            self.tr("Problem"),
            self.tr("Details"),
            self.tr("When"),
        )

    def set_errors(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self._problems = [problem_of(r) for r in self._rows]
        self.endResetModel()

    def error(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def counts(self) -> tuple[int, int]:
        """(errors, warnings)."""
        warnings = sum(1 for p in self._problems if p.severity == "warning")
        return len(self._problems) - warnings, warnings

    def count_text(self) -> str:
        """ "2 files could not be read, 1 warning", with the language's plural forms."""
        errors, warnings = self.counts()
        if not errors and not warnings:
            return self.tr("Every file could be read")
        parts = []
        if errors:
            parts.append(self.tr("%n files could not be read", "", errors))
        if warnings:
            parts.append(self.tr("%n warnings", "", warnings))
        return self.tr(", ", "between counts").join(parts)

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
        problem = self._problems[index.row()]
        column = index.column()
        if role == self.RowRole:
            return row
        if role == self.SeverityRole:
            return problem.severity
        if role == self.SortRole:
            # Errors before warnings, then by file name: each group reads on its own.
            rank = "0" if problem.severity == "error" else "1"
            values = (
                f"{rank} {problem.name.casefold()}",
                problem.name.casefold(),
                problem.folder,
                problem.label,
                problem.message,
                str(row.get("at") or ""),
            )
            return values[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == KIND:
                return severity_label(problem.severity)
            if column == PATH:
                return problem.name
            if column == FOLDER:
                return problem.folder
            if column == STAGE:
                return problem.label
            if column == ERROR:
                # One line in the table; the tooltip and "Copy details" carry all of it.
                return problem.message.split("\n", 1)[0]
            return when_text(str(row.get("at") or ""))
        if role == Qt.ItemDataRole.DecorationRole and column == KIND:
            style = (
                QApplication.style() if isinstance(QApplication.instance(), QApplication) else None
            )
            if style is None:
                return None
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxWarning
                if problem.severity == "warning"
                else QStyle.StandardPixmap.SP_MessageBoxCritical
            )
            return style.standardIcon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (PATH, FOLDER):
                return problem.path
            if column == ERROR:
                return problem.message
            if column in (KIND, STAGE):
                if problem.stage == "integrity":
                    return self.tr("The item is in your library; this file is cut off or damaged.")
                if problem.severity == "warning":
                    return self.tr("The item is in your library; this companion file was not used.")
                return self.tr("This file is not in your library.")
        return None
