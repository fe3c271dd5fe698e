"""Start-up of `reelcast-desktop`: parse arguments, open the library, show the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
from engine.version import app_version


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reelcast-desktop")
    parser.add_argument("--version", action="version", version=f"reelcast {app_version()}")
    parser.add_argument("--data-dir", help="where the library lives (default: per-user data dir)")
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Reelcast")
    library = Library(args.data_dir)
    tasks = Tasks()
    window = MainWindow(library, tasks)
    window.show()
    code = app.exec()
    tasks.wait()
    library.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
