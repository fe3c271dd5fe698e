"""One item in full: artwork, metadata, its files and their state, this profile's history of it,
the actions on it, and a More like this shelf.

Two background loads per item: the details (catalogue, scan errors, history, artwork decoded
off the UI thread) and the similar items (which may load the embedding model, seconds). Each
has its own generation counter, so a late result for a previous item is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QImage, QImageReader, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.models.rows import CardInfo, fetch_cards, plain_reason, while_alive
from desktop.models.search_results import duration_text, kind_text
from desktop.player.plan import clock
from desktop.tasks import Tasks
from desktop.views.home import RowShelf
from engine.library import Library, LibraryError

if TYPE_CHECKING:
    from engine.recommend.history import History
    from engine.recommend.rows import RowItem

log = logging.getLogger(__name__)

__all__ = ["DetailView", "ItemDetails", "load_details"]

ProfileIdProvider = Callable[[], int | None]

ART = QSize(320, 180)
HISTORY_LIMIT = 50
SIMILAR = 10


@dataclass
class ItemDetails:
    """Everything the view shows about one item, read in the background."""

    item: dict[str, Any]
    profile_id: int
    scan_errors: list[dict[str, Any]] = field(default_factory=list)  # for the item's paths
    timeline: list[dict[str, Any]] = field(default_factory=list)  # newest first
    completed: bool = False
    resume: float | None = None  # seconds, when there is a point worth resuming from
    feedback: set[str] = field(default_factory=set)
    image: QImage | None = None


def load_details(library: Library, item_id: int, profile_id: int | None) -> ItemDetails:
    """Background: read one item and this profile's history of it; LibraryError if it is gone."""
    history = library.history
    profile = history.profile(profile_id).id
    item = library.item(item_id)
    if item is None:
        raise LibraryError("This item is no longer in the library.")
    paths = {str(f["path"]) for f in item.get("files") or []}
    progress = history.progress(profile, item_id)
    artwork = library.artwork(item_id)  # may grab a frame of a video: we are in the background
    return ItemDetails(
        item=item,
        profile_id=profile,
        scan_errors=[e for e in library.errors() if e.get("path") in paths],
        timeline=history.timeline(profile, HISTORY_LIMIT, 0, item_id=item_id),
        completed=progress is not None and progress.completed,
        resume=history.resume_position(profile, item_id),
        feedback=history.feedback(profile, item_id),
        image=_decode(str(artwork)) if artwork else None,
    )


