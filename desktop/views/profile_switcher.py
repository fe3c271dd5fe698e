"""The profile switcher: a combo box of profiles, plus "Manage profiles…" at the end.

It starts at the profile the app used last (`settings.profile_id`, else the default) and saves
each choice in the background, so the next start opens with the same profile.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.tasks import Tasks
from desktop.views.settings_tabs.common import SettingsWriter
from engine.library import Library

log = logging.getLogger(__name__)

_MANAGE = -1  # item data of the "Manage profiles…" entry (profile ids are positive)


class ProfileSwitcher(QComboBox):
    profileChanged = Signal(int)
    manageRequested = Signal()

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.writer = SettingsWriter(library, tasks, self)
        self.writer.failed.connect(lambda message: log.warning("profile not saved: %s", message))
        self.setAccessibleName(self.tr("Profile"))
        self.setToolTip(self.tr("Who is watching: history and recommendations are per profile"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._current: int = 0
        self._filling = False
        self.currentIndexChanged.connect(self._index_changed)
        self.reload(self.library.settings().profile_id)

    def current_profile_id(self) -> int:
        return self._current

    def reload(self, prefer: int | None = None) -> None:
        """Re-read the profiles (after one was added, renamed or deleted). Keeps the current
        profile; if it is gone, falls back to the default and reports the change."""
        # One small table (~1 ms): read on the UI thread, so the id is known from the start.
        profiles = self.library.history.profiles()
        wanted = prefer if prefer is not None else (self._current or None)
        ids = [p.id for p in profiles]
        if wanted not in ids:
            wanted = next((p.id for p in profiles if p.is_default), ids[0] if ids else 0)
        self._filling = True
        try:
            self.clear()
            for profile in profiles:
                self.addItem(profile.name, profile.id)
            self.insertSeparator(self.count())
            self.addItem(self.tr("Manage profiles…"), _MANAGE)
            self.setCurrentIndex(max(0, self.findData(wanted)))
        finally:
            self._filling = False
        previous, self._current = self._current, int(wanted or 0)
        if previous and previous != self._current:
            self.writer.write(profile_id=self._current)
            self.profileChanged.emit(self._current)

    def set_profile(self, profile_id: int) -> None:
        """Switch to a profile, as if the user picked it."""
        index = self.findData(profile_id)
        if index >= 0:
            self.setCurrentIndex(index)

    def _index_changed(self, index: int) -> None:
        if self._filling or index < 0:
            return
        data = self.itemData(index)
        if data == _MANAGE:
            # Not a profile: go back to the current one and let the window open the settings.
            self._filling = True
            self.setCurrentIndex(max(0, self.findData(self._current)))
            self._filling = False
            self.manageRequested.emit()
            return
        if not isinstance(data, int) or data == self._current:
            return
        self._current = data
        self.writer.write(profile_id=data)
        self.profileChanged.emit(data)
