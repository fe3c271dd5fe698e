"""Render the main screens of the app, with the demo library, to PNG files.

`python -m tests.screenshots docs/` refreshes the screenshots kept in docs/; the screenshot test
renders the same screens into a temporary folder. Runs offscreen (QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop
from PySide6.QtWidgets import QApplication

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.demo.build import make_demo_library
from engine.library import Library

SCREENS = ("home", "library", "player")
SIZE = (1280, 800)


def _wait(condition: Callable[[], bool], seconds: float = 120.0) -> None:
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("the screen did not reach the state to capture")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _settle(ms: int = 300) -> None:
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def render(out: Path, work: Path) -> list[Path]:
    """Demo library → scanned and embedded → a little history → the three screens as PNGs."""
    demo = make_demo_library(work / "demo")
    library = Library(work / "data", workers=1)
    tasks = Tasks()
    try:
        library.add_root(demo.podcasts, "podcast")
        library.add_root(demo.videos, "video")
        library.scan()
        library.index_now()
        profile = library.history.default_profile().id
        items = {item["title"]: item for item in library.items()}
        films = sorted(t for t, i in items.items() if i["kind"] == "movie")
        audio = sorted(t for t, i in items.items() if i["kind"] == "podcast")
        library.history.mark_watched(profile, items[films[0]]["id"])
        session = library.history.start_session(profile, items[audio[0]]["id"])
        library.history.end_session(session, 1.2, 3.0)  # partly heard: Continue listening

        window = MainWindow(library, tasks, watch=False)
        window.resize(*SIZE)
        window.show()
        shots = []
        _wait(lambda: window.home.model("for-you") is not None)
        _settle()
        shots.append(_save(window, out / "home.png"))

        window.go_to("videos")
        _wait(lambda: window.videos.model.rowCount() > 0)
        window.videos.set_view_mode("grid")
        _settle()
        shots.append(_save(window, out / "library.png"))

        window.go_to("podcasts")
        _wait(lambda: window.podcasts.model.rowCount() > 0)
        # An episode with cover art: offscreen, a video's frames are not captured by grab().
        covered = next(t for t in audio if library.artwork(int(items[t]["id"])))
        window.play(int(items[covered]["id"]))
        player = window.player
        assert player is not None
        _wait(lambda: player.media.position() > 1_000)
        player.toggle_play()  # paused mid-film
        _settle()
        shots.append(_save(window, out / "player.png"))
        window.close()
        return shots
    finally:
        tasks.wait()
        library.close()


def _save(window: MainWindow, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots")
    parser.add_argument("out", type=Path, help="folder for home.png, library.png, player.png")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for path in render(args.out, Path(work)):
            print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
