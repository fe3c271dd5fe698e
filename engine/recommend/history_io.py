"""History import and export in open formats (docs/history-format.md), and Kodi NFO import.

Exports are written atomically. An import is checked in full before anything is written, then
applied in one transaction; events already present are skipped, so importing twice adds
nothing. Items are found by content fingerprint first, then by title/show/season/episode/year.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from engine.faults import fault_point
from engine.recommend.history import (
    EVENTS,
    SHOW_EVENTS,
    HistoryError,
    check_languages,
    rebuild_item,
    rebuild_show,
)
from engine.store.db import Database
from engine.store.history_sql import HistorySql, iso, parse_time

log = logging.getLogger(__name__)

FORMAT = "reelcast-history"
VERSION = 1
CSV_COLUMNS = (
    "profile",
    "event",
    "at",
    "fingerprint",
    "title",
    "show",
    "season",
    "episode",
    "year",
    "position",
    "duration",
)
CSV_OPTIONAL = ("until",)  # only snooze uses it
MAX_BYTES = 512 * 1024 * 1024  # a history file this big is not a history file


@dataclass(frozen=True)
class ImportReport:
    imported: int = 0
    skipped_unmatched: int = 0
    duplicates: int = 0
    profiles_created: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "skipped_unmatched": self.skipped_unmatched,
            "duplicates": self.duplicates,
            "profiles_created": list(self.profiles_created),
        }


@dataclass
class _Incoming:
    where: str  # "event 3" or "line 5", for error messages
    profile: str
    event: str
    at: str
    fingerprints: list[str] = field(default_factory=list)
    title: str | None = None
    show: str | None = None
    show_kind: str | None = None
    season: int | None = None
    episode: int | None = None
    year: int | None = None
    position: float | None = None
    duration: float | None = None
    start_position: float | None = None
    started_at: str | None = None
    until: str | None = None


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


# --- writing -------------------------------------------------------------------------------------


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[str]], None]) -> None:
    """Write a temp file beside `path`, fsync it, then rename over: never a half-written file."""
    target = Path(path).absolute()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _snapshot(database: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Profiles and events (with item identities) read in one consistent snapshot."""
    with database.snapshot() as db:
        sql = HistorySql(db)
        profiles = [
            {k: v for k, v in p.as_dict().items() if k not in ("id", "created_at")}
            for p in sql.profiles()
        ]
        identities = {row["id"]: row for row in sql.item_identities()}
        events = []
        for row in sql.all_events():
            data = row["data"]
            out: dict[str, Any] = {
                "profile": row["profile"],
                "event": row["event"],
                "at": row["at"],
            }
            ident = identities.get(row["item_id"])
            out["item"] = (
                {k: ident[k] for k in ("fingerprints", "kind", "title", "show")}
                | {k: ident[k] for k in ("season", "episode", "year")}
                if ident
                else None
            )
            out["show"] = (
                {"title": row["show_title"], "kind": row["show_kind"]}
                if row["show_title"] is not None
                else None
            )
            for name in ("position", "duration", "start_position", "started_at", "until"):
                if data.get(name) is not None:
                    out[name] = data[name]
            events.append(out)
    return profiles, events


def export_json(database: Database, path: str | os.PathLike[str]) -> int:
    """Write every profile and event as JSON; returns the number of events."""
    profiles, events = _snapshot(database)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(),
        "profiles": profiles,
        "events": events,
    }
    write_atomic(path, lambda out: json.dump(doc, out, ensure_ascii=False, indent=1))
    log.info("exported %d history events to %s", len(events), path)
    return len(events)


def export_csv(database: Database, path: str | os.PathLike[str]) -> int:
    """Write every event as one CSV row; returns the number of events."""
    _, events = _snapshot(database)

    def write(out: IO[str]) -> None:
        writer = csv.DictWriter(out, fieldnames=[*CSV_COLUMNS, *CSV_OPTIONAL])
        writer.writeheader()
        for e in events:
            item = e["item"] or {}
            show = e["show"] or {}
            fingerprints = item.get("fingerprints") or [""]
            writer.writerow(
                {
                    "profile": e["profile"],
                    "event": e["event"],
                    "at": e["at"],
                    "fingerprint": fingerprints[0],
                    "title": item.get("title") or "",
                    "show": item.get("show") or show.get("title") or "",
                    **{k: _cell(item.get(k)) for k in ("season", "episode", "year")},
                    **{k: _cell(e.get(k)) for k in ("position", "duration", "until")},
                }
            )

    write_atomic(path, write)
    log.info("exported %d history events to %s", len(events), path)
    return len(events)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


