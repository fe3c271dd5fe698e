"""The errors panel over a real scan with bad files, and the log viewer over the real log file."""

from __future__ import annotations

import logging
import logging.handlers
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.models.errors import (
    ERROR,
    FOLDER,
    KIND,
    PATH,
    STAGE,
    WHEN,
    ErrorsModel,
    item_problems,
    stage_label,
)
from desktop.tasks import Tasks
from desktop.views.errors_panel import ErrorsPanel
from desktop.views.log_viewer import TAIL_BYTES, LogViewer
from engine.library import Library
from tests.mediagen import make_audio, make_video

WAIT = 30_000  # ms

HOSTILE_NFO = (
    '<?xml version="1.0"?>\n<!DOCTYPE movie [\n'
    + "\n".join(
        ['<!ENTITY lol0 "lol">']
        + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    )
    + "\n]>\n<movie><title>&lol9;</title></movie>"
)


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "Media"
    folder.mkdir()
    make_audio(folder / "good.mp3", seconds=0.2, title="Good")
    (folder / "empty.mp3").write_bytes(b"")
    # Seeded: a few random byte strings probe as a bare video stream; this one does not.
    (folder / "corrupt.mkv").write_bytes(random.Random(3).randbytes(4096))
    make_video(folder / "A Film (2019).mkv", seconds=0.5)
    (folder / "A Film (2019).nfo").write_text(HOSTILE_NFO, encoding="utf-8")
    return folder


@pytest.fixture
def library(tmp_path: Path, media: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(media, "mixed")
    lib.scan()
    yield lib
    lib.close()


def loaded_panel(qtbot: QtBot, library: Library, tasks: Tasks) -> tuple[ErrorsPanel, list[int]]:
    counts: list[int] = []
    panel = ErrorsPanel(library, tasks)
    panel.countChanged.connect(counts.append)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: bool(counts), timeout=WAIT)
    return panel, counts


def shown_rows(panel: ErrorsPanel) -> dict[str, list[str]]:
    proxy = panel.proxy
    rows = {}
    for row in range(proxy.rowCount()):
        cells = [str(proxy.index(row, col).data()) for col in range(proxy.columnCount())]
        rows[cells[PATH]] = cells
    return rows


def shown_order(panel: ErrorsPanel) -> list[str]:
    return [str(panel.proxy.index(r, PATH).data()) for r in range(panel.proxy.rowCount())]


def test_errors_panel_lists_each_bad_file(
    qtbot: QtBot, qtmodeltester: object, library: Library, tasks: Tasks, media: Path
) -> None:
    panel, counts = loaded_panel(qtbot, library, tasks)
    assert counts == [3]
    assert panel.count() == 3
    assert panel.counts() == (2, 1)
    # The film is in the library; only its NFO was refused: a warning that says so.
    assert panel.count_label.text() == "2 files could not be read, 1 warning"
    rows = shown_rows(panel)
    assert set(rows) == {"empty.mp3", "corrupt.mkv", "A Film (2019).nfo"}
    assert rows["corrupt.mkv"][FOLDER] == str(media)  # file name first, then its folder
    assert rows["corrupt.mkv"][KIND] == "Error"
    assert rows["corrupt.mkv"][STAGE] == stage_label("read") == "Unreadable or unsupported file"
    assert rows["A Film (2019).nfo"][KIND] == "Warning"
    assert rows["A Film (2019).nfo"][STAGE] == (
        "Companion file ignored; the item is in your library"
    )
    assert "could not be read" not in rows["A Film (2019).nfo"][STAGE]
    assert "entity bomb" in rows["A Film (2019).nfo"][ERROR]
    assert any(i["title"].startswith("A Film") for i in library.items())  # it is listed
    # Errors first, then warnings; each group by file name.
    assert shown_order(panel) == ["corrupt.mkv", "empty.mp3", "A Film (2019).nfo"]
    assert panel.table.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert "empty" in rows["empty.mp3"][ERROR].lower()
    assert all(cells[WHEN] for cells in rows.values())
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]

    panel.filter.setText("NFO")
    assert set(shown_rows(panel)) == {"A Film (2019).nfo"}
    assert panel.count_label.text() == "2 files could not be read, 1 warning (1 shown)"
    panel.filter.setText("unreadable or UNSUPPORTED")  # the human label, any case
    assert set(shown_rows(panel)) == {"empty.mp3", "corrupt.mkv"}
    panel.filter.clear()
    assert panel.proxy.rowCount() == 3

    # Fixing a file and rescanning: a refresh drops it and announces the new count.
    make_audio(media / "empty.mp3", seconds=0.2, title="Now complete")
    library.scan()
    with qtbot.waitSignal(panel.countChanged, timeout=WAIT) as signal:
        panel.refresh_button.click()
    assert signal.args == [2]
    assert set(shown_rows(panel)) == {"corrupt.mkv", "A Film (2019).nfo"}
    assert panel.count_label.text() == "1 file could not be read, 1 warning"


def test_item_problems_are_the_warnings_of_its_files(library: Library) -> None:
    film = next(i for i in library.items() if i["title"].startswith("A Film"))
    (problem,) = item_problems(library, int(film["id"]))
    assert problem.severity == "warning" and problem.name == "A Film (2019).nfo"
    assert "entity bomb" in problem.message
    good = next(i for i in library.items() if i["title"] == "Good")
    assert item_problems(library, int(good["id"])) == []