def _decode(path: str) -> QImage | None:
    # QImage may be made on any thread; twice the label's size stays sharp on HiDPI screens.
    reader = QImageReader(path)
    size = reader.size()
    box = ART * 2
    if size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.info("artwork unreadable: %s (%s)", path, reader.errorString())
        return None
    return image


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


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
        self._generation = 0  # details
        self._similar_generation = 0
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
        files_heading = _heading(self.tr("Files"), content)
        files_heading.setBuddy(self.files_label)

        self.history_list = QListWidget(content)  # at most HISTORY_LIMIT entries
        self.history_list.setAccessibleName(self.tr("Your history of this item"))
        self.history_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_list.setMaximumHeight(140)
        self.remove_button = QPushButton(self.tr("&Remove from history"), content)
        self.remove_button.setAccessibleName(self.tr("Remove the selected history entry"))
        self.remove_button.clicked.connect(lambda _checked=False: self.remove_selected_event())
        self.history_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        remove_action = QAction(self.tr("Remove from history"), self.history_list)
        remove_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Delete))
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(lambda _checked=False: self.remove_selected_event())
        self.history_list.addAction(remove_action)
        history_heading = _heading(self.tr("&Your history"), content)
        history_heading.setBuddy(self.history_list)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history_list, 1)
        history_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

        self.similar = RowShelf(self.library, self.tasks, content)
        self.similar.label.setText(self.tr("More like this"))
        self.similar.view.setAccessibleName(self.tr("More like this"))
        self._wire_similar()

        body = QVBoxLayout(content)
        body.addLayout(header)
        body.addWidget(_heading(self.tr("Description"), content))
        body.addWidget(self.description_label)
        body.addWidget(files_heading)
        body.addWidget(self.files_label)
        body.addWidget(history_heading)
        body.addLayout(history_row)
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

    def _wire_similar(self) -> None:
        view = self.similar.view
        actions = self.similar.card_actions
        # In this shelf Enter and a click open a card's details; Play moves to Ctrl+Enter.
        actions.play_action.setShortcuts(
            [
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter),
            ]
        )
        view.doubleClicked.disconnect()  # CardActions plays on double-click; here a click opens
        self.open_similar_action = QAction(self.tr("&Open"), view)
        self.open_similar_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_similar_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_similar_action.triggered.connect(lambda _checked=False: self._open_similar())
        view.addAction(self.open_similar_action)
        actions.menu.insertAction(actions.play_action, self.open_similar_action)
        view.clicked.connect(lambda index: self._open_similar(index.row()))
        view.setAccessibleDescription(
            self.tr("Enter opens the selected item; Ctrl+Enter plays it; the Menu key shows more.")
        )
        actions.playRequested.connect(self.playRequested)
        actions.moreLikeThisRequested.connect(self.detailRequested)
        actions.markWatchedRequested.connect(self._similar_mark_watched)
        actions.notInterestedRequested.connect(self._similar_not_interested)

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
        self.subtitle_label.setText(self._subtitle(item))
        facts = self._facts(item)
        self.facts_label.setText(facts)
        self.facts_label.setVisible(bool(facts))
        description = str(item.get("description") or item.get("show_description") or "")
        self.description_label.setText(description or self.tr("No description."))
        self.files_label.setText(self._files_text(item, details.scan_errors))
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
        self._fill_history(details.timeline)
        self._update_buttons()
        self.loaded.emit()

    def _details_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.status.setText(self.tr("Could not show this item: %1").replace("%1", str(exc)))
        self._update_buttons()
        self.loaded.emit()

    def _load_similar(self) -> None:
        item_id = self._item_id
        if item_id is None:
            return
        self._similar_generation += 1
        generation = self._similar_generation
        library, profile = self.library, self._profile()

        def run() -> tuple[int, list[RowItem], dict[int, CardInfo]]:
            resolved = library.history.profile(profile).id
            row = library.more_like_this(item_id, resolved, SIMILAR)
            items = [i for i in row.items if i.item_id != item_id]  # never the item itself
            return resolved, items, fetch_cards(library, resolved, [i.item_id for i in items])

        if not self.similar.model.rowCount():
            self.similar.label.setText(self.tr("More like this (finding similar items…)"))
        self.tasks.run(
            run,
            on_done=while_alive(self, lambda result: self._similar_loaded(generation, result)),
            on_error=while_alive(self, lambda exc: self._similar_failed(generation, exc)),
        )

    def _similar_loaded(
        self, generation: int, result: tuple[int, list[RowItem], dict[int, CardInfo]]
    ) -> None:
        if generation != self._similar_generation:
            return
        profile, items, cards = result
        title = self.tr("More like this") if items else self.tr("More like this: nothing yet")
        self.similar.set_row(title, items, profile, cards)
        self.similarLoaded.emit()

    def _similar_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._similar_generation:
            return
        self.similar.set_row(
            self.tr("More like this is not available: %1").replace("%1", str(exc)), [], None, {}
        )
        self.similarLoaded.emit()

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
        self.similar.set_row(self.tr("More like this"), [], None, {})
        self._update_buttons()

    def _show_reason(self) -> None:
        reason = plain_reason(self._reason) if self._reason else ""
        self.reason_label.setText(
            self.tr("Recommended: %1").replace("%1", reason) if reason else ""
        )
        self.reason_label.setVisible(bool(reason))

    def _subtitle(self, item: dict[str, Any]) -> str:
        parts = [str(item.get("show") or "")]
        season, episode = item.get("season"), item.get("episode")
        if season is not None and episode is not None:
            parts.append(
                self.tr("Season %1, episode %2")
                .replace("%1", str(season))
                .replace("%2", str(episode))
            )
        elif episode is not None:
            parts.append(self.tr("Episode %1").replace("%1", str(episode)))
        elif season is not None:
            parts.append(self.tr("Season %1").replace("%1", str(season)))
        parts.append(_date_text(item.get("air_date")) or str(item.get("year") or ""))
        parts.append(duration_text(item.get("duration")))
        parts.append(kind_text(item.get("kind")))
        return " · ".join(p for p in parts if p)

    def _facts(self, item: dict[str, Any]) -> str:
        lines = []
        genres = [str(g) for g in item.get("genres") or []]
        if genres:
            lines.append(self.tr("Genres: %1").replace("%1", ", ".join(genres)))
        people = [str(p) for p in item.get("people") or []]
        if people:
            lines.append(self.tr("People: %1").replace("%1", ", ".join(people)))
        language = item.get("language")
        if language:
            lines.append(self.tr("Language: %1").replace("%1", _language_text(str(language))))
        rating = item.get("rating")
        if isinstance(rating, int | float):
            text = QLocale().toString(float(rating), "f", 1)
            votes = item.get("votes")
            if votes:
                text += " " + self.tr("(%1 votes)").replace("%1", str(votes))
            lines.append(self.tr("Rating: %1").replace("%1", text))
        return "\n".join(lines)

    def _files_text(self, item: dict[str, Any], scan_errors: list[dict[str, Any]]) -> str:
        files = item.get("files") or []
        if not files:
            return self.tr("No file: this item is known only from its feed or history.")
        errors: dict[str, list[dict[str, Any]]] = {}
        for entry in scan_errors:
            errors.setdefault(str(entry.get("path")), []).append(entry)
        lines = []
        for f in files:
            path = str(f.get("path") or "")
            if f.get("offline"):
                state = self.tr("Offline")
            elif f.get("missing"):
                state = self.tr("Missing")
            elif f.get("error"):
                state = self.tr("Error: %1").replace("%1", str(f["error"]))
            else:
                state = self.tr("OK")
            lines.append(f"{path} — {state}")
            for entry in errors.get(path, []):
                lines.append(
                    "    "
                    + self.tr("Scan error (%1): %2")
                    .replace("%1", str(entry.get("stage") or ""))
                    .replace("%2", str(entry.get("error") or ""))
                )
        return "\n".join(lines)

    def _fill_history(self, timeline: list[dict[str, Any]]) -> None:
        selected = self.history_list.currentItem()
        selected_id = selected.data(Qt.ItemDataRole.UserRole) if selected is not None else None
        self.history_list.clear()
        for event in timeline:
            text = f"{self._event_text(event)} — {_local_time(str(event.get('at') or ''))}"
            entry = QListWidgetItem(text, self.history_list)
            entry.setData(Qt.ItemDataRole.UserRole, int(event["id"]))
            if event["id"] == selected_id:
                self.history_list.setCurrentItem(entry)
        if not timeline:
            empty = QListWidgetItem(self.tr("Nothing yet"), self.history_list)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)

    def _event_text(self, event: dict[str, Any]) -> str:
        name = str(event.get("event") or "")
        data = event.get("data") or {}
        if name == "play":
            position = data.get("position")
            if isinstance(position, int | float) and position > 0:
                return self.tr("Played to %1").replace("%1", clock(round(position * 1000)))
            return self.tr("Played")
        names = {
            "completed": self.tr("Finished"),
            "watched": self.tr("Marked watched"),
            "unwatched": self.tr("Marked unwatched"),
            "like": self.tr("Liked"),
            "dislike": self.tr("Disliked"),
            "not_interested": self.tr("Not interested"),
            "clear_like": self.tr("Like taken back"),
            "clear_dislike": self.tr("Dislike taken back"),
            "clear_not_interested": self.tr("Interested again"),
        }
        return names.get(name, name)

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

    # --- More like this ------------------------------------------------------------------------

    def _open_similar(self, row: int | None = None) -> None:
        view = self.similar.view
        if row is None:
            index = view.currentIndex()
            row = index.row() if index.isValid() else -1
        if 0 <= row < self.similar.model.rowCount():
            self.detailRequested.emit(self.similar.model.item_id(row))

    def _similar_mark_watched(self, item_id: int) -> None:
        self._similar_feedback(item_id, lambda h, p: h.mark_watched(p, item_id))

    def _similar_not_interested(self, item_id: int) -> None:
        self._similar_feedback(item_id, lambda h, p: h.not_interested(p, item_id))

    def _similar_feedback(self, item_id: int, act: Callable[[History, int], Any]) -> None:
        history, profile = self.library.history, self._profile()
        self.similar.remove_item(item_id)  # the card goes at once, like on Home

        def run() -> None:
            act(history, history.profile(profile).id)

        self.tasks.run(
            run,
            on_done=while_alive(self, lambda _result: self.historyChanged.emit()),
            on_error=while_alive(self, self._change_failed_similar),
        )

    def _change_failed_similar(self, exc: Exception) -> None:
        self.status.setText(self.tr("That change was not saved: %1").replace("%1", str(exc)))
        self._load_similar()  # puts back the card that was taken away


def _date_text(value: Any) -> str:
    if not value:
        return ""
    try:
        day = datetime.fromisoformat(str(value)).date()
    except ValueError:
        return str(value)
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def _local_time(at: str) -> str:
    """A stored UTC time as local date and time, in the user's format."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    local = QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def _language_text(code: str) -> str:
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return f"{QLocale.languageToString(locale.language())} ({code})"