# --- reading -------------------------------------------------------------------------------------


def _read_text(path: str | os.PathLike[str]) -> str:
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise HistoryError(f"{os.fspath(path)} is {size} bytes: too big for a history file")
        with open(path, encoding="utf-8-sig") as f:
            return f.read()
    except UnicodeDecodeError as exc:
        raise HistoryError(f"{os.fspath(path)} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise HistoryError(f"cannot read {os.fspath(path)}: {exc.strerror or exc}") from exc


def _text(value: Any, where: str, name: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise HistoryError(f"{where}: field {name!r} is missing")
        return None
    if not isinstance(value, str):
        raise HistoryError(f"{where}: field {name!r} must be text, not {value!r}")
    return value.strip() or None


def _number(value: Any, where: str, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not (number >= 0 and number < float("inf")):
        raise HistoryError(f"{where}: field {name!r} must be a number ≥ 0, not {value!r}")
    return number


def _integer(value: Any, where: str, name: str) -> int | None:
    number = _number(value, where, name)
    if number is not None and number != int(number):
        raise HistoryError(f"{where}: field {name!r} must be a whole number, not {value!r}")
    return None if number is None else int(number)


def _time(value: Any, where: str, name: str, required: bool = False) -> str | None:
    text = _text(value, where, name, required)
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError:
        raise HistoryError(f"{where}: field {name!r} is not an ISO 8601 time: {text!r}") from None


def _incoming(raw: dict[str, Any], item: dict[str, Any], where: str) -> _Incoming:
    event = _text(raw.get("event"), where, "event", required=True)
    if event not in EVENTS:
        raise HistoryError(f"{where}: field 'event' is {event!r}; expected one of {sorted(EVENTS)}")
    fingerprints = item.get("fingerprints") or []
    if not isinstance(fingerprints, list) or not all(isinstance(f, str) for f in fingerprints):
        raise HistoryError(f"{where}: field 'fingerprints' must be a list of text")
    incoming = _Incoming(
        where=where,
        profile=str(_text(raw.get("profile"), where, "profile", required=True)),
        event=event,
        at=str(_time(raw.get("at"), where, "at", required=True)),
        fingerprints=[f for f in fingerprints if f],
        title=_text(item.get("title"), where, "title"),
        show=_text(item.get("show"), where, "show"),
        show_kind=_text(item.get("show_kind"), where, "show_kind"),
        season=_integer(item.get("season"), where, "season"),
        episode=_integer(item.get("episode"), where, "episode"),
        year=_integer(item.get("year"), where, "year"),
        position=_number(raw.get("position"), where, "position"),
        duration=_number(raw.get("duration"), where, "duration"),
        start_position=_number(raw.get("start_position"), where, "start_position"),
        started_at=_time(raw.get("started_at"), where, "started_at"),
        until=_time(raw.get("until"), where, "until"),
    )
    if event in SHOW_EVENTS and not incoming.show:
        raise HistoryError(f"{where}: a {event!r} event needs the show's title")
    if event == "snooze" and incoming.until is None:
        raise HistoryError(f"{where}: a 'snooze' event needs field 'until'")
    if event not in SHOW_EVENTS and not (incoming.fingerprints or incoming.title):
        raise HistoryError(f"{where}: the item needs a fingerprint or a title")
    return incoming


def _parse_json(text: str) -> tuple[list[dict[str, Any]], list[_Incoming]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise HistoryError("not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise HistoryError(f"not a Reelcast history file: field 'format' must be {FORMAT!r}")
    if doc.get("version") != VERSION:
        raise HistoryError(
            f"unsupported history version {doc.get('version')!r}; this Reelcast reads {VERSION}"
        )
    profiles, events = doc.get("profiles", []), doc.get("events")
    if not isinstance(profiles, list) or not all(isinstance(p, dict) for p in profiles):
        raise HistoryError("field 'profiles' must be a list of objects")
    if not isinstance(events, list):
        raise HistoryError("field 'events' must be a list")
    for n, p in enumerate(profiles, 1):
        _text(p.get("name"), f"profile {n}", "name", required=True)
        _text(p.get("interests"), f"profile {n}", "interests")
        languages = p.get("languages") or []
        if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
            raise HistoryError(f"profile {n}: field 'languages' must be a list of codes")
        try:
            check_languages(languages)
        except HistoryError as exc:
            raise HistoryError(f"profile {n}: {exc}") from None
    parsed = []
    for n, raw in enumerate(events, 1):
        where = f"event {n}"
        if not isinstance(raw, dict):
            raise HistoryError(f"{where}: must be an object")
        item, show = raw.get("item") or {}, raw.get("show") or {}
        if not isinstance(item, dict) or not isinstance(show, dict):
            raise HistoryError(f"{where}: fields 'item' and 'show' must be objects")
        if raw.get("event") in SHOW_EVENTS:
            item = {"show": show.get("title"), "show_kind": show.get("kind")}
        parsed.append(_incoming(raw, item, where))
    return profiles, parsed


def _parse_csv(text: str) -> list[_Incoming]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise HistoryError(f"line 1: the CSV header lacks the columns {', '.join(missing)}")
        parsed = []
        for row in reader:
            where = f"line {reader.line_num}"
            if None in row:  # more cells than the header names
                raise HistoryError(f"{where}: more cells than columns")
            item = {k: row.get(k) for k in ("title", "show", "season", "episode", "year")}
            item["fingerprints"] = [row["fingerprint"]] if row.get("fingerprint") else []
            parsed.append(_incoming(dict(row), item, where))
        return parsed
    except csv.Error as exc:
        raise HistoryError(f"line {reader.line_num}: not valid CSV: {exc}") from None


# --- matching and applying -----------------------------------------------------------------------


class _Matcher:
    """Finds local items and shows for imported events."""

    def __init__(self, sql: HistorySql) -> None:
        self.by_fingerprint = sql.fingerprint_index()
        self.by_key: dict[tuple[Any, ...], int | None] = {}
        self.by_key_any_year: dict[tuple[Any, ...], int | None] = {}
        for row in sql.item_identities():
            key = (_fold(row["title"]), _fold(row["show"]), row["season"], row["episode"])
            self._add(self.by_key, (*key, row["year"]), row["id"])
            self._add(self.by_key_any_year, key, row["id"])
        self.shows = sql.shows_by_key()

    @staticmethod
    def _add(index: dict[tuple[Any, ...], int | None], key: tuple[Any, ...], item: int) -> None:
        index[key] = None if key in index else item  # None: ambiguous, never guess

    def item(self, e: _Incoming) -> int | None:
        for fingerprint in e.fingerprints:
            if fingerprint in self.by_fingerprint:
                return self.by_fingerprint[fingerprint]
        if not e.title:
            return None
        key = (_fold(e.title), _fold(e.show), e.season, e.episode)
        found = self.by_key.get((*key, e.year))
        return found if found is not None else self.by_key_any_year.get(key)

    def show(self, e: _Incoming) -> int | None:
        title = _fold(e.show)
        if e.show_kind:
            return self.shows.get((e.show_kind, title))
        return next((i for (_, t), i in sorted(self.shows.items()) if t == title), None)


def _detect(text: str) -> str:
    return "json" if text.lstrip().startswith("{") else "csv"


def import_file(
    database: Database, path: str | os.PathLike[str], profile: str | None = None
) -> ImportReport:
    text = _read_text(path)
    if _detect(text) == "json":
        profiles, events = _parse_json(text)
    else:
        profiles, events = [], _parse_csv(text)
    if profile is not None:
        profile = " ".join(profile.split())
        if not profile:
            raise HistoryError("the profile name is empty")
    try:
        report = _apply(database, profiles, events, profile)
    except HistoryError as exc:
        raise HistoryError(f"{os.fspath(path)}: {exc}") from None
    log.info("imported history from %s: %s", path, report.as_dict())
    return report


def _apply(
    database: Database,
    profiles: list[dict[str, Any]],
    events: list[_Incoming],
    forced: str | None,
) -> ImportReport:
    imported = unmatched = duplicates = 0
    created: list[str] = []
    with database.write() as db:  # all or nothing
        sql = HistorySql(db)
        ids: dict[str, int] = {}

        def profile_id(name: str, interests: str = "", languages: list[str] | None = None) -> int:
            name = " ".join(name.split())
            key = _fold(name)
            if key not in ids:
                found = sql.profile_by_name(name)
                if found is None:  # an unknown profile is created, not an error
                    created.append(name)
                    codes = check_languages(languages or [])
                    ids[key] = sql.insert_profile(name, interests, codes)
                else:
                    ids[key] = found.id
            return ids[key]

        if forced is None:
            for p in profiles:
                profile_id(
                    p["name"].strip(), (p.get("interests") or "").strip(), p.get("languages")
                )
        else:
            profile_id(forced)
        matcher = _Matcher(sql)
        touched_items: set[tuple[int, int]] = set()
        touched_shows: set[tuple[int, int]] = set()
        for e in events:
            pid = profile_id(forced or e.profile)
            is_show = e.event in SHOW_EVENTS
            target = matcher.show(e) if is_show else matcher.item(e)
            if target is None:
                unmatched += 1
                continue
            if is_show:
                if sql.has_event(pid, None, e.event, e.at, target):
                    duplicates += 1
                    continue
                data: dict[str, Any] = {"show_id": target}
                if e.until is not None:
                    data["until"] = e.until
                sql.log(pid, None, e.event, e.at, data)
                touched_shows.add((pid, target))
            else:
                if sql.has_event(pid, target, e.event, e.at):
                    duplicates += 1
                    continue
                sql.log(pid, target, e.event, e.at, _item_data(sql, pid, target, e))
                touched_items.add((pid, target))
            imported += 1
            fault_point("history.mid_import")  # the Nth event logged, nothing committed
        for pid, item_id in sorted(touched_items):
            rebuild_item(sql, pid, item_id)
        for pid, show_id in sorted(touched_shows):
            rebuild_show(sql, pid, show_id)
    return ImportReport(imported, unmatched, duplicates, tuple(created))


def _item_data(sql: HistorySql, profile_id: int, item_id: int, e: _Incoming) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if e.event == "play":  # a play is also a (finished) session: progress is folded from those
        started_at = e.started_at if e.started_at and e.started_at <= e.at else e.at
        start = e.start_position or 0.0
        position = e.position if e.position is not None else start
        data["session_id"] = sql.insert_session(
            profile_id,
            item_id,
            started_at,
            start,
            ended_at=e.at,
            end_position=position,
            duration=e.duration,
        )
        data |= {"started_at": started_at, "start_position": start}
    for name in ("position", "duration"):
        value = getattr(e, name)
        if value is not None:
            data[name] = value
    return data


# --- Kodi NFO ------------------------------------------------------------------------------------


def import_nfo(database: Database, profile_id: int) -> int:
    """NFO playcount -> a 'watched' event at lastplayed; resume position -> a 'play'. Each is
    recorded once per item and profile (marked source 'nfo'), so running it again adds nothing."""
    added = 0
    with database.write() as db:
        sql = HistorySql(db)
        for row in sql.nfo_values():
            item_id, touched = int(row["id"]), False
            at = _nfo_time(row["nfo_lastplayed"]) or row["created_at"]
            if (row["nfo_playcount"] or 0) > 0 and not sql.has_nfo_event(
                profile_id, item_id, "watched"
            ):
                data = {"source": "nfo", "playcount": row["nfo_playcount"]}
                sql.log(profile_id, item_id, "watched", parse_time(at), data)
                added += 1
                touched = True
            position = row["nfo_resume_position"] or 0.0
            if position > 0 and not sql.has_nfo_event(profile_id, item_id, "play"):
                stamp = parse_time(at)
                session = sql.insert_session(
                    profile_id,
                    item_id,
                    stamp,
                    0.0,
                    ended_at=stamp,
                    end_position=position,
                    duration=row["nfo_resume_total"],
                )
                data = {
                    "source": "nfo",
                    "session_id": session,
                    "position": position,
                    "duration": row["nfo_resume_total"],
                }
                sql.log(profile_id, item_id, "play", stamp, data)
                added += 1
                touched = True
            if touched:
                rebuild_item(sql, profile_id, item_id)
    log.info("imported %d events from NFO values for profile %d", added, profile_id)
    return added


def _nfo_time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None
