"""The menu bar: every window-level action with its shortcut, so each is reachable by keyboard.

Strings use translate("MainWindow", …) literally: lupdate takes `window.tr` for a context named
"window", and the window's own tr() looks them up under "MainWindow"."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop.player.keys import PLAY_PAUSE_KEYS, STOP_KEYS

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow


@dataclass(frozen=True)
class WindowActions:
    add_folder: QAction
    scan: QAction
    settings: QAction
    quit: QAction
    find: QAction
    problems: QAction
    log: QAction
    play_pause: QAction | None = None
    stop: QAction | None = None


def build_menus(window: MainWindow) -> WindowActions:
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&File"))
    add_folder = file_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Add folder…"), window.ask_add_folder
    )
    add_folder.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
    scan = file_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Scan library"), window.start_scan
    )
    scan.setShortcut(QKeySequence("F5"))
    file_menu.addSeparator()
    settings = file_menu.addAction(
        QCoreApplication.translate("MainWindow", "S&ettings…"), lambda: window.open_settings()
    )
    settings.setShortcut(QKeySequence("Ctrl+,"))
    file_menu.addSeparator()
    quit_action = file_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Quit"), window.close
    )
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))

    go_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Go"))
    labels = (
        QCoreApplication.translate("MainWindow", "&Home"),
        QCoreApplication.translate("MainWindow", "&Videos"),
        QCoreApplication.translate("MainWindow", "&Podcasts"),
        QCoreApplication.translate("MainWindow", "&Search"),
        QCoreApplication.translate("MainWindow", "Histo&ry"),
    )
    sections = ("home", "videos", "podcasts", "search", "history")
    for n, (label, section) in enumerate(zip(labels, sections, strict=True), start=1):
        action = go_menu.addAction(label, functools.partial(window.go_to, section))
        action.setShortcut(QKeySequence(f"Alt+{n}"))
    find = go_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Find…"), lambda: window.go_to("search")
    )
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    # No shortcut here: the detail view owns Esc and Alt+Left (two owners would be ambiguous).
    go_menu.addAction(QCoreApplication.translate("MainWindow", "&Back"), window.go_back)

    view_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&View"))
    problems = view_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Problems"),
        lambda: window.show_dock(window.errors_dock),
    )
    problems.setShortcut(QKeySequence("Ctrl+Shift+P"))
    log = view_menu.addAction(
        QCoreApplication.translate("MainWindow", "&Log"), lambda: window.show_dock(window.log_dock)
    )
    log.setShortcut(QKeySequence("Ctrl+Shift+L"))
    view_menu.addAction(QCoreApplication.translate("MainWindow", "P&layer"), window.show_player)

    # Playback keys work from every page and from the full-screen video (its own window).
    playback = bar.addMenu(QCoreApplication.translate("MainWindow", "&Playback"))
    play_pause = playback.addAction(
        QCoreApplication.translate("MainWindow", "Play/&Pause"), window.toggle_playback
    )
    play_pause.setShortcuts(list(PLAY_PAUSE_KEYS))
    stop = playback.addAction(
        QCoreApplication.translate("MainWindow", "&Stop"), window.stop_playback
    )
    stop.setShortcuts(list(STOP_KEYS))
    for action in (play_pause, stop):
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    return WindowActions(
        add_folder, scan, settings, quit_action, find, problems, log, play_pause, stop
    )
