"""The detail page's sections: the history list with its Remove action, and the texts of the
subtitle, facts, files and history entries.

Strings use translate("DetailView", …) literally: they were written in DetailView, whose
existing translations live under that context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desktop.models.formatting import clock
from desktop.models.search_results import duration_text

__all__ = [
    "HistorySection",
    "event_text",
    "facts_text",
    "files_text",
    "fill_history",
    "heading",
    "history_section",
    "subtitle_text",
    "warning_lines",
]


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


@dataclass(frozen=True)
class HistorySection:
    heading: QLabel  # its buddy is the list
    history_list: QListWidget
    remove_button: QPushButton
    row: QHBoxLayout  # the list and the Remove button


def history_section(
    parent: QWidget, remove: Callable[[], None], changed: Callable[[], None]
) -> HistorySection:
    """This profile's history of the item; `remove` takes out the selected entry (button or
    Delete), `changed` runs when the selection moves."""
    history_list = QListWidget(parent)  # at most HISTORY_LIMIT entries
    history_list.setAccessibleName(
        QCoreApplication.translate("DetailView", "Your history of this item")
    )
    history_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    history_list.setMaximumHeight(180)
    history_list.setFrameShape(QFrame.Shape.NoFrame)
    history_list.setObjectName("historyList")  # transparent rows (the app stylesheet)
    history_list.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    remove_button = QPushButton(
        QCoreApplication.translate("DetailView", "&Remove from history"), parent
    )
    remove_button.setAccessibleName(
        QCoreApplication.translate("DetailView", "Remove the selected history entry")
    )
    remove_button.clicked.connect(lambda _checked=False: remove())
    history_list.currentItemChanged.connect(lambda *_: changed())
    remove_action = QAction(
        QCoreApplication.translate("DetailView", "Remove from history"), history_list
    )
    remove_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Delete))
    remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    remove_action.triggered.connect(lambda _checked=False: remove())
    history_list.addAction(remove_action)
    history_heading = heading(QCoreApplication.translate("DetailView", "&Your history"), parent)
    history_heading.setBuddy(history_list)
    row = QHBoxLayout()
    row.addWidget(history_list, 1)
    row.addWidget(remove_button, 0, Qt.AlignmentFlag.AlignTop)
    return HistorySection(history_heading, history_list, remove_button, row)


# --- texts ---------------------------------------------------------------------------------------


def subtitle_text(item: dict[str, Any]) -> str:
    """Show, season/episode, date and duration on one line."""
    parts = [str(item.get("show") or "")]
    season, episode = item.get("season"), item.get("episode")
    if season is not None and episode is not None:
        parts.append(
            QCoreApplication.translate("DetailView", "Season %1, episode %2")
            .replace("%1", str(season))
            .replace("%2", str(episode))
        )
    elif episode is not None:
        parts.append(
            QCoreApplication.translate("DetailView", "Episode %1").replace("%1", str(episode))
        )
    elif season is not None:
        parts.append(
            QCoreApplication.translate("DetailView", "Season %1").replace("%1", str(season))
        )
    parts.append(_date_text(item.get("air_date")) or str(item.get("year") or ""))
    parts.append(duration_text(item.get("duration")))  # the kind is the overline above
    return " · ".join(p for p in parts if p)


def facts_text(item: dict[str, Any]) -> str:
    """Genres, language and rating on one line; the people on a second ("With …")."""
    parts = [", ".join(str(g) for g in item.get("genres") or [])]
    language = item.get("language")
    if language:
        parts.append(_language_text(str(language)))
    rating = item.get("rating")
    if isinstance(rating, int | float):
        text = "★ " + QLocale().toString(float(rating), "f", 1)
        votes = item.get("votes")
        if votes:
            text += " " + QCoreApplication.translate("DetailView", "(%1 votes)").replace(
                "%1", str(votes)
            )
        parts.append(text)
    lines = [" · ".join(p for p in parts if p)]
    people = [str(p) for p in item.get("people") or []]
    if people:
        lines.append(
            QCoreApplication.translate("DetailView", "With %1").replace("%1", ", ".join(people))
        )
    return "\n".join(line for line in lines if line)


def files_text(item: dict[str, Any], scan_errors: list[dict[str, Any]]) -> str:
    """Each file with its state, and the scan errors recorded for it."""
    files = item.get("files") or []
    if not files:
        return QCoreApplication.translate(
            "DetailView", "No file: this item is known only from its feed or history."
        )
    errors: dict[str, list[dict[str, Any]]] = {}
    for entry in scan_errors:
        errors.setdefault(str(entry.get("path")), []).append(entry)
    lines = []
    for f in files:
        path = str(f.get("path") or "")
        if f.get("offline"):
            state = QCoreApplication.translate("DetailView", "Offline")
        elif f.get("missing"):
            state = QCoreApplication.translate("DetailView", "Missing")
        elif f.get("error"):
            state = QCoreApplication.translate("DetailView", "Error: %1").replace(
                "%1", str(f["error"])
            )
        else:
            state = QCoreApplication.translate("DetailView", "OK")
        lines.append(f"{path} — {state}")
        for entry in errors.get(path, []):
            lines.append(
                "    "
                + QCoreApplication.translate("DetailView", "Scan error (%1): %2")
                .replace("%1", str(entry.get("stage") or ""))
                .replace("%2", str(entry.get("error") or ""))
            )
    return "\n".join(lines)


def warning_lines(scan_errors: list[dict[str, Any]]) -> list[str]:
    """What the scan reported about this item's files, one line each, file name first."""
    lines = []
    for entry in scan_errors:
        path = str(entry.get("path") or "")
        name = path.replace("\\", "/").rsplit("/", 1)[-1] or path
        lines.append(
            QCoreApplication.translate("DetailView", "%1: %2")
            .replace("%1", name)
            .replace("%2", str(entry.get("error") or entry.get("stage") or ""))
        )
    return lines


