"""The Videos and Podcasts pages: a navigation list of sections and shows, and the chosen one's
items as a lazy list or grid, with filter, sort and played-state controls.

Every engine query (shows, seasons, browse, marks) runs through `Tasks`; each kind of request
carries a generation number so that a result superseded by a newer request is dropped. Display
rows are read by `ItemListModel` a block at a time on the UI thread (one small query).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFontMetrics, QImage, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.browse import GRID_ART, ItemListModel, ShowListModel
from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import Library
from engine.store.browse_sql import SORTS, STATES, BrowseQuery

log = logging.getLogger(__name__)

__all__ = ["BrowsePage", "GridDelegate"]

KINDS = ("videos", "podcasts")
FILTER_DELAY = 200  # ms of quiet typing before the list is re-queried
_AUDIO_KINDS = frozenset({"podcast", "audio"})
_PAD = 6
_BAR = 3


class GridDelegate(QStyledItemDelegate):
    """A grid tile: artwork (or a placeholder), a thin progress bar, title and one more line."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Fixed, without reading the model: the grid lays out 100k tiles without fetching any.
        lines = QFontMetrics(option.font).lineSpacing() * 2
        return QSize(GRID_ART.width() + 2 * _PAD, GRID_ART.height() + lines + 3 * _PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        art = QRect(rect.x() + _PAD, rect.y() + _PAD, GRID_ART.width(), GRID_ART.height())
        image = index.data(ItemListModel.ArtworkRole)
        if isinstance(image, QImage) and not image.isNull():
            painter.fillRect(art, palette.color(QPalette.ColorRole.Dark))
            size = image.size().scaled(art.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(art.center())
            painter.drawImage(target, image)
        else:
            painter.fillRect(art, palette.color(QPalette.ColorRole.Mid))
            audio = index.data(ItemListModel.KindRole) in _AUDIO_KINDS
            icon = QApplication.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaVolume
                if audio
                else QStyle.StandardPixmap.SP_MediaPlay
            )
            icon_rect = QRect(0, 0, 32, 32)
            icon_rect.moveCenter(art.center())
            icon.paint(painter, icon_rect)
        played = index.data(ItemListModel.PlayedRole)
        progress = index.data(ItemListModel.ProgressRole)
        fraction = 1.0 if played == "played" else progress
        if isinstance(fraction, float) and fraction > 0:
            bar = QRect(art.left(), art.bottom() - _BAR + 1, art.width(), _BAR)
            painter.fillRect(bar, QColor(0, 0, 0, 120))
            bar.setWidth(max(1, round(art.width() * fraction)))
            colour = (
                palette.color(QPalette.ColorRole.Light)
                if played == "played"
                else palette.color(QPalette.ColorRole.Highlight)
            )
            painter.fillRect(bar, colour)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        text_rect = QRect(art.left(), art.bottom() + _PAD, art.width(), line)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.setPen(palette.color(text_role))
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, art.width()),
        )
        subtitle = str(index.data(ItemListModel.SubtitleRole) or "")
        if played == "played":
            subtitle = " · ".join(p for p in (subtitle, self.tr("Played")) if p)
        text_rect.translate(0, line)
        colour = palette.color(text_role)
        colour.setAlpha(170)  # the second line is quieter
        painter.setPen(colour)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, art.width()),
        )
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


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
        self.nav = QListView(self)
        self.nav.setModel(self.nav_model)
        self.nav.setAccessibleName(self.tr("Shows") if kind == "podcasts" else self.tr("Sections"))
        self.nav.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.nav.setIconSize(QSize(40, 40))
        self.nav.setSpacing(2)
        self.nav.setMinimumWidth(180)
        self.nav.selectionModel().currentChanged.connect(self._nav_changed)

        self.heading = QLabel(self)
        self.heading.setAccessibleName(self.tr("Section"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.season_combo = QComboBox(self)
        self.season_combo.setAccessibleName(self.tr("Season"))
        self.season_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.season_combo.hide()
        self.season_combo.currentIndexChanged.connect(lambda _n: self._reload_items())

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by title"))
        self.filter_edit.setAccessibleName(self.tr("Filter by title"))
        self.filter_edit.setClearButtonEnabled(True)
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

        self.sort_combo = QComboBox(self)
        self.sort_combo.setAccessibleName(self.tr("Sort by"))
        for key, label in self._sort_labels().items():
            self.sort_combo.addItem(label, key)
        self.sort_combo.currentIndexChanged.connect(lambda _n: self._reload_items())
        self.state_combo = QComboBox(self)
        self.state_combo.setAccessibleName(self.tr("Show items"))
        for key, label in self._state_labels().items():
            self.state_combo.addItem(label, key)
        self.state_combo.currentIndexChanged.connect(self._state_changed)
        self.unplayed_only = QCheckBox(self.tr("&Unplayed only"), self)
        self.unplayed_only.setAccessibleName(self.tr("Unplayed only"))
        self.unplayed_only.toggled.connect(self._unplayed_toggled)
        self.unplayed_only.setVisible(kind == "podcasts")

        self.list_button = QToolButton(self)
        self.list_button.setText(self.tr("List"))
        self.list_button.setAccessibleName(self.tr("Show as a list"))
        self.list_button.setToolTip(self.tr("Show as a list (Ctrl+1)"))
        self.grid_button = QToolButton(self)
        self.grid_button.setText(self.tr("Grid"))
        self.grid_button.setAccessibleName(self.tr("Show as a grid"))
        self.grid_button.setToolTip(self.tr("Show as a grid (Ctrl+2)"))
        self._mode_group = QButtonGroup(self)
        for button in (self.list_button, self.grid_button):
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self._mode_group.addButton(button)
        self.list_button.setChecked(True)
        self.list_button.toggled.connect(lambda on: self.set_view_mode("list" if on else "grid"))
        for keys, mode in (("Ctrl+1", "list"), ("Ctrl+2", "grid")):
            switch = QAction(self)
            switch.setShortcut(QKeySequence(keys))
            switch.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            switch.triggered.connect(lambda _c=False, m=mode: self.set_view_mode(m))
            self.addAction(switch)

        self.model = ItemListModel(library, profile_id_provider, self)
        # Queued: a failed read happens inside a paint, where the layout must not change.
        self.model.readFailed.connect(self._read_failed, Qt.ConnectionType.QueuedConnection)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Items"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(56, 32))
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never asks the model for sizes, so rows stay unfetched.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 160), (2, 70), (3, 90), (4, 70), (5, 120)):
            header.resizeSection(column, width)
        self.table.setColumnHidden(1, True)  # the page lists one show at a time: it is the heading

        self.grid = QListView(self)
        self.grid.setModel(self.model)
        self.grid.setModelColumn(0)
        self.grid.setAccessibleName(self.tr("Items"))
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setUniformItemSizes(True)
        self.grid.setSpacing(6)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setItemDelegate(GridDelegate(self.grid))

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
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.filter_edit, 1)
        toolbar.addWidget(self.sort_combo)
        toolbar.addWidget(self.state_combo)
        toolbar.addWidget(self.unplayed_only)
        toolbar.addWidget(self.list_button)
        toolbar.addWidget(self.grid_button)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(6, 0, 0, 0)
        side.addLayout(heading_row)
        side.addLayout(toolbar)
        side.addWidget(self.error)
        side.addWidget(self.stack, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.refresh()

    # --- labels --------------------------------------------------------------------------------

    def _sort_labels(self) -> dict[str, str]:
        labels = {
            "title": self.tr("Title"),
            "added": self.tr("Recently added"),
            "newest": self.tr("Newest first"),
            "oldest": self.tr("Oldest first"),
            "episode": self.tr("Episode order"),
            "duration": self.tr("Shortest first"),
        }
        return {key: labels.get(key, key) for key in SORTS}

    def _state_labels(self) -> dict[str, str]:
        labels = {
            "all": self.tr("All"),
            "unplayed": self.tr("Unplayed"),
            "in_progress": self.tr("In progress"),
            "played": self.tr("Played"),
        }
        return {key: labels.get(key, key) for key in STATES}

    # --- actions -------------------------------------------------------------------------------

    def _make_actions(self) -> None:
        def action(text: str, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
            made = QAction(text, self)
            made.setShortcuts(keys)
            # Active while focus is in the list or the grid (both live in the stack).
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(lambda _checked=False: slot())
            self.stack.addAction(made)
            return made

        self.play_action = action(
            self.tr("&Play"),
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
            self._play_current,
        )
        self.details_action = action(
            self.tr("&Details"), [QKeySequence("Ctrl+I")], self._details_current
        )
        self.mark_played_action = action(
            self.tr("Mark p&layed"), [QKeySequence(Qt.Key.Key_W)], lambda: self._mark(True)
        )
        self.mark_unplayed_action = action(
            self.tr("Mark &unplayed"),
            [QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_W)],
            lambda: self._mark(False),
        )
        self.menu = QMenu(self)
        self.menu.setAccessibleName(self.tr("Item actions"))
        self.menu.addAction(self.play_action)
        self.menu.addAction(self.details_action)
        self.menu.addSeparator()
        self.menu.addAction(self.mark_played_action)
        self.menu.addAction(self.mark_unplayed_action)
        self.menu_action = action(
            self.tr("Show item actions"),
            [QKeySequence(Qt.Key.Key_Menu), QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F10)],
            self.show_menu,
        )
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

        def fetch() -> tuple[list[dict[str, Any]], bool]:
            shows = library.shows("podcast" if podcasts else "tv", profile)
            # Loose audio only gets an entry when there is some.
            loose = podcasts and bool(library.browse(BrowseQuery("loose_audio"), profile))
            return shows, loose

        self.tasks.run(
            fetch,
            on_done=while_alive(self, lambda result: self._nav_loaded(generation, *result)),
            on_error=while_alive(self, lambda exc: self._nav_failed(generation, exc)),
        )

    def _nav_loaded(self, generation: int, shows: list[dict[str, Any]], loose: bool) -> None:
        if generation != self._nav_gen:
            return
        self._nav_loading = False
        current = self.nav.currentIndex()
        key = self.nav_model.key(current.row()) if current.isValid() else None
        if self.kind == "videos":
            self.nav_model.set_shows(shows, before=[("films", self.tr("Films"))])
        else:
            # Podcasts: the shows first, then loose audio files when there are any.
            other = [("loose_audio", self.tr("Other audio"))] if loose else []
            self.nav_model.set_shows(shows, after=other)
        self._has_content = bool(shows) or self.kind == "videos" or loose
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
        # Each section opens in its natural order: films by title, TV in episode order,
        # podcasts newest first.
        if key is None:
            sort = "title"
        elif self.kind == "podcasts":
            sort = "newest"
        else:
            sort = "episode" if key[0] == "show" else "title"
        self._set_combo(self.sort_combo, sort)
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
        chosen = self.season_combo.currentData() if keep else None
        numbered = [season for season, _count in seasons if season is not None]
        self.season_combo.blockSignals(True)
        self.season_combo.clear()
        self.season_combo.addItem(self.tr("All seasons"), None)
        for season in numbered:
            self.season_combo.addItem(self.tr("Season %1").replace("%1", str(season)), season)
        at = self.season_combo.findData(chosen) if chosen is not None else 0
        self.season_combo.setCurrentIndex(max(at, 0))
        self.season_combo.blockSignals(False)
        self.season_combo.setVisible(bool(numbered))
        if chosen is not None and at < 0:
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
        if query is None:
            self._items_loaded(generation, [])
            return
        self._items_loading = True
        library, profile = self.library, self._profile()
        self.tasks.run(
            lambda: library.browse(query, profile),
            on_done=while_alive(self, lambda ids: self._items_loaded(generation, ids)),
            on_error=while_alive(self, lambda exc: self._items_failed(generation, exc)),
        )

    def _items_loaded(self, generation: int, ids: list[int]) -> None:
        if generation != self._items_gen:
            return
        self._items_loading = False
        view = self.current_view()
        current = self.current_item_id()
        row = view.currentIndex().row()
        self.model.set_ids(ids)
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

    def _show_items_or_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.current_view())
            return
        if self.loading:
            self.empty.setText(self.tr("Loading…"))
        elif self._filtered():
            self.empty.setText(self.tr("Nothing matches these filters"))
        elif self.kind == "videos":
            key = self._current_key()
            if key is not None and key[0] == "show":
                self.empty.setText(self.tr("This show has no episodes"))
            else:
                self.empty.setText(self.tr("No films yet — add a video folder in Settings"))
        elif not self._has_content:
            self.empty.setText(self.tr("No podcasts yet — add a podcast folder in Settings"))
        else:
            self.empty.setText(self.tr("No episodes"))
        self.stack.setCurrentWidget(self.empty)
