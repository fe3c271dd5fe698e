"""The detail page's sections: the history list with its Remove action, and the texts of the
subtitle, facts, files and warnings.

The history lists one line per play session, worded as the History page words it: the lines
are folded and labelled by `desktop.models.timeline.TimelineModel` (fed the item's events
already read in the background), not by a copy of its rules.

Strings use translate("DetailView", …) literally: they were written in DetailView, whose
existing translations live under that context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import icons
from desktop.models.formatting import date_text, listed
from desktop.models.search_results import duration_text
from desktop.models.timeline import TimelineModel

if TYPE_CHECKING:
    from desktop.models.errors import Problem

__all__ = [
    "HistorySection",
    "facts_text",
    "files_text",
    "fill_history",
    "heading",
    "history_lines",
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
    remove_button: QToolButton
    row: QVBoxLayout  # the list, and under its left edge the action on the selected entry


def history_section(
    parent: QWidget, remove: Callable[[], None], changed: Callable[[], None]
) -> HistorySection:
    """This profile's history of the item; `remove` takes out the selected entry (the button
    under the list, the entry's context menu, or Delete), `changed` runs when the selection
    moves."""
    history_list = QListWidget(parent)  # at most HISTORY_LIMIT entries
    history_list.setAccessibleName(
        QCoreApplication.translate("DetailView", "Your history of this item")
    )
    history_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    history_list.setMaximumWidth(860)  # the description's measure: the entry and its action
    history_list.setFrameShape(QFrame.Shape.NoFrame)
    history_list.setObjectName("historyList")  # transparent rows (the app stylesheet)
    history_list.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    # A quiet text button on the list's left edge (not a push button far right that read as
    # disabled); the same action is in the entry's context menu and on Delete.
    remove_button = QToolButton(parent)
    remove_button.setText(QCoreApplication.translate("DetailView", "&Remove from history"))
    remove_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    remove_button.setAutoRaise(True)
    icons.set_icon(remove_button, "trash-2")
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
    history_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    history_heading = heading(QCoreApplication.translate("DetailView", "&Your history"), parent)
    history_heading.setBuddy(history_list)
    row = QVBoxLayout()
    row.setSpacing(0)
    row.addWidget(history_list)
    row.addWidget(remove_button, 0, Qt.AlignmentFlag.AlignLeft)
    return HistorySection(history_heading, history_list, remove_button, row)


HISTORY_HEIGHT = 180  # px: about seven lines

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
    parts.append(date_text(item.get("air_date")) or str(item.get("year") or ""))
    parts.append(duration_text(item.get("duration")))  # the kind is the overline above
    return " · ".join(p for p in parts if p)


def facts_text(item: dict[str, Any]) -> str:
    """Genres, language and rating on one line; the people on a second ("With …")."""
    parts = [listed(str(g) for g in item.get("genres") or [])]
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
            QCoreApplication.translate("DetailView", "With %1").replace("%1", listed(people))
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
        if entry.get("stage") == "integrity":
            continue  # a warning, worded in the warnings box (`warning_lines`)
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


def warning_lines(problems: list[Problem]) -> list[str]:
    """The item's warnings (`desktop.models.errors.item_problems`), one line each, file name
    first: "movie.nfo: Companion file ignored; the item is in your library (why)"."""
    lines = []
    for problem in problems:
        what = problem.label + (f" ({problem.message})" if problem.message else "")
        lines.append(
            QCoreApplication.translate("DetailView", "%1: %2")
            .replace("%1", problem.name)
            .replace("%2", what)
        )
    return lines


def history_lines(timeline: list[dict[str, Any]]) -> list[tuple[str, tuple[int, ...]]]:
    """The item's timeline (newest first) as the History page words it: one line per play
    session ("Finished — 45:00", "Played — 12:30 of 45:00"), each with the event ids it
    stands for (removing a line removes them all)."""
    model = TimelineModel(
        lambda _profile, limit, offset, _events: timeline[offset : offset + limit],
        None,  # no tasks: the events are in memory, folded inline
        page_size=len(timeline) + 1,
    )
    model.reload(0)
    lines = []
    for row in range(model.rowCount()):
        entry = model.entry(row)
        what = " · ".join(p for p in (model.entry_label(entry), model.progress_text(entry)) if p)
        lines.append((f"{what} — {model.when_text(entry.at)}", entry.event_ids))
    model.deleteLater()
    return lines


def fill_history(history_list: QListWidget, timeline: list[dict[str, Any]]) -> None:
    """Put the timeline's lines in the list, keeping the selected entry selected. Each entry
    holds the tuple of event ids it stands for."""
    selected = history_list.currentItem()
    selected_ids = selected.data(Qt.ItemDataRole.UserRole) if selected is not None else None
    history_list.clear()
    lines = history_lines(timeline)
    for text, ids in lines:
        entry = QListWidgetItem(text, history_list)
        entry.setData(Qt.ItemDataRole.UserRole, list(ids))
        if selected_ids and ids[0] == selected_ids[0]:
            history_list.setCurrentItem(entry)
    if not lines:
        empty = QListWidgetItem(
            QCoreApplication.translate("DetailView", "Nothing yet"), history_list
        )
        empty.setFlags(Qt.ItemFlag.NoItemFlags)
    # As tall as its lines (up to HISTORY_HEIGHT, then it scrolls): the action under it stays
    # next to the entries instead of below an empty box.
    rows = sum(history_list.sizeHintForRow(r) for r in range(history_list.count()))
    history_list.setFixedHeight(min(HISTORY_HEIGHT, rows + 2 * history_list.frameWidth() + 2))


def _language_text(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())
