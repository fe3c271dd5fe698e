"""Machine transcripts (issue 17): what the speech model heard, per item, and where it may listen.

A row per item the transcription stage finished with: `done` (segments with word times),
`no-speech` (nothing heard: music, silence) or `failed` (a reason code; the desktop words it).
Marked machine-made by the model id. A real transcript or subtitle file always wins: items with
such passages are never queued, and their passages are what search uses.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

# Passage sources that are a real record of what is said: such an item needs no transcription.
SPOKEN_SOURCES = ("transcript", "subtitles")
MACHINE_SOURCE = "machine-transcript"


# The items waiting for transcription, with the file to listen to (`f`).
_WAITING = f"""
    FROM items i
    JOIN files f ON f.id = (
        SELECT f2.id FROM files f2 JOIN transcribe_roots t ON t.root_id = f2.root_id
        WHERE f2.item_id = i.id AND f2.missing = 0 AND f2.offline = 0
        ORDER BY f2.id LIMIT 1)
    WHERE NOT EXISTS (SELECT 1 FROM machine_transcripts m WHERE m.item_id = i.id)
      AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.item_id = i.id
                      AND p.source IN ({", ".join("?" for _ in SPOKEN_SOURCES)}))
"""


class _Connected(Protocol):
    @property
    def conn(self) -> sqlite3.Connection: ...


@dataclass(frozen=True)
class Wanted:
    """An item waiting for transcription, with the file to listen to."""

    item_id: int
    title: str
    path: bytes
    language: str | None
    duration: float  # seconds; 0 when unknown


@dataclass(frozen=True)
class Heard:
    """One stored segment: start, end, text, and its words as (start, end, word)."""

    start: float
    end: float
    text: str
    words: tuple[tuple[float, float, str], ...]


class SpeechStore:
    """Named queries over one connection, like `Catalog`."""

    def __init__(self, db: _Connected) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- which folders -------------------------------------------------------------------

    def set_root(self, root_id: int, on: bool) -> None:
        if on:
            self._x("INSERT OR IGNORE INTO transcribe_roots (root_id) VALUES (?)", (root_id,))
        else:
            self._x("DELETE FROM transcribe_roots WHERE root_id = ?", (root_id,))

    def roots(self) -> set[int]:
        return {int(r[0]) for r in self._x("SELECT root_id FROM transcribe_roots")}

    # --- the queue -----------------------------------------------------------------------

    def wanted(self, limit: int = 1) -> list[Wanted]:
        """Items in opted-in folders, with a file present, no real transcript or subtitles and
        no outcome yet; shortest first, so the first results come soon."""
        rows = self._x(
            "SELECT i.id, i.title, f.path_bytes, i.language, coalesce(i.duration, 0) "
            + _WAITING
            + " ORDER BY coalesce(i.duration, 1e12), i.id LIMIT ?",
            (*SPOKEN_SOURCES, limit),
        )
        return [Wanted(int(r[0]), str(r[1]), bytes(r[2]), r[3], float(r[4])) for r in rows]

    def backlog(self) -> tuple[int, float]:
        """How many items wait, and their audio in seconds (unknown lengths count nothing):
        for "Transcribing 12 of 340 · about 40 min left"."""
        row = self._x(
            "SELECT count(*), coalesce(sum(coalesce(i.duration, 0)), 0) " + _WAITING,
            SPOKEN_SOURCES,
        ).fetchone()
        return int(row[0]), float(row[1])

    # --- outcomes ------------------------------------------------------------------------

    def save(
        self,
        item_id: int,
        outcome: str,
        model_id: str,
        *,
        language: str | None = None,
        duration: float | None = None,
        segments: Sequence[Heard] = (),
        reason: str | None = None,
        detail: str | None = None,
        took_s: float | None = None,
    ) -> None:
        data = [[s.start, s.end, s.text, [list(w) for w in s.words]] for s in segments]
        self._x(
            "INSERT OR REPLACE INTO machine_transcripts (item_id, outcome, reason, detail, "
            "model_id, language, duration, segments, took_s, made_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item_id,
                outcome,
                reason,
                detail,
                model_id,
                language,
                duration,
                json.dumps(data, ensure_ascii=False),
                took_s,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )

    def cost(self) -> float | None:
        """Seconds of work per second of audio on this machine, over what was transcribed
        (None before the first episode): what Settings tells a user it will cost."""
        row = self._x(
            "SELECT sum(took_s), sum(duration) FROM machine_transcripts "
            "WHERE outcome IN ('done', 'no-speech') AND took_s > 0 AND duration > 0"
        ).fetchone()
        return float(row[0]) / float(row[1]) if row and row[1] else None

    def forget_failure(self, item_id: int) -> None:
        """The item's file was read again (new, changed, back from missing): a failure gets
        another try; what was heard stays."""
        self._x(
            "DELETE FROM machine_transcripts WHERE item_id = ? AND outcome = 'failed'", (item_id,)
        )

    def outcome(self, item_id: int) -> dict[str, Any] | None:
        row = self._x(
            "SELECT outcome, reason, detail, model_id, language, duration, made_at "
            "FROM machine_transcripts WHERE item_id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            return None
        keys = ("outcome", "reason", "detail", "model_id", "language", "duration", "made_at")
        return dict(zip(keys, row, strict=True))

    def heard(self, item_id: int) -> list[Heard]:
        """The item's machine transcript, empty when it has none (or nothing was heard)."""
        row = self._x(
            "SELECT segments FROM machine_transcripts WHERE item_id = ? AND outcome = 'done'",
            (item_id,),
        ).fetchone()
        if row is None:
            return []
        return [
            Heard(float(s[0]), float(s[1]), str(s[2]), tuple((w[0], w[1], w[2]) for w in s[3]))
            for s in json.loads(row[0])
        ]
