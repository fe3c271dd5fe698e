"""Appearance: theme and UI language. The tab only saves and reports a change; the main window
applies it through `desktop.appearance`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.views.settings_tabs.common import SettingsWriter

if TYPE_CHECKING:
    from engine.library import Settings


class AppearanceTab(QWidget):
    themeChanged = Signal(str)
    languageChanged = Signal(str)

    def __init__(
        self, writer: SettingsWriter, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.writer = writer
        self.theme = QComboBox(self)
        self.theme.setAccessibleName(self.tr("Theme"))
        for label, value in (
            (self.tr("System"), "system"),
            (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark"),
        ):
            self.theme.addItem(label, value)
        self.language = QComboBox(self)
        self.language.setAccessibleName(self.tr("Language"))
        # Each language is named in itself, so it can be found whatever the current one is.
        for label, value in (
            (self.tr("System"), "system"),
            ("English", "en"),
            ("简体中文", "zh_CN"),
        ):
            self.language.addItem(label, value)
        note = QLabel(self.tr("A new language applies fully when Reelcast starts again."), self)
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Theme:"), self.theme)
        form.addRow(self.tr("&Language:"), self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(settings.ui_language)))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.language.currentIndexChanged.connect(self._language_changed)

    def set_theme(self, theme: str) -> None:
        self.theme.setCurrentIndex(self.theme.findData(theme))

    def set_language(self, language: str) -> None:
        self.language.setCurrentIndex(self.language.findData(language))

    def _theme_changed(self, _index: int) -> None:
        theme = str(self.theme.currentData())
        self.writer.write(theme=theme)
        self.themeChanged.emit(theme)

    def _language_changed(self, _index: int) -> None:
        language = str(self.language.currentData())
        self.writer.write(ui_language=language)
        self.languageChanged.emit(language)
