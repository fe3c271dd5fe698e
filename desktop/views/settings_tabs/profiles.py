"""Profiles: who is watching. Add, rename, delete (with its history), make default, interests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import statuses
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from desktop.views.settings_tabs.common import StatusLine, error_text
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import Profile

_Index = QModelIndex | QPersistentModelIndex
_SAVE_DELAY = 700  # ms after the last keystroke before interests are saved


class ProfilesModel(QAbstractListModel):
    """The profiles (a handful, so the rows themselves are held); UserRole is the id."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profiles: list[Profile] = []

    def set_profiles(self, profiles: list[Profile]) -> None:
        if [p.id for p in profiles] == [p.id for p in self._profiles]:
            # Same rows (a rename, new interests): no reset, so the selection stays put.
            self._profiles = list(profiles)
            if profiles:
                self.dataChanged.emit(self.index(0), self.index(len(profiles) - 1))
            return
        self.beginResetModel()
        self._profiles = list(profiles)
        self.endResetModel()

    def profile(self, row: int) -> Profile | None:
        return self._profiles[row] if 0 <= row < len(self._profiles) else None

    def row_of(self, profile_id: int) -> int:
        return next((n for n, p in enumerate(self._profiles) if p.id == profile_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._profiles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        profile = self.profile(index.row()) if index.isValid() else None
        if profile is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if profile.is_default:
                return self.tr("%1 (default)").replace("%1", statuses.profile_name(profile))
            return profile.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return profile.interests or None
        if role == Qt.ItemDataRole.UserRole:
            return profile.id
        return None


class ProfilesTab(QWidget):
    profilesChanged = Signal()

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.model = ProfilesModel(self)
        self.list = QListView(self)
        self.list.setAccessibleName(self.tr("Profiles"))
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.add_button = QPushButton(self.tr("A&dd…"), self)
        self.add_button.setAccessibleName(self.tr("Add a profile"))
        self.add_button.clicked.connect(self.ask_add_profile)
        self.rename_button = QPushButton(self.tr("Re&name…"), self)
        self.rename_button.setAccessibleName(self.tr("Rename the selected profile"))
        self.rename_button.clicked.connect(self.ask_rename_profile)
        self.delete_button = QPushButton(self.tr("&Delete…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete the selected profile"))
        self.delete_button.clicked.connect(self.ask_delete_profile)
        self.default_button = QPushButton(self.tr("Make defa&ult"), self)
        self.default_button.setAccessibleName(self.tr("Make the selected profile the default"))
        self.default_button.clicked.connect(self._make_selected_default)
        self.interests = QPlainTextEdit(self)
        self.interests.setAccessibleName(self.tr("Interests"))
        self.interests.setPlaceholderText(self.tr("e.g. glaciers, jazz history, Italian opera"))
        self.interests.setTabChangesFocus(True)
        interests_label = QLabel(
            self.tr("In&terests (guide recommendations until there is viewing history):"), self
        )
        interests_label.setWordWrap(True)
        interests_label.setBuddy(self.interests)
        self.status = StatusLine(self.tr("Profile status"), self)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(_SAVE_DELAY)
        self.save_timer.timeout.connect(self.flush)
        self._editing: int | None = None  # the profile whose interests the editor shows

        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(interests_label)
        layout.addWidget(self.interests)
        layout.addWidget(self.status)
        self.list.selectionModel().currentChanged.connect(self._selection_changed)
        self.interests.textChanged.connect(self.save_timer.start)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        """Re-read the profiles (one small table, ~1 ms: on the UI thread); keep the selection."""
        keep = select if select is not None else self.selected_id()
        self.model.set_profiles(self.library.history.profiles())
        row = self.model.row_of(keep) if keep is not None else -1
        self.list.setCurrentIndex(self.model.index(max(row, 0), 0))
        self._selection_changed()

    def selected_profile(self) -> Profile | None:
        index = self.list.currentIndex()
        return self.model.profile(index.row()) if index.isValid() else None

    def selected_id(self) -> int | None:
        profile = self.selected_profile()
        return profile.id if profile is not None else None

    def _selection_changed(self, *_: object) -> None:
        profile = self.selected_profile()
        selected = profile.id if profile is not None else None
        if selected != self._editing:
            self.flush()  # the previous profile's edits, before the editor shows another's
            self._editing = selected
            self.interests.blockSignals(True)
            self.interests.setPlainText(profile.interests if profile is not None else "")
            self.interests.blockSignals(False)
        self.interests.setEnabled(profile is not None)
        self.rename_button.setEnabled(profile is not None)
        self.delete_button.setEnabled(profile is not None and not profile.is_default)
        self.default_button.setEnabled(profile is not None and not profile.is_default)

    def flush(self) -> None:
        """Save edited interests now (the editor saves shortly after typing stops)."""
        self.save_timer.stop()
        if self._editing is not None and self._dirty():
            self.set_interests(self._editing, self.interests.toPlainText())

    def _dirty(self) -> bool:
        row = self.model.row_of(self._editing) if self._editing is not None else -1
        profile = self.model.profile(row)
        return profile is not None and profile.interests != self.interests.toPlainText().strip()

    # --- user actions ----------------------------------------------------------------------

    def ask_add_profile(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Add profile"), self.tr("Name:"))
        if ok and name.strip():
            self.add_profile(name)

    def ask_rename_profile(self) -> None:
        profile = self.selected_profile()
        if profile is None:
            return
        name, ok = QInputDialog.getText(
            self,
            self.tr("Rename profile"),
            self.tr("New name:"),
            QLineEdit.EchoMode.Normal,
            profile.name,
        )
        if ok and name.strip() and name.strip() != profile.name:
            self.rename_profile(profile.id, name)

    def ask_delete_profile(self) -> None:
        profile = self.selected_profile()
        if profile is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete profile"),
            self.tr(
                "Delete the profile “%1”?\n\nIts viewing history, progress, likes and "
                "follows are deleted with it. This cannot be undone."
            ).replace("%1", profile.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_profile(profile.id)

    def _make_selected_default(self) -> None:
        profile_id = self.selected_id()
        if profile_id is not None:
            self.make_default(profile_id)

    # --- operations (tests call these) -------------------------------------------------------

    def add_profile(self, name: str) -> None:
        self._run(
            lambda: self.library.history.add_profile(name).id,
            self.tr("Profile added."),
            select_result=True,
        )

    def rename_profile(self, profile_id: int, name: str) -> None:
        self._run(
            lambda: self.library.history.rename_profile(profile_id, name), self.tr("Renamed.")
        )

    def delete_profile(self, profile_id: int) -> None:
        self._run(
            lambda: self.library.history.delete_profile(profile_id),
            self.tr("Profile and its history deleted."),
        )

    def make_default(self, profile_id: int) -> None:
        self._run(
            lambda: self.library.history.set_default_profile(profile_id),
            self.tr("Default profile changed."),
        )

    def set_interests(self, profile_id: int, text: str) -> None:
        self._run(
            lambda: self.library.history.set_interests(profile_id, text),
            self.tr("Interests saved."),
        )

    def _run(self, fn: Any, message: str, *, select_result: bool = False) -> None:
        def done(result: Any) -> None:
            self.reload(result if select_result and isinstance(result, int) else None)
            self.status.show_info(message)
            self.profilesChanged.emit()

        self.tasks.run(
            fn,
            on_done=while_alive(self, done),
            on_error=while_alive(self, lambda exc: self.status.show_error(error_text(exc))),
        )
