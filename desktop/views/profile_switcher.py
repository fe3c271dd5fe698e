"""The profile switcher: a combo box of profiles, plus "Manage profiles…" at the end.

It starts at the profile the app used last (`settings.profile_id`, else the default) and saves
each choice in the background, so the next start opens with the same profile. The profiles are
read in the background too; until the first read is back, `current_profile_id()` is None, which
pages take as the default profile (`profileChanged` follows if the last one was another).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop import statuses
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from desktop.views.settings_tabs.common import SettingsWriter
from engine.library import Library

log = logging.getLogger(__name__)

_MANAGE = -1  # item data of the "Manage profiles…" entry (profile ids are positive)


class ProfileSwitcher(QComboBox):
    profileChanged = Signal(int)
    manageRequested = Signal()
    loaded = Signal()  # the profiles were read and listed (at start and after each reload)

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.writer = SettingsWriter(library, tasks, self)
        self.writer.failed.connect(lambda message: log.warning("profile not saved: %s", message))
        self.setAccessibleName(self.tr("Profile"))
        self.setToolTip(self.tr("Who is watching: history and recommendations are per profile"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._current: int = 0
        self._filling = False
        self._generation = 0
        self.currentIndexChanged.connect(self._index_changed)
        self.reload()

    def current_profile_id(self) -> int | None:
        """The chosen profile; None until the profiles are first read (the default)."""
        return self._current or None

    def reload(self, prefer: int | None = None) -> None:
        """Re-read the profiles in the background (after one was added, renamed or deleted).
        Keeps the current profile; if it is gone, falls back to the default and reports the
        change. The first read starts at the profile the settings name."""
        self._generation += 1
        generation, library, first = self._generation, self.library, not self._current

        def read() -> tuple[list[Any], int | None]:
            saved = library.settings().profile_id if first and prefer is None else None
            return library.history.profiles(), saved

        self.tasks.run(
            read,
            on_done=while_alive(self, lambda result: self._fill(generation, prefer, *result)),
            on_error=while_alive(self, self._failed),
        )

    def _failed(self, exc: Exception) -> None:
        log.warning("could not read the profiles: %s", exc)

    def _fill(
        self, generation: int, prefer: int | None, profiles: list[Any], saved: int | None
    ) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        first = not self._current
        if prefer is None:
            prefer = saved
        wanted = prefer if prefer is not None else (self._current or None)
        ids = [p.id for p in profiles]
        if wanted not in ids:
            wanted = next((p.id for p in profiles if p.is_default), ids[0] if ids else 0)
        self._filling = True
        try:
            self.clear()
            for profile in profiles:
                self.addItem(statuses.profile_name(profile), profile.id)
            self.insertSeparator(self.count())
            self.addItem(self.tr("Manage profiles…"), _MANAGE)
            self.setCurrentIndex(max(0, self.findData(wanted)))
        finally:
            self._filling = False
        previous, self._current = self._current, int(wanted or 0)
        if previous and previous != self._current:
            self.writer.write(profile_id=self._current)
            self.profileChanged.emit(self._current)
        elif (
            first
            and self._current
            and not any(p.is_default for p in profiles if p.id == self._current)
        ):
            # Pages started on the default profile (None); the last one used is another.
            self.profileChanged.emit(self._current)
        self.loaded.emit()

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
