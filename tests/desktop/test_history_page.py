"""The History page and its timeline model against a real scanned library and real history."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from desktop.models.timeline import PAGE_SIZE, TimelineModel
from desktop.tasks import Tasks
from desktop.views.history_page import FILTERS, HistoryPage
from engine.library import Library
from tests.mediagen import make_episodes, make_video

EPISODES = [
    ("Glaciers", "Earth", "How ice sheets carve valleys."),
    ("Sea Ice", "Earth", "Polar oceans freeze and thaw."),
    ("Opera", "Music Hour", "Verdi and Puccini."),
    ("Jazz", "Music Hour", "Bebop in New York."),
]


@pytest.fixture
def library(tmp_path: Path, scanned: Callable[..., Library]) -> Library:
    folder = tmp_path / "Podcasts"
    make_episodes(folder, EPISODES)
    return scanned((folder, "podcast"))


@pytest.fixture
def played(library: Library, ids: dict[str, int], profile: int) -> list[int]:
    """A play of Glaciers (stopped part-way), Sea Ice marked watched, Opera liked: in that
    order, so the timeline (newest first) is like, watched, play. Returns the event ids."""
    history = library.history
    session = history.start_session(profile, ids["Glaciers"])
    history.update_progress(session, 15.0, 600.0)
    history.end_session(session, 30.0, 600.0)
    assert history.mark_watched(profile, ids["Sea Ice"])
    assert history.like(profile, ids["Opera"])
    return [e["id"] for e in history.timeline(profile)]


def loaded_page(
    qtbot: QtBot, library: Library, tasks: Tasks, provider: list[int | None]
) -> HistoryPage:
    """A shown page on the profile `provider[0]` (a list, so a test can switch it)."""
    page = HistoryPage(library, tasks, lambda: provider[0])
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    wait_loaded(qtbot, page)
    return page


def wait_loaded(qtbot: QtBot, page: HistoryPage) -> None:
    qtbot.waitUntil(
        lambda: (
            page.profile is not None
            and page.event_count is not None
            and not page.model.is_loading
            and page.model.profile_id == page.profile.id
        )
    )


def column(model: TimelineModel, col: int) -> list[str]:
    return [model.index(row, col).data() for row in range(model.rowCount())]


def select_rows(page: HistoryPage, rows: list[int]) -> None:
    selection = page.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    selection.setCurrentIndex(
        page.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )


# --- the model ---------------------------------------------------------------------------------


def test_timeline_model_passes_the_model_tester(
    qtmodeltester: object,
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    profile: int,
    played: list[int],
) -> None:
    history = library.history
    inline = TimelineModel(lambda p, n, o, e: history.timeline(p, limit=n, offset=o, events=e))
    inline.reload(profile)
    assert inline.rowCount() == 3 and inline.columnCount() == 5
    qtmodeltester.check(inline)  # type: ignore[attr-defined]

    # In the background, with pages smaller than the timeline: rows arrive after fetchMore.
    background = TimelineModel(
        lambda p, n, o, e: history.timeline(p, limit=n, offset=o, events=e), tasks, page_size=2
    )
    with qtbot.waitSignal(background.pageLoaded):
        background.reload(profile)
    assert background.rowCount() == 2 and background.canFetchMore(QModelIndex())
    qtmodeltester.check(background)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: background.all_loaded and not background.is_loading)
    assert background.event_ids() == played
    assert [background.index(r, 0).data(TimelineModel.EventIdRole) for r in range(3)] == played


def test_when_column_groups_by_day_in_local_time(library: Library) -> None:
    now = datetime(2026, 3, 14, 12, 0).astimezone()
    model = TimelineModel(lambda p, n, o, e: [], now=lambda: now)
    assert model.when_text(now.replace(hour=9, minute=5)).startswith("Today ")
    assert model.when_text(now - timedelta(days=1)).startswith("Yesterday ")
    older = model.when_text(datetime(2026, 3, 12, 10, 0).astimezone())
    assert "2026" in older and "12" in older and not older.startswith(("Today", "Yesterday"))
    # Every engine event has a human label, never the engine's name.
    from engine.recommend.history import EVENTS

    for event in EVENTS:
        label = model.event_label(event, {})
        assert label and label != event and "_" not in label
    assert "Kodi" in model.event_label("watched", {"source": "nfo"})
    assert model.event_detail("play", {"position": 75.0, "duration": 600.0}) == (
        "Stopped at 1:15 of 10:00"
    )


def test_model_pages_through_a_long_timeline_one_page_at_a_time(
    qtbot: QtBot, library: Library, tasks: Tasks, ids: dict[str, int], profile: int
) -> None:
    start = time.time() - 10_000
    history = library.history
    history.mark_watched_many(profile, [(ids["Jazz"], start + n) for n in range(450)])
    calls: list[tuple[int, int]] = []

    def fetch(
        p: int, limit: int, offset: int, events: frozenset[str] | None
    ) -> list[dict[str, object]]:
        assert events is None
        calls.append((limit, offset))
        return history.timeline(p, limit=limit, offset=offset, events=events)

    model = TimelineModel(fetch, tasks)
    with qtbot.waitSignal(model.pageLoaded):
        model.reload(profile)
        model.fetchMore(QModelIndex())  # while the first page is in flight: no second fetch
    assert model.rowCount() == PAGE_SIZE == 200
    assert calls == [(200, 0)]
    sizes = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(model.pageLoaded):
            model.fetchMore(QModelIndex())
            model.fetchMore(QModelIndex())  # the view asks again while scrolling: ignored
        sizes.append(model.rowCount())
    assert sizes == [200, 400, 450]
    assert calls == [(200, 0), (200, 200), (200, 400)]
    event_ids = model.event_ids()
    assert len(set(event_ids)) == 450
    times = [model.index(r, 0).data(TimelineModel.AtRole) for r in range(450)]
    assert times == sorted(times, reverse=True)
    assert history.count_events(profile) == 450


def test_page_loads_more_as_the_table_scrolls(
    qtbot: QtBot, library: Library, tasks: Tasks, ids: dict[str, int], profile: int
) -> None:
    start = time.time() - 10_000
    library.history.mark_watched_many(profile, [(ids["Jazz"], start + n) for n in range(450)])
    page = loaded_page(qtbot, library, tasks, [profile])
    assert page.event_count == 450 and "450" in page.count_label.text()
    assert page.model.rowCount() < 450

    def scrolled_to_end() -> None:
        page.table.scrollToBottom()
        assert page.model.rowCount() == 450

    qtbot.waitUntil(scrolled_to_end)
    assert not page.model.canFetchMore(QModelIndex())


# --- the page ----------------------------------------------------------------------------------


def test_page_shows_the_profiles_events_newest_first_with_labels(
    qtbot: QtBot, library: Library, tasks: Tasks, profile: int, played: list[int]
) -> None:
    page = loaded_page(qtbot, library, tasks, [None])  # None: the default profile
    assert page.profile is not None and page.profile.id == profile
    assert page.profile.name in page.title.text()
    assert page.event_count == 3 and "3" in page.count_label.text()
    assert page.stack.currentWidget() is page.table
    model = page.model
    # Podcasts are played, not watched.
    assert column(model, TimelineModel.WHAT) == ["Liked", "Marked as played", "Played"]
    assert column(model, TimelineModel.PROGRESS) == ["", "", "0:30 of 10:00"]
    assert column(model, TimelineModel.ITEM) == ["Opera", "Sea Ice", "Glaciers"]
    assert column(model, TimelineModel.SHOW) == ["Music Hour", "Earth", "Earth"]
    assert all(text.startswith("Today ") for text in column(model, TimelineModel.WHEN))
    play = model.index(2, TimelineModel.WHAT)
    assert play.data(Qt.ItemDataRole.ToolTipRole) == "Stopped at 0:30 of 10:00"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "What"


def test_enter_on_an_entry_asks_for_the_item(
    qtbot: QtBot, library: Library, tasks: Tasks, ids: dict[str, int], played: list[int]
) -> None:
    page = loaded_page(qtbot, library, tasks, [None])
    select_rows(page, [1])
    page.table.setFocus()
    with qtbot.waitSignal(page.detailRequested) as detail:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert detail.args == [ids["Sea Ice"]]
    with qtbot.waitSignal(page.playRequested) as play:
        page.play_action.trigger()
    assert play.args == [ids["Sea Ice"]]


def test_delete_removes_the_selected_entry_after_confirming(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
    profile: int,
    played: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = loaded_page(qtbot, library, tasks, [profile])
    asked: list[int] = []
    answer = [False]

    def confirm(count: int) -> bool:
        asked.append(count)
        return answer[0]

    monkeypatch.setattr(page, "confirm_remove", confirm)
    like_event = played[0]
    select_rows(page, [0])
    page.table.setFocus()

    # Cancelled: nothing changes.
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == [1]
    assert page.model.rowCount() == 3 and not page.busy

    answer[0] = True
    with qtbot.waitSignal(page.historyChanged):
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == [1, 1]
    remaining = [e["id"] for e in library.history.timeline(profile)]
    assert like_event not in remaining and len(remaining) == 2
    assert page.model.event_ids() == remaining
    assert page.event_count == 2
    assert library.history.feedback(profile, ids["Opera"]) == set()

    # Two at once through the button: the confirmation says how many.
    select_rows(page, [0, 1])
    with qtbot.waitSignal(page.historyChanged):
        page.remove_button.click()
    assert asked[-1] == 2
    assert library.history.timeline(profile) == []
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty_label


def test_export_then_import_into_another_profile_reproduces_the_events(
    qtbot: QtBot,
    tmp_path: Path,
    library: Library,
    tasks: Tasks,
    profile: int,
    played: list[int],
) -> None:
    provider: list[int | None] = [profile]
    page = loaded_page(qtbot, library, tasks, provider)
    target = tmp_path / "history.json"
    with qtbot.waitSignal(page.messageShown) as shown:
        page.export_to(target)
    assert "3" in shown.args[0] and str(target) in shown.args[0]
    assert len(json.loads(target.read_text())["events"]) == 3
    with qtbot.waitSignal(page.messageShown):
        page.export_to(tmp_path / "history.csv")
    assert (tmp_path / "history.csv").read_text().startswith("profile,event,at")

    second = library.history.add_profile("Second").id
    provider[0] = second
    page.refresh()
    qtbot.waitUntil(lambda: page.profile is not None and page.profile.id == second)
    wait_loaded(qtbot, page)
    assert page.model.rowCount() == 0

    with qtbot.waitSignal(page.historyChanged), qtbot.waitSignal(page.messageShown) as shown:
        page.import_from(target)
    assert "Imported 3" in shown.args[0]
    original = library.history.timeline(profile)
    imported = library.history.timeline(second)
    assert len(imported) == len(original) == 3
    assert [e["item_id"] for e in imported] == [e["item_id"] for e in original]
    assert [e["event"] for e in imported] == [e["event"] for e in original]
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.event_count == 3)
    assert column(page.model, TimelineModel.WHAT) == ["Liked", "Marked as played", "Played"]


def test_a_broken_import_file_shows_an_error_and_changes_nothing(
    qtbot: QtBot,
    tmp_path: Path,
    library: Library,
    tasks: Tasks,
    profile: int,
    played: list[int],
) -> None:
    page = loaded_page(qtbot, library, tasks, [profile])
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "reelcast-history", "version": 1, "events": [{"event": ')
    with qtbot.assertNotEmitted(page.historyChanged), qtbot.waitSignal(page.messageShown) as shown:
        page.import_from(broken)
    assert shown.args[0].startswith("Nothing was imported") and "JSON" in shown.args[0]
    assert page.status.isVisibleTo(page) and page.status.text() == shown.args[0]
    assert [e["id"] for e in library.history.timeline(profile)] == played
    assert page.model.event_ids() == played and not page.busy


def test_switching_profiles_shows_that_profiles_timeline(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
    profile: int,
    played: list[int],
) -> None:
    kid = library.history.add_profile("Kid").id
    provider: list[int | None] = [profile]
    page = loaded_page(qtbot, library, tasks, provider)
    assert page.model.rowCount() == 3

    provider[0] = kid
    page.refresh()
    qtbot.waitUntil(lambda: page.profile is not None and page.profile.id == kid)
    wait_loaded(qtbot, page)
    assert "Kid" in page.title.text() and page.event_count == 0
    assert page.stack.currentWidget() is page.empty_label

    library.history.dislike(kid, ids["Jazz"])
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert column(page.model, TimelineModel.WHAT) == ["Disliked"]
    assert column(page.model, TimelineModel.ITEM) == ["Jazz"]
    assert page.stack.currentWidget() is page.table


def test_kodi_nfo_values_are_imported_once(qtbot: QtBot, tmp_path: Path) -> None:
    films = tmp_path / "Films"
    films.mkdir()
    make_video(films / "A Film (1999).mkv", seconds=0.5)
    (films / "A Film (1999).nfo").write_text(
        "<movie><title>A Film</title><year>1999</year><playcount>2</playcount>"
        "<lastplayed>2024-01-05 20:00:00</lastplayed>"
        "<resume><position>300</position><total>5400</total></resume></movie>",
        encoding="utf-8",
    )
    library = Library(tmp_path / "films-data", workers=1)
    tasks = Tasks()
    try:
        library.add_root(films, "video")
        library.scan()
        profile = library.history.default_profile().id
        page = loaded_page(qtbot, library, tasks, [profile])
        assert page.stack.currentWidget() is page.empty_label

        with qtbot.waitSignal(page.historyChanged), qtbot.waitSignal(page.messageShown) as shown:
            page.nfo_button.click()
        assert "Added 2" in shown.args[0]
        qtbot.waitUntil(lambda: page.model.rowCount() == 2 and page.event_count == 2)
        labels = column(page.model, TimelineModel.WHAT)
        assert sorted(labels) == ["Marked as watched (from Kodi)", "Played (from Kodi)"]
        assert column(page.model, TimelineModel.ITEM) == ["A Film", "A Film"]
        assert "2024" in column(page.model, TimelineModel.WHEN)[0]  # lastplayed, not today

        # Running it again adds nothing and says so.
        with (
            qtbot.assertNotEmitted(page.historyChanged),
            qtbot.waitSignal(page.messageShown) as shown,
        ):
            page.nfo_button.click()
        assert "nothing new" in shown.args[0]
        assert len(library.history.timeline(profile)) == 2
        page.close()
    finally:
        tasks.wait()
        library.close()


def test_each_filter_shows_only_its_events_and_counts_them(
    qtmodeltester: object,
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
    profile: int,
    played: list[int],
) -> None:
    history = library.history
    # On top of `played` (play, watched, like): Jazz played to the end (play + completed), a
    # withdrawn dislike, and a followed show, which only "All" lists.
    session = history.start_session(profile, ids["Jazz"])
    history.end_session(session, 599.0, 600.0)
    assert history.dislike(profile, ids["Glaciers"])
    assert history.clear_feedback(profile, ids["Glaciers"], "dislike")
    (show,) = [s["id"] for s in library.shows("podcast", profile) if s["title"] == "Earth"]
    history.follow_show(profile, show)
    everything = history.timeline(profile, limit=100)
    assert len(everything) == 8

    page = loaded_page(qtbot, library, tasks, [profile])
    expected_labels = {
        "all": None,
        "plays": ["Finished", "Played"],  # Jazz's play and its completion: one line
        "watched": ["Finished", "Marked as played"],
        "feedback": ["Dislike withdrawn", "Disliked", "Liked"],
    }
    combo_texts = [page.filter_combo.itemText(n) for n in range(page.filter_combo.count())]
    assert combo_texts == ["All", "Plays", "Watched", "Likes & feedback"]
    for key in ("plays", "watched", "feedback", "all"):
        page.set_filter(key)
        assert page.filter_key == key
        wait_loaded(qtbot, page)
        qtbot.waitUntil(lambda: page.model.all_loaded)
        wanted = FILTERS[key]
        shown = [page.model.entry(row).event for row in range(page.model.rowCount())]
        expected = [e["event"] for e in everything if wanted is None or e["event"] in wanted]
        if "play" in expected:  # the session's completion is folded into its play line
            expected.remove("completed")
        assert shown == expected, key
        assert page.event_count == len(expected), key
        assert page.count_label.text() == f"{len(expected)} entries", key
        if expected_labels[key] is not None:
            assert sorted(column(page.model, TimelineModel.WHAT)) == expected_labels[key]
        qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert "Followed" in column(page.model, TimelineModel.WHAT)


def test_a_filter_with_no_entries_says_so_and_removing_keeps_the_filtered_count(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
    profile: int,
    played: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = library.history
    kid = history.add_profile("Kid").id
    history.mark_watched(kid, ids["Jazz"])
    provider: list[int | None] = [kid]
    page = loaded_page(qtbot, library, tasks, provider)
    page.set_filter("feedback")
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.model.all_loaded)
    assert page.event_count == 0 and page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty_label
    assert "of this kind" in page.empty_label.text()

    # The filter stays when the profile changes; removing an entry updates the filtered count.
    provider[0] = profile
    page.refresh()
    qtbot.waitUntil(lambda: page.profile is not None and page.profile.id == profile)
    wait_loaded(qtbot, page)
    assert page.filter_key == "feedback"
    assert column(page.model, TimelineModel.WHAT) == ["Liked"] and page.event_count == 1
    monkeypatch.setattr(page, "confirm_remove", lambda count: True)
    select_rows(page, [0])
    with qtbot.waitSignal(page.historyChanged):
        page.remove_selected()
    assert page.event_count == 0 == history.count_events(profile, events=FILTERS["feedback"])
    assert history.count_events(profile) == 2
    assert page.stack.currentWidget() is page.empty_label


def test_one_line_per_play_session_with_position_and_duration(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    ids: dict[str, int],
    profile: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = library.history
    # Played to the end (the engine logs "completed" mid-session, then "play" at the stop),
    # then a second session stopped part-way.
    first = history.start_session(profile, ids["Jazz"])
    history.update_progress(first, 590.0, 600.0)
    history.end_session(first, 600.0, 600.0)
    second = history.start_session(profile, ids["Opera"])
    history.end_session(second, 125.0, 600.0)
    events = [e["event"] for e in history.timeline(profile)]
    assert events == ["play", "play", "completed"]  # three engine events, two sessions

    page = loaded_page(qtbot, library, tasks, [profile])
    qtbot.waitUntil(lambda: page.model.all_loaded and page.event_count is not None)
    model = page.model
    assert model.rowCount() == 2
    assert column(model, TimelineModel.ITEM) == ["Opera", "Jazz"]
    assert column(model, TimelineModel.WHAT) == ["Played", "Finished"]
    assert column(model, TimelineModel.PROGRESS) == ["2:05 of 10:00", "10:00"]
    assert page.event_count == 2 and page.count_label.text() == "2 entries"

    # Removing the line removes the session: its play and its completion.
    monkeypatch.setattr(page, "confirm_remove", lambda count: count == 1)
    select_rows(page, [1])
    with qtbot.waitSignal(page.historyChanged):
        page.remove_selected()
    assert [e["event"] for e in history.timeline(profile)] == ["play"]
    assert model.rowCount() == 1 and page.event_count == 1
    assert page.count_label.text() == "1 entry"
    assert history.progress(profile, ids["Jazz"]) is None  # no longer finished


def test_paging_counts_events_not_lines(
    library: Library, ids: dict[str, int], profile: int
) -> None:
    history = library.history
    for _ in range(3):
        session = history.start_session(profile, ids["Jazz"])
        history.end_session(session, 600.0, 600.0)
    # Pages of two events: play/completed pairs straddle the page boundaries.
    model = TimelineModel(
        lambda p, n, o, e: history.timeline(p, limit=n, offset=o, events=e), page_size=2
    )
    model.reload(profile)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    assert all(model.entry(r).completed for r in range(3))
    assert sorted(i for r in range(3) for i in model.entry(r).event_ids) == sorted(
        e["id"] for e in history.timeline(profile, limit=100)
    )
