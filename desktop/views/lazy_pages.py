"""The main window's sections and the pages it builds on first use (start-up builds Home only:
docs/startup.md), each wired to the window when it is made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from desktop import window_state

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

# Sidebar order; the index of each is its page in the stack (the welcome and detail pages follow).
SECTIONS = ("home", "videos", "podcasts", "search", "history")
SECTION_ICONS = ("house", "clapperboard", "podcast", "search", "history")  # Lucide names
# Pages built on their first use, and their place in the stack: the sections' pages, then the
# welcome page (built at start), then detail.
LAZY_PAGES = {"videos": 1, "podcasts": 2, "search": 3, "history": 4, "detail": 6}


def build_next_page(window: MainWindow) -> None:
    """Build the docks, then one waiting page per event-loop turn until all are built."""
    if window._errors is None:
        window._build_docks()  # first: the problems count shows in the status bar
        QTimer.singleShot(0, window, window._build_next_page)
        return
    waiting = [name for name in LAZY_PAGES if name not in window._built]
    if waiting:
        window._page(waiting[0])
    if len(waiting) > 1:
        QTimer.singleShot(0, window, window._build_next_page)


def build_page(window: MainWindow, name: str) -> QWidget:
    """Make the page `name` (loading its content), wire it to the window and put it in the
    stack in place of its placeholder."""
    library, tasks = window.library, window.tasks
    profile = window.profiles.current_profile_id
    built: Any
    if name in ("videos", "podcasts"):
        from desktop.views.browse_page import BrowsePage

        built = BrowsePage(library, tasks, profile, name)
    elif name == "search":
        from desktop.views.search_page import SearchPage

        built = SearchPage(library, tasks, profile)
    elif name == "history":
        from desktop.views.history_page import HistoryPage

        built = HistoryPage(library, tasks, profile)
        built.historyChanged.connect(window.history_changed)
    else:
        from desktop.views.detail import DetailView

        built = DetailView(library, tasks, profile)
        built.playFromRequested.connect(window.play_from)
        built.backRequested.connect(window.go_back)
        built.loaded.connect(window._detail_loaded)
        built.historyChanged.connect(window.history_changed)
    if name == "search":
        built.passages.playFromRequested.connect(window.play_from)  # "Said in episodes"
    built.playRequested.connect(window.play)
    built.detailRequested.connect(window.show_detail)
    window._built[name] = built
    pages = window.pages
    index = LAZY_PAGES[name]
    placeholder = pages.widget(index)
    was_current = pages.currentIndex() == index
    pages.insertWidget(index, built)
    if placeholder is not None:
        pages.removeWidget(placeholder)
        placeholder.deleteLater()
    if was_current:
        pages.setCurrentIndex(index)
    if name in ("videos", "podcasts"):
        window_state.restore_splitter(window, name, built.splitter)
    made: QWidget = built
    return made
