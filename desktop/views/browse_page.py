"""The Videos and Podcasts pages: a navigation list of sections and shows, and the chosen one's
items as a lazy list or grid, with filter, sort and played-state controls.

Every engine query (shows, seasons, browse, marks) runs through `Tasks`; each kind of request
carries a generation number so that a result superseded by a newer request is dropped. Display
rows are read by `ItemListModel` a block at a time on the UI thread (one small query).
The navigation pieces live in `browse_nav`, the toolbar and item actions in `browse_toolbar`,
the list and grid views in `browse_grid`; this module wires them and does the loading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models.browse import BLOCK, COLUMNS, ItemListModel
from desktop.models.rows import while_alive
from desktop.models.show_list import ShowListModel
from desktop.tasks import Tasks
from desktop.views.browse_grid import GridDelegate, empty_text, make_grid, make_table
from desktop.views.browse_nav import (
    fetch_sections,
    fill_seasons,
    make_nav,
    make_season_combo,
    natural_sort,
    set_sections,
)
from desktop.views.browse_toolbar import build_item_actions, build_toolbar
from engine.library import BrowseQuery, Library

log = logging.getLogger(__name__)

__all__ = ["BrowsePage", "GridDelegate"]

KINDS = ("videos", "podcasts")
FILTER_DELAY = 200  # ms of quiet typing before the list is re-queried
EPISODELESS_SECTIONS = frozenset({"films", "loose_audio"})  # no season/episode numbers there
DROP_ORDER = ("date", "state", "duration")  # hidden in turn when the title lacks the room


class BrowsePage(QWidget):
    """Videos (`kind="videos"`: Films, then TV shows) or Podcasts (`kind="podcasts"`)."""

    playRequested = Signal(int)
    detailRequested = Signal(int)
    loaded = Signal()  # the item list arrived (tests and status bars wait for it)

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: Callable[[], int | None],
        kind: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.kind = kind
        self._nav_gen = 0
        self._items_gen = 0
        self._seasons_gen = 0
        self._nav_loading = False
        self._items_loading = False
        self._has_content = True  # any show or section at all (for the empty state)
        self._mode = "list"
        self._shown_key: tuple[str, int | None] | None = None  # the section being listed
        self.setAccessibleName(self.tr("Videos") if kind == "videos" else self.tr("Podcasts"))

        self.nav_model = ShowListModel(self)
        self.nav = make_nav(self.nav_model, self, podcasts=kind == "podcasts")
        self.nav.selectionModel().currentChanged.connect(self._nav_changed)

        self.heading = QLabel(self)
        self.heading.setAccessibleName(self.tr("Section"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.season_combo = make_season_combo(self)
        self.season_combo.currentIndexChanged.connect(lambda _n: self._reload_items())

        bar = build_toolbar(self, unplayed_shortcut=kind == "podcasts", video=kind == "videos")
        self.filter_edit = bar.filter_edit
        self.sort_combo, self.state_combo = bar.sort_combo, bar.state_combo
        self.unplayed_only = bar.unplayed_only
        self.list_button, self.grid_button = bar.list_button, bar.grid_button
        self._mode_group = bar.mode_group
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY)
        self._filter_timer.timeout.connect(self._reload_items)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._reload_items)
        find = QAction(self.tr("Find"), self)
        # Ctrl+F belongs to the window (go to Search); two owners would make it ambiguous.
        find.setShortcut(QKeySequence("Ctrl+Shift+F"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(
            lambda: self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.addAction(find)

        self.sort_combo.currentIndexChanged.connect(lambda _n: self._reload_items())
        self.state_combo.currentIndexChanged.connect(self._state_changed)
        self.unplayed_only.toggled.connect(self._unplayed_toggled)
        self.list_button.toggled.connect(lambda on: self.set_view_mode("list" if on else "grid"))
        for keys, mode in (("Ctrl+1", "list"), ("Ctrl+2", "grid")):
            switch = QAction(self)
            switch.setShortcut(QKeySequence(keys))
            switch.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            switch.triggered.connect(lambda _c=False, m=mode: self.set_view_mode(m))
            self.addAction(switch)

        self.model = ItemListModel(library, profile_id_provider, self, tasks)
        # Queued: a failed read happens inside a paint, where the layout must not change.
        self.model.readFailed.connect(self._read_failed, Qt.ConnectionType.QueuedConnection)
        self.table = make_table(self.model, self)
        # The viewport's resize, not the table's: it comes once the new width is known.
        self.table.viewport().installEventFilter(self)
        header = self.table.horizontalHeader()
        # A hidden column's section reads as 0 wide: fitting counts it at its own width.
        self._widths = {c: header.sectionSize(c) for c in range(len(COLUMNS))}
        self._section: str | None = None
        self.grid = make_grid(self.model, self)

        self.empty = QLabel(self)
        self.empty.setAccessibleName(self.tr("Nothing to show"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        for widget in (self.table, self.grid, self.empty):
            self.stack.addWidget(widget)
        self.error = QLabel(self)
        self.error.setAccessibleName(self.tr("Error"))
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        self.error.hide()

        self._make_actions()

        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.season_combo)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(6, 0, 0, 0)
        side.addLayout(heading_row)
        side.addLayout(bar.row())
        side.addWidget(self.error)
        side.addWidget(self.stack, 1)
        self.splitter = QSplitter(self)  # the window saves and restores its sizes
        self.splitter.setObjectName(f"{kind}Splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.refresh()

    # --- actions -------------------------------------------------------------------------------

    def _make_actions(self) -> None:
        actions = build_item_actions(
            self,
            self.stack,
            self._play_current,
            self._details_current,
            self._mark,
            self.show_menu,
            video=self.kind == "videos",
        )
        self.play_action, self.details_action = actions.play, actions.details
        self.mark_played_action = actions.mark_played
        self.mark_unplayed_action = actions.mark_unplayed
        self.menu, self.menu_action = actions.menu, actions.show_menu
        for view in (self.table, self.grid):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._menu_at(v, pos))
            # Double-click plays; Enter is the Play shortcut, so `activated` is not used.
            view.doubleClicked.connect(lambda _index: self._play_current())

    def current_view(self) -> QAbstractItemView:
        return self.grid if self.view_mode() == "grid" else self.table

    def current_item_id(self) -> int | None:
        index = self.current_view().currentIndex()
        if not index.isValid():
            return None
        return self.model.item_id(index.row())

    def _play_current(self) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            self.playRequested.emit(item_id)

    def _details_current(self) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            self.detailRequested.emit(item_id)

    def show_menu(self) -> None:
        """The context menu at the current item (the keyboard way in)."""
        view = self.current_view()
        index = view.currentIndex()
        if not index.isValid() and self.model.rowCount() > 0:
            index = self.model.index(0, 0)
            view.setCurrentIndex(index)
        if index.isValid():
            view.scrollTo(index)
            self._popup(view, view.visualRect(index).center())

    def _menu_at(self, view: QAbstractItemView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
            self._popup(view, pos)

    def _popup(self, view: QAbstractItemView, pos: QPoint) -> None:
        item_id = self.current_item_id()
        row = self.model.cached_row(item_id) if item_id is not None else None
        completed = bool(row and row.get("completed"))
        self.mark_played_action.setEnabled(not completed)
        self.mark_unplayed_action.setEnabled(row is None or completed or bool(row["position"]))
        # popup, not exec: no nested event loop while background results keep arriving.
        self.menu.popup(view.viewport().mapToGlobal(pos))
        self.menu.aboutToHide.connect(self._enable_marks, Qt.ConnectionType.SingleShotConnection)

    def _enable_marks(self) -> None:
        self.mark_played_action.setEnabled(True)
        self.mark_unplayed_action.setEnabled(True)

    def _mark(self, played: bool) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        library, provider = self.library, self.profile_id_provider()

        def work() -> bool:
            profile = library.history.profile(provider).id
            if played:
                return library.history.mark_watched(profile, item_id)
            return library.history.mark_unwatched(profile, item_id)

        def done(_changed: Any) -> None:
            self.model.refresh_item(item_id)
            self.refresh()  # counts in the list of shows, and the state filter

        self.tasks.run(
            work, on_done=while_alive(self, done), on_error=while_alive(self, self._fail)
        )

    # --- view mode -----------------------------------------------------------------------------

    def view_mode(self) -> str:
        return self._mode

    def set_view_mode(self, mode: str) -> None:
        """Show the items as a "list" or a "grid": the same model and current item."""
        if mode not in ("list", "grid"):
            raise ValueError(f"view mode must be list or grid, not {mode!r}")
        if mode == self._mode:
            return
        previous = self.current_view()
        row = previous.currentIndex().row()
        had_focus = previous.hasFocus()
        self._mode = mode
        (self.grid_button if mode == "grid" else self.list_button).setChecked(True)
        view = self.current_view()
        if row >= 0:
            view.setCurrentIndex(self.model.index(row, 0))
            view.scrollTo(self.model.index(row, 0))
        self._show_items_or_empty()
        if had_focus:
            view.setFocus()

    # --- loading -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._nav_loading or self._items_loading

    def _profile(self) -> int | None:
        return self.profile_id_provider()

    def refresh(self) -> None:
        """Re-read the shows, the current show's seasons and the items, in the background; the
        rows already shown are re-read too (played state, progress)."""
        self._nav_gen += 1
        generation = self._nav_gen
        self._nav_loading = True
        library, profile = self.library, self._profile()
        podcasts = self.kind == "podcasts"
        self.tasks.run(
            lambda: fetch_sections(library, podcasts, profile),
            on_done=while_alive(self, lambda result: self._nav_loaded(generation, *result)),
            on_error=while_alive(self, lambda exc: self._nav_failed(generation, exc)),
        )

    def _nav_loaded(self, generation: int, shows: list[dict[str, Any]], loose: bool) -> None:
        if generation != self._nav_gen:
            return
        self._nav_loading = False
        current = self.nav.currentIndex()
        key = self.nav_model.key(current.row()) if current.isValid() else None
        self._has_content = set_sections(self.nav_model, self.kind, shows, loose)
        row = self.nav_model.row_of(key) if key is not None else -1
        if row >= 0 and self.nav.currentIndex().row() == row:
            if key is not None and key[0] == "show" and self.kind == "videos":
                self._load_seasons(key[1], keep=True)
            self._reload_items()
            return
        if row < 0:
            row = 0 if self.nav_model.rowCount() > 0 else -1
        if row >= 0:
            # Selecting runs _nav_changed, which loads seasons and items.
            self.nav.setCurrentIndex(self.nav_model.index(row, 0))
        else:
            self._reload_items()

    def _nav_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._nav_gen:
            return
        self._nav_loading = False
        self._fail(exc)

    def _current_key(self) -> tuple[str, int | None] | None:
        current = self.nav.currentIndex()
        return self.nav_model.key(current.row()) if current.isValid() else None

    def _nav_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.nav_model.key(current.row()) if current.isValid() else None
        self.heading.setText(
            str(current.data(ShowListModel.TitleRole) or "") if current.isValid() else ""
        )
        if key == self._shown_key and key is not None:
            # The same section after the list of shows was rebuilt: keep sort and season.
            self._reload_items()
            return
        self._shown_key = key
        self._set_combo(self.sort_combo, natural_sort(self.kind, key))
        self.season_combo.blockSignals(True)
        self.season_combo.clear()
        self.season_combo.blockSignals(False)
        self.season_combo.hide()
        if key is not None and key[0] == "show" and self.kind == "videos" and key[1] is not None:
            self._load_seasons(key[1], keep=False)
        self._reload_items()

    def _load_seasons(self, show_id: int | None, keep: bool) -> None:
        if show_id is None:
            return
        self._seasons_gen += 1
        generation = self._seasons_gen
        library = self.library
        self.tasks.run(
            lambda: library.seasons(show_id),
            on_done=while_alive(
                self, lambda seasons: self._seasons_loaded(generation, seasons, keep)
            ),
            on_error=while_alive(self, self._fail),
        )

    def _seasons_loaded(
        self, generation: int, seasons: list[tuple[int | None, int]], keep: bool
    ) -> None:
        if generation != self._seasons_gen:
            return
        if fill_seasons(self.season_combo, seasons, keep):
            self._reload_items()  # the chosen season is gone: show them all

    def _query(self) -> BrowseQuery | None:
        key = self._current_key()
        if key is None:
            return None
        section, show_id = key
        season = self.season_combo.currentData() if section == "show" else None
        return BrowseQuery(
            section=section,
            show_id=show_id,
            season=season if isinstance(season, int) else None,
            sort=str(self.sort_combo.currentData() or "title"),
            state=str(self.state_combo.currentData() or "all"),
            text=self.filter_edit.text(),
        )

    def _reload_items(self) -> None:
        self._filter_timer.stop()  # a pending filter is included in this query
        self._items_gen += 1
        generation = self._items_gen
        query = self._query()
        self._section = query.section if query is not None else None
        self.fit_columns()
        if query is None:
            self._items_loaded(generation, [])
            return
        self._items_loading = True
        library, profile = self.library, self._profile()
        self.tasks.run(
            lambda: _ids_and_first_rows(library, query, profile),
            on_done=while_alive(self, lambda result: self._items_loaded(generation, *result)),
            on_error=while_alive(self, lambda exc: self._items_failed(generation, exc)),
        )

    def _items_loaded(
        self,
        generation: int,
        ids: list[int],
        rows: dict[int, dict[str, Any] | None] | None = None,
    ) -> None:
        if generation != self._items_gen:
            return
        self._items_loading = False
        view = self.current_view()
        current = self.current_item_id()
        row = view.currentIndex().row()
        self.model.set_ids(ids, rows)
        if current is not None and self.model.rowCount() > 0:
            # Keep the keyboard user's place: the same item, or the row that took its place.
            found = self.model.row_of(current)
            target = found if found >= 0 else min(row, self.model.rowCount() - 1)
            if view.currentIndex().row() != target:
                view.setCurrentIndex(self.model.index(target, 0))
        if self.model.last_error is None:
            self.error.hide()
        self._show_items_or_empty()
        self.loaded.emit()

    def _items_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._items_gen:
            return
        self._items_loading = False
        self._fail(exc)

    def _read_failed(self, message: str) -> None:
        self._fail(RuntimeError(message))

    def _fail(self, exc: Exception) -> None:
        log.warning("browse page: %s", exc)
        self.error.setText(self.tr("Could not read the library: %1").replace("%1", str(exc)))
        self.error.show()

    # --- filters -------------------------------------------------------------------------------

    @staticmethod
    def _set_combo(combo: QComboBox, key: str) -> None:
        at = combo.findData(key)
        if at >= 0 and at != combo.currentIndex():
            combo.blockSignals(True)
            combo.setCurrentIndex(at)
            combo.blockSignals(False)

    def _state_changed(self, _n: int) -> None:
        self.unplayed_only.blockSignals(True)
        self.unplayed_only.setChecked(self.state_combo.currentData() == "unplayed")
        self.unplayed_only.blockSignals(False)
        self._reload_items()

    def _unplayed_toggled(self, on: bool) -> None:
        # The quick filter is a shortcut for the state combo; it stays in step with it.
        self.state_combo.setCurrentIndex(self.state_combo.findData("unplayed" if on else "all"))

    def _filtered(self) -> bool:
        return bool(self.filter_edit.text().strip()) or self.state_combo.currentData() != "all"

    # --- columns -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Give the title the room: columns with nothing to show here are hidden (Episode for
        films and loose files, Show everywhere: the page lists one show at a time), then, while
        the title would get less than `title_min_width`, the least needed columns (Date, then
        the played state, then Duration)."""
        hidden = {COLUMNS.index("show")}
        if self._section in EPISODELESS_SECTIONS:
            hidden.add(COLUMNS.index("episode"))
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        for name in (None, *DROP_ORDER):
            if name is not None:
                hidden.add(COLUMNS.index(name))
            others = sum(
                max(header.sectionSize(c), self._widths.get(c, 0))
                for c in range(1, len(COLUMNS))
                if c not in hidden
            )
            if room - others >= self.title_min_width():
                break
        for column in range(1, len(COLUMNS)):
            self.table.setColumnHidden(column, column in hidden)

    def title_min_width(self) -> int:
        # About 28 characters of the table's font: enough to tell titles apart.
        return self.table.fontMetrics().averageCharWidth() * 28

    def _show_items_or_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.current_view())
            return
        self.empty.setText(
            empty_text(
                self.kind, self.loading, self._filtered(), self._current_key(), self._has_content
            )
        )
        self.stack.setCurrentWidget(self.empty)


def _ids_and_first_rows(
    library: Library, query: Any, profile: int | None
) -> tuple[list[int], dict[int, dict[str, Any] | None]]:
    """The ids in order and the display rows of the first block (the first screen paints with
    no further read)."""
    ids = library.browse(query, profile)
    first = ids[:BLOCK]
    fetched = library.item_rows(first, profile) if first else {}
    return ids, {i: fetched.get(i) for i in first}
