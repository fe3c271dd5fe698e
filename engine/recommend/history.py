"""Viewing history: profiles, play sessions, progress, feedback, show preferences, the timeline.

Everything that happens is an event in `history_log` (plus a row in `play_sessions` for a
play). The per-item state the recommender and the GUI read (`progress`, `feedback`,
`show_prefs`) is folded from those sources after every change, so removing a timeline entry
or importing another machine's history out of order always leaves consistent state.

Pure engine: no Qt, takes a `Database`; the CLI and the façade call it.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.recommend.state import ProfileState
from engine.store.db import Database
from engine.store.history_sql import (
    Event,
    HistorySql,
    Profile,
    ProgressRow,
    Session,
    iso,
)

if TYPE_CHECKING:
    from engine.recommend.history_io import ImportReport

log = logging.getLogger(__name__)

__all__ = [
    "AUDIO_COMPLETE_FRACTION",
    "AUDIO_COMPLETE_TAIL",
    "RESUME_MIN_POSITION",
    "VIDEO_COMPLETE_FRACTION",
    "VIDEO_COMPLETE_TAIL",
    "History",
    "HistoryError",
    "Profile",
    "ProgressRow",
    "is_complete",
]

# When a play counts as "watched". Video (movie, episode, video) has end credits: 90 % or the
# last 120 s. Audio (podcast, audio) has short outros, so it needs 95 % or the last 60 s. The
# "last N seconds" rule only applies past half-way, or a 90 s clip would be watched at 0 s.
VIDEO_KINDS = frozenset({"movie", "episode", "video"})
VIDEO_COMPLETE_FRACTION = 0.90
VIDEO_COMPLETE_TAIL = 120.0
AUDIO_COMPLETE_FRACTION = 0.95
AUDIO_COMPLETE_TAIL = 60.0
# Below this a resume point is not worth offering: the user barely started.
RESUME_MIN_POSITION = 10.0

FEEDBACK_KINDS = ("like", "dislike", "not_interested")
PROGRESS_EVENTS = frozenset({"play", "completed", "watched", "unwatched"})
ITEM_EVENTS = PROGRESS_EVENTS | set(FEEDBACK_KINDS) | {f"clear_{k}" for k in FEEDBACK_KINDS}
SHOW_EVENTS = frozenset({"follow", "unfollow", "snooze", "unsnooze"})
EVENTS = ITEM_EVENTS | SHOW_EVENTS
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class HistoryError(ValueError):
    """A request the history refuses; the message says why."""


def is_complete(kind: str, position: float, duration: float | None) -> bool:
    """Has a play reached the end, by the thresholds above?"""
    if not duration or duration <= 0 or position <= 0:
        return False
    if kind in VIDEO_KINDS:
        fraction, tail = VIDEO_COMPLETE_FRACTION, VIDEO_COMPLETE_TAIL
    else:
        fraction, tail = AUDIO_COMPLETE_FRACTION, AUDIO_COMPLETE_TAIL
    if position >= duration * fraction:
        return True
    return position >= duration / 2 and duration - position <= tail


# --- folding sources into state ------------------------------------------------------------------


def fold_progress(
    kind: str, item_duration: float | None, sessions: Sequence[Session], events: Sequence[Event]
) -> ProgressRow | None:
    """An item's progress from its sessions (positions) and its completion/mark events."""
    points: list[tuple[str, int, int, Session | Event]] = [
        (s.updated_at, 0, s.id, s) for s in sessions
    ]
    points += [(e.at, 1, e.id, e) for e in events if e.event in PROGRESS_EVENTS - {"play"}]
    if not points:
        return None
    row = ProgressRow(duration=item_duration)
    for at, _, _, point in sorted(points, key=lambda p: p[:3]):
        if isinstance(point, Session):
            position = point.end_position or 0.0
            row.duration = point.duration or row.duration
            # Credits after a completion are not a resume point.
            row.position = 0.0 if is_complete(kind, position, row.duration) else position
            row.last_played_at = max(row.last_played_at or "", at)
        elif point.event in ("completed", "watched"):
            row.completed, row.completed_at, row.position = True, at, 0.0
            row.play_count += 1
            row.last_played_at = max(row.last_played_at or "", at)
        else:  # unwatched
            row.completed, row.completed_at, row.position = False, None, 0.0
    return row