def test_copy_details_and_open_folder(
    qtbot: QtBot, library: Library, tasks: Tasks, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, _ = loaded_panel(qtbot, library, tasks)
    panel.filter.setText("corrupt")
    panel.table.selectRow(0)
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    panel.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(str(media / "corrupt.mkv"))
    assert "Error: Unreadable or unsupported file (read):" in copied
    assert "empty.mp3" not in copied

    opened: list[QUrl] = []
    monkeypatch.setattr(panel, "_open_url", lambda url: opened.append(url) or True)
    assert panel.open_button.isEnabled()
    panel.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(media)]


def test_errors_model_on_its_own(qtmodeltester: object) -> None:
    model = ErrorsModel()
    rows = [
        {"path": "/m/a.mkv", "stage": "timeout", "error": "took too long\nmore", "at": "x"},
        {"path": "/m/b", "stage": "walk", "error": "denied", "at": "2024-01-05T10:00:00+00:00"},
        {"path": "/m/c.mp3", "stage": "new-stage", "error": "", "at": ""},
    ]
    model.set_errors(rows)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, PATH).data() == "a.mkv"
    assert model.index(0, FOLDER).data() == "/m"
    assert model.index(0, PATH).data(Qt.ItemDataRole.ToolTipRole) == "/m/a.mkv"
    assert model.counts() == (3, 0)
    assert model.index(0, STAGE).data() == "Reading took too long"
    assert model.index(0, ERROR).data() == "took too long"  # first line; tooltip has all
    assert model.index(1, STAGE).data() == "Folder could not be listed"
    assert model.index(2, STAGE).data() == "new-stage"  # an unknown stage shows as it is
    assert model.index(1, WHEN).data() not in ("", "2024-01-05T10:00:00+00:00")


# --- the log viewer ---------------------------------------------------------------------------


def _handler(log_path: Path) -> logging.handlers.RotatingFileHandler:
    for handler in logging.getLogger().handlers:
        if getattr(handler, "baseFilename", None) == str(log_path):
            assert isinstance(handler, logging.handlers.RotatingFileHandler)
            return handler
    raise AssertionError("the library did not attach its log handler")


def test_log_viewer_follows_rotation_truncation_and_filters(
    qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_log = logging.getLogger("engine.test_log_viewer")
    engine_log.warning("before the viewer opened")
    handler = _handler(library.log_path)
    handler.flush()

    viewer = LogViewer(library.log_path)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    assert "before the viewer opened" in viewer.visible_text()
    assert "added library folder" in viewer.visible_text()  # the engine's own INFO line

    engine_log.info("an appended info line")
    qtbot.waitUntil(lambda: "an appended info line" in viewer.visible_text(), timeout=WAIT)

    handler.doRollover()  # what RotatingFileHandler does when the file is full
    engine_log.error("after the rotation")
    qtbot.waitUntil(lambda: "after the rotation" in viewer.visible_text(), timeout=WAIT)

    with open(library.log_path, "w", encoding="utf-8"):
        pass  # truncated in place
    engine_log.warning("after the truncation")
    qtbot.waitUntil(lambda: "after the truncation" in viewer.visible_text(), timeout=WAIT)
    text = viewer.visible_text()
    assert text.count("after the rotation") == 1  # nothing read twice

    viewer.level.setCurrentIndex(1)  # warnings and errors
    text = viewer.visible_text()
    assert "an appended info line" not in text
    assert "added library folder" not in text
    assert "before the viewer opened" in text and "after the truncation" in text
    engine_log.info("hidden info")
    engine_log.warning("shown warning")
    qtbot.waitUntil(lambda: "shown warning" in viewer.visible_text(), timeout=WAIT)
    assert "hidden info" not in viewer.visible_text()
    viewer.level.setCurrentIndex(0)
    assert "hidden info" in viewer.visible_text()

    viewer.search.setText("AFTER THE")
    assert viewer.find_next()
    assert viewer.text.textCursor().selectedText().lower() == "after the"
    viewer.search.setText("no such words")
    assert not viewer.find_next()

    opened: list[QUrl] = []
    monkeypatch.setattr(viewer, "_open_url", lambda url: opened.append(url) or True)
    viewer.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(library.log_path.parent)]


def test_log_viewer_reads_only_the_tail_of_a_big_file(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "logs" / "reelcast.log"
    path.parent.mkdir()
    line = "2024-01-05 12:00:00,000 INFO engine.x: line {n:06d} " + "x" * 60 + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(line.format(n=n) for n in range(40_000))  # ~4 MB
    assert path.stat().st_size > 4 * TAIL_BYTES

    viewer = LogViewer(path)
    qtbot.addWidget(viewer)
    text = viewer.visible_text().splitlines()
    assert text[-1].startswith("2024-01-05 12:00:00,000 INFO engine.x: line 039999")
    assert "line 000000" not in viewer.visible_text()
    assert len(text) <= 2000
    assert all(t.startswith("2024-01-05") for t in text)  # no cut-off first line
