"""Logging set-up: a rotating log file in the data dir, which the app can show."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "reelcast.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def configure_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Attach one rotating file handler to the root logger; calling again is harmless."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
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
