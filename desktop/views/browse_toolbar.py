"""The Browse page's controls: the toolbar above the items (filter, sort, played state, the
Unplayed only shortcut, list/grid switch) and the item actions with their context menu.

The builders make and label the widgets; the page connects them. Strings use
translate("BrowsePage", …) literally: they were written in BrowsePage, whose existing
translations live under that context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from engine.library import SORTS, STATES

__all__ = [
    "ItemActions",
    "Toolbar",
    "build_item_actions",
    "build_toolbar",
    "sort_labels",
    "state_labels",
]


def sort_labels() -> dict[str, str]:
    labels = {
        "title": QCoreApplication.translate("BrowsePage", "Title"),
        "added": QCoreApplication.translate("BrowsePage", "Recently added"),
        "newest": QCoreApplication.translate("BrowsePage", "Newest first"),
        "oldest": QCoreApplication.translate("BrowsePage", "Oldest first"),
        "episode": QCoreApplication.translate("BrowsePage", "Episode order"),
        "duration": QCoreApplication.translate("BrowsePage", "Shortest first"),
    }
    return {key: labels.get(key, key) for key in SORTS}


def state_labels(video: bool = False) -> dict[str, str]:
    """The state filter's labels: podcasts are played, videos watched."""
    labels = {
        "all": QCoreApplication.translate("BrowsePage", "All"),
        "unplayed": QCoreApplication.translate("BrowsePage", "Unplayed"),
        "in_progress": QCoreApplication.translate("BrowsePage", "In progress"),
        "played": QCoreApplication.translate("BrowsePage", "Played"),
    }
    if video:
        labels["unplayed"] = QCoreApplication.translate("BrowsePage", "Unwatched")
        labels["played"] = QCoreApplication.translate("BrowsePage", "Watched")
    return {key: labels.get(key, key) for key in STATES}


@dataclass(frozen=True)
class Toolbar:
    filter_edit: QLineEdit
    sort_combo: QComboBox
    state_combo: QComboBox
    unplayed_only: QCheckBox
    list_button: QToolButton
    grid_button: QToolButton
    mode_group: QButtonGroup  # list and grid are exclusive

    def row(self) -> QHBoxLayout:
        """The controls laid out in one row, the filter taking the spare width."""
        row = QHBoxLayout()
        row.addWidget(self.filter_edit, 1)
        for widget in (
            self.sort_combo,
            self.state_combo,
            self.unplayed_only,
            self.list_button,
            self.grid_button,
        ):
            row.addWidget(widget)
        return row


def build_toolbar(parent: QWidget, unplayed_shortcut: bool, video: bool = False) -> Toolbar:
    """The controls, labelled and filled, list mode checked; `unplayed_shortcut` shows the
    Unplayed only box (podcasts)."""
    filter_edit = QLineEdit(parent)
    filter_edit.setPlaceholderText(QCoreApplication.translate("BrowsePage", "Filter by title"))
    filter_edit.setAccessibleName(QCoreApplication.translate("BrowsePage", "Filter by title"))
    filter_edit.setClearButtonEnabled(True)

    sort_combo = QComboBox(parent)
    sort_combo.setAccessibleName(QCoreApplication.translate("BrowsePage", "Sort by"))
    for key, label in sort_labels().items():
        sort_combo.addItem(label, key)
    state_combo = QComboBox(parent)
    state_combo.setAccessibleName(QCoreApplication.translate("BrowsePage", "Show items"))
    for key, label in state_labels(video).items():
        state_combo.addItem(label, key)
    unplayed_only = QCheckBox(QCoreApplication.translate("BrowsePage", "&Unplayed only"), parent)
    unplayed_only.setAccessibleName(QCoreApplication.translate("BrowsePage", "Unplayed only"))
    unplayed_only.setVisible(unplayed_shortcut)

    list_button = QToolButton(parent)
    list_button.setText(QCoreApplication.translate("BrowsePage", "List"))
    list_button.setAccessibleName(QCoreApplication.translate("BrowsePage", "Show as a list"))
    list_button.setToolTip(QCoreApplication.translate("BrowsePage", "Show as a list (Ctrl+1)"))
    grid_button = QToolButton(parent)
    grid_button.setText(QCoreApplication.translate("BrowsePage", "Grid"))
    grid_button.setAccessibleName(QCoreApplication.translate("BrowsePage", "Show as a grid"))
    grid_button.setToolTip(QCoreApplication.translate("BrowsePage", "Show as a grid (Ctrl+2)"))
    mode_group = QButtonGroup(parent)
    for button in (list_button, grid_button):
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        mode_group.addButton(button)
    list_button.setChecked(True)
    return Toolbar(
        filter_edit, sort_combo, state_combo, unplayed_only, list_button, grid_button, mode_group
    )


@dataclass(frozen=True)
class ItemActions:
    play: QAction
    details: QAction
    mark_played: QAction
    mark_unplayed: QAction
    menu: QMenu  # the context menu: play, details, the marks
    show_menu: QAction  # the Menu key (Shift+F10) opens it at the current item


def build_item_actions(
    parent: QWidget,
    views: QWidget,
    play: Callable[[], None],
    details: Callable[[], None],
    mark: Callable[[bool], None],
    show_menu: Callable[[], None],
    *,
    video: bool = False,
) -> ItemActions:
    """The actions on the current item, with their keys active while focus is in `views`."""

    def action(text: str, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
        made = QAction(text, parent)
        made.setShortcuts(keys)
        # Active while focus is in the list or the grid (both live in the stack).
        made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        made.triggered.connect(lambda _checked=False: slot())
        views.addAction(made)
        return made

    play_action = action(
        QCoreApplication.translate("BrowsePage", "&Play"),
        [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
        play,
    )
    details_action = action(
        QCoreApplication.translate("BrowsePage", "&Details"), [QKeySequence("Ctrl+I")], details
    )
    # Podcasts are played, videos watched: the same actions, worded for the page.
    mark_played_action = action(
        QCoreApplication.translate("BrowsePage", "Mark &watched")
        if video
        else QCoreApplication.translate("BrowsePage", "Mark p&layed"),
        [QKeySequence(Qt.Key.Key_W)],
        lambda: mark(True),
    )
    mark_unplayed_action = action(
        QCoreApplication.translate("BrowsePage", "Mark &unwatched")
        if video
        else QCoreApplication.translate("BrowsePage", "Mark &unplayed"),
        [QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_W)],
        lambda: mark(False),
    )
    menu = QMenu(parent)
    menu.setAccessibleName(QCoreApplication.translate("BrowsePage", "Item actions"))
    menu.addAction(play_action)
    menu.addAction(details_action)
    menu.addSeparator()
    menu.addAction(mark_played_action)
    menu.addAction(mark_unplayed_action)
    menu_action = action(
        QCoreApplication.translate("BrowsePage", "Show item actions"),
        [QKeySequence(Qt.Key.Key_Menu), QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F10)],
        show_menu,
    )
    return ItemActions(
        play_action, details_action, mark_played_action, mark_unplayed_action, menu, menu_action
    )
