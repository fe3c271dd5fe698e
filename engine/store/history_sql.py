"""SQL for viewing history and profiles.

Times are ISO 8601 UTC text with microseconds, all in one format so that they sort as text.
`progress`, `feedback` and `show_prefs` are derived from `play_sessions` and `history_log`;
the folding lives in `engine/recommend/history.py`, this module only reads and writes rows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from engine.store.profile_state import InProgress, ProfileState, Watched

if TYPE_CHECKING:
    from engine.store.plain import Db

_clock = threading.Lock()
_last_now = datetime.min.replace(tzinfo=UTC)


def _now() -> datetime:
    """Now, but always after the last call: events recorded in a row must keep their order even
    where the clock is coarse (Windows ticks every ~15 ms) or steps back."""
    global _last_now
    with _clock:
        moment = max(datetime.now(UTC), _last_now + timedelta(microseconds=1))
        _last_now = moment
    return moment


def iso(moment: datetime | float | None = None) -> str:
    """`moment` (now if None; a float is epoch seconds) as stored: UTC, microseconds."""
    if moment is None:
        moment = _now()
    elif isinstance(moment, int | float):
        moment = datetime.fromtimestamp(moment, UTC)
    elif moment.tzinfo is None:  # naive times (Kodi NFO) are taken as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> str:
    """Normalise an ISO 8601 date or time to the stored form; ValueError if it is not one."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    return iso(datetime.fromisoformat(value))


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    interests: str
    languages: tuple[str, ...]
    is_default: bool
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "interests": self.interests,
            "languages": list(self.languages),
            "is_default": self.is_default,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Session:
    id: int
    profile_id: int
    item_id: int
    started_at: str
    ended_at: str | None
    start_position: float
    end_position: float | None
    duration: float | None
    updated_at: str


@dataclass(frozen=True)
class Event:
    id: int
    profile_id: int
    item_id: int | None
    event: str
    at: str
    data: dict[str, Any]


@dataclass
class ProgressRow:
    position: float = 0.0
    duration: float | None = None
    completed: bool = False
    play_count: int = 0
    last_played_at: str | None = None
    completed_at: str | None = None


_PROFILE_COLS = "id, name, interests, languages, is_default, created_at"
_SESSION_COLS = (
    "id, profile_id, item_id, started_at, ended_at, start_position, end_position, duration, "
    "updated_at"
)


def _profile(row: tuple[Any, ...]) -> Profile:
    return Profile(row[0], row[1], row[2], tuple(json.loads(row[3])), bool(row[4]), row[5])


def _event(row: tuple[Any, ...]) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))


