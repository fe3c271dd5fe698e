"""The minimal window against a real library: it lists what the engine catalogued."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.models.items import ItemTableModel
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
from tests.mediagen import make_audio


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    for n in range(3):
        make_audio(folder / f"ep{n}.mp3", seconds=0.2, title=f"Episode {n}", show="Show")
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(folder, "podcast")
    yield lib
    lib.close()


def test_item_model_is_a_valid_lazy_model(qtmodeltester: object, library: Library) -> None:
    library.scan()
    model = ItemTableModel(library)
    model.set_ids(library.item_ids())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 3
    assert model.index(0, 0).data() == "Episode 0"
    assert model.index(0, 1).data() == "Show"


def test_window_scans_in_the_background_and_lists_items(qtbot: QtBot, library: Library) -> None:
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    window.show()
    window.start_scan()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=60_000)
    assert window.scan_action.isEnabled()
    assert "3 items" in window.status.text()
    tasks.wait()
