"""History import/export (JSON, CSV), Kodi NFO import and the CLI commands, against real
libraries built by the real scanner from real files."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engine.cli_history import add_history_commands, run_history_command
from engine.library import Library
from engine.recommend.history import History, HistoryError
from engine.recommend.state import ProfileState
from engine.store import Catalog
from tests.mediagen import make_audio

TITLES = ("Moon Landing", "Deep Sea", "Old Maps")


def _make_files(folder: Path, seed: int) -> None:
    show = folder / "Science Hour"
    show.mkdir(parents=True)
    for n, title in enumerate(TITLES):
        make_audio(show / f"{n}.mp3", seconds=0.5, seed=seed + n, title=title, show="Science Hour")


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Library]:
    _make_files(tmp_path / "media", seed=10)
    library = Library(tmp_path / "source-data", workers=2)
    library.add_root(tmp_path / "media", "podcast")
    library.scan()
    yield library
    library.close()


def _fresh(tmp_path: Path, name: str, same_files: bool) -> Library:
    media = tmp_path / f"{name}-media"
    if same_files:  # another machine with the same downloads at another path
        shutil.copytree(tmp_path / "media", media)
    else:  # the same episodes from another source: different bytes
        _make_files(media, seed=50)
    library = Library(tmp_path / f"{name}-data", workers=2)
    library.add_root(media, "podcast")
    library.scan()
    return library


def _ids(library: Library) -> dict[str, int]:
    return {str(i["title"]): int(i["id"]) for i in library.items()}


def _record(library: Library) -> History:
    history = History(library.database)
    ids = _ids(library)
    me = history.default_profile().id
    kid = history.add_profile("Kid", interests="oceans", languages=["en"]).id
    session = history.start_session(me, ids["Moon Landing"], 0.0)
    history.end_session(session, 0.48, 0.5)  # completed
    session = history.start_session(me, ids["Deep Sea"], 0.0)
    history.end_session(session, 120.0, 1000.0)  # a player reporting a longer duration
    history.like(me, ids["Deep Sea"])
    history.dislike(kid, ids["Old Maps"])
    history.mark_watched(kid, ids["Deep Sea"], datetime(2024, 3, 1, tzinfo=UTC))
    show = Catalog(library.database.db).item(ids["Old Maps"])
    assert show is not None
    history.follow_show(me, int(show["show_id"]))
    history.snooze_show(me, int(show["show_id"]), datetime.now(UTC) + timedelta(days=3))
    return history


def _by_title(library: Library, state: ProfileState) -> dict[str, Any]:
    names = {v: k for k, v in _ids(library).items()}
    return {
        "watched": [(names[w.item_id], w.at) for w in state.watched],
        "in_progress": [(names[p.item_id], p.position, p.duration) for p in state.in_progress],
        "likes": {names[i] for i in state.likes},
        "dislikes": {names[i] for i in state.dislikes},
        "seen": {names[i] for i in state.seen},
        "followed": len(state.followed_shows),
        "snoozed": len(state.snoozed_shows),
        "interests": state.interests,
        "languages": state.languages,
    }


def _states(library: Library) -> dict[str, dict[str, Any]]:
    history = History(library.database)
    return {
        p.name: _by_title(library, history.load_profile_state(p.id)) for p in history.profiles()
    }


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("same_files", [True, False], ids=["fingerprint", "title"])
def test_round_trip_into_a_fresh_library(
    source: Library, tmp_path: Path, fmt: str, same_files: bool
) -> None:
    history = _record(source)
    exported = tmp_path / f"history.{fmt}"
    count = (history.export_json if fmt == "json" else history.export_csv)(exported)
    assert count == len(history.timeline(1)) + len(history.timeline(2))

    target = _fresh(tmp_path, "target", same_files)
    try:
        imported = History(target.database)
        report = imported.import_file(exported)
        assert (report.imported, report.skipped_unmatched, report.duplicates) == (count, 0, 0)
        assert report.profiles_created == ("Kid",)
        expected = _states(source)
        if fmt == "csv":  # CSV has no profile section: interests and languages stay behind
            expected["Kid"] |= {"interests": "", "languages": ()}
        assert _states(target) == expected

        again = imported.import_file(exported)  # idempotent
        assert (again.imported, again.duplicates) == (0, count)
        assert _states(target) == expected
    finally:
        target.close()


def test_json_format_is_open_and_documented(source: Library, tmp_path: Path) -> None:
    _record(source)
    path = tmp_path / "history.json"
    History(source.database).export_json(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("reelcast-history", 1)
    assert [p["name"] for p in doc["profiles"]] == ["Default", "Kid"]
    play = next(e for e in doc["events"] if e["event"] == "play")
    assert play["item"]["title"] == "Moon Landing" and play["item"]["show"] == "Science Hour"
    assert len(play["item"]["fingerprints"]) == 1 and play["at"].endswith("+00:00")
    snooze = next(e for e in doc["events"] if e["event"] == "snooze")
    assert snooze["item"] is None and snooze["show"]["title"] == "Science Hour"


def test_unmatched_items_are_skipped_and_profile_can_be_forced(
    source: Library, tmp_path: Path
) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        "profile,event,at,fingerprint,title,show,season,episode,year,position,duration\n"
        "Anna,watched,2024-02-01T10:00:00Z,,Moon Landing,Science Hour,,,,,\n"
        "Anna,watched,2024-02-01T10:00:00Z,,Not Here,Science Hour,,,,,\n"
        "Anna,play,2024-02-02,,Deep Sea,science  hour,,,,42.5,1000\n",
        encoding="utf-8",
    )
    history = History(source.database)
    report = history.import_file(path, profile="Guest")
    assert (report.imported, report.skipped_unmatched, report.profiles_created) == (
        2,
        1,
        ("Guest",),
    )
    state = history.load_profile_state(history.profile("Guest").id)
    ids = _ids(source)
    assert state.watched_ids == {ids["Moon Landing"]}
    assert state.watched[0].at == datetime(2024, 2, 1, 10, tzinfo=UTC).timestamp()
    assert [(p.item_id, p.position) for p in state.in_progress] == [(ids["Deep Sea"], 42.5)]
    assert history.resume_position(state.profile_id, ids["Deep Sea"]) == 42.5


GOOD_CSV_HEADER = "profile,event,at,fingerprint,title,show,season,episode,year,position,duration\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"format": "reelcast-history", "version": 1, "events": [', "not valid JSON"),
        ("v2.json", '{"format": "reelcast-history", "version": 2, "events": []}', "version 2"),
        ("other.json", '{"format": "something", "version": 1}', "field 'format'"),
        ("list.json", '{"format": "reelcast-history", "version": 1, "events": {}}', "'events'"),
        (
            "event.json",
            '{"format": "reelcast-history", "version": 1, "events": ['
            '{"profile": "A", "event": "watched", "at": "2024-01-01", "item": {"title": "x"}},'
            '{"profile": "A", "event": "explode", "at": "2024-01-01", "item": {"title": "x"}}]}',
            "event 2: field 'event'",
        ),
        (
            "lang.json",
            '{"format": "reelcast-history", "version": 1, "events": [],'
            ' "profiles": [{"name": "A", "languages": ["english"]}]}',
            "profile 1",
        ),
        ("cols.csv", "profile,event,at,title\nA,watched,2024-01-01,Moon Landing\n", "fingerprint"),
        (
            "time.csv",
            GOOD_CSV_HEADER
            + "A,watched,2024-01-01,,Moon Landing,,,,,,\n"
            + "A,watched,yesterday,,Deep Sea,,,,,,\n",
            "line 3: field 'at'",
        ),
        (
            "number.csv",
            GOOD_CSV_HEADER + "A,play,2024-01-01,,Deep Sea,,,,,-5,\n",
            "line 2: field 'position'",
        ),
        ("cells.csv", GOOD_CSV_HEADER + "A,watched,2024-01-01,,X,,,,,,,,,\n", "more cells"),
        ("noitem.csv", GOOD_CSV_HEADER + "A,watched,2024-01-01,,,,,,,,\n", "fingerprint or"),
    ],
)
def test_broken_files_are_refused_whole(
    source: Library, tmp_path: Path, name: str, content: str, message: str
) -> None:
    history = _record(source)
    before = (_states(source), [p.name for p in history.profiles()])
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        history.import_file(path)
    assert (_states(source), [p.name for p in history.profiles()]) == before


def test_binary_and_missing_files_give_clear_errors(source: Library, tmp_path: Path) -> None:
    history = History(source.database)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(HistoryError, match="not UTF-8"):
        history.import_file(garbage)
    with pytest.raises(HistoryError, match="cannot read"):
        history.import_file(tmp_path / "nope.json")


def test_export_is_atomic_and_replaces_the_old_file(source: Library, tmp_path: Path) -> None:
    history = _record(source)
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "history.json"
    target.write_text("old", encoding="utf-8")
    history.export_json(target)
    history.export_csv(out / "history.csv")
    assert sorted(p.name for p in out.iterdir()) == ["history.csv", "history.json"]
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1
    with pytest.raises(OSError):
        history.export_json(out / "missing-dir" / "history.json")
    (out / "a-dir.json").mkdir()
    with pytest.raises(OSError):  # cannot replace a directory: the temp file is cleaned up
        history.export_json(out / "a-dir.json")
    assert sorted(p.name for p in out.iterdir()) == ["a-dir.json", "history.csv", "history.json"]


def test_nfo_import_is_idempotent(source: Library) -> None:
    ids = _ids(source)
    with source.database.write() as db:
        cat = Catalog(db)
        cat.update_item(ids["Moon Landing"], {"nfo_playcount": 2, "nfo_lastplayed": "2023-05-06"})
        cat.update_item(
            ids["Deep Sea"],
            {"nfo_resume_position": 300.0, "nfo_resume_total": 1200.0},
        )
    history = History(source.database)
    profile = history.default_profile().id
    assert history.import_nfo_history(profile) == 2
    assert history.import_nfo_history(profile) == 0
    state = history.load_profile_state(profile)
    assert [(w.item_id, w.at) for w in state.watched] == [
        (ids["Moon Landing"], datetime(2023, 5, 6, tzinfo=UTC).timestamp())
    ]
    assert [(p.item_id, p.position, p.duration) for p in state.in_progress] == [
        (ids["Deep Sea"], 300.0, 1200.0)
    ]
    assert history.resume_position(profile, ids["Deep Sea"]) == 300.0
    other = history.add_profile("Other").id
    assert history.import_nfo_history(other) == 2  # per profile


# --- the CLI -------------------------------------------------------------------------------------


def _cli(target: Any, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="reelcast")
    add_history_commands(parser.add_subparsers(dest="command", required=True))
    return run_history_command(target, parser.parse_args(argv))


def test_cli_commands(source: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _ids(source)
    assert _cli(source, "profile", "add", "Sam", "--languages", "en,fr", "--default") == 0
    capsys.readouterr()
    assert _cli(source, "profile", "list", "--json") == 0
    profiles = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["is_default"], p["languages"]) for p in profiles] == [
        ("Default", False, []),
        ("Sam", True, ["en", "fr"]),
    ]

    assert _cli(source, "history", "add", str(ids["Moon Landing"]), "--watched", "--like") == 0
    assert _cli(source, "history", "add", str(ids["Deep Sea"]), "--position", "0.2") == 0
    assert (
        _cli(
            source,
            "history",
            "add",
            str(ids["Old Maps"]),
            "--profile",
            "Default",
            "--not-interested",
        )
        == 0
    )
    history = History(source.database)
    sam = history.load_profile_state(history.profile("Sam").id)
    assert sam.watched_ids == {ids["Moon Landing"]} and sam.likes == {ids["Moon Landing"]}
    assert [p.item_id for p in sam.in_progress] == [ids["Deep Sea"]]
    default = history.load_profile_state(history.profile("Default").id)
    assert default.not_interested == {ids["Old Maps"]}

    out = tmp_path / "out.csv"
    assert _cli(source, "history", "export", str(out)) == 0
    assert out.read_text(encoding="utf-8").startswith("profile,event,at,fingerprint")
    capsys.readouterr()
    assert _cli(source, "history", "import", str(out), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["duplicates"]) == (0, 4)  # its own events: all present
    assert _cli(source, "history", "import", "--nfo", "--profile", "Sam") == 0

    capsys.readouterr()
    assert _cli(source, "history", "import") == 2
    assert "FILE" in capsys.readouterr().err
    assert _cli(source, "history", "add", str(ids["Deep Sea"])) == 2
    assert _cli(source, "history", "add", "999", "--watched") == 1
    assert "no item 999" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert _cli(History(source.database), "history", "import", str(bad)) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert _cli(source, "profile", "add", "sam") == 1