class HistorySql:
    """Named queries over one connection, like `Catalog`."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self._x = db.conn.execute

    # --- profiles ----------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self._x(f"SELECT {_PROFILE_COLS} FROM profiles ORDER BY id")]

    def all_profile_ids(self) -> list[int]:
        return [int(r[0]) for r in self._x("SELECT id FROM profiles ORDER BY id")]

    def profile(self, profile_id: int) -> Profile | None:
        row = self._x(f"SELECT {_PROFILE_COLS} FROM profiles WHERE id = ?", (profile_id,))
        found = row.fetchone()
        return _profile(found) if found else None

    def profile_by_name(self, name: str) -> Profile | None:
        row = self._x(f"SELECT {_PROFILE_COLS} FROM profiles WHERE name = ?", (name,)).fetchone()
        return _profile(row) if row else None

    def default_profile(self) -> Profile:
        row = self._x(f"SELECT {_PROFILE_COLS} FROM profiles WHERE is_default = 1").fetchone()
        if row is None:  # only if someone edited the file by hand: fall back to the oldest
            row = self._x(f"SELECT {_PROFILE_COLS} FROM profiles ORDER BY id LIMIT 1").fetchone()
        return _profile(row)

    def insert_profile(self, name: str, interests: str, languages: Iterable[str]) -> int:
        cur = self._x(
            "INSERT INTO profiles (name, interests, languages, created_at) VALUES (?, ?, ?, ?)",
            (name, interests, json.dumps(list(languages)), iso()),
        )
        return int(cur.lastrowid or 0)

    def update_profile(
        self,
        profile_id: int,
        *,
        name: str | None = None,
        interests: str | None = None,
        languages: Iterable[str] | None = None,
    ) -> None:
        if name is not None:
            self._x("UPDATE profiles SET name = ? WHERE id = ?", (name, profile_id))
        if interests is not None:
            self._x("UPDATE profiles SET interests = ? WHERE id = ?", (interests, profile_id))
        if languages is not None:
            self._x(
                "UPDATE profiles SET languages = ? WHERE id = ?",
                (json.dumps(list(languages)), profile_id),
            )

    def set_default(self, profile_id: int) -> None:
        self._x(
            "UPDATE profiles SET is_default = 0 WHERE is_default = 1 AND id != ?", (profile_id,)
        )
        self._x("UPDATE profiles SET is_default = 1 WHERE id = ?", (profile_id,))

    def delete_profile(self, profile_id: int) -> None:
        self._x("DELETE FROM profiles WHERE id = ?", (profile_id,))  # history cascades

    # --- items and shows ---------------------------------------------------------------------

    def item_kind(self, item_id: int) -> tuple[str, float | None] | None:
        row = self._x("SELECT kind, duration FROM items WHERE id = ?", (item_id,)).fetchone()
        return (str(row[0]), row[1]) if row else None

    def show_title(self, show_id: int) -> tuple[str, str] | None:
        row = self._x("SELECT title, kind FROM shows WHERE id = ?", (show_id,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def shows_by_key(self) -> dict[tuple[str, str], int]:
        """(kind, folded title) -> show id, for matching imported shows."""
        rows = self._x("SELECT kind, title_key, id FROM shows ORDER BY id DESC")
        return {(r[0], r[1]): int(r[2]) for r in rows}

    def fingerprint_index(self) -> dict[str, int]:
        rows = self._x(
            "SELECT fingerprint, item_id FROM files WHERE fingerprint IS NOT NULL "
            "AND item_id IS NOT NULL ORDER BY missing DESC, id DESC"
        )
        return {r[0]: int(r[1]) for r in rows}  # later rows win: present files, oldest id

    def item_identities(self) -> Iterator[dict[str, Any]]:
        """Every item with what identifies it on another machine."""
        rows = self.db.query(
            """
            SELECT i.id, i.kind, i.title, s.title AS show, i.season, i.episode, i.year,
                   (SELECT json_group_array(fingerprint) FROM
                      (SELECT DISTINCT f.fingerprint FROM files f WHERE f.item_id = i.id
                       AND f.fingerprint IS NOT NULL ORDER BY f.missing, f.id)) AS fingerprints
            FROM items i LEFT JOIN shows s ON s.id = i.show_id ORDER BY i.id
            """
        )
        for row in rows:
            row["fingerprints"] = json.loads(row["fingerprints"] or "[]")
            yield row

    def nfo_values(self) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT id, created_at, nfo_playcount, nfo_lastplayed, nfo_resume_position, "
                "nfo_resume_total FROM items WHERE coalesce(nfo_playcount, 0) > 0 "
                "OR coalesce(nfo_resume_position, 0) > 0 ORDER BY id"
            )
        )

    # --- sessions ----------------------------------------------------------------------------

    def insert_session(
        self,
        profile_id: int,
        item_id: int,
        started_at: str,
        start_position: float,
        *,
        ended_at: str | None = None,
        end_position: float | None = None,
        duration: float | None = None,
    ) -> int:
        cur = self._x(
            "INSERT INTO play_sessions (profile_id, item_id, started_at, ended_at, "
            "start_position, end_position, duration, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                profile_id,
                item_id,
                started_at,
                ended_at,
                start_position,
                start_position if end_position is None else end_position,
                duration,
                ended_at or started_at,
            ),
        )
        return int(cur.lastrowid or 0)

    def session(self, session_id: int) -> Session | None:
        row = self._x(
            f"SELECT {_SESSION_COLS} FROM play_sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return Session(*row) if row else None

    def open_sessions(self, profile_id: int) -> list[Session]:
        rows = self._x(
            f"SELECT {_SESSION_COLS} FROM play_sessions WHERE profile_id = ? "
            "AND ended_at IS NULL ORDER BY id",
            (profile_id,),
        )
        return [Session(*r) for r in rows]

    def update_session(
        self, session_id: int, position: float, duration: float | None, ended: bool
    ) -> str:
        stamp = iso()
        self._x(
            "UPDATE play_sessions SET end_position = ?, duration = coalesce(?, duration), "
            "updated_at = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?",
            (position, duration, stamp, ended, stamp, session_id),
        )
        return stamp

    def sessions_for(self, profile_id: int, item_id: int) -> list[Session]:
        rows = self._x(
            f"SELECT {_SESSION_COLS} FROM play_sessions WHERE profile_id = ? AND item_id = ? "
            "ORDER BY updated_at, id",
            (profile_id, item_id),
        )
        return [Session(*r) for r in rows]

    def delete_session(self, session_id: int) -> None:
        self._x("DELETE FROM play_sessions WHERE id = ?", (session_id,))

    # --- derived state -----------------------------------------------------------------------

    def progress(self, profile_id: int, item_id: int) -> ProgressRow | None:
        row = self._x(
            "SELECT position, duration, completed, play_count, last_played_at, completed_at "
            "FROM progress WHERE profile_id = ? AND item_id = ?",
            (profile_id, item_id),
        ).fetchone()
        if row is None:
            return None
        return ProgressRow(row[0], row[1], bool(row[2]), row[3], row[4], row[5])

    def put_progress(self, profile_id: int, item_id: int, row: ProgressRow | None) -> None:
        if row is None:
            self._x(
                "DELETE FROM progress WHERE profile_id = ? AND item_id = ?", (profile_id, item_id)
            )
            return
        self._x(
            "INSERT OR REPLACE INTO progress (profile_id, item_id, position, duration, "
            "completed, play_count, last_played_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                profile_id,
                item_id,
                row.position,
                row.duration,
                int(row.completed),
                row.play_count,
                row.last_played_at,
                row.completed_at,
            ),
        )

    def put_feedback(self, profile_id: int, item_id: int, kinds: dict[str, str]) -> None:
        """Replace the item's feedback with `kinds` (kind -> when)."""
        self._x("DELETE FROM feedback WHERE profile_id = ? AND item_id = ?", (profile_id, item_id))
        self.db.conn.executemany(
            "INSERT INTO feedback (profile_id, item_id, kind, at) VALUES (?, ?, ?, ?)",
            [(profile_id, item_id, kind, at) for kind, at in kinds.items()],
        )

    def feedback(self, profile_id: int, item_id: int) -> set[str]:
        rows = self._x(
            "SELECT kind FROM feedback WHERE profile_id = ? AND item_id = ?", (profile_id, item_id)
        )
        return {str(r[0]) for r in rows}

    def put_show_pref(
        self, profile_id: int, show_id: int, followed: bool, snoozed_until: str | None
    ) -> None:
        if not followed and snoozed_until is None:
            self._x(
                "DELETE FROM show_prefs WHERE profile_id = ? AND show_id = ?", (profile_id, show_id)
            )
            return
        self._x(
            "INSERT OR REPLACE INTO show_prefs (profile_id, show_id, followed, snoozed_until) "
            "VALUES (?, ?, ?, ?)",
            (profile_id, show_id, int(followed), snoozed_until),
        )

    # --- the event log -----------------------------------------------------------------------

    def log(
        self,
        profile_id: int,
        item_id: int | None,
        event: str,
        at: str,
        data: dict[str, Any] | None = None,
    ) -> int:
        cur = self._x(
            "INSERT INTO history_log (profile_id, item_id, event, at, data) VALUES (?, ?, ?, ?, ?)",
            (profile_id, item_id, event, at, json.dumps(data or {})),
        )
        return int(cur.lastrowid or 0)

    def event(self, event_id: int) -> Event | None:
        row = self._x(
            "SELECT id, profile_id, item_id, event, at, data FROM history_log WHERE id = ?",
            (event_id,),
        ).fetchone()
        return _event(row) if row else None

    def delete_event(self, event_id: int) -> None:
        self._x("DELETE FROM history_log WHERE id = ?", (event_id,))

    def events_for_item(self, profile_id: int, item_id: int) -> list[Event]:
        rows = self._x(
            "SELECT id, profile_id, item_id, event, at, data FROM history_log "
            "WHERE profile_id = ? AND item_id = ? ORDER BY at, id",
            (profile_id, item_id),
        )
        return [_event(r) for r in rows]

    def events_for_show(self, profile_id: int, show_id: int) -> list[Event]:
        rows = self._x(
            "SELECT id, profile_id, item_id, event, at, data FROM history_log "
            "WHERE profile_id = ? AND item_id IS NULL AND json_extract(data, '$.show_id') = ? "
            "ORDER BY at, id",
            (profile_id, show_id),
        )
        return [_event(r) for r in rows]

    def has_event(
        self,
        profile_id: int,
        item_id: int | None,
        event: str,
        at: str,
        show_id: int | None = None,
    ) -> bool:
        """Is this event already recorded? (What makes imports idempotent.)"""
        row = self._x(
            "SELECT 1 FROM history_log WHERE profile_id = ? AND item_id IS ? AND event = ? "
            "AND at = ? AND json_extract(data, '$.show_id') IS ? LIMIT 1",
            (profile_id, item_id, event, at, show_id),
        ).fetchone()
        return row is not None

    def session_completed(self, session_id: int) -> bool:
        row = self._x(
            "SELECT 1 FROM history_log WHERE event = 'completed' "
            "AND json_extract(data, '$.session_id') = ? LIMIT 1",
            (session_id,),
        ).fetchone()
        return row is not None

    def has_nfo_event(self, profile_id: int, item_id: int, event: str) -> bool:
        row = self._x(
            "SELECT 1 FROM history_log WHERE profile_id = ? AND item_id = ? AND event = ? "
            "AND json_extract(data, '$.source') = 'nfo' LIMIT 1",
            (profile_id, item_id, event),
        ).fetchone()
        return row is not None

    def timeline(
        self,
        profile_id: int,
        limit: int,
        offset: int,
        item_id: int | None = None,
        events: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Newest first, with the item and show named for display; one item's when given, and
        only the named event kinds when `events` is given (an empty set matches nothing)."""
        params: dict[str, Any] = {
            "profile": profile_id,
            "limit": limit,
            "offset": offset,
            "item": item_id,
        }
        only = "AND h.item_id = :item" if item_id is not None else ""
        if events is not None:
            names = {f"event{n}": name for n, name in enumerate(sorted(set(events)))}
            params.update(names)
            keys = ", ".join(f":{key}" for key in names)
            only += f" AND h.event IN ({keys})" if names else " AND 0"  # none: match nothing
        rows = self.db.query(
            f"""
            SELECT h.id, h.item_id, h.event, h.at, h.data, i.title, i.kind,
                   coalesce(s.title, ss.title) AS show
            FROM history_log h
            LEFT JOIN items i ON i.id = h.item_id
            LEFT JOIN shows s ON s.id = i.show_id
            LEFT JOIN shows ss ON h.item_id IS NULL AND ss.id = json_extract(h.data, '$.show_id')
            WHERE h.profile_id = :profile {only}
            ORDER BY h.at DESC, h.id DESC LIMIT :limit OFFSET :offset
            """,
            params,
        )
        return [dict(r, data=json.loads(r["data"])) for r in rows]

    def count_events(
        self, profile_id: int, item_id: int | None = None, events: Iterable[str] | None = None
    ) -> int:
        """How many rows `timeline` has for the same filters; one count over the index."""
        sql = "SELECT count(*) FROM history_log WHERE profile_id = ?"
        params: list[Any] = [profile_id]
        if item_id is not None:
            sql += " AND item_id = ?"
            params.append(item_id)
        if events is not None:
            names = sorted(set(events))
            sql += f" AND event IN ({', '.join('?' * len(names))})" if names else " AND 0"
            params += names
        return int(self._x(sql, params).fetchone()[0])

    def all_events(self) -> Iterator[dict[str, Any]]:
        """Every event, oldest first, with its profile's name and the show's title and kind."""
        rows = self.db.query(
            """
            SELECT h.id, p.name AS profile, h.item_id, h.event, h.at, h.data,
                   s.title AS show_title, s.kind AS show_kind
            FROM history_log h JOIN profiles p ON p.id = h.profile_id
            LEFT JOIN shows s ON h.item_id IS NULL AND s.id = json_extract(h.data, '$.show_id')
            ORDER BY h.at, h.id
            """
        )
        for row in rows:
            row["data"] = json.loads(row["data"])
            yield row

    # --- what the recommender reads ----------------------------------------------------------

    def load_profile_state(self, profile_id: int) -> ProfileState:
        profile = self.profile(profile_id)
        if profile is None:
            raise KeyError(f"no profile {profile_id}")
        watched = tuple(
            Watched(int(r[0]), epoch(r[1]), True)
            for r in self._x(
                "SELECT item_id, completed_at FROM progress WHERE profile_id = ? AND completed = 1 "
                "ORDER BY completed_at, item_id",
                (profile_id,),
            )
        )
        in_progress = tuple(
            InProgress(int(r[0]), float(r[1]), r[2], epoch(r[3]))
            for r in self._x(
                "SELECT item_id, position, duration, last_played_at FROM progress "
                "WHERE profile_id = ? AND completed = 0 AND position > 0 "
                "AND last_played_at IS NOT NULL ORDER BY last_played_at DESC, item_id",
                (profile_id,),
            )
        )
        feedback: dict[str, set[int]] = {"like": set(), "dislike": set(), "not_interested": set()}
        for item_id, kind in self._x(
            "SELECT item_id, kind FROM feedback WHERE profile_id = ?", (profile_id,)
        ):
            feedback[kind].add(int(item_id))
        followed: set[int] = set()
        snoozed: set[int] = set()
        stamp = iso()
        for show_id, is_followed, until in self._x(
            "SELECT show_id, followed, snoozed_until FROM show_prefs WHERE profile_id = ?",
            (profile_id,),
        ):
            if is_followed:
                followed.add(int(show_id))
            if until is not None and until > stamp:
                snoozed.add(int(show_id))
        seen = frozenset(
            int(r[0])
            for r in self._x("SELECT item_id FROM progress WHERE profile_id = ?", (profile_id,))
        )
        return ProfileState(
            profile_id=profile.id,
            name=profile.name,
            watched=watched,
            in_progress=in_progress,
            likes=frozenset(feedback["like"]),
            dislikes=frozenset(feedback["dislike"]),
            not_interested=frozenset(feedback["not_interested"]),
            followed_shows=frozenset(followed),
            snoozed_shows=frozenset(snoozed),
            interests=profile.interests,
            languages=profile.languages,
            seen=seen,
        )

    def mark_watched_many(self, profile_id: int, rows: Iterable[tuple[int, float]]) -> None:
        """Bulk "watched" for the evaluation harness: one log event and a completed progress row
        per (item_id, at_epoch), in two executemany calls. The per-item refold is skipped for
        speed; the rows equal what it would give unless an item has a later 'unwatched'."""
        events = [(profile_id, item_id, iso(at)) for item_id, at in rows]
        self.db.conn.executemany(
            "INSERT INTO history_log (profile_id, item_id, event, at, data) "
            "VALUES (?, ?, 'watched', ?, '{}')",
            events,
        )
        self.db.conn.executemany(
            "INSERT INTO progress (profile_id, item_id, position, completed, play_count, "
            "last_played_at, completed_at) VALUES (?1, ?2, 0, 1, 1, ?3, ?3) "
            "ON CONFLICT (profile_id, item_id) DO UPDATE SET completed = 1, position = 0, "
            "play_count = play_count + 1, "
            "last_played_at = max(coalesce(last_played_at, ''), excluded.last_played_at), "
            "completed_at = max(coalesce(completed_at, ''), excluded.completed_at)",
            events,
        )
