"""One item in full: a hero band (the art at its own shape over its blurred colours, the title,
a metadata line, the play button and icon actions), the description, chapters (a click plays
from there), per-item warnings, its files and their state, this profile's history of it, and a
More like this shelf.

Two background loads per item: the details (catalogue, scan errors, history, the art's path;
`detail_load`; the art itself is decoded and cached by `desktop.art`) and the similar items
(which may load the embedding model, seconds; `detail_similar`). Each has its own generation
counter, so a late result for a previous item is dropped. The texts and the history section
are built in `detail_sections`, the hero, chapters and files in `detail_header`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import icons, reasons
from desktop.art import ArtProvider
from desktop.models.formatting import clock
from desktop.models.rows import plain_reason, while_alive
from desktop.models.search_results import kind_text
from desktop.reasons import ReasonLike
from desktop.statuses import library_error
from desktop.tasks import Tasks
from desktop.theme import SPACE
from desktop.views.detail_header import (
    ArtLabel,
    ChapterList,
    FilesSection,
    Hero,
    WarningsBox,
    WrappedLabel,
    art_for,
    section_heading,
)
from desktop.views.detail_load import HISTORY_LIMIT, ItemDetails, load_details
from desktop.views.detail_sections import (
    facts_text,
    files_text,
    fill_history,
    history_section,
    subtitle_text,
    warning_lines,
)
from desktop.views.detail_similar import SIMILAR, MoreLikeThis
from desktop.views.shelves import RowShelf
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import History

log = logging.getLogger(__name__)

__all__ = ["HISTORY_LIMIT", "SIMILAR", "DetailView", "ItemDetails", "load_details"]

ProfileIdProvider = Callable[[], int | None]
SHELF_INSET = SPACE["xs"] + SPACE["s"]  # RowShelf's heading inset: a card's padding


class DetailView(QWidget):
    """The detail page for one item; `show_item(item_id)` fills it in the background."""

    playRequested = Signal(int)
    playFromRequested = Signal(int, float)  # item id, seconds: a chapter was picked
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
        self._reason: ReasonLike | str | None = None
        self._details: ItemDetails | None = None
        self._generation = 0  # details; More like this keeps its own
        self._busy = 0  # history changes in flight: their buttons stay disabled

        self._build()
        self._clear()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.art_provider = ArtProvider.shared(self.library, self.tasks)
        self.back_button = QToolButton(self)
        self.back_button.setText(self.tr("Back"))
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icons.set_icon(self.back_button, "arrow-left")
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
        self.status.setProperty("textStyle", "muted")

        content = QWidget()
        self.hero = Hero(self.art_provider, content)
        self.hero.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.artwork = ArtLabel(self.art_provider, self.hero)
        self.artwork.setAccessibleName(self.tr("Artwork"))

        selectable = (
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.overline_label = QLabel(self.hero)  # the kind, in small capitals
        self.overline_label.setProperty("textStyle", "overline")
        self.title_label = QLabel(self.hero)
        self.title_label.setProperty("textStyle", "display")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(selectable)
        self.title_label.setAccessibleName(self.tr("Title"))
        self.subtitle_label = QLabel(self.hero)  # show, season/episode, date, duration, kind
        self.subtitle_label.setProperty("textStyle", "subtitle")
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setTextInteractionFlags(selectable)
        self.subtitle_label.setAccessibleName(self.tr("Show and episode"))
        self.facts_label = QLabel(self.hero)  # genres, people, language, rating
        self.facts_label.setProperty("textStyle", "muted")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(selectable)
        self.facts_label.setAccessibleName(self.tr("Facts"))
        self.reason_label = QLabel(self.hero)
        self.reason_label.setWordWrap(True)
        self.reason_label.setProperty("textStyle", "muted")
        self.reason_label.setAccessibleName(self.tr("Why it was recommended"))

        # The main action is a filled button with words (as in Plex and Jellyfin); the others
        # are round icon buttons, each named for screen readers and with a tooltip.
        self.play_button = QPushButton(self.tr("&Play"), self.hero)
        self.play_button.setProperty("primary", True)
        icons.set_icon(self.play_button, "play", role=QPalette.ColorRole.HighlightedText)
        self.play_button.setAccessibleName(self.tr("Play"))
        self.watched_button = self._icon_button("check", "Alt+W")
        self.like_button = self._icon_button("heart", "Alt+L")
        self.not_interested_button = self._icon_button("ban", "Alt+N")
        self.play_button.clicked.connect(lambda _checked=False: self._play())
        self.watched_button.clicked.connect(lambda _checked=False: self.toggle_watched())
        self.like_button.clicked.connect(lambda _checked=False: self.toggle_like())
        self.not_interested_button.clicked.connect(
            lambda _checked=False: self.toggle_not_interested()
        )

        # Shown when the episode was transcribed here (issue 17): what was heard, saved as
        # subtitles beside the file for other players.
        self.save_transcript_button = QPushButton(self.tr("Save &transcript"), self.hero)
        self.save_transcript_button.setToolTip(
            self.tr("Save what was heard in this episode as subtitles (SRT) beside its file")
        )
        self.save_transcript_button.clicked.connect(lambda _checked=False: self.save_transcript())
        self.save_transcript_button.hide()

        actions = QHBoxLayout()
        actions.setSpacing(SPACE["s"])
        actions.addWidget(self.play_button)
        actions.addSpacing(SPACE["xs"])
        for button in (self.watched_button, self.like_button, self.not_interested_button):
            actions.addWidget(button)
        actions.addSpacing(SPACE["xs"])
        actions.addWidget(self.save_transcript_button)
        actions.addStretch(1)
        info = QVBoxLayout()
        info.setSpacing(SPACE["xs"])
        info.addStretch(1)
        info.addWidget(self.overline_label)
        info.addWidget(self.title_label)
        info.addWidget(self.reason_label)  # under the title, as on the card it was opened from
        info.addWidget(self.subtitle_label)
        info.addSpacing(SPACE["xs"])
        info.addWidget(self.facts_label)
        info.addSpacing(SPACE["m"])
        info.addLayout(actions)
        header = QHBoxLayout(self.hero)
        header.setContentsMargins(SPACE["xxl"], SPACE["xxl"], SPACE["xxl"], SPACE["l"])
        header.setSpacing(SPACE["xl"])
        header.addWidget(self.artwork, 0, Qt.AlignmentFlag.AlignBottom)
        header.addLayout(info, 1)

        self.warnings = WarningsBox(content)
        self.description_label = WrappedLabel(content)
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        self.description_label.setTextInteractionFlags(selectable)
        self.description_label.setAccessibleName(self.tr("Description"))
        self.description_label.setMaximumWidth(860)  # ~80 characters a line: readable
        self.description_label.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum
        )

        self.chapters = ChapterList(content)
        self.chapters.chapterRequested.connect(self._play_from)
        self.chapters_heading = section_heading(self.tr("&Chapters"), content)
        self.chapters_heading.setBuddy(self.chapters)

        self.files = FilesSection(content)
        files_heading = section_heading(self.tr("Files"), content)

        history = history_section(content, self.remove_selected_event, self._update_buttons)
        history.heading.setProperty("textStyle", "title")
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

        body = QVBoxLayout()
        body.setContentsMargins(SPACE["xxl"], SPACE["s"], SPACE["xxl"], 0)
        body.setSpacing(SPACE["s"])
        body.addWidget(self.warnings)
        body.addWidget(self.description_label)
        body.addSpacing(SPACE["l"])
        body.addWidget(self.chapters_heading)
        body.addWidget(self.chapters)
        body.addSpacing(SPACE["s"])
        body.addWidget(files_heading)
        body.addWidget(self.files)
        body.addSpacing(SPACE["l"])
        body.addWidget(history.heading)
        body.addLayout(history.row)
        # The shelf insets its heading and cards by a card's padding (flush with the art on
        # Home): its margins take that back, so its heading and art share the sections' edge.
        inset = SHELF_INSET
        shelf = QVBoxLayout()
        shelf.setContentsMargins(SPACE["xxl"] - inset, SPACE["l"], SPACE["xxl"] - inset, 0)
        shelf.addWidget(self.similar)
        page = QVBoxLayout(content)
        page.setContentsMargins(0, 0, 0, SPACE["xxl"])
        page.setSpacing(0)
        below = QVBoxLayout()
        below.setSpacing(0)
        below.addLayout(body)
        below.addLayout(shelf)
        below.addStretch(1)
        page.addWidget(self.hero, 0)
        page.addLayout(below, 1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)

        top = QHBoxLayout()
        top.setContentsMargins(SPACE["m"], SPACE["s"], SPACE["m"], 0)
        top.addWidget(self.back_button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)

    def _icon_button(self, name: str, shortcut: str) -> QToolButton:
        button = QToolButton(self.hero)
        button.setProperty("round", True)
        button.setCheckable(True)
        button.setFixedSize(QSize(40, 40))
        button.setShortcut(QKeySequence(shortcut))
        icons.set_icon(button, name)
        return button

    # --- public --------------------------------------------------------------------------------

    def item_id(self) -> int | None:
        return self._item_id

    def details(self) -> ItemDetails | None:
        """What is on screen for the current item (None until it has loaded)."""
        return self._details

    def show_item(self, item_id: int, reason: ReasonLike | str | None = None) -> None:
        """Show `item_id`; `reason` is why it was recommended, when it came from a row: the
        engine's reason (data, worded by `desktop.reasons` in the UI language), or a line
        already worded."""
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
        self.overline_label.setText(kind_text(item.get("kind")).upper())
        self.title_label.setText(str(item.get("title") or ""))
        self.subtitle_label.setText(subtitle_text(item))
        facts = facts_text(item)
        self.facts_label.setText(facts)
        self.facts_label.setVisible(bool(facts))
        description = str(item.get("description") or item.get("show_description") or "")
        self.description_label.setText(description or self.tr("No description."))
        chapters = [c for c in item.get("chapters") or [] if isinstance(c, dict)]
        self.chapters.set_chapters(chapters)
        self.chapters.setVisible(bool(chapters))
        self.chapters_heading.setVisible(bool(chapters))
        self.files.set_files(list(item.get("files") or []), files_text(item, details.scan_errors))
        self.warnings.set_warnings(warning_lines(details.problems))
        art = art_for(item, details.art_path)
        self.artwork.set_art(art)
        self.hero.set_art(art)
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
        self.overline_label.clear()
        self.description_label.clear()
        self.files.set_files([], "")
        self.chapters.set_chapters([])
        self.chapters.hide()
        self.chapters_heading.hide()
        self.warnings.set_warnings([])
        self.artwork.set_art(None)
        self.hero.set_art(None)
        self.history_list.clear()
        self.more_like_this.clear()
        self._update_buttons()

    def _show_reason(self) -> None:
        given = self._reason
        if isinstance(given, str):
            reason, more = plain_reason(given), ""
        else:
            reason, more = reasons.text(given), reasons.detail(given)
        self.reason_label.setText(
            self.tr("Recommended: %1").replace("%1", reason) if reason else ""
        )
        self.reason_label.setToolTip(more)  # the number behind it, if any: never in the line
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
        self.save_transcript_button.setVisible(details is not None and details.transcribed)
        self.save_transcript_button.setEnabled(ready)
        completed = details is not None and details.completed
        audio = details is not None and details.item.get("kind") in ("podcast", "audio")
        # Podcasts are played, videos watched (the vocabulary of docs/design.md).
        if audio:
            name = self.tr("Mark unplayed") if completed else self.tr("Mark played")
        else:
            name = self.tr("Mark unwatched") if completed else self.tr("Mark watched")
        feedback = details.feedback if details is not None else set()
        liked, unwanted = "like" in feedback, "not_interested" in feedback
        for button, checked, text in (
            (self.watched_button, completed, name),
            (
                self.like_button,
                liked,
                self.tr("Take back the like") if liked else self.tr("Like"),
            ),
            (
                self.not_interested_button,
                unwanted,
                self.tr("Interested again") if unwanted else self.tr("Not interested"),
            ),
        ):
            button.setChecked(checked)
            button.setAccessibleName(text)
            button.setToolTip(
                f"{text} ({button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        current = self.history_list.currentItem()
        selected = current is not None and bool(current.data(Qt.ItemDataRole.UserRole))
        # Shown with a selected entry only: a standing disabled button read as broken.
        self.remove_button.setVisible(selected)
        self.remove_button.setEnabled(self._busy == 0 and selected)

    # --- actions -------------------------------------------------------------------------------

    def _play(self) -> None:
        if self._item_id is not None:
            self.playRequested.emit(self._item_id)

    def _play_from(self, seconds: float) -> None:
        if self._item_id is not None:
            self.playFromRequested.emit(self._item_id, seconds)

    def play_chapter(self, row: int) -> None:
        """Play the current item from the start of chapter `row` (0-based)."""
        self._play_from(self.chapters.start_of(row))

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
        """Remove the selected line: every event it stands for (a play session and its
        completion)."""
        current = self.history_list.currentItem()
        ids = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if not ids:
            return
        self._change(lambda h, _p, _i: [h.remove_event(int(e)) for e in ids])

    def save_transcript(self) -> None:
        item_id = self._item_id
        if item_id is None:
            return
        library = self.library
        self.tasks.run(
            lambda: library.export_transcript(item_id, "srt"),
            on_done=while_alive(
                self,
                lambda path: self.status.setText(
                    self.tr("Transcript saved as %1").replace("%1", str(path))
                ),
            ),
            on_error=while_alive(self, lambda exc: self.status.setText(library_error(exc))),
        )

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