def fold_feedback(events: Sequence[Event]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for e in events:
        if e.event in FEEDBACK_KINDS:
            kinds[e.event] = e.at
            opposite = {"like": "dislike", "dislike": "like"}.get(e.event)
            if opposite:
                kinds.pop(opposite, None)
        elif e.event.startswith("clear_"):
            kinds.pop(e.event.removeprefix("clear_"), None)
    return kinds


def rebuild_item(sql: HistorySql, profile_id: int, item_id: int) -> None:
    """Refold one item's progress and feedback for one profile."""
    found = sql.item_kind(item_id)
    if found is None:
        return
    kind, duration = found
    events = sql.events_for_item(profile_id, item_id)
    row = fold_progress(kind, duration, sql.sessions_for(profile_id, item_id), events)
    sql.put_progress(profile_id, item_id, row)
    sql.put_feedback(profile_id, item_id, fold_feedback(events))


def rebuild_show(sql: HistorySql, profile_id: int, show_id: int) -> None:
    followed, until = False, None
    for e in sql.events_for_show(profile_id, show_id):
        if e.event in ("follow", "unfollow"):
            followed = e.event == "follow"
        elif e.event in ("snooze", "unsnooze"):
            until = e.data.get("until") if e.event == "snooze" else None
    sql.put_show_pref(profile_id, show_id, followed, until)


def check_languages(languages: Iterable[str]) -> list[str]:
    codes = [code.strip().lower() for code in languages if code.strip()]
    bad = [code for code in codes if not _LANGUAGE.match(code)]
    if bad:
        raise HistoryError(f"not ISO 639-1 language codes (two letters, like 'en'): {bad}")
    return list(dict.fromkeys(codes))


def _check_position(value: float, name: str = "position") -> float:
    if not math.isfinite(value) or value < 0:
        raise HistoryError(f"{name} must be a number of seconds ≥ 0, not {value!r}")
    return float(value)


class History:
    """The history API over one `Database`. Cheap; thread-safe as `Database` is."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def _read(self) -> HistorySql:
        # Plain sqlite3: the window's first paint reads profiles without sqlite-utils.
        return HistorySql(self.database.reader)

    # --- profiles ----------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self._read().profiles()

    def all_profile_ids(self) -> list[int]:
        return self._read().all_profile_ids()

    def default_profile(self) -> Profile:
        return self._read().default_profile()

    def profile(self, ref: int | str | None = None) -> Profile:
        """A profile by id or name (a digit string is tried as a name first); None: default."""
        sql = self._read()
        if ref is None:
            return sql.default_profile()
        found = sql.profile_by_name(ref) if isinstance(ref, str) else sql.profile(ref)
        if found is None and isinstance(ref, str) and ref.isdigit():
            found = sql.profile(int(ref))
        if found is None:
            raise HistoryError(f"no profile {ref!r}; see `reelcast profile list`")
        return found

    def add_profile(
        self,
        name: str,
        *,
        interests: str = "",
        languages: Iterable[str] = (),
        default: bool = False,
    ) -> Profile:
        name = " ".join(name.split())
        if not name:
            raise HistoryError("a profile needs a name")
        codes = check_languages(languages)
        with self.database.write() as db:
            sql = HistorySql(db)
            if sql.profile_by_name(name) is not None:
                raise HistoryError(f"there is already a profile named {name!r}")
            profile_id = sql.insert_profile(name, interests.strip(), codes)
            if default:
                sql.set_default(profile_id)
        log.info("added profile %s", name)
        return self.profile(profile_id)

    def rename_profile(self, profile_id: int, name: str) -> Profile:
        name = " ".join(name.split())
        if not name:
            raise HistoryError("a profile needs a name")
        with self.database.write() as db:
            sql = HistorySql(db)
            other = sql.profile_by_name(name)
            if other is not None and other.id != profile_id:
                raise HistoryError(f"there is already a profile named {name!r}")
            self._require_profile(sql, profile_id)
            sql.update_profile(profile_id, name=name)
        return self.profile(profile_id)

    def delete_profile(self, profile_id: int) -> None:
        """Delete a profile and its history; the default profile cannot be deleted."""
        with self.database.write() as db:
            sql = HistorySql(db)
            if self._require_profile(sql, profile_id).is_default:
                raise HistoryError("the default profile cannot be deleted; make another default")
            sql.delete_profile(profile_id)
        log.info("deleted profile %d", profile_id)

    def set_default_profile(self, profile_id: int) -> None:
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            sql.set_default(profile_id)

    def set_interests(self, profile_id: int, interests: str) -> None:
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            sql.update_profile(profile_id, interests=interests.strip())

    def set_languages(self, profile_id: int, languages: Iterable[str]) -> None:
        codes = check_languages(languages)
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            sql.update_profile(profile_id, languages=codes)

    @staticmethod
    def _require_profile(sql: HistorySql, profile_id: int) -> Profile:
        found = sql.profile(profile_id)
        if found is None:
            raise HistoryError(f"no profile {profile_id}")
        return found

    @staticmethod
    def _require_item(sql: HistorySql, item_id: int) -> None:
        if sql.item_kind(item_id) is None:
            raise HistoryError(f"no item {item_id}")

    # --- playing -----------------------------------------------------------------------------

    def start_session(self, profile_id: int, item_id: int, position: float = 0.0) -> int:
        """Record that playback started; returns the session id for the player to report to."""
        position = _check_position(position)
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            self._require_item(sql, item_id)
            # One player per profile: a session left open (a crash) ends where it was last seen.
            for stale in sql.open_sessions(profile_id):
                self._finish(sql, stale, stale.end_position or 0.0, None)
            session_id = sql.insert_session(profile_id, item_id, iso(), position)
            rebuild_item(sql, profile_id, item_id)
        return session_id

    def update_progress(
        self, session_id: int, position: float, duration: float | None = None
    ) -> bool:
        """The player's periodic report. Returns True when this report completed the item."""
        return self._report(session_id, position, duration, ended=False)

    def end_session(self, session_id: int, position: float, duration: float | None = None) -> bool:
        """Playback stopped. Returns True when this report completed the item."""
        return self._report(session_id, position, duration, ended=True)

    def _report(
        self, session_id: int, position: float, duration: float | None, ended: bool
    ) -> bool:
        position = _check_position(position)
        if duration is not None:
            duration = _check_position(duration, "duration") or None
        with self.database.write() as db:
            sql = HistorySql(db)
            session = sql.session(session_id)
            if session is None:
                raise HistoryError(f"no play session {session_id}")
            if session.ended_at is not None:
                return False  # a late report after the stop: nothing to change
            if ended:
                return self._finish(sql, session, position, duration)
            completed = self._advance(sql, session, position, duration, ended=False)
            rebuild_item(sql, session.profile_id, session.item_id)
            return completed

    def _advance(
        self,
        sql: HistorySql,
        session: Session,
        position: float,
        duration: float | None,
        ended: bool,
    ) -> bool:
        stamp = sql.update_session(session.id, position, duration, ended)
        kind, item_duration = sql.item_kind(session.item_id) or ("video", None)
        total = duration or session.duration or item_duration
        if is_complete(kind, position, total) and not sql.session_completed(session.id):
            data = {"session_id": session.id, "position": position, "duration": total}
            sql.log(session.profile_id, session.item_id, "completed", stamp, data)
            return True
        return False

    def _finish(
        self, sql: HistorySql, session: Session, position: float, duration: float | None
    ) -> bool:
        completed = self._advance(sql, session, position, duration, ended=True)
        ended = sql.session(session.id)
        assert ended is not None and ended.ended_at is not None
        data = {
            "session_id": session.id,
            "started_at": session.started_at,
            "start_position": session.start_position,
            "position": position,
            "duration": ended.duration,
        }
        sql.log(session.profile_id, session.item_id, "play", ended.ended_at, data)
        rebuild_item(sql, session.profile_id, session.item_id)
        return completed

    def progress(self, profile_id: int, item_id: int) -> ProgressRow | None:
        return self._read().progress(profile_id, item_id)

    def resume_position(self, profile_id: int, item_id: int) -> float | None:
        """Where to resume, or None: never played, near the start, or finished. A completed
        item played again since its completion resumes where that rewatch stopped."""
        row = self._read().progress(profile_id, item_id)
        if row is None or row.position < RESUME_MIN_POSITION:
            return None
        if row.completed and (row.last_played_at or "") <= (row.completed_at or ""):
            return None
        return row.position

    # --- marks and feedback ------------------------------------------------------------------

    def mark_watched(self, profile_id: int, item_id: int, at: datetime | None = None) -> bool:
        """Mark as watched (False if it already was)."""
        return self._item_event(profile_id, item_id, "watched", at)

    def mark_unwatched(self, profile_id: int, item_id: int) -> bool:
        """Forget that it was watched, and its resume point (False if it was not watched)."""
        return self._item_event(profile_id, item_id, "unwatched", None)

    def mark_watched_many(self, profile_id: int, rows: Iterable[tuple[int, float]]) -> None:
        """Bulk "watched" (item_id, at_epoch) for the evaluation harness: one executemany."""
        with self.database.write() as db:
            HistorySql(db).mark_watched_many(profile_id, rows)

    def like(self, profile_id: int, item_id: int) -> bool:
        return self._item_event(profile_id, item_id, "like", None)

    def dislike(self, profile_id: int, item_id: int) -> bool:
        return self._item_event(profile_id, item_id, "dislike", None)

    def not_interested(self, profile_id: int, item_id: int) -> bool:
        return self._item_event(profile_id, item_id, "not_interested", None)

    def clear_feedback(self, profile_id: int, item_id: int, kind: str) -> bool:
        if kind not in FEEDBACK_KINDS:
            raise HistoryError(f"unknown feedback {kind!r}; use one of {FEEDBACK_KINDS}")
        return self._item_event(profile_id, item_id, f"clear_{kind}", None)

    def feedback(self, profile_id: int, item_id: int) -> set[str]:
        return self._read().feedback(profile_id, item_id)

    def _item_event(self, profile_id: int, item_id: int, event: str, at: datetime | None) -> bool:
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            self._require_item(sql, item_id)
            before = sql.progress(profile_id, item_id)
            completed = before is not None and before.completed
            feedback = sql.feedback(profile_id, item_id)
            # Only real changes go in the timeline: liking twice is one like.
            if (
                (event == "watched" and completed)
                or (event == "unwatched" and not completed)
                or (event in FEEDBACK_KINDS and event in feedback)
                or (event.startswith("clear_") and event.removeprefix("clear_") not in feedback)
            ):
                return False
            sql.log(profile_id, item_id, event, iso(at))
            rebuild_item(sql, profile_id, item_id)
        return True

    def follow_show(self, profile_id: int, show_id: int) -> None:
        self._show_event(profile_id, show_id, "follow", {})

    def unfollow_show(self, profile_id: int, show_id: int) -> None:
        self._show_event(profile_id, show_id, "unfollow", {})

    def snooze_show(self, profile_id: int, show_id: int, until: datetime | None) -> None:
        """Keep a show out of recommendations until `until` (None: stop snoozing now)."""
        if until is None:
            self._show_event(profile_id, show_id, "unsnooze", {})
        else:
            self._show_event(profile_id, show_id, "snooze", {"until": iso(until)})

    def _show_event(self, profile_id: int, show_id: int, event: str, data: dict[str, Any]) -> None:
        with self.database.write() as db:
            sql = HistorySql(db)
            self._require_profile(sql, profile_id)
            if sql.show_title(show_id) is None:
                raise HistoryError(f"no show {show_id}")
            sql.log(profile_id, None, event, iso(), {"show_id": show_id, **data})
            rebuild_show(sql, profile_id, show_id)

    # --- the timeline ------------------------------------------------------------------------

    def timeline(
        self,
        profile_id: int,
        limit: int = 50,
        offset: int = 0,
        item_id: int | None = None,
        events: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Events newest first: id, item_id, event, at, data, title, kind, show. With
        `item_id`, that item's events only (the detail view); with `events` (names from
        `EVENTS`), only those kinds (the History page's filters)."""
        wanted = self._check_events(events)
        return self._read().timeline(profile_id, limit, offset, item_id, wanted)

    def count_events(
        self,
        profile_id: int,
        events: Collection[str] | None = None,
        item_id: int | None = None,
    ) -> int:
        """How many entries `timeline` would list with the same filters, in one query."""
        wanted = self._check_events(events)
        return self._read().count_events(profile_id, item_id, wanted)

    @staticmethod
    def _check_events(events: Collection[str] | None) -> frozenset[str] | None:
        if events is None:
            return None
        if isinstance(events, str):  # "play" would otherwise be read as {"p", "l", "a", "y"}
            raise HistoryError(f"events must be a collection of event names, not {events!r}")
        wanted = frozenset(events)
        unknown = wanted - EVENTS
        if unknown:
            raise HistoryError(
                f"unknown history events {sorted(unknown)}; expected some of {sorted(EVENTS)}"
            )
        return wanted

    def remove_event(self, event_id: int) -> bool:
        """Delete one timeline entry and refold what it affected: removing a play drops its
        session; removing the only completion un-watches the item."""
        with self.database.write() as db:
            sql = HistorySql(db)
            event = sql.event(event_id)
            if event is None:
                return False
            sql.delete_event(event_id)
            if event.event == "play" and isinstance(event.data.get("session_id"), int):
                sql.delete_session(event.data["session_id"])
            if event.item_id is not None:
                rebuild_item(sql, event.profile_id, event.item_id)
            elif isinstance(event.data.get("show_id"), int):
                rebuild_show(sql, event.profile_id, event.data["show_id"])
        return True

    # --- the recommender's view --------------------------------------------------------------

    def load_profile_state(self, profile_id: int) -> ProfileState:
        self._require_profile(self._read(), profile_id)
        return self._read().load_profile_state(profile_id)

    # --- import and export (engine/recommend/history_io.py) ----------------------------------

    def export_json(self, path: str | os.PathLike[str]) -> int:
        from engine.recommend.history_io import export_json

        return export_json(self.database, path)

    def export_csv(self, path: str | os.PathLike[str]) -> int:
        from engine.recommend.history_io import export_csv

        return export_csv(self.database, path)

    def import_file(self, path: str | os.PathLike[str], profile: str | None = None) -> ImportReport:
        """Import a JSON or CSV history file (by content); `profile` puts every event there."""
        from engine.recommend.history_io import import_file

        return import_file(self.database, path, profile)

    def import_nfo_history(self, profile_id: int) -> int:
        """Kodi NFO play counts and resume points as history for `profile_id`; returns how many
        events were added. Running it again adds nothing."""
        from engine.recommend.history_io import import_nfo

        self._require_profile(self._read(), profile_id)
        return import_nfo(self.database, profile_id)
