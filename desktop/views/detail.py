"""One item in full: artwork, metadata, its files and their state, this profile's history of it,
the actions on it, and a More like this shelf.

Two background loads per item: the details (catalogue, scan errors, history, artwork decoded
off the UI thread; `detail_load`) and the similar items (which may load the embedding model,
seconds; `detail_similar`). Each has its own generation counter, so a late result for a previous
item is dropped. The texts and the history section are built in `detail_sections`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.models.formatting import clock
from desktop.models.rows import plain_reason, while_alive
from desktop.models.search_results import kind_text
from desktop.tasks import Tasks
from desktop.views.detail_load import ART, HISTORY_LIMIT, ItemDetails, load_details
from desktop.views.detail_sections import (
    facts_text,
    files_text,
    fill_history,
    heading,
    history_section,
    subtitle_text,
)
from desktop.views.detail_similar import SIMILAR, MoreLikeThis
from desktop.views.home import RowShelf
from engine.library import Library

if TYPE_CHECKING:
    from engine.recommend.history import History

log = logging.getLogger(__name__)

__all__ = ["ART", "HISTORY_LIMIT", "SIMILAR", "DetailView", "ItemDetails", "load_details"]

ProfileIdProvider = Callable[[], int | None]


class DetailView(QWidget):
    """The detail page for one item; `show_item(item_id)` fills it in the background."""

    playRequested = Signal(int)
    detailRequested = Signal(int)  # an item of More like this was opened
    backRequested = Signal()
    historyChanged = Signal()  # this view changed the profile's history (marks, feedback)
    loaded = Signal()  # the details of the current item are on screen
    similarLoaded = Signal()  # More like this is filled (or failed)

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
        self.setAccessibleName(self.tr("Details"))

        self._item_id: int | None = None
        self._reason: str | None = None
        self._details: ItemDetails | None = None
        self._generation = 0  # details; More like this keeps its own
        self._busy = 0  # history changes in flight: their buttons stay disabled

        self._build()
        self._clear()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton(self.tr("Back"), self)
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.setToolTip(self.tr("Back (Esc, Alt+Left)"))
        self.back_button.clicked.connect(lambda _checked=False: self.backRequested.emit())
        self.back_action = QAction(self.tr("Back"), self)
        self.back_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left)]
        )
        self.back_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.back_action.triggered.connect(lambda _checked=False: self.backRequested.emit())
        self.addAction(self.back_action)

        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Details status"))
        self.status.setWordWrap(True)

        content = QWidget()
        self.artwork = QLabel(content)
        self.artwork.setFixedSize(ART)
        self.artwork.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.artwork.setFrameShape(QFrame.Shape.StyledPanel)
        self.artwork.setAccessibleName(self.tr("Artwork"))

        selectable = (
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.title_label = QLabel(content)
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(selectable)
        self.title_label.setAccessibleName(self.tr("Title"))
        self.subtitle_label = QLabel(content)  # show, season/episode, date, duration, kind
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setTextInteractionFlags(selectable)
        self.subtitle_label.setAccessibleName(self.tr("Show and episode"))
        self.facts_label = QLabel(content)  # genres, people, language, rating
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(selectable)
        self.facts_label.setAccessibleName(self.tr("Facts"))
        self.reason_label = QLabel(content)
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName(self.tr("Why it was recommended"))

        self.play_button = QPushButton(self.tr("&Play"), content)
        self.watched_button = QPushButton(self.tr("Mark &watched"), content)
        self.like_button = QPushButton(self.tr("&Like"), content)
        self.like_button.setCheckable(True)
        self.not_interested_button = QPushButton(self.tr("&Not interested"), content)
        self.not_interested_button.setCheckable(True)
        for button, name in (
            (self.play_button, self.tr("Play")),
            (self.watched_button, self.tr("Mark watched or unwatched")),
            (self.like_button, self.tr("Like")),
            (self.not_interested_button, self.tr("Not interested")),
        ):
            button.setAccessibleName(name)
        self.play_button.clicked.connect(lambda _checked=False: self._play())
        self.watched_button.clicked.connect(lambda _checked=False: self.toggle_watched())
        self.like_button.clicked.connect(lambda _checked=False: self.toggle_like())
        self.not_interested_button.clicked.connect(
            lambda _checked=False: self.toggle_not_interested()
        )

        actions = QHBoxLayout()
        for button in (
            self.play_button,
            self.watched_button,
            self.like_button,
            self.not_interested_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        info = QVBoxLayout()
        info.addWidget(self.title_label)
        info.addWidget(self.subtitle_label)
        info.addWidget(self.facts_label)
        info.addWidget(self.reason_label)
        info.addStretch(1)
        info.addLayout(actions)
        header = QHBoxLayout()
        header.addWidget(self.artwork, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(info, 1)

        self.description_label = QLabel(content)
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        self.description_label.setTextInteractionFlags(selectable)
        self.description_label.setAccessibleName(self.tr("Description"))
        self.description_label.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum
        )

        self.files_label = QLabel(content)
        self.files_label.setWordWrap(True)
        self.files_label.setTextFormat(Qt.TextFormat.PlainText)
        self.files_label.setTextInteractionFlags(selectable)
        self.files_label.setAccessibleName(self.tr("Files"))
        files_heading = heading(self.tr("Files"), content)
        files_heading.setBuddy(self.files_label)

        history = history_section(content, self.remove_selected_event, self._update_buttons)
        self.history_list = history.history_list  # at most HISTORY_LIMIT entries
        self.remove_button = history.remove_button

        self.similar = RowShelf(self.library, self.tasks, content)
        self.more_like_this = MoreLikeThis(
            self.library, self.tasks, self._profile, self.similar, self
        )
        self.open_similar_action = self.more_like_this.open_action
        self.more_like_this.playRequested.connect(self.playRequested)
        self.more_like_this.detailRequested.connect(self.detailRequested)
        self.more_like_this.historyChanged.connect(self.historyChanged)
        self.more_like_this.loaded.connect(self.similarLoaded)
        self.more_like_this.changeFailed.connect(self.status.setText)

        body = QVBoxLayout(content)
        body.addLayout(header)
        body.addWidget(heading(self.tr("Description"), content))
        body.addWidget(self.description_label)
        body.addWidget(files_heading)
        body.addWidget(self.files_label)
        body.addWidget(history.heading)
        body.addLayout(history.row)
        body.addWidget(self.similar)
        body.addStretch(1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)

    # --- public --------------------------------------------------------------------------------

    def item_id(self) -> int | None:
        return self._item_id

    def details(self) -> ItemDetails | None:
        """What is on screen for the current item (None until it has loaded)."""
        return self._details

    def show_item(self, item_id: int, reason: str | None = None) -> None:
        """Show `item_id`; `reason` is why it was recommended, when it came from a row."""
        if item_id != self._item_id:
            self._clear()
        self._item_id = item_id
        self._reason = reason
        self._show_reason()
        self._load_details()
        self._load_similar()

    def refresh(self) -> None:
        """Read the current item again (files, history, similar items)."""
        if self._item_id is not None:
            self._load_details()
            self._load_similar()

    def timeline(self) -> list[dict[str, Any]]:
        return list(self._details.timeline) if self._details is not None else []

    # --- loading -------------------------------------------------------------------------------

    def _profile(self) -> int | None:
        return self.profile_id_provider()

    def _load_details(self) -> None:
        item_id = self._item_id
        if item_id is None:
            return
        self._generation += 1
        generation = self._generation
        library, profile = self.library, self._profile()
        if self._details is None:
            self.status.setText(self.tr("Loading…"))
        self.tasks.run(
            lambda: load_details(library, item_id, profile),
            on_done=while_alive(self, lambda d: self._details_loaded(generation, d)),
            on_error=while_alive(self, lambda exc: self._details_failed(generation, exc)),
        )

    def _details_loaded(self, generation: int, details: ItemDetails) -> None:
        if generation != self._generation:
            return  # a newer load (another item, or after a change) is on its way
        self._details = details
        self.status.clear()
        item = details.item
        self.title_label.setText(str(item.get("title") or ""))
        self.subtitle_label.setText(subtitle_text(item))
        facts = facts_text(item)
        self.facts_label.setText(facts)
        self.facts_label.setVisible(bool(facts))
        description = str(item.get("description") or item.get("show_description") or "")
        self.description_label.setText(description or self.tr("No description."))
        self.files_label.setText(files_text(item, details.scan_errors))
        if details.image is not None:
            pixmap = QPixmap.fromImage(details.image).scaled(
                ART * self.devicePixelRatioF(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            self.artwork.setPixmap(pixmap)
        else:
            self.artwork.setPixmap(QPixmap())
            self.artwork.setText(kind_text(item.get("kind")))
        fill_history(self.history_list, details.timeline)
        self._update_buttons()
        self.loaded.emit()

    def _details_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.status.setText(self.tr("Could not show this item: %1").replace("%1", str(exc)))
        self._update_buttons()
        self.loaded.emit()

    def _load_similar(self) -> None:
        self.more_like_this.load(self._item_id)

    # --- showing -------------------------------------------------------------------------------

    def _clear(self) -> None:
        self._details = None
        self.title_label.clear()
        self.subtitle_label.clear()
        self.facts_label.clear()
        self.description_label.clear()
        self.files_label.clear()
        self.artwork.clear()
        self.history_list.clear()
        self.more_like_this.clear()
        self._update_buttons()

    def _show_reason(self) -> None:
        reason = plain_reason(self._reason) if self._reason else ""
        self.reason_label.setText(
            self.tr("Recommended: %1").replace("%1", reason) if reason else ""
        )
        self.reason_label.setVisible(bool(reason))

    def _update_buttons(self) -> None:
        details = self._details
        ready = details is not None and self._busy == 0
        for button in (
            self.play_button,
            self.watched_button,
            self.like_button,
            self.not_interested_button,
        ):
            button.setEnabled(ready)
        if details is not None and details.resume:
            self.play_button.setText(
                self.tr("&Resume from %1").replace("%1", clock(round(details.resume * 1000)))
            )
        else:
            self.play_button.setText(self.tr("&Play"))
        completed = details is not None and details.completed
        self.watched_button.setText(
            self.tr("Mark un&watched") if completed else self.tr("Mark &watched")
        )
        feedback = details.feedback if details is not None else set()
        self.like_button.setChecked("like" in feedback)
        self.not_interested_button.setChecked("not_interested" in feedback)
        current = self.history_list.currentItem()
        self.remove_button.setEnabled(
            self._busy == 0
            and current is not None
            and current.data(Qt.ItemDataRole.UserRole) is not None
        )

    # --- actions -------------------------------------------------------------------------------

    def _play(self) -> None:
        if self._item_id is not None:
            self.playRequested.emit(self._item_id)

    def toggle_watched(self) -> None:
        details = self._details
        if details is None:
            return
        if details.completed:
            self._change(lambda h, p, i: h.mark_unwatched(p, i))
        else:
            self._change(lambda h, p, i: h.mark_watched(p, i))

    def toggle_like(self) -> None:
        details = self._details
        if details is None:
            return
        if "like" in details.feedback:
            self._change(lambda h, p, i: h.clear_feedback(p, i, "like"))
        else:
            self._change(lambda h, p, i: h.like(p, i))

    def toggle_not_interested(self) -> None:
        details = self._details
        if details is None:
            return
        if "not_interested" in details.feedback:
            self._change(lambda h, p, i: h.clear_feedback(p, i, "not_interested"))
        else:
            self._change(lambda h, p, i: h.not_interested(p, i))

    def remove_selected_event(self) -> None:
        current = self.history_list.currentItem()
        event_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if event_id is None:
            return
        self._change(lambda h, _p, _i: h.remove_event(int(event_id)))

    def _change(self, act: Callable[[History, int, int], Any]) -> None:
        """Run one history change in the background, then read the item again."""
        details = self._details
        if details is None or self._item_id is None or self._busy:
            return
        history, profile, item_id = self.library.history, details.profile_id, self._item_id
        self._busy += 1
        self._update_buttons()
        self.tasks.run(
            lambda: act(history, profile, item_id),
            on_done=while_alive(self, lambda _result: self._changed()),
            on_error=while_alive(self, self._change_failed),
        )

    def _changed(self) -> None:
        self._busy -= 1
        self._load_details()
        self.historyChanged.emit()

    def _change_failed(self, exc: Exception) -> None:
        self._busy -= 1
        self.status.setText(self.tr("That change was not saved: %1").replace("%1", str(exc)))
        self._update_buttons()
