"""Indexing: publish every change at once, or in batches (after N changes or S seconds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.views.settings_tabs.common import SettingsWriter

if TYPE_CHECKING:
    from engine.library import Settings


class IndexingTab(QWidget):
    def __init__(
        self, writer: SettingsWriter, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.writer = writer
        self.immediate = QRadioButton(self.tr("Imme&diately: index each change as it settles"))
        self.batched = QRadioButton(self.tr("In &batches: fewer, larger index updates"))
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.immediate)
        self.mode.addButton(self.batched)
        self.batch_changes = QSpinBox(self)
        self.batch_changes.setAccessibleName(self.tr("Changes per batch"))
        self.batch_changes.setRange(1, 100_000)
        self.batch_seconds = QDoubleSpinBox(self)
        self.batch_seconds.setAccessibleName(self.tr("Seconds before a batch is indexed"))
        self.batch_seconds.setRange(1.0, 86_400.0)
        self.batch_seconds.setDecimals(0)
        self.batch_seconds.setSuffix(self.tr(" s"))
        # Save a typed number when it is finished (Enter, focus out), not on every keystroke.
        self.batch_changes.setKeyboardTracking(False)
        self.batch_seconds.setKeyboardTracking(False)
        note = QLabel(
            self.tr("A batch is indexed after this many changes or this long after its first.")
        )
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Changes per batch:"), self.batch_changes)
        form.addRow(self.tr("Or after &seconds:"), self.batch_seconds)
        layout = QVBoxLayout(self)
        layout.addWidget(self.immediate)
        layout.addWidget(self.batched)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

        (self.batched if settings.index_mode == "batched" else self.immediate).setChecked(True)
        self.batch_changes.setValue(int(settings.batch_changes))
        self.batch_seconds.setValue(float(settings.batch_seconds))
        self._update_enabled()
        self.batched.toggled.connect(self._mode_changed)
        self.batch_changes.valueChanged.connect(lambda n: self.writer.write(batch_changes=n))
        self.batch_seconds.valueChanged.connect(lambda s: self.writer.write(batch_seconds=s))

    def _update_enabled(self) -> None:
        self.batch_changes.setEnabled(self.batched.isChecked())
        self.batch_seconds.setEnabled(self.batched.isChecked())

    def _mode_changed(self, batched: bool) -> None:
        self._update_enabled()
        self.writer.write(index_mode="batched" if batched else "immediate")
