"""The window as the user left it: size and position, docks, splitters and the last section.

Kept with the library (`<data dir>/window.ini`, a QSettings INI file): it is the desktop's own
state, not the engine's, and a second library (another data dir) keeps its own layout. Written
when the window closes and read once at start; an unreadable or foreign value is ignored and
the default layout stays.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

log = logging.getLogger(__name__)

__all__ = ["FILE_NAME", "restore", "save", "settings_path"]

FILE_NAME = "window.ini"
VERSION = 1  # bump when the layout changes so much that old states would misplace things


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _settings(window: MainWindow) -> QSettings:
    path = settings_path(window.library.data_dir)
    return QSettings(str(path), QSettings.Format.IniFormat)


def _splitters(window: MainWindow) -> dict[str, QSplitter]:
    found: dict[str, QSplitter] = {}
    main = getattr(window, "splitter", None)
    if isinstance(main, QSplitter):
        found["main"] = main
    # Pages built on first use: only those built (asking for one would build it).
    built = getattr(window, "built_pages", None)
    pages = built() if callable(built) else {}
    for name in ("videos", "podcasts"):
        page = pages.get(name) if callable(built) else getattr(window, name, None)
        splitter = getattr(page, "splitter", None)
        if isinstance(splitter, QSplitter):
            found[name] = splitter
    return found


def save(window: MainWindow) -> None:
    """Write the window's layout; never raises (closing must not fail over it)."""
    try:
        settings = _settings(window)
        settings.setValue("version", VERSION)
        settings.setValue("geometry", window.saveGeometry())
        settings.setValue("state", window.saveState(VERSION))
        for name, splitter in _splitters(window).items():
            settings.setValue(f"splitters/{name}", splitter.saveState())
        section = window.current_section()
        if section:
            settings.setValue("section", section)
        settings.sync()
        if settings.status() != QSettings.Status.NoError:
            log.warning("could not save the window layout to %s", settings.fileName())
    except Exception:
        log.warning("could not save the window layout", exc_info=True)


def restore_splitter(window: MainWindow, name: str, splitter: QSplitter) -> None:
    """Apply the saved sizes of one splitter (a page built after start-up); never raises."""
    try:
        settings = _settings(window)
        if settings.value("version") is None or int(str(settings.value("version"))) != VERSION:
            return
        saved = settings.value(f"splitters/{name}")
        if isinstance(saved, QByteArray):
            splitter.restoreState(saved)
    except Exception:
        log.warning("could not restore the %s splitter", name, exc_info=True)


def restore(window: MainWindow) -> str | None:
    """Apply the saved layout; returns the saved section (the caller goes there when the
    library has folders), or None."""
    try:
        settings = _settings(window)
        if settings.value("version") is None or int(str(settings.value("version"))) != VERSION:
            return None
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray) and not window.restoreGeometry(geometry):
            log.info("saved window geometry not applied")
        state = settings.value("state")
        if isinstance(state, QByteArray):
            window.restoreState(state, VERSION)
        for name, splitter in _splitters(window).items():
            saved = settings.value(f"splitters/{name}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        section = settings.value("section")
        return str(section) if section else None
    except Exception:
        log.warning("could not restore the window layout", exc_info=True)
        return None
