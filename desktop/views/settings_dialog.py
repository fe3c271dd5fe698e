"""The settings dialog: library folders, embedding model, indexing, profiles, appearance.

Every change applies at once and is saved in the library's database (settings travel with the
library). The dialog reports what changed through signals; the main window reacts (rescans
after a folder change, applies a theme, reloads the profile switcher). Each tab is a module in
`desktop.views.settings_tabs`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from desktop import icons
from desktop.tasks import Tasks
from desktop.theme import SPACE
from desktop.views.settings_tabs.appearance_tab import AppearanceTab
from desktop.views.settings_tabs.common import SettingsWriter, StatusLine
from desktop.views.settings_tabs.folders import FoldersTab
from desktop.views.settings_tabs.indexing import IndexingTab
from desktop.views.settings_tabs.model_tab import ModelTab
from desktop.views.settings_tabs.profiles import ProfilesTab
from engine.library import Library

TABS = ("folders", "model", "indexing", "profiles", "appearance")


class SettingsDialog(QDialog):
    themeChanged = Signal(str)
    languageChanged = Signal(str)
    foldersChanged = Signal()
    profilesChanged = Signal()
    modelChanged = Signal()

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.resize(680, 480)
        # Owned by `tasks`, which outlives the dialog: changes made just before closing are
        # still saved; the writer deletes itself once the queue is empty.
        self.writer = SettingsWriter(library, tasks, tasks)
        self.destroyed.connect(self.writer.release)
        settings = library.settings()  # one small table (~1 ms): read on the UI thread

        self.folders_tab = FoldersTab(library, tasks, self)
        self.model_tab = ModelTab(library, tasks, self)
        self.indexing_tab = IndexingTab(self.writer, settings, self)
        self.profiles_tab = ProfilesTab(library, tasks, self)
        self.appearance_tab = AppearanceTab(self.writer, settings, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self.folders_tab, self.tr("&Folders"))
        self.tabs.addTab(self.model_tab, self.tr("&Model"))
        self.tabs.addTab(self.indexing_tab, self.tr("&Indexing"))
        self.tabs.addTab(self.profiles_tab, self.tr("&Profiles"))
        self.tabs.addTab(self.appearance_tab, self.tr("&Appearance"))
        self.status = StatusLine(self.tr("Settings status"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        # The look (docs/design.md): document-mode tabs with icons over plain surfaces, each
        # tab's content on the spacing grid.
        self.resize(820, 560)
        self.tabs.setDocumentMode(True)
        self.tabs.setIconSize(QSize(18, 18))
        pages = (
            self.folders_tab,
            self.model_tab,
            self.indexing_tab,
            self.profiles_tab,
            self.appearance_tab,
        )
        names = ("folder-open", "cpu", "refresh-cw", "users", "palette")
        for index, (tab, name) in enumerate(zip(pages, names, strict=True)):
            icons.follow_palette(tab, self._tab_icon_setter(index, name))
            inner = tab.layout()
            if inner is not None:
                inner.setContentsMargins(SPACE["l"], SPACE["l"], SPACE["l"], SPACE["s"])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE["l"], SPACE["m"], SPACE["l"], SPACE["l"])
        layout.setSpacing(SPACE["s"])
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.writer.failed.connect(self.status.show_error)
        self.writer.saved.connect(self._saved)
        self.folders_tab.foldersChanged.connect(self.foldersChanged)
        self.model_tab.modelChanged.connect(self.modelChanged)
        self.profiles_tab.profilesChanged.connect(self.profilesChanged)
        self.appearance_tab.themeChanged.connect(self.themeChanged)
        self.appearance_tab.languageChanged.connect(self.languageChanged)

    def _tab_icon_setter(self, index: int, name: str) -> Callable[[], None]:
        def apply() -> None:
            self.tabs.setTabIcon(index, icons.icon(name, self.tabs.palette(), size=18))

        return apply

    def _saved(self, _settings: object) -> None:
        self.status.show_info(self.tr("Saved."))

    def show_tab(self, name: str) -> None:
        """Bring a tab to the front: one of `TABS` ("folders", "model", ... "appearance")."""
        if name in TABS:
            self.tabs.setCurrentIndex(TABS.index(name))

    def is_saving(self) -> bool:
        return self.writer.busy()

    def done(self, result: int) -> None:
        self.profiles_tab.flush()  # interests typed just before closing
        super().done(result)

    # --- operations the tabs offer, for scripts and tests ------------------------------------

    def add_folder(self, path: str, kind: str) -> None:
        self.folders_tab.add_folder(path, kind)

    def remove_folder(self, root_id: int) -> None:
        self.folders_tab.remove_folder(root_id)

    def set_folder_kind(self, root_id: int, kind: str) -> None:
        self.folders_tab.set_folder_kind(root_id, kind)

    def switch_model(self, model_path: str | None) -> None:
        self.model_tab.switch_model(model_path)
