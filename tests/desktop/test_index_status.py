"""The status bar follows the real worker, and pause/resume reach it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.views.index_status import IndexStatus
from engine.library import Library
from tests.mediagen import make_audio
from tests.writer_process import OtherWriter


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
        qtbot.waitUntil(lambda: status.watch.text() == "Watching folders", timeout=30_000)
        assert status.watch.toolTip() == f"{folder}: Changes are seen as they happen"
        assert status.label.isVisibleTo(status) and status.pause.isVisibleTo(status)

        status.pause.click()
        qtbot.waitUntil(lambda: status.label.text().startswith("Indexing paused"), timeout=30_000)
        indexing = library.indexing_status()
        assert indexing is not None and indexing.worker.state == "paused"
        status.pause.click()
        qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=30_000)
        library.stop_watching()


def test_standby_names_the_process_that_indexes(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "a.mp3", seconds=0.2, title="Alpha", show="Show")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        with OtherWriter(library.index_dir) as holder:
            try:
                status = IndexStatus(library)
                qtbot.addWidget(status)
                library.start_watching(status.on_worker_status)
                # The real worker stands by: another process holds the writer lock.
                qtbot.waitUntil(lambda: "another Reelcast" in status.label.text(), timeout=60_000)
                assert status.label.text() == f"Indexed by another Reelcast (process {holder.pid})"
                assert "queued" in status.label.toolTip()
                indexing = library.indexing_status()
                assert indexing is not None and indexing.worker.state == "standby"
                assert indexing.worker.writer_pid == holder.pid

                assert holder.release() == 0  # the other process ends: this worker takes over
                qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=120_000)
                assert status.label.toolTip() == ""
            finally:
                library.stop_watching()


def test_an_empty_library_shows_no_indexing_state_or_pause(qtbot: QtBot, tmp_path: Path) -> None:
    with Library(tmp_path / "data", workers=1) as library:
        status = IndexStatus(library)
        qtbot.addWidget(status)
        status.show()
        # Before any report: no "Indexing not started", no button to pause nothing.
        assert not status.label.isVisibleTo(status)
        assert not status.pause.isVisibleTo(status)
        library.start_watching(status.on_worker_status)
        # The worker has started and found nothing to do (its report reached the widget).
        qtbot.waitUntil(lambda: status.label.text() == "Up to date", timeout=120_000)
        assert not status.label.isVisibleTo(status)
        assert not status.pause.isVisibleTo(status)
        assert not status.watch.isVisibleTo(status)
        library.stop_watching()
