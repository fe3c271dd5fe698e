"""The main window: wiring only. A sidebar picks a page; the player docks at the bottom; the
errors panel and the log dock at the side; the status bar shows scanning and indexing. Every part
lives in its own module and talks to the engine through the façade."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import appearance, glyphs, icons, statuses, window_state
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from desktop.theme import SPACE
from desktop.views import folder_scan, lazy_pages, player_dock, sidebar
from desktop.views.home import HomeView
from desktop.views.index_status import IndexStatus
from desktop.views.lazy_pages import LAZY_PAGES, SECTION_ICONS, SECTIONS
from desktop.views.menus import build_menus
from desktop.views.profile_switcher import ProfileSwitcher
from desktop.views.search_page import VIDEO_KINDS
from desktop.views.welcome import WelcomeView
from desktop.views.window_events import AfterPaint, SeekWhenPlaying
from engine.library import Library

if TYPE_CHECKING:  # QtMultimedia loads on first play; the other pages on their first visit
    from desktop.player.player_widget import PlayerWidget
    from desktop.reasons import ReasonLike
    from desktop.views.browse_page import BrowsePage
    from desktop.views.detail import DetailView
    from desktop.views.errors_panel import ErrorsPanel
    from desktop.views.history_page import HistoryPage
    from desktop.views.log_viewer import LogViewer
    from desktop.views.now_playing import NowPlayingBar
    from desktop.views.search_page import SearchPage
    from desktop.views.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

__all__ = ["LAZY_PAGES", "SECTIONS", "MainWindow"]  # the sections are lazy_pages' names


class MainWindow(QMainWindow):
    populated = Signal()  # the first time the current page shows library content (start-up probe)

    def __init__(self, library: Library, tasks: Tasks, *, watch: bool = True) -> None:
        super().__init__()
        self.library = library
        self.tasks = tasks
        self._watch = watch
        self._populated = False
        self._watching = False
        self.setWindowTitle("Reelcast")
        self.resize(1200, 760)

        self.profiles = ProfileSwitcher(library, tasks, self)
        profile = self.profiles.current_profile_id
        self.home = HomeView(library, tasks, profile)
        self.welcome = WelcomeView(library, tasks)
        self.pages = QStackedWidget(self)
        # Only Home is built before the first paint; the other pages are placeholders until
        # they are first shown or used (`_page`): start-up builds what the first screen needs.
        self._built: dict[str, QWidget] = {}
        self.pages.addWidget(self.home)
        for _name in ("videos", "podcasts", "search", "history"):
            self.pages.addWidget(QWidget(self.pages))
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(QWidget(self.pages))  # detail
        self._back_to = 0  # the page the detail view returns to

        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sections")  # styled by the app stylesheet
        self.sidebar.setAccessibleName(self.tr("Sections"))
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for name, text in zip(SECTION_ICONS, self._section_names(), strict=True):
            entry = QListWidgetItem(text, self.sidebar)
            entry.setData(Qt.ItemDataRole.UserRole, name)
            entry.setToolTip(text)
        icons.follow_palette(self.sidebar, self._tint_sections)
        # Two rows at least: on a short window an open video player gets the height and the
        # sections scroll (all five held at once left a 1280×800 window a 122 px video strip).
        self.sidebar.ensurePolished()
        rows = 2 * max(self.sidebar.sizeHintForRow(0), 1)
        self.sidebar.setMinimumHeight(rows + 2 * self.sidebar.frameWidth() + SPACE["xs"])
        self.sidebar.currentRowChanged.connect(self._section_changed)
        # On a detail page the section stays selected: a click on it goes back to it.
        self.sidebar.itemClicked.connect(
            lambda entry: self._section_clicked(self.sidebar.row(entry))
        )
        self.settings_button = QPushButton(self.tr("Settings"), self)
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.setFlat(True)
        self.settings_button.setObjectName("sidebarButton")
        icons.set_icon(self.settings_button, "settings")
        self.settings_button.clicked.connect(self.open_settings)
        side = QWidget(self)
        side.setObjectName("sidebar")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(SPACE["s"], SPACE["m"], SPACE["s"], SPACE["s"])
        side_layout.setSpacing(SPACE["s"])
        side_layout.addWidget(sidebar.brand(side))
        side_layout.addWidget(self.profiles)
        side_layout.addWidget(self.sidebar, 1)
        side_layout.addWidget(self.settings_button)
        side.setFixedWidth(208)
        split = QSplitter(self)
        split.addWidget(side)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([side.width(), self.width() - side.width()])
        self.splitter = split  # saved and restored with the window (desktop/window_state.py)
        self.setCentralWidget(split)

        # The player is made on first play: QtMultimedia's start-up (audio devices, the media
        # backend) took ~0.3 s of the UI thread, which neither start-up nor browsing needs.
        self.player: PlayerWidget | None = None
        self.player_dock: QDockWidget | None = None
        # What plays, on every page, under the docks: hidden until something plays; the bar in
        # it is made with the player (its first construction took 0.1-0.3 s offscreen).
        self.now_playing: NowPlayingBar | None = None
        self.now_playing_bar = QToolBar(self.tr("Now playing"), self)
        self.now_playing_bar.setObjectName("nowPlaying")
        self.now_playing_bar.setMovable(False)
        self.now_playing_bar.setFloatable(False)
        self.now_playing_bar.toggleViewAction().setVisible(False)
        self.now_playing_bar.setContentsMargins(0, 0, 0, 0)
        bar_layout = self.now_playing_bar.layout()
        if bar_layout is not None:
            bar_layout.setContentsMargins(0, 0, 0, 0)
        self.now_playing_bar.setStyleSheet("QToolBar#nowPlaying { border: none; padding: 0; }")
        self.now_playing_bar.hide()
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.now_playing_bar)
        # The Problems and Log docks are made after the first paint, or when asked for
        # (`_build_docks`): their panels were a tenth of the window's start (docs/startup.md).
        self._errors: ErrorsPanel | None = None
        self._errors_dock: QDockWidget | None = None
        self._log_view: LogViewer | None = None
        self._log_dock: QDockWidget | None = None

        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Scan status"))
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Items in the library"))
        self.errors_button = QPushButton(self)
        self.errors_button.setAccessibleName(self.tr("Problems"))
        self.errors_button.setFlat(True)
        self.errors_button.hide()
        self.errors_button.clicked.connect(lambda: self.show_dock(self.errors_dock))
        self.index_status = IndexStatus(library, self, tasks)
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.errors_button)
        self.statusBar().addPermanentWidget(self.index_status)
        self.actions_ = build_menus(self)
        self.scan_action = self.actions_.scan
        self._connect()

        self.sidebar.setCurrentRow(0)
        section = window_state.restore(self)  # size, docks, splitters as the user left them
        self.now_playing_bar.hide()  # a saved layout may show it: nothing plays at start
        self.language_warning = QLabel(self)
        self.language_warning.setAccessibleName(self.tr("Language warning"))
        self.language_warning.setWordWrap(True)
        self.language_warning.hide()
        self.statusBar().addWidget(self.language_warning, 1)
        self.check_glyphs()
        self.refresh()
        # Asked off the UI thread: with no folder yet (first run) the welcome page shows, else
        # the section the user left.
        self.tasks.run(
            lambda: bool(library.roots()),
            on_done=while_alive(self, lambda has_folders: self._opened(has_folders, section)),
            on_error=self._failed,
        )
        if watch:
            # After the first paint of the window with content (`_after_first_paint`): the
            # worker then loads the model (in a child process) and starts the observers, none
            # of which the first paint needs.
            QTimer.singleShot(3_000, self._start_watching)  # Home may take longer to fill
        # The other pages are built after the first paint of the populated window, one per
        # event-loop turn (the window's minimum size then is what it was when all were built
        # at start); or on first use, whichever comes first.
        # With the window as context: the timer dies with it (a closed window's timer fired
        # into a deleted page stack in the next test).
        QTimer.singleShot(3_000, self, self._build_next_page)  # Home may take longer to fill

    def _section_names(self) -> list[str]:
        return [
            self.tr("Home"),
            self.tr("Videos"),
            self.tr("Podcasts"),
            self.tr("Search"),
            self.tr("History"),
        ]

    def _tint_sections(self) -> None:
        sidebar.tint_sections(self.sidebar)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.hide()
        return dock

    def _connect(self) -> None:
        self.home.playRequested.connect(self.play)
        self.home.detailRequested.connect(self.show_detail)  # with the card's reason
        self.home.refreshed.connect(self._mark_populated)
        self.profiles.profileChanged.connect(self.profile_changed)
        self.profiles.manageRequested.connect(lambda: self.open_settings("profiles"))
        self.welcome.foldersAdded.connect(self._folders_added)
        self.index_status.indexed.connect(self._indexed)

    # --- pages built on first use -------------------------------------------------------------

    @property
    def videos(self) -> BrowsePage:
        return self._page("videos")  # type: ignore[return-value]

    @property
    def podcasts(self) -> BrowsePage:
        return self._page("podcasts")  # type: ignore[return-value]

    @property
    def search(self) -> SearchPage:
        return self._page("search")  # type: ignore[return-value]

    @property
    def history_page(self) -> HistoryPage:
        return self._page("history")  # type: ignore[return-value]

    @property
    def detail(self) -> DetailView:
        return self._page("detail")  # type: ignore[return-value]

    @property
    def errors(self) -> ErrorsPanel:
        return self._build_docks()[0]

    @property
    def errors_dock(self) -> QDockWidget:
        self._build_docks()
        assert self._errors_dock is not None
        return self._errors_dock

    @property
    def log_view(self) -> LogViewer:
        return self._build_docks()[1]

    @property
    def log_dock(self) -> QDockWidget:
        self._build_docks()
        assert self._log_dock is not None
        return self._log_dock

    def _build_docks(self) -> tuple[ErrorsPanel, LogViewer]:
        """The Problems and Log docks, made the first time (as the user left them)."""
        if self._errors is None or self._log_view is None:
            from desktop.views.errors_panel import ErrorsPanel
            from desktop.views.log_viewer import LogViewer

            self._errors = ErrorsPanel(self.library, self.tasks)
            self._errors.countChanged.connect(self._error_count)
            self._errors_dock = self._dock(self.tr("Problems"), "errors", self._errors)
            self._log_view = LogViewer(self.library.log_path)
            self._log_dock = self._dock(self.tr("Log"), "log", self._log_view)
            # restoreState ran before they existed and kept their places for this.
            restored = False
            for dock in (self._errors_dock, self._log_dock):
                if self.restoreDockWidget(dock):
                    restored = True
                else:
                    self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            if not restored:
                self.tabifyDockWidget(self._errors_dock, self._log_dock)
            self._errors.refresh()
        return self._errors, self._log_view

    def _build_next_page(self) -> None:
        lazy_pages.build_next_page(self)

    def built_pages(self) -> dict[str, QWidget]:
        """The lazily built pages that exist so far (nothing is built by asking)."""
        return dict(self._built)

    def _page(self, name: str) -> QWidget:
        """The page `name`, built (and loading its content) the first time it is asked for."""
        page = self._built.get(name)
        if page is not None:
            return page
        return lazy_pages.build_page(self, name)

    # --- navigation ------------------------------------------------------------------------

    def _section_changed(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            if SECTIONS[row] != "home":
                self._page(SECTIONS[row])
            self.pages.setCurrentIndex(row)
            if SECTIONS[row] == "search":
                self.search.focus_search()

    def go_to(self, section: str) -> None:
        if section in LAZY_PAGES:
            self._page(section)
        self.sidebar.setCurrentRow(SECTIONS.index(section))
        self.pages.setCurrentIndex(SECTIONS.index(section))

    def _section_clicked(self, row: int) -> None:
        if 0 <= row < len(SECTIONS) and self.pages.currentIndex() != row:
            if SECTIONS[row] != "home":
                self._page(SECTIONS[row])
            self.pages.setCurrentIndex(row)

    def show_detail(self, item_id: int, reason: ReasonLike | None = None) -> None:
        """Open an item's page (`reason`: why Home recommended it, shown under the title).
        The sidebar selects nothing until the item has loaded, then the section of its kind
        (`_detail_loaded`): a film is under Videos wherever it was opened from."""
        if self.pages.currentWidget() is not self.detail:
            self._back_to = self.pages.currentIndex()
        self._select_section(-1)
        self.detail.show_item(item_id, reason)
        self.pages.setCurrentWidget(self.detail)

    def _select_section(self, row: int) -> None:
        """Select a sidebar row without switching pages."""
        blocked = self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(row)
        self.sidebar.blockSignals(blocked)
        self.sidebar.viewport().update()

    def _detail_loaded(self) -> None:
        details = self.detail.details()
        if details is None:
            return
        kind = details.item.get("kind")
        self._select_section(SECTIONS.index("videos" if kind in VIDEO_KINDS else "podcasts"))

    def go_back(self) -> None:
        self.pages.setCurrentIndex(self._back_to)

    def show_player(self) -> None:
        self.ensure_player()
        assert self.player_dock is not None
        self.show_dock(self.player_dock)

    def toggle_player(self) -> None:
        """The bar's button: open the full player, or close it (playback goes on in the bar)."""
        if self.player_dock is not None and self.player_dock.isVisible():
            self.player_dock.close()
        else:
            self.show_player()

    def stop_playback(self) -> None:
        """Stop (Playback ▸ Stop, Ctrl+., the Stop media key): the position is recorded."""
        if self.player is not None:
            self.player.stop()

    def toggle_playback(self) -> None:
        if self.player is not None:
            self.player.toggle_play()

    def show_dock(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    # --- reacting to changes -------------------------------------------------------------------

    def _mark_populated(self) -> None:
        if not self._populated:
            self._populated = True
            if self.isVisible():
                # Background work asked for from now to the first paint (Home's full rows load
                # the recommender, numpy and the model) starts after it: a thread importing
                # then takes the GIL from the paint.
                self.tasks.hold()
                QTimer.singleShot(1_000, self, self.tasks.release)  # no paint (minimised)
            AfterPaint(self, self._after_first_paint)
            self.populated.emit()

    def _after_first_paint(self) -> None:
        self.tasks.release()
        if self._watch:
            self._start_watching()
        self._build_next_page()

    def ensure_player(self) -> PlayerWidget:
        if self.player is None:
            return player_dock.make_player(self)
        return self.player

    def play(self, item_id: int) -> None:
        player = self.ensure_player()
        assert self.player_dock is not None
        if self.player_dock.isHidden():
            self.player_dock.show()
            room = player_dock.player_room(self, player)
            self.resizeDocks([self.player_dock], [room], Qt.Orientation.Vertical)
        player.play_item(item_id)

    def play_from(self, item_id: int, seconds: float) -> None:
        """Play `item_id` from `seconds` (a chapter): once it plays, seek there."""
        self.play(item_id)
        player = self.player
        assert player is not None
        SeekWhenPlaying(player, item_id, seconds)

    def _refresh_built(self, *names: str) -> None:
        # A page not built yet loads fresh content when it is built.
        for name in names:
            page = self._built.get(name)
            if page is not None:
                page.refresh()  # type: ignore[attr-defined]

    def history_changed(self) -> None:
        self.home.refresh()
        self._refresh_built("videos", "podcasts", "history")

    def profile_changed(self, _profile_id: int) -> None:
        self.refresh()
        self._refresh_built("history", "search")

    def refresh(self) -> None:
        """Re-read everything that shows catalogue content (after a scan or a profile switch)."""
        self.home.refresh()
        self._refresh_built("videos", "podcasts")
        if self._errors is not None:  # made later, it reads the problems then
            self._errors.refresh()
        library = self.library
        self.tasks.run(
            lambda: (library.item_count(), bool(library.roots())),
            on_done=while_alive(self, lambda result: self._show_count(*result)),
            on_error=self._failed,
        )

    def _indexed(self) -> None:
        # The worker scanned or embedded: new items, new vectors, maybe new problems.
        self.refresh()
        self._refresh_built("search")

    def _opened(self, has_folders: bool, section: str | None) -> None:
        if self.pages.currentWidget() is not self.home:
            return  # the user (or a test) went somewhere already
        if not has_folders:
            self.pages.setCurrentWidget(self.welcome)
        elif section in SECTIONS:
            self.go_to(section)

    def _show_count(self, count: int, has_folders: bool) -> None:
        # Its own label: the scan's summary in `status` stays readable.
        if not count and not has_folders:
            self.count_label.setText(self.tr("No library folders yet: add one to begin."))
        else:
            self.count_label.setText(self.tr("%n items", "", count))

    def _error_count(self, count: int) -> None:
        self.errors_button.setVisible(count > 0)
        self.errors_button.setText(self.tr("⚠ %n problems", "", count))

    def _folders_added(self) -> None:
        self.go_to("home")
        self.start_scan()

    # --- library folders and scanning ------------------------------------------------------------

    def ask_add_folder(self) -> None:
        folder_scan.ask_add_folder(self)

    def add_folder(self, path: str, kind: str) -> None:
        folder_scan.add_folder(self, path, kind)

    def start_scan(self) -> None:
        folder_scan.start_scan(self)

    def _start_watching(self) -> None:
        if self._watching:
            return
        self._watching = True
        self.tasks.run(
            lambda: self.library.start_watching(self.index_status.on_worker_status),
            on_error=self._failed,
        )

    # --- settings ----------------------------------------------------------------------------

    def open_settings(self, tab: str | None = None) -> SettingsDialog:
        from desktop.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.library, self.tasks, self)
        if tab:
            dialog.show_tab(tab)
        dialog.themeChanged.connect(self._theme_changed)
        dialog.languageChanged.connect(self._language_changed)
        dialog.foldersChanged.connect(self.start_scan)
        dialog.profilesChanged.connect(self.profiles.reload)
        dialog.modelChanged.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _theme_changed(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            appearance.apply_theme(app, theme)

    def _language_changed(self, _language: str) -> None:
        # Widgets keep the strings they were built with; a restart rebuilds them all.
        self.status.setText(self.tr("The new language applies when Reelcast starts again."))

    def _failed(self, exc: Any) -> None:
        self.scan_action.setEnabled(True)
        self.status.setText(statuses.library_error(exc))
        QMessageBox.warning(self, "Reelcast", statuses.library_error(exc))

    def current_section(self) -> str | None:
        """The sidebar section shown (also while a detail page opened from it is up)."""
        row = self.sidebar.currentRow()
        return SECTIONS[row] if 0 <= row < len(SECTIONS) else None

    def check_glyphs(self, sample: str | None = None) -> bool:
        """Warn, without a dialog, when no installed font can draw the UI language (labels
        would be empty boxes); `sample` defaults to the window's own translated labels.
        Returns True when the language can be drawn."""
        labels = (self.sidebar.item(n).text() for n in range(self.sidebar.count()))
        text = sample if sample is not None else "".join(labels)
        missing = glyphs.missing_characters(text)
        if not missing:
            self.language_warning.hide()
            return True
        english = (
            "This language needs a font this system does not have: install one (for Chinese, "
            "Japanese or Korean: fonts-noto-cjk) or choose another language in Settings."
        )
        warning = self.tr(
            "This language needs a font this system does not have: install one (for Chinese, "
            "Japanese or Korean: fonts-noto-cjk) or choose another language in Settings."
        )
        # The translation may be as undrawable as the labels: the English goes with it.
        text = warning if glyphs.can_draw(warning) else f"{english} ({warning})"
        log.warning("no installed font draws %r of the UI language", missing[:8])
        self.language_warning.setText("⚠ " + text)
        self.language_warning.show()
        return False

    def closeEvent(self, event: Any) -> None:
        window_state.save(self)
        if self.player is not None:
            self.player.shutdown()  # records the last position before the app tears down
        super().closeEvent(event)
