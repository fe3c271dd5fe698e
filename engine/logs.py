"""Logging set-up: a rotating log file in the data dir, which the app can show.

Reader and model processes log to the same file: `configure_logging` leaves its path in the
environment that spawned children inherit, and `configure_child_logging` in the child attaches
to it. Without that, a child has no handler and Python's last-resort handler prints warnings
(podcastparser's "Cannot parse date", for one) on the terminal instead of into the log.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import os
from pathlib import Path

LOG_NAME = "reelcast.log"
LOG_ENV = "REELCAST_LOG_FILE"  # the parent's log file, for its child processes
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def configure_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Attach one rotating file handler to the root logger; calling again is harmless."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ[LOG_ENV] = str(path)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(min(root.level, level) if root.level else level)
    return path


class _ChildFileHandler(logging.handlers.WatchedFileHandler):
    """Appends to the parent's log. Watched, not rotating: the parent rotates the file, and a
    watched handler reopens the new one instead of writing on into the renamed old file. A
    failed write (the data dir went away) is dropped: a child never prints on the terminal."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def configure_child_logging(level: int = logging.INFO) -> None:
    """In a child process (reader, embedding model): log into the parent's log file.

    A no-op in the main process and where logging is already set up, so a library call may make
    it before work whose dependencies log. A child whose parent named no log file logs nowhere:
    never on the terminal.
    """
    if multiprocessing.parent_process() is None:
        return
    root = logging.getLogger()
    if root.handlers:
        return
    target = os.environ.get(LOG_ENV)
    handler: logging.Handler
    if target and Path(target).parent.is_dir():
        handler = _ChildFileHandler(target, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(_FORMAT))
    else:
        handler = logging.NullHandler()
    root.addHandler(handler)
    root.setLevel(level)
