"""The embedding model: the bundled all-MiniLM-L6-v2, a model that came with an installed
package (the multilingual one), or a local sentence-transformers folder. The library's
languages decide which is advised, and the tab says why.

A switch embeds the whole library with the new model in the background; search and
recommendations keep using the old model until the new index is complete. Nothing is ever
downloaded: a local model must already be on disk.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.formatting import listed
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from desktop.views.settings_tabs.common import StatusLine, error_text
from engine.library import Library, ModelAdvice, PackagedModel

BUNDLED_NAME = "all-MiniLM-L6-v2"
MULTILINGUAL_KEY = "use-multilingual-v3"


class ModelTab(QWidget):
    modelChanged = Signal()
    adviceShown = Signal()  # the library's languages were counted and the advice set

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self._cancel: threading.Event | None = None  # set while a switch runs
        self._generation = 0

        self.current_label = QLabel(self)
        self.current_label.setWordWrap(True)
        self.current_label.setAccessibleName(self.tr("Model in use"))
        self.bundled = QRadioButton(self.tr("&Bundled model (%1)").replace("%1", BUNDLED_NAME))
        self.local = QRadioButton(self.tr("&Local sentence-transformers folder:"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.bundled)
        # One choice per model that came with an installed package, by its setting.
        self.packaged: dict[str, QRadioButton] = {}
        self._packaged_models = {m.setting: m for m in library.packaged_models()}
        for setting, model in self._packaged_models.items():
            button = QRadioButton(self._packaged_name(model, accelerator=True), self)
            self.packaged[setting] = button
            self.choice.addButton(button)
        self.choice.addButton(self.local)
        self.advice = QLabel(self)  # why a model suits this library's languages
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName(self.tr("Model advice"))
        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName(self.tr("Model folder"))
        self.path_edit.setPlaceholderText(self.tr("A folder containing modules.json"))
        self.browse_button = QPushButton(self.tr("B&rowse…"), self)
        self.browse_button.setAccessibleName(self.tr("Choose a model folder"))
        self.browse_button.clicked.connect(self.ask_model_folder)
        self.switch_button = QPushButton(self.tr("&Switch"), self)
        self.switch_button.setAccessibleName(self.tr("Switch to the chosen model"))
        self.switch_button.clicked.connect(self.switch_to_choice)
        self.cancel_button = QPushButton(self.tr("Cancel switch"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the model switch"))
        self.cancel_button.clicked.connect(self.cancel_switch)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Model switch progress"))
        self.status = StatusLine(self.tr("Model status"), self)
        note = QLabel(
            self.tr(
                "Switching embeds the whole library again with the new model. Search and "
                "recommendations keep using the current model until that is done. Models are "
                "never downloaded: choose a folder that is already on this computer."
            ),
            self,
        )
        note.setWordWrap(True)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("In use:"), self.current_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.advice)
        layout.addWidget(self.bundled)
        for button in self.packaged.values():
            layout.addWidget(button)
        layout.addWidget(self.local)
        layout.addLayout(path_row)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(note)
        layout.addStretch(1)
        self.local.toggled.connect(self._update_controls)
        self.path_edit.textChanged.connect(self._update_controls)

        settings = library.settings()  # one row of a tiny table: ~1 ms
        model_path = settings.model_path
        # Chosen by the library's languages at its first indexing, not by the user.
        self._chosen_at_first_run = settings.model_choice == "first-run"
        self._advice: ModelAdvice | None = None
        if model_path in self.packaged:
            self.packaged[model_path].setChecked(True)
        else:
            self.path_edit.setText(model_path or "")
            (self.local if model_path else self.bundled).setChecked(True)
        self._show_current(model_path)
        # Counting the items' languages reads the whole items table: not on the UI thread.
        self.advice.hide()
        tasks.run(library.model_advice, on_done=while_alive(self, self.show_advice))
        self._set_busy(False)

    def _packaged_name(self, model: PackagedModel, *, accelerator: bool = False) -> str:
        if model.key == MULTILINGUAL_KEY:
            text = self.tr("&Multilingual model (Universal Sentence Encoder: %1 languages)")
            text = text.replace("%1", str(len(model.languages.split())))
        else:
            text = model.key
        # Without the mnemonic: "&Multilingual" and a translation's "多语言模型(&M)" alike.
        return text if accelerator else re.sub(r"\(&\w\)|&", "", text)

    def _show_current(self, model_path: str | None) -> None:
        self._in_use = model_path
        if model_path in self._packaged_models:
            self.current_label.setText(self._packaged_name(self._packaged_models[model_path]))
        elif model_path:
            self.current_label.setText(self.tr("Local model in %1").replace("%1", model_path))
        else:
            self.current_label.setText(self.tr("Bundled model (%1)").replace("%1", BUNDLED_NAME))

    def show_advice(self, advice: ModelAdvice) -> None:
        """Say which model suits the library's languages; hidden when the bundled one does."""
        self._advice = advice
        if not advice.others:
            self.advice.hide()
            self.adviceShown.emit()
            return
        names = listed(_language_name(code) for code in advice.others[:4])
        share = self.tr(
            "%1 of %2 items are in languages the bundled model was not trained for (%3)."
        )
        share = (
            share.replace("%1", str(advice.other))
            .replace("%2", str(advice.known))
            .replace("%3", names)
        )
        model = self._packaged_models.get(advice.setting or "")
        text = share
        if model is not None:
            if self._in_use != model.setting:
                template = self.tr(
                    "%1 The %2 understands them: switch to it for better search and "
                    "recommendations."
                )
                self.packaged[model.setting].setToolTip(self.tr("Advised for this library"))
            elif self._chosen_at_first_run:
                template = self.tr(
                    "%1 The %2 understands them, so it was chosen when the library was first "
                    "indexed."
                )
            else:
                template = self.tr("%1 The %2 in use understands them.")
            text = template.replace("%1", share).replace("%2", self._packaged_name(model))
        self.advice.setText(text)
        self.advice.show()
        self.adviceShown.emit()

    def is_busy(self) -> bool:
        return self._cancel is not None

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for widget in (self.bundled, self.local, *self.packaged.values()):
            widget.setEnabled(not busy)
        self._update_controls()

    def _update_controls(self, *_: object) -> None:
        busy = self.is_busy()
        self.path_edit.setEnabled(not busy and self.local.isChecked())
        self.browse_button.setEnabled(not busy and self.local.isChecked())
        wanted = (
            self.bundled.isChecked()
            or any(b.isChecked() for b in self.packaged.values())
            or bool(self.path_edit.text().strip())
        )
        self.switch_button.setEnabled(not busy and wanted)

    # --- user actions ----------------------------------------------------------------------

    def ask_model_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a sentence-transformers model folder"), self.path_edit.text()
        )
        if path:
            self.path_edit.setText(path)
            self.local.setChecked(True)

    def switch_to_choice(self) -> None:
        for setting, button in self.packaged.items():
            if button.isChecked():
                self.switch_model(setting)
                return
        self.switch_model(None if self.bundled.isChecked() else self.path_edit.text().strip())

    def cancel_switch(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.show_info(self.tr("Cancelling…"))

    # --- the switch (tests call this) --------------------------------------------------------

    def switch_model(self, model_path: str | None) -> None:
        """Start a switch; None means the bundled model. One switch at a time."""
        if self.is_busy():
            return
        cancel = threading.Event()
        self._cancel = cancel
        self._generation += 1
        generation = self._generation
        self.progress.setRange(0, 0)  # busy until the first progress report
        self._set_busy(True)
        self.status.show_info(self.tr("Preparing… (loading the model)"))
        self.tasks.run(
            lambda report: self.library.switch_model(model_path, report, cancel.is_set),
            on_done=while_alive(self, lambda ok: self._switched(generation, model_path, ok)),
            on_error=while_alive(self, lambda exc: self._switch_failed(generation, exc)),
            on_progress=while_alive(self, lambda p: self._switch_progress(generation, p)),
        )

    def _switch_progress(self, generation: int, progress: Any) -> None:
        if generation != self._generation or self._cancel is None:
            return
        done, total = int(progress.done), int(progress.total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.status.show_info(
            self.tr("Embedding the library with the new model: %1 of %2…")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _switched(self, generation: int, model_path: str | None, switched: Any) -> None:
        if generation != self._generation:
            return
        self._cancel = None
        self._set_busy(False)
        if not switched:
            self.status.show_info(self.tr("Cancelled; the current model stays in use."))
            return
        self._show_current(model_path)
        self._chosen_at_first_run = False  # the user's choice now
        if self._advice is not None:
            self.show_advice(self._advice)
        self.status.show_info(self.tr("Switched; search and recommendations use the new model."))
        self.modelChanged.emit()

    def _switch_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._cancel = None
        self._set_busy(False)
        self.status.show_error(
            self.tr("Could not switch: %1. The current model stays in use.").replace(
                "%1", error_text(exc)
            )
        )


def _language_name(code: str) -> str:
    """The language's own name ("中文", "Deutsch"), or the code when Qt does not know it."""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return locale.nativeLanguageName() or code
