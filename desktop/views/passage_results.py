"""The Search page's "Said in episodes" section: where in transcripts, subtitles, lyrics and
chapter titles the query is said, with the words highlighted, the time, and Play from here.

It runs `Library.search_passages` in the background for each query the page searches (a
generation counter drops superseded answers) and is hidden when nothing was said.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.models.rows import while_alive
from desktop.tasks import Tasks
from engine.library import Library, SearchFilters

log = logging.getLogger(__name__)

__all__ = ["PassageResults", "clock", "highlighted"]

HITS = 5
_EXCERPT = 320  # characters of the passage shown around its first highlighted word


def clock(seconds: float) -> str:
    """1:02:03 or 2:03 (what players show)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def highlighted(text: str, spans: Sequence[Sequence[int]]) -> str:
    """Rich text of `text` (escaped) with the character `spans` in bold, cut to an excerpt
    around the first span so a long passage still shows the words that matched."""
    ordered = sorted((int(a), int(b)) for a, b in spans if 0 <= a < b <= len(text))
    lo, hi = 0, len(text)
    if len(text) > _EXCERPT:
        first = ordered[0][0] if ordered else 0
        lo = max(0, min(first - _EXCERPT // 3, len(text) - _EXCERPT))
        hi = lo + _EXCERPT
    out, at = [], lo
    for a, b in ordered:
        if b <= at or a >= hi:
            continue
        a = max(a, at)
        out.append(html.escape(text[at:a]))
        out.append(f"<b>{html.escape(text[a : min(b, hi)])}</b>")
        at = min(b, hi)
    out.append(html.escape(text[at:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


class _HitRow(QFrame):
    def __init__(self, hit: dict[str, Any], owner: PassageResults) -> None:
        super().__init__(owner)
        self.hit = hit
        title = str(hit["title"])
        if hit.get("show"):
            title = f"{hit['show']} — {title}"
        self.title_label = QLabel(self)
        self.title_label.setText(f"<b>{html.escape(title)}</b>")
        self.time_label = QLabel(clock(float(hit["start_s"])), self)
        self.time_label.setAccessibleName(self.tr("Said at"))
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setText(highlighted(str(hit["passage"]), hit.get("matches", ())))
        self.text_label.setAccessibleName(self.tr("Passage"))
        self.play_button = QPushButton(self.tr("Play from here"), self)
        self.play_button.setAccessibleName(
            self.tr("Play %1 from %2").replace("%1", title).replace("%2", clock(hit["start_s"]))
        )
        self.play_button.clicked.connect(
            lambda _checked=False: owner.playFromRequested.emit(
                int(hit["item"]), float(hit["start_s"])
            )
        )
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.time_label)
        head.addWidget(self.play_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(head)
        layout.addWidget(self.text_label)


class PassageResults(QWidget):
    """Hits of one query; `playFromRequested(item_id, seconds)` when Play from here is pressed."""

    playFromRequested = Signal(int, float)
    shown = Signal()  # the answer for the newest query is on screen (or the section hidden)

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.setAccessibleName(self.tr("Said in episodes"))
        self.heading = QLabel(self.tr("Said in episodes"), self)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self._rows_host = QWidget(self)
        self._rows = QVBoxLayout(self._rows_host)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._rows_host)
        scroll.setMaximumHeight(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(scroll)
        self._generation = 0
        self.hits: list[dict[str, Any]] = []
        self.hide()

    def rows(self) -> list[_HitRow]:
        return self._rows_host.findChildren(_HitRow)

    def search(self, text: str, filters: SearchFilters | None) -> None:
        """Look for `text` in what was said; an empty text clears the section."""
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._show(generation, [])
            return
        library = self.library

        def run() -> list[dict[str, Any]]:
            return library.search_passages(text, HITS, filters)

        self.tasks.run(
            run,
            on_done=while_alive(self, lambda found: self._show(generation, found)),
            on_error=while_alive(self, lambda exc: self._failed(generation, exc)),
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        log.warning("passage search failed: %s", exc)
        self._show(generation, [])

    def _show(self, generation: int, found: Sequence[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        for row in self.rows():
            self._rows.removeWidget(row)
            row.deleteLater()
            row.setParent(None)
        self.hits = list(found)
        for n, hit in enumerate(self.hits):
            self._rows.insertWidget(n, _HitRow(hit, self))
        self.setVisible(bool(self.hits))
        self.shown.emit()
