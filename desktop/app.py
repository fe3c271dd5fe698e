"""Start-up of `reelcast-desktop`: parse arguments, open the library, show the window.

Start-up is measured (docs/startup.md, `python -m tests.bench startup`): imports are most of
it, so nothing here is imported before it is needed. `--help` and `--version` load no Qt and no
engine; the embedding model (torch) is never loaded on this path, the index worker loads it in
the background once the window is up. REELCAST_STARTUP_PROBE=1 prints the time to the first
populated paint as one JSON line and quits (desktop/startup_probe.py); `--playback-probe FILE`
plays a file instead of opening the library (desktop/playback_probe.py, `make package-test`).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import sys
from collections.abc import Sequence
from typing import Any


class _VersionAction(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("nargs", 0)
        kwargs.setdefault("help", "show the version and exit")
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from engine.version import app_version

        print(f"reelcast {app_version()}")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reelcast-desktop")
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--data-dir", help="where the library lives (default: per-user data dir)")
    parser.add_argument(
        "--playback-probe",
        metavar="FILE",
        help="play FILE offscreen-safe and print one JSON line (package smoke test)",
    )
    args, qt_args = parser.parse_known_args(argv)
    # A frozen bundle starts the embedding child through this executable.
    multiprocessing.freeze_support()
    if args.playback_probe is not None:
        # No library, no window: QtMultimedia is imported on this path only.
        from desktop import playback_probe

        return playback_probe.run(args.playback_probe, qt_args)
    # Start-up creates hundreds of thousands of long-lived objects (modules, classes, Qt
    # wrappers); collecting while they are created found nothing and cost ~35 ms of the start.
    gc.disable()
    # The engine (no Qt) first: once PySide6 is imported, its import hook reads the source of
    # every module imported after it, looking for `from __feature__` (~20 ms for the engine's).
    from engine.library import Library  # noqa: I001  (before PySide6, as said above)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Reelcast")

    from desktop.tasks import Tasks
    from desktop.views.main_window import MainWindow

    # The embedding model runs in a child process: loading torch would freeze this one.
    library = Library(args.data_dir, embed_in_child=True)
    _apply_appearance(app, library)
    tasks = Tasks()
    window = MainWindow(library, tasks)
    window.show()
    probe = _maybe_probe(app, window)
    _resume_gc_after_start(window, QTimer)
    code = app.exec()
    del probe
    # A model still loading is abandoned (its child process is stopped) so background work
    # ends quickly; whatever it did is in SQLite already.
    library.begin_close()
    tasks.wait(10_000)
    library.close()
    return code


def _apply_appearance(app: Any, library: Any) -> None:
    from desktop import appearance

    settings = library.settings()
    appearance.install_language(app, settings.ui_language)
    appearance.apply_theme(app, settings.theme)  # "system": our look in the OS's light or dark


def _resume_gc_after_start(window: Any, timer: Any) -> None:
    """Collect garbage again a second after the populated window painted (3 s at most), on
    the UI thread only (desktop/ui_thread_gc.py says why).

    What start-up created is frozen first (gc.freeze): it lives as long as the app, and later
    collections need not walk it again.
    """
    from desktop.ui_thread_gc import UiThreadGc

    collector = UiThreadGc(window)
    resumed = False

    def resume() -> None:
        nonlocal resumed
        if not resumed:
            resumed = True
            gc.freeze()
            collector.start()

    populated = getattr(window, "populated", None)
    if populated is not None:
        populated.connect(lambda *_: timer.singleShot(1000, resume))
    timer.singleShot(3000, resume)


def _maybe_probe(app: Any, window: Any) -> object | None:
    from desktop import startup_probe

    if not startup_probe.enabled():
        return None
    # MainWindow.populated fires once the current page shows library content; without it the
    # probe falls back to a non-empty `window.model`.
    probe: object = startup_probe.install_probe(app, window, getattr(window, "populated", None))
    return probe


if __name__ == "__main__":
    sys.exit(main())
