"""The status bar follows the real worker, and pause/resume reach it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.views.index_status import IndexStatus
from engine.library import Library
from tests.mediagen import make_audio


def test_status_follows_the_worker_and_pauses_it(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "a.mp3", seconds=0.2, title="Alpha", show="Show")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        status = IndexStatus(library)
        qtbot.addWidget(status)
        library.start_watching(status.on_worker_status)
        qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=120_000)
        qtbot.waitUntil(lambda: status.watch.text() == "Watching: realtime", timeout=30_000)
        assert "native" in status.watch.toolTip()

        status.pause.click()
        qtbot.waitUntil(lambda: status.label.text().startswith("Indexing paused"), timeout=30_000)
        indexing = library.indexing_status()
        assert indexing is not None and indexing.worker.state == "paused"
        status.pause.click()
        qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=30_000)
        library.stop_watching()
