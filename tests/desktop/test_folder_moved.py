"""Settings › Folders: "this folder moved", and adding a folder that looks like a moved one."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.settings_dialog import SettingsDialog
from engine.library import Library
from tests.mediagen import make_audio


def _library_on_a_drive(library: Library, drive: Path) -> dict[str, int]:
    show = drive / "Science Hour"
    show.mkdir(parents=True)
    for n in (1, 2):
        make_audio(show / f"{n}.mp3", seconds=0.2 + 0.1 * n, title=f"Episode {n}", show=show.name)
    library.add_root(drive, "podcast")
    library.scan()
    return {str(i["title"]): int(i["id"]) for i in library.items()}


def _watched(library: Library, item_id: int) -> bool:
    row = library.history.progress(library.history.default_profile().id, item_id)
    return row is not None and bool(row.completed)


def test_moved_action_relocates_the_folder_in_the_background(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = tmp_path / "usb0", tmp_path / "usb1"
    ids = _library_on_a_drive(library, old)
    library.history.mark_watched(library.history.default_profile().id, ids["Episode 1"])
    (root,) = library.roots()
    os.rename(old, new)
    library.scan()  # now offline

    ui_thread = threading.get_ident()
    calls: list[int] = []
    move = library.move_root

    def recording_move(root_id: int, path: str) -> object:
        calls.append(threading.get_ident())
        return move(root_id, path)

    monkeypatch.setattr(library, "move_root", recording_move)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(new))
    dialog = SettingsDialog(library, tasks)
    qtbot.addWidget(dialog)
    tab = dialog.folders_tab
    assert not tab.move_button.isEnabled()  # nothing selected
    tab.table.selectRow(0)
    assert tab.move_button.isEnabled()

    with qtbot.waitSignal(dialog.foldersChanged):
        tab.move_button.click()

    assert calls and calls[0] != ui_thread  # the engine call ran off the UI thread
    assert [(r.id, r.path) for r in library.roots()] == [(root.id, str(new))]
    assert tab.model.index(0, 0).data() == str(new)
    assert str(new) in tab.status.text()
    library.scan()
    assert {str(i["title"]): int(i["id"]) for i in library.items()} == ids
    assert _watched(library, ids["Episode 1"])


def test_adding_a_folder_that_looks_moved_offers_to_move_it(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = tmp_path / "usb0", tmp_path / "usb1"
    ids = _library_on_a_drive(library, old)
    (root,) = library.roots()
    os.rename(old, new)
    library.scan()
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(new))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: (_a[3][0], True))
    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = SettingsDialog(library, tasks)
    qtbot.addWidget(dialog)

    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.folders_tab.ask_add_folder()

    assert len(asked) == 1 and str(old) in asked[0] and "moved" in asked[0]
    assert [(r.id, r.path) for r in library.roots(include_removed=True)] == [(root.id, str(new))]
    library.scan()
    assert {str(i["title"]): int(i["id"]) for i in library.items()} == ids


def test_adding_an_unrelated_folder_asks_nothing(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _library_on_a_drive(library, tmp_path / "usb0")
    other = tmp_path / "Other"
    other.mkdir()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("asked"))
    dialog = SettingsDialog(library, tasks)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.folders_tab.offer_move_or_add(str(other), "video")
    assert [r.path for r in library.roots()] == [str(tmp_path / "usb0"), str(other)]
