"""Viewing history against a real SQLite file: profiles, sessions, thresholds, feedback, the
timeline and the recommender's view; and history surviving renames, rescans and unmounts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engine.library import Library
from engine.recommend.history import History, HistoryError, is_complete
from engine.store import Catalog, Database
from tests.mediagen import make_audio


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "library.sqlite3")
    yield db
    db.close()


@pytest.fixture
def history(database: Database) -> History:
    return History(database)


def _item(database: Database, kind: str, title: str, duration: float | None, **more: Any) -> int:
    with database.write() as db:
        return Catalog(db).insert_item({"kind": kind, "title": title, "duration": duration, **more})


def _show(database: Database, title: str) -> int:
    with database.write() as db:
        return Catalog(db).upsert_show("podcast", title, {})


def _at(day: int) -> datetime:
    return datetime(2024, 1, day, 12, tzinfo=UTC)


# --- profiles ------------------------------------------------------------------------------------


def test_default_profile_exists_and_profiles_can_be_managed(history: History) -> None:
    (default,) = history.profiles()
    assert (default.name, default.is_default) == ("Default", True)

    kid = history.add_profile("Kid", interests="dinosaurs", languages=["EN", "fr"])
    assert (kid.interests, kid.languages, kid.is_default) == ("dinosaurs", ("en", "fr"), False)
    with pytest.raises(HistoryError, match="already a profile"):
        history.add_profile("kid")
    with pytest.raises(HistoryError, match="ISO 639-1"):
        history.add_profile("Other", languages=["english"])

    history.set_default_profile(kid.id)
    assert history.default_profile().id == kid.id
    assert [p.is_default for p in history.profiles()] == [False, True]
    with pytest.raises(HistoryError, match="cannot be deleted"):
        history.delete_profile(kid.id)

    assert history.rename_profile(default.id, "Grown-up").name == "Grown-up"
    history.set_interests(default.id, "slow cinema")
    history.set_languages(default.id, ["de"])
    assert history.profile("Grown-up").languages == ("de",)
    history.delete_profile(default.id)
    assert [p.name for p in history.profiles()] == ["Kid"]
    assert history.all_profile_ids() == [kid.id]
    with pytest.raises(HistoryError, match="no profile"):
        history.profile("Grown-up")


def test_deleting_a_profile_deletes_its_history_only(history: History, database: Database) -> None:
    item = _item(database, "movie", "Film", 6000.0)
    other = history.add_profile("Other")
    default = history.default_profile().id
    history.mark_watched(default, item)
    history.mark_watched(other.id, item)
    history.delete_profile(other.id)
    assert history.load_profile_state(default).watched_ids == {item}
    assert Catalog(database.db).item(item) is not None


# --- thresholds and sessions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "duration", "at_threshold", "below"),
    [
        ("movie", 7200.0, 6480.0, 6479.0),  # 90 % comes before the last 120 s
        ("episode", 600.0, 480.0, 479.0),  # last 120 s comes before 90 %
        ("podcast", 3600.0, 3420.0, 3419.0),  # 95 %
        ("podcast", 600.0, 540.0, 539.0),  # last 60 s
        ("audio", 600.0, 540.0, 539.0),
    ],
)
def test_completion_thresholds(
    kind: str, duration: float, at_threshold: float, below: float
) -> None:
    assert is_complete(kind, at_threshold, duration)
    assert not is_complete(kind, below, duration)


def test_short_clip_is_not_complete_at_the_start() -> None:
    assert not is_complete("video", 0.0, 90.0)
    assert not is_complete("video", 5.0, 90.0)  # "last 120 s" only counts past half-way
    assert is_complete("video", 45.0, 90.0)
    assert not is_complete("video", 100.0, None)  # no duration known: never complete


def test_podcast_session_progress_completion_and_rewatch(
    history: History, database: Database
) -> None:
    item = _item(database, "podcast", "Episode", 600.0)
    profile = history.default_profile().id

    session = history.start_session(profile, item, 0.0)
    assert not history.update_progress(session, 5.0)
    assert history.resume_position(profile, item) is None  # under 10 s: start over
    assert not history.update_progress(session, 300.0, 600.0)
    assert history.resume_position(profile, item) == 300.0
    assert not history.update_progress(session, 539.0)
    state = history.load_profile_state(profile)
    assert [(p.item_id, p.position) for p in state.in_progress] == [(item, 539.0)]
    assert history.update_progress(session, 540.0)  # last 60 s: completed now
    assert not history.update_progress(session, 590.0)  # completed once per session
    assert not history.end_session(session, 595.0)
    assert not history.update_progress(session, 10.0)  # late report after the stop: ignored

    row = history.progress(profile, item)
    assert row is not None
    assert (row.completed, row.play_count, row.position) == (True, 1, 0.0)
    assert history.resume_position(profile, item) is None
    state = history.load_profile_state(profile)
    assert state.watched_ids == {item} and state.in_progress == ()
    events = [e["event"] for e in history.timeline(profile)]
    assert events == ["play", "completed"]
    play = history.timeline(profile)[0]
    assert play["data"]["position"] == 595.0 and play["title"] == "Episode"

    again = history.start_session(profile, item, 0.0)
    assert history.end_session(again, 580.0)  # completed by the final report alone
    row = history.progress(profile, item)
    assert row is not None and row.play_count == 2

    rewatch = history.start_session(profile, item, 0.0)
    history.end_session(rewatch, 200.0)
    assert history.resume_position(profile, item) == 200.0  # a rewatch resumes


def test_film_completion_at_90_percent(history: History, database: Database) -> None:
    film = _item(database, "movie", "Film", None)  # duration comes from the player
    profile = history.default_profile().id
    session = history.start_session(profile, film, 0.0)
    assert not history.end_session(session, 6479.0, 7200.0)
    assert history.resume_position(profile, film) == 6479.0
    assert history.load_profile_state(profile).watched == ()

    session = history.start_session(profile, film, 6479.0)
    assert history.update_progress(session, 6480.0, 7200.0)
    assert history.load_profile_state(profile).watched_ids == {film}


def test_a_session_left_open_is_closed_by_the_next(history: History, database: Database) -> None:
    first = _item(database, "episode", "One", 1800.0)
    second = _item(database, "episode", "Two", 1800.0)
    profile = history.default_profile().id
    session = history.start_session(profile, first, 0.0)
    history.update_progress(session, 700.0)
    history.start_session(profile, second, 0.0)  # the app crashed; a new play starts
    assert history.resume_position(profile, first) == 700.0
    assert [e["item_id"] for e in history.timeline(profile)] == [first]  # its play was logged


def test_bad_reports_are_refused(history: History, database: Database) -> None:
    item = _item(database, "podcast", "Episode", 600.0)
    profile = history.default_profile().id
    with pytest.raises(HistoryError, match="no item"):
        history.start_session(profile, 999, 0.0)
    session = history.start_session(profile, item, 0.0)
    with pytest.raises(HistoryError, match="position"):
        history.update_progress(session, float("nan"))
    with pytest.raises(HistoryError, match="no play session"):
        history.end_session(12345, 1.0)


# --- marks, feedback, shows ----------------------------------------------------------------------


def test_mark_watched_and_unwatched(history: History, database: Database) -> None:
    item = _item(database, "movie", "Film", 6000.0)
    profile = history.default_profile().id
    session = history.start_session(profile, item, 0.0)
    history.end_session(session, 1000.0)
    assert history.mark_watched(profile, item, _at(3))
    assert not history.mark_watched(profile, item)  # already watched: no second event
    state = history.load_profile_state(profile)
    assert [(w.item_id, w.at, w.completed) for w in state.watched] == [
        (item, _at(3).timestamp(), True)
    ]
    assert history.mark_unwatched(profile, item)
    assert not history.mark_unwatched(profile, item)
    state = history.load_profile_state(profile)
    assert state.watched == () and state.in_progress == ()
    assert state.seen == {item}  # it was played, even if not watched
    assert history.resume_position(profile, item) is None


def test_feedback_toggles(history: History, database: Database) -> None:
    item = _item(database, "movie", "Film", 6000.0)
    profile = history.default_profile().id
    assert history.like(profile, item)
    assert not history.like(profile, item)
    assert history.feedback(profile, item) == {"like"}
    assert history.dislike(profile, item)  # replaces the like
    assert history.not_interested(profile, item)
    state = history.load_profile_state(profile)
    assert (state.likes, state.dislikes, state.not_interested) == (
        frozenset(),
        frozenset({item}),
        frozenset({item}),
    )
    assert history.clear_feedback(profile, item, "dislike")
    assert not history.clear_feedback(profile, item, "like")
    assert history.clear_feedback(profile, item, "not_interested")
    assert history.feedback(profile, item) == set()
    with pytest.raises(HistoryError, match="unknown feedback"):
        history.clear_feedback(profile, item, "love")
    assert history.load_profile_state(profile).seen == frozenset()  # feedback is not a play


def test_follow_and_snooze_shows(history: History, database: Database) -> None:
    show, other = _show(database, "Science Hour"), _show(database, "Night Talk")
    profile = history.default_profile().id
    history.follow_show(profile, show)
    history.follow_show(profile, other)
    now = datetime.now(UTC)
    history.snooze_show(profile, show, now + timedelta(days=7))
    history.snooze_show(profile, other, now - timedelta(days=1))  # already over
    state = history.load_profile_state(profile)
    assert (state.followed_shows, state.snoozed_shows) == (
        frozenset({show, other}),
        frozenset({show}),
    )
    history.snooze_show(profile, show, None)
    history.unfollow_show(profile, other)
    state = history.load_profile_state(profile)
    assert (state.followed_shows, state.snoozed_shows) == (frozenset({show}), frozenset())
    assert [e["show"] for e in history.timeline(profile, limit=2)] == ["Night Talk", "Science Hour"]
    with pytest.raises(HistoryError, match="no show"):
        history.follow_show(profile, 999)


# --- the timeline --------------------------------------------------------------------------------


def test_removing_events_refolds_the_state(history: History, database: Database) -> None:
    item = _item(database, "podcast", "Episode", 600.0)
    profile = history.default_profile().id
    for _ in range(2):
        session = history.start_session(profile, item, 0.0)
        history.end_session(session, 590.0)
    completions = [e["id"] for e in history.timeline(profile) if e["event"] == "completed"]
    assert len(completions) == 2

    assert history.remove_event(completions[0])
    assert history.load_profile_state(profile).watched_ids == {item}  # another one remains
    assert history.remove_event(completions[1])
    assert history.load_profile_state(profile).watched == ()
    assert not history.remove_event(completions[1])

    for event in history.timeline(profile):  # removing the plays drops their sessions
        history.remove_event(event["id"])
    assert history.progress(profile, item) is None
    assert history.load_profile_state(profile).seen == frozenset()

    history.like(profile, item)
    (like,) = history.timeline(profile)
    history.remove_event(like["id"])
    assert history.feedback(profile, item) == set()


def test_timeline_pages_newest_first(history: History, database: Database) -> None:
    profile = history.default_profile().id
    items = [_item(database, "movie", f"Film {n}", 6000.0) for n in range(5)]
    for day, item in enumerate(items, 1):
        history.mark_watched(profile, item, _at(day))
    assert [e["item_id"] for e in history.timeline(profile, limit=2)] == items[:2:-1][:2]
    assert [e["item_id"] for e in history.timeline(profile, limit=2, offset=4)] == [items[0]]


# --- the recommender's view ----------------------------------------------------------------------


def test_profile_state_content_and_order(history: History, database: Database) -> None:
    profile = history.add_profile("Viewer", interests="astronomy", languages=["en"]).id
    a, b, c, d, e = (_item(database, "episode", f"E{n}", 1800.0) for n in range(5))
    history.mark_watched(profile, b, _at(5))
    history.mark_watched(profile, a, _at(2))
    for item, position in ((c, 300.0), (d, 900.0)):  # d played last
        session = history.start_session(profile, item, 0.0)
        history.end_session(session, position)
    history.like(profile, a)
    session = history.start_session(profile, e, 0.0)
    history.end_session(session, 0.0)  # opened, never got going: seen, not in progress

    state = history.load_profile_state(profile)
    assert (state.profile_id, state.name) == (profile, "Viewer")
    assert [w.item_id for w in state.watched] == [a, b]  # oldest first
    assert [w.at for w in state.watched] == [_at(2).timestamp(), _at(5).timestamp()]
    assert [(p.item_id, p.position, p.duration) for p in state.in_progress] == [
        (d, 900.0, 1800.0),
        (c, 300.0, 1800.0),
    ]
    assert state.in_progress[0].at >= state.in_progress[1].at
    assert state.likes == {a}
    assert state.seen == {a, b, c, d, e}
    assert (state.interests, state.languages) == ("astronomy", ("en",))
    assert history.load_profile_state(history.default_profile().id).seen == frozenset()


def test_mark_watched_many(history: History, database: Database) -> None:
    profile = history.default_profile().id
    items = [_item(database, "movie", f"Film {n}", 6000.0) for n in range(50)]
    history.mark_watched_many(profile, [(i, 1_700_000_000.0 + n) for n, i in enumerate(items)])
    state = history.load_profile_state(profile)
    assert [w.item_id for w in state.watched] == items
    assert state.watched[0].at == 1_700_000_000.0
    assert len(history.timeline(profile, limit=100)) == 50


# --- history follows the item, not the file ------------------------------------------------------


def _event(entry: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(entry[k] for k in ("id", "item_id", "event", "at", "data", "title"))


def _scanned(tmp_path: Path) -> tuple[Library, Path, Path]:
    folder = tmp_path / "Podcasts"
    (folder / "Show").mkdir(parents=True)
    path = make_audio(folder / "Show" / "episode.mp3", seconds=1.0, title="Moon Landing")
    library = Library(tmp_path / "data", workers=2)
    library.add_root(folder, "podcast")
    library.scan()
    return library, folder, path


def test_history_survives_rename_move_and_rescan(tmp_path: Path) -> None:
    library, folder, path = _scanned(tmp_path)
    try:
        history = History(library.database)
        profile = history.default_profile().id
        (item,) = library.items()
        session = history.start_session(profile, item["id"], 0.0)
        history.end_session(session, 30.0, 100.0)
        history.like(profile, item["id"])
        before = (history.load_profile_state(profile), history.timeline(profile))

        path.rename(path.with_name("renamed.mp3"))
        library.scan()
        (folder / "Archive").mkdir()
        shutil.move(path.with_name("renamed.mp3"), folder / "Archive" / "moved.mp3")
        library.scan()
        library.scan()  # and an unchanged rescan

        (after,) = library.items()
        assert after["id"] == item["id"] and after["path"].endswith("moved.mp3")
        assert history.load_profile_state(profile) == before[0]
        # The item's show follows its new folder; the events themselves are untouched.
        assert [_event(e) for e in history.timeline(profile)] == [_event(e) for e in before[1]]
        assert history.resume_position(profile, item["id"]) == 30.0
    finally:
        library.close()


def test_history_survives_an_unmounted_root(tmp_path: Path) -> None:
    library, folder, _ = _scanned(tmp_path)
    try:
        history = History(library.database)
        profile = history.default_profile().id
        (item,) = library.items()
        history.mark_watched(profile, item["id"])
        folder.rename(tmp_path / "unplugged")
        library.scan()
        assert library.items()[0]["state"] == "offline"
        assert history.load_profile_state(profile).watched_ids == {item["id"]}
        history.like(profile, item["id"])  # still usable while offline
        (tmp_path / "unplugged").rename(folder)
        library.scan()
        state = history.load_profile_state(profile)
        assert (state.watched_ids, state.likes) == (
            frozenset({item["id"]}),
            frozenset({item["id"]}),
        )
    finally:
        library.close()


# --- timeline filters and counts -----------------------------------------------------------------


def test_timeline_filters_by_event_kind_and_counts_match(
    history: History, database: Database
) -> None:
    profile = history.default_profile().id
    other = history.add_profile("Other").id
    films = [_item(database, "movie", f"Film {n}", 6000.0) for n in range(4)]
    show = _show(database, "Night Talk")
    for day, film in enumerate(films, 1):
        history.mark_watched(profile, film, _at(day))
    history.like(profile, films[0])
    history.dislike(profile, films[1])
    history.clear_feedback(profile, films[1], "dislike")
    history.follow_show(profile, show)
    history.like(other, films[0])  # another profile's events never count
    kinds = [e["event"] for e in history.timeline(profile, limit=100)]
    assert sorted(kinds) == sorted(["watched"] * 4 + ["like", "dislike", "clear_dislike", "follow"])

    feedback = {"like", "dislike", "clear_dislike"}
    filtered = history.timeline(profile, limit=100, events=feedback)
    assert [e["event"] for e in filtered] == [k for k in kinds if k in feedback]
    assert history.count_events(profile, events=feedback) == 3
    assert history.count_events(profile, events=["follow"]) == 1
    assert history.count_events(profile) == len(kinds) == 8
    assert history.count_events(other) == 1

    # Paging under a filter pages through the filtered events, newest first.
    watched = [e["item_id"] for e in history.timeline(profile, limit=3, events={"watched"})]
    rest = [e["item_id"] for e in history.timeline(profile, 3, 3, events={"watched"})]
    assert watched + rest == films[::-1]

    # With an item as well (the detail view), and an empty set matches nothing.
    assert [e["event"] for e in history.timeline(profile, item_id=films[0], events={"like"})] == [
        "like"
    ]
    assert history.count_events(profile, events={"watched", "like"}, item_id=films[0]) == 2
    assert history.timeline(profile, events=set()) == []
    assert history.count_events(profile, events=()) == 0


def test_unknown_timeline_events_are_refused(history: History) -> None:
    profile = history.default_profile().id
    with pytest.raises(HistoryError, match=r"unknown history events.*'played'"):
        history.timeline(profile, events={"play", "played"})
    with pytest.raises(HistoryError, match="unknown history events"):
        history.count_events(profile, events=["like", "DROP TABLE history_log"])
    with pytest.raises(HistoryError, match="not 'play'"):
        history.count_events(profile, events="play")
