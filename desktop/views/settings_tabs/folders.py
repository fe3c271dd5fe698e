"""Library folders: the table of roots (path, kind, state), adding, removing, changing kinds,
and "this folder moved" (a drive mounted elsewhere keeps its items and history)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from desktop.views.settings_tabs.common import StatusLine, error_text, kind_label
from engine.library import KINDS, Library, MovedRoot, Root

_Index = QModelIndex | QPersistentModelIndex
PATH, KIND, STATE, LISTEN = range(4)


class RootsModel(QAbstractTableModel):
    """The library folders (a handful, so the rows themselves are held). The kind column is
    editable: an edit shows at once and asks for the change through `kindEdited`."""

    kindEdited = Signal(int, str)  # root id, new kind
    listenEdited = Signal(int, bool)  # root id, transcribe its items

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roots: list[Root] = []
        self._listened: set[int] = set()
        self._can_listen = False

    def set_roots(
        self, roots: list[Root], listened: set[int] | None = None, can_listen: bool = False
    ) -> None:
        self.beginResetModel()
        self._roots = list(roots)
        self._listened = set(listened or ())
        self._can_listen = can_listen
        self.endResetModel()

    def root(self, row: int) -> Root | None:
        return self._roots[row] if 0 <= row < len(self._roots) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._roots)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        root = self.root(index.row()) if index.isValid() else None
        if root is None:
            return None
        column = index.column()
        if column == LISTEN:
            return self._listen_data(root, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PATH:
                return root.path
            if column == KIND:
                return kind_label(root.kind)
            return self._state_label(root.state)
        if role == Qt.ItemDataRole.EditRole and column == KIND:
            return root.kind
        if role == Qt.ItemDataRole.ToolTipRole and column == PATH:
            return root.path
        if role == Qt.ItemDataRole.UserRole:
            return root.id
        return None

    def _listen_data(self, root: Root, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            on = root.id in self._listened
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self._can_listen:
                return self.tr("Transcription is not available in this installation.")
            return self.tr(
                "Listen to the episodes in this folder that have no transcript or subtitles, "
                "so that what is said in them can be searched. It runs when nothing else is "
                "to do and pauses while you play something."
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("Transcribe")
        return None

    def _state_label(self, state: str) -> str:
        if state == "online":
            return self.tr("Available")
        if state == "offline":
            return self.tr("Not found (drive disconnected?)")
        return state

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == KIND:
            flags |= Qt.ItemFlag.ItemIsEditable
        if index.column() == LISTEN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
            if not self._can_listen:
                flags &= ~Qt.ItemFlag.ItemIsEnabled
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        root = self.root(index.row()) if index.isValid() else None
        if root is not None and index.column() == LISTEN:
            if role != Qt.ItemDataRole.CheckStateRole or not self._can_listen:
                return False
            on = Qt.CheckState(value) == Qt.CheckState.Checked
            if on != (root.id in self._listened):
                (self._listened.add if on else self._listened.discard)(root.id)
                self.dataChanged.emit(index, index)
                self.listenEdited.emit(root.id, on)
            return True
        if root is None or index.column() != KIND or role != Qt.ItemDataRole.EditRole:
            return False
        if value not in KINDS:
            return False
        if value != root.kind:
            self._roots[index.row()] = dataclasses.replace(root, kind=str(value))
            self.dataChanged.emit(index, index)
            self.kindEdited.emit(root.id, str(value))
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Folder"), self.tr("Holds"), self.tr("State"), self.tr("Transcribe"))
        return titles[section] if 0 <= section < len(titles) else None


class KindDelegate(QStyledItemDelegate):
    """Edits a folder's kind with a combo box."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Folder kind"))
        for kind in KINDS:
            combo.addItem(kind_label(kind), kind)
        # Commit as soon as a kind is picked, not only when focus leaves.
        combo.activated.connect(lambda _=0: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class FoldersTab(QWidget):
    foldersChanged = Signal()

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.model = RootsModel(self)
        self.model.kindEdited.connect(self.set_folder_kind)
        self.model.listenEdited.connect(self.set_transcribing)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Library folders"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(KIND, KindDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PATH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LISTEN, QHeaderView.ResizeMode.ResizeToContents)
        self.cost = QLabel(self)
        self.cost.setWordWrap(True)
        self.cost.setAccessibleName(self.tr("What transcription costs"))

        self.add_button = QPushButton(self.tr("A&dd…"), self)
        self.add_button.setAccessibleName(self.tr("Add a library folder"))
        self.add_button.clicked.connect(self.ask_add_folder)
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected folder"))
        self.remove_button.clicked.connect(self.ask_remove_folder)
        self.move_button = QPushButton(self.tr("&Moved…"), self)
        self.move_button.setAccessibleName(self.tr("The selected folder moved: choose where"))
        self.move_button.setToolTip(
            self.tr(
                "The folder is somewhere else now (a drive mounted elsewhere, a renamed "
                "folder): point it there and keep its items and history."
            )
        )
        self.move_button.clicked.connect(self.ask_move_folder)
        self.status = StatusLine(self.tr("Folder status"), self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.cost)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        # A few rows from small tables (~1 ms): read on the UI thread.
        available = self.library.transcription_available()
        self.model.set_roots(self.library.roots(), self.library.transcribing_folders(), available)
        self.cost.setText(self._cost_text(self.library.transcription_cost()))
        self.cost.setVisible(available)
        self._update_buttons()

    def _cost_text(self, cost: float | None) -> str:
        """What transcribing costs here, from what was transcribed (seconds per audio second)."""
        if cost is None:
            return self.tr(
                "Transcribing uses one processor core while nothing else is to do; how long "
                "it takes on this computer is shown here after the first episode."
            )
        minutes = max(1, round(cost * 60))
        return self.tr(
            "Transcribing takes about %n min of work per hour of audio on this computer "
            "(measured), on one processor core while nothing else is to do.",
            "",
            minutes,
        )

    def selected_root(self) -> Root | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.root(rows[0].row()) if rows else None

    def _update_buttons(self, *_: object) -> None:
        selected = self.selected_root() is not None
        self.remove_button.setEnabled(selected)
        self.move_button.setEnabled(selected)

    # --- user actions ----------------------------------------------------------------------

    def ask_add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a library folder"))
        if not path:
            return
        labels = [kind_label(k) for k in KINDS]
        label, ok = QInputDialog.getItem(
            self, self.tr("Folder kind"), self.tr("This folder holds:"), labels, 0, False
        )
        if ok and label in labels:
            self.offer_move_or_add(path, KINDS[labels.index(label)])

    def offer_move_or_add(self, path: str, kind: str) -> None:
        """Add a folder, unless it looks like a known folder that moved: then offer to move
        that one here (its items and history come along either way; moving keeps one folder)."""
        self.status.show_info(self.tr("Adding %1…").replace("%1", path))
        self.tasks.run(
            lambda: self.library.moved_root_candidate(path),
            on_done=while_alive(self, lambda moved: self._offer_move(moved, path, kind)),
            on_error=while_alive(self, self._failed),
        )

    def _offer_move(self, moved: MovedRoot | None, path: str, kind: str) -> None:
        if moved is not None:
            answer = QMessageBox.question(
                self,
                self.tr("Folder moved?"),
                self.tr(
                    "This looks like “%1”, which moved. Move it here?\n\n"
                    "Moving keeps it as one folder. Either way its items and their viewing "
                    "history stay."
                ).replace("%1", moved.path),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.move_folder(moved.root_id, path)
                return
        self.add_folder(path, kind)

    def ask_move_folder(self) -> None:
        root = self.selected_root()
        if root is None:
            return
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Where is “%1” now?").replace("%1", root.path)
        )
        if path:
            self.move_folder(root.id, path)

    def ask_remove_folder(self) -> None:
        root = self.selected_root()
        if root is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove folder"),
            self.tr(
                "Stop watching “%1”?\n\nIts items and their viewing history stay in the "
                "library; adding the folder again brings them back."
            ).replace("%1", root.path),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_folder(root.id)

    # --- operations (tests call these) -------------------------------------------------------

    def add_folder(self, path: str, kind: str) -> None:
        self.status.show_info(self.tr("Adding %1…").replace("%1", path))
        self.tasks.run(
            lambda: self.library.add_root(path, kind),
            on_done=while_alive(self, self._added),
            on_error=while_alive(self, self._failed),
        )

    def remove_folder(self, root_id: int) -> None:
        self.tasks.run(
            lambda: self.library.remove_root(root_id),
            on_done=while_alive(self, lambda _: self._changed(self.tr("Folder removed."))),
            on_error=while_alive(self, self._failed),
        )

    def move_folder(self, root_id: int, path: str) -> None:
        self.status.show_info(self.tr("Moving the folder to %1…").replace("%1", path))
        self.tasks.run(
            lambda: self.library.move_root(root_id, path),
            on_done=while_alive(self, self._moved),
            on_error=while_alive(self, self._failed),
        )

    def set_folder_kind(self, root_id: int, kind: str) -> None:
        self.tasks.run(
            lambda: self.library.set_root_kind(root_id, kind),
            on_done=while_alive(
                self, lambda _: self._changed(self.tr("Kind changed; the folder is read again."))
            ),
            on_error=while_alive(self, self._failed),
        )

    def set_transcribing(self, root_id: int, on: bool) -> None:
        if on:
            done = self.tr(
                "Episodes without a transcript will be transcribed when nothing else is to do."
            )
        else:
            done = self.tr("No more episodes of this folder will be transcribed.")
        self.tasks.run(
            lambda: self.library.set_transcribing(root_id, on),
            on_done=while_alive(self, lambda _: self.status.show_info(done)),
            on_error=while_alive(self, self._failed),
        )

    def _added(self, root: Root) -> None:
        self._changed(self.tr("Added %1; scanning it now.").replace("%1", root.path))

    def _moved(self, root: Root) -> None:
        self._changed(self.tr("Moved to %1; checking its files now.").replace("%1", root.path))

    def _changed(self, message: str) -> None:
        self.reload()
        self.status.show_info(message)
        self.foldersChanged.emit()

    def _failed(self, exc: Exception) -> None:
        self.reload()  # undo an optimistic kind edit
        self.status.show_error(error_text(exc))
