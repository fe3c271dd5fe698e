"""The Search page: one field, results as you type, a few filters.

Results are the engine's matches (the count says how many), then, apart under "Closest
matches", the few items just below its cut-off; "Show more" asks for the rest. Below them the
passages said in episodes (desktop/views/passage_results.py).

Typing restarts a short timer; when it fires, one `library.search` runs in the background and
a generation counter drops any result a newer query has superseded. `Library.search` only uses
the embedding model once it is loaded (keyword matches before that), so the first search also
loads the model in the background and searches again when it is ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.art import ArtProvider
from desktop.models.rows import while_alive
from desktop.models.search_results import SearchResultsModel
from desktop.tasks import Tasks
from desktop.views.passage_results import PassageResults
from desktop.views.search_delegate import ResultDelegate
from engine.library import Library, SearchFilters

log = logging.getLogger(__name__)

__all__ = ["SearchPage"]

ProfileIdProvider = Callable[[], int | None]
Found = tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]  # hits, their display rows

DEBOUNCE_MS = 250  # long enough to skip the keystrokes of a word, short enough to feel live
RESULTS = 50  # matches at most; "Show more" lists this many whatever their score
VIDEO_KINDS = ("movie", "episode", "video")
PODCAST_KINDS = ("podcast",)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchPage(QWidget):
    """Search the library; Enter opens a result's details, Ctrl+Enter plays it."""

    playRequested = Signal(int)
    detailRequested = Signal(int)
    searched = Signal()  # results (or "no results") for the current query are on screen

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        profile_id_provider: ProfileIdProvider = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.profile_id_provider = profile_id_provider
        self.setAccessibleName(self.tr("Search"))

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Search your library"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName(self.tr("Search your library"))
        self.edit.setAccessibleDescription(
            self.tr("Results appear as you type. Down moves to the results.")
        )

        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        self.kind_combo.addItem(self.tr("All"), ())
        self.kind_combo.addItem(self.tr("Videos"), VIDEO_KINDS)
        self.kind_combo.addItem(self.tr("Podcasts"), PODCAST_KINDS)
        kind_label = QLabel(self.tr("&Kind:"), self)
        kind_label.setBuddy(self.kind_combo)

        self.language_combo = QComboBox(self)
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.addItem(self.tr("Any language"), None)
        language_label = QLabel(self.tr("&Language:"), self)
        language_label.setBuddy(self.language_combo)

        self.unwatched_check = QCheckBox(self.tr("&Unwatched only"), self)
        self.unwatched_check.setAccessibleName(self.tr("Unwatched only"))

        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Search status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = SearchResultsModel(library, self)
        self.results_view = QListView(self)
        self.results_view.setAccessibleName(self.tr("Search results"))
        self.results_view.setAccessibleDescription(
            self.tr("Enter shows the details of the selected result; Ctrl+Enter plays it.")
        )
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(
            ResultDelegate(self.results_view, ArtProvider.shared(library, tasks))
        )
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setMouseTracking(True)  # descriptions as tooltips

        self.more_button = QPushButton(self.tr("Show &more"), self)
        self.more_button.setAccessibleName(self.tr("Show more results"))
        self.more_button.setToolTip(self.tr("List more items, however loosely they match"))
        self.more_button.hide()

        self.details_button = QPushButton(self.tr("&Details"), self)
        self.details_button.setAccessibleName(self.tr("Show details"))
        self.play_button = QPushButton(self.tr("&Play"), self)
        self.play_button.setAccessibleName(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Play the selected result (Ctrl+Enter)"))

        filters = QHBoxLayout()
        filters.addWidget(kind_label)
        filters.addWidget(self.kind_combo)
        filters.addSpacing(12)
        filters.addWidget(language_label)
        filters.addWidget(self.language_combo)
        filters.addSpacing(12)
        filters.addWidget(self.unwatched_check)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.play_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addLayout(filters)
        layout.addWidget(self.results_view, 1)
        self.passages = PassageResults(library, tasks, self)  # "Said in episodes"
        layout.addWidget(self.passages)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.edit, self.kind_combo)
        QWidget.setTabOrder(self.kind_combo, self.language_combo)
        QWidget.setTabOrder(self.language_combo, self.unwatched_check)
        QWidget.setTabOrder(self.unwatched_check, self.results_view)
        QWidget.setTabOrder(self.results_view, self.more_button)
        QWidget.setTabOrder(self.more_button, self.details_button)
        QWidget.setTabOrder(self.details_button, self.play_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_search)
        self._generation = 0  # bumps with every search; older results are dropped
        self._query = ""  # the text of the newest search
        self._more = False  # the current search lists everything ("Show more")
        self._searching = False
        self._preparing = False  # the embedding model is loading
        self._model_error: str | None = None
        self._languages: set[str] = set()

        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.kind_combo.currentIndexChanged.connect(lambda _n: self._filters_changed())
        self.language_combo.currentIndexChanged.connect(lambda _n: self._filters_changed())
        self.unwatched_check.toggled.connect(lambda _on: self._filters_changed())
        self.results_view.doubleClicked.connect(lambda _index: self.open_current())
        self.details_button.clicked.connect(lambda _checked=False: self.open_current())
        self.play_button.clicked.connect(lambda _checked=False: self.play_current())
        self.more_button.clicked.connect(lambda _checked=False: self.show_more())
        self.model.modelReset.connect(self._update_buttons)
        self.edit.installEventFilter(self)
        self.results_view.installEventFilter(self)
        self._update_buttons()

    # --- public --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Search again for what is in the field (the library or the profile changed)."""
        self._run_search()

    def set_query(self, text: str) -> None:
        """Put `text` in the field and search at once (no typing delay)."""
        self.edit.setText(text)
        self._run_search()

    def query(self) -> str:
        return self.edit.text()

    def show_more(self) -> None:
        """Search again for the current text, listing items below the cut-off too."""
        self._run_search(more=True)

    def focus_search(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    @property
    def searching(self) -> bool:
        """A search for the current text has not come back yet (or is about to start)."""
        return self._searching or self._timer.isActive()

    def filters(self) -> SearchFilters:
        kinds = self.kind_combo.currentData()
        language = self.language_combo.currentData()
        return SearchFilters(
            kinds=tuple(kinds or ()),
            language=language or None,
            unwatched=self.unwatched_check.isChecked(),
            profile_id=self.profile_id_provider(),
        )

    def current_item_id(self) -> int | None:
        index = self.results_view.currentIndex()
        if not index.isValid() or index.row() == self.model.header_row():
            return None
        return self.model.item_id(index.row())

    def open_current(self) -> None:
        item_id = self._current_or_first()
        if item_id is not None:
            self.detailRequested.emit(item_id)

    def play_current(self) -> None:
        item_id = self._current_or_first()
        if item_id is not None:
            self.playRequested.emit(item_id)

    def languages(self) -> list[str]:
        """Language codes offered in the language filter (those seen in results)."""
        return sorted(self._languages)

    # --- searching -----------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        if self.edit.text().strip():
            self._run_search()

    def _run_search(self, more: bool = False) -> None:
        self._timer.stop()
        self._more = more
        self._generation += 1
        generation = self._generation
        text = self.edit.text().strip()
        self._query = text
        self.passages.search(text, self.filters() if text else None)
        if not text:
            self._searching = False
            self.model.clear()
            self.status.clear()
            self.more_button.hide()
            self.searched.emit()
            return
        if not self.library.model_ready:
            self._prepare_model()
        self._searching = True
        self.status.setText(
            self.tr("Preparing search…") if self._preparing else self.tr("Searching…")
        )
        filters = self.filters()
        library = self.library
        profile = self.profile_id_provider()

        def run() -> Found:
            if more:
                found = library.search(text, RESULTS, filters, more=True)
            else:
                found = library.search(text, RESULTS, filters)
            # The rows' display columns too, here: painting them must not read the database.
            return found, library.item_rows([int(hit["id"]) for hit in found], profile)

        self.tasks.run(
            run,
            on_done=while_alive(self, lambda done: self._searched(generation, profile, *done)),
            on_error=while_alive(self, lambda exc: self._search_failed(generation, exc)),
        )

    def _searched(
        self,
        generation: int,
        profile: int | None,
        found: Sequence[dict[str, Any]],
        rows: Mapping[int, dict[str, Any]],
    ) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self._searching = False
        self._add_languages(str(hit["language"]) for hit in found if hit.get("language"))
        self.model.set_results(found, profile, rows)
        if self.model.rowCount():
            first = 1 if self.model.header_row() == 0 else 0
            self.results_view.setCurrentIndex(self.model.index(first, 0))
        self.status.setText(self._count_text(self.model.match_count()))
        # More exists when the engine cut the list short; none once everything is listed.
        self.more_button.setVisible(bool(found) and not self._more)
        self.searched.emit()

    def _count_text(self, count: int) -> str:
        if count:
            text = self.tr("%n results", "", count)
        elif self.model.rowCount():
            text = self.tr('No results for "%1"; the closest matches are below.').replace(
                "%1", self._query
            )
        else:
            text = self.tr('No results for "%1"').replace("%1", self._query)
        if self._preparing:
            # Keyword matches only until the model is loaded; then the search runs again.
            return text + " " + self.tr("(preparing search by meaning…)")
        if self._model_error:
            return (
                text + " " + self.tr("(keyword matches only: %1)").replace("%1", self._model_error)
            )
        return text

    def _search_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._searching = False
        self.model.clear()
        self.status.setText(self.tr("Search failed: %1").replace("%1", str(exc)))
        self.searched.emit()

    def _prepare_model(self) -> None:
        if self._preparing or self._model_error:
            return
        self._preparing = True
        library = self.library
        self.tasks.run(
            lambda: library.model(),
            on_done=while_alive(self, lambda _model: self._model_ready()),
            on_error=while_alive(self, self._model_failed),
        )

    def _model_ready(self) -> None:
        self._preparing = False
        if self._query:
            self._run_search()  # now with the meaning of the words, not only the words

    def _model_failed(self, exc: Exception) -> None:
        self._preparing = False
        self._model_error = str(exc)
        if self._query and not self._searching:
            self.status.setText(self._count_text(self.model.match_count()))

    def _add_languages(self, codes: Any) -> None:
        new = set(codes) - self._languages
        if not new:
            return
        self._languages |= new
        current = self.language_combo.currentData()
        self.language_combo.blockSignals(True)  # refilling is not a filter change
        try:
            while self.language_combo.count() > 1:
                self.language_combo.removeItem(1)
            for code in sorted(self._languages, key=_language_name):
                self.language_combo.addItem(_language_name(code), code)
            self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(current)))
        finally:
            self.language_combo.blockSignals(False)

    # --- keyboard ------------------------------------------------------------------------------

    def _current_or_first(self) -> int | None:
        item_id = self.current_item_id()
        if item_id is None and self.model.rowCount():
            item_id = self.model.item_id(1 if self.model.header_row() == 0 else 0)
        return item_id

    def _update_buttons(self) -> None:
        has = self.model.rowCount() > 0
        self.details_button.setEnabled(has)
        self.play_button.setEnabled(has)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.edit, self.results_view)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key in _ENTER_KEYS and modifiers == Qt.KeyboardModifier.ControlModifier:
                self.play_current()
                return True
            if key in _ENTER_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
                if watched is self.edit and self._timer.isActive():
                    self._run_search()  # Enter before the pause: search now, open nothing yet
                    return True
                self.open_current()
                return True
            if watched is self.edit and key == Qt.Key.Key_Down and self.model.rowCount():
                if not self.results_view.currentIndex().isValid():
                    first = 1 if self.model.header_row() == 0 else 0
                    self.results_view.setCurrentIndex(self.model.index(first, 0))
                self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)


def _language_name(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    name = QLocale.languageToString(locale.language())
    return f"{name} ({code})" if name else code