def fill_history(history_list: QListWidget, timeline: list[dict[str, Any]]) -> None:
    """Put the timeline (newest first) in the list, keeping the selected entry selected."""
    selected = history_list.currentItem()
    selected_id = selected.data(Qt.ItemDataRole.UserRole) if selected is not None else None
    history_list.clear()
    for event in timeline:
        text = f"{event_text(event)} — {_local_time(str(event.get('at') or ''))}"
        entry = QListWidgetItem(text, history_list)
        entry.setData(Qt.ItemDataRole.UserRole, int(event["id"]))
        if event["id"] == selected_id:
            history_list.setCurrentItem(entry)
    if not timeline:
        empty = QListWidgetItem(
            QCoreApplication.translate("DetailView", "Nothing yet"), history_list
        )
        empty.setFlags(Qt.ItemFlag.NoItemFlags)


def event_text(event: dict[str, Any]) -> str:
    name = str(event.get("event") or "")
    data = event.get("data") or {}
    if name == "play":
        position = data.get("position")
        if isinstance(position, int | float) and position > 0:
            return QCoreApplication.translate("DetailView", "Played to %1").replace(
                "%1", clock(round(position * 1000))
            )
        return QCoreApplication.translate("DetailView", "Played")
    names = {
        "completed": QCoreApplication.translate("DetailView", "Finished"),
        "watched": QCoreApplication.translate("DetailView", "Marked watched"),
        "unwatched": QCoreApplication.translate("DetailView", "Marked unwatched"),
        "like": QCoreApplication.translate("DetailView", "Liked"),
        "dislike": QCoreApplication.translate("DetailView", "Disliked"),
        "not_interested": QCoreApplication.translate("DetailView", "Not interested"),
        "clear_like": QCoreApplication.translate("DetailView", "Like taken back"),
        "clear_dislike": QCoreApplication.translate("DetailView", "Dislike taken back"),
        "clear_not_interested": QCoreApplication.translate("DetailView", "Interested again"),
    }
    return names.get(name, name)


def _date_text(value: Any) -> str:
    if not value:
        return ""
    try:
        day = datetime.fromisoformat(str(value)).date()
    except ValueError:
        return str(value)
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def _local_time(at: str) -> str:
    """A stored UTC time as local date and time, in the user's format."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    local = QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def _language_text(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())
