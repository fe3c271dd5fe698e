"""The Search page and the Detail view against one real scanned and embedded library.

The library is built once per module (embedding loads the model, seconds). Tests that change
it (history, a deleted file) use items no other test looks at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from desktop.models.search_results import SearchResult, SearchResultsModel
from desktop.tasks import Tasks
from desktop.views.detail import DetailView
from desktop.views.search_page import PODCAST_KINDS, VIDEO_KINDS, SearchPage
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg, make_video

LOAD = 120_000  # ms; More like this may load the embedding model
WAIT = 10_000

# title -> (show, description, language)
EPISODES = {
    "Glacier Retreat": (
        "Earth Science",
        "Mountain glaciers melt and ice sheets carve valleys over millennia.",
        "en",
    ),
    "Opera Nights": (
        "Music Hour",
        "Verdi, Puccini and the Italian stage: arias and sopranos.",
        "it",
    ),
    "Bebop Jazz": ("Music Hour", "Saxophones in New York clubs after the war.", "en"),
    "Comet Hunters": ("Sky Watch", "Visitors from the outer solar system and their tails.", "en"),
    "Volcano Islands": ("Earth Science", "Magma, lava and ash build new land in the ocean.", "en"),
    "Sourdough Baking": (
        "Kitchen Talk",
        "Wild yeast, flour and a hot oven make crusty bread.",
        "fr",
    ),
    "Chess Openings": (
        "Board Games",
        "The Sicilian defence and the queen's gambit explained.",
        "en",
    ),
    "Honey Bees": ("Nature Notes", "Hives, pollen and the waggle dance of worker bees.", "en"),
}
FILM = "Ocean Deep"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    base = tmp_path_factory.mktemp("search-detail")
    podcasts = base / "Podcasts"
    for n, (title, (show, text, language)) in enumerate(EPISODES.items()):
        folder = podcasts / show
        folder.mkdir(parents=True, exist_ok=True)
        make_audio(
            folder / f"{n}.mp3",
            seconds=0.2,
            title=title,
            show=show,
            description=text,
            language=language,
            genre="Talk",
            date="2024-01-05",
            cover=make_jpeg(size=(64, 64)) if title == "Glacier Retreat" else None,
        )
    videos = base / "Videos"
    videos.mkdir()
    make_video(
        videos / f"{FILM} (2001).mkv", 0.3, description="Whales and coral reefs in the deep ocean."
    )
    lib = Library(base / "data", workers=1)
    lib.add_root(podcasts, "podcast")
    lib.add_root(videos, "video")
    lib.scan()
    lib.index_now()
    yield lib
    lib.close()


def ids_by_title(library: Library) -> dict[str, int]:
    return {item["title"]: int(item["id"]) for item in library.items()}


def titles(model: SearchResultsModel) -> list[str]:
    """Every result's title, matches and closest matches (not the header between them)."""
    return [
        model.index(r, 0).data(SearchResultsModel.TitleRole)
        for r in range(model.rowCount())
        if r != model.header_row()
    ]


def make_page(qtbot: QtBot, library: Library, tasks: Tasks) -> SearchPage:
    page = SearchPage(library, tasks, lambda: None)
    qtbot.addWidget(page)
    return page


def search(qtbot: QtBot, page: SearchPage, text: str) -> None:
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.set_query(text)


def make_detail(qtbot: QtBot, library: Library, tasks: Tasks) -> DetailView:
    profile = library.history.default_profile().id
    view = DetailView(library, tasks, lambda: profile)
    qtbot.addWidget(view)
    return view


def show(qtbot: QtBot, view: DetailView, item_id: int, reason: str | None = None) -> None:
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.show_item(item_id, reason)


# --- the results model ---------------------------------------------------------------------------


def test_results_model_is_valid_and_reads_rows_lazily(qtmodeltester: Any, library: Library) -> None:
    model = SearchResultsModel(library)
    hits = library.search("ocean", 10)
    model.set_results(hits)
    qtmodeltester.check(model)
    # A "Closest matches" header row separates the results below the engine's cut-off.
    assert model.rowCount() == len(hits) + (model.header_row() >= 0) and len(hits) > 1
    top = model.index(0, 0)
    assert top.data(SearchResultsModel.ItemIdRole) == hits[0]["id"]
    assert top.data(Qt.ItemDataRole.DisplayRole) == FILM
    assert top.data(SearchResultsModel.KindRole) == "movie"
    assert top.data(SearchResultsModel.KindTextRole) == "Film"
    assert top.data(SearchResultsModel.DurationTextRole)  # under a second still shows
    assert top.data(SearchResultsModel.MatchRole) == "Matches your words and topic"
    assert top.data(Qt.ItemDataRole.ToolTipRole).startswith("Whales")
    assert FILM in top.data(Qt.ItemDataRole.AccessibleTextRole)

    # An id the catalogue does not have is a blank row, not an error.
    model.set_results([SearchResult(item_id=10**9, similarity=0.5)])
    qtmodeltester.check(model)
    gone = model.index(0, 0)
    assert gone.data(SearchResultsModel.TitleRole) is None
    assert gone.data(SearchResultsModel.MatchRole) == "Similar topic"
    model.clear()
    assert model.rowCount() == 0


# --- the search page -----------------------------------------------------------------------------


def test_typing_searches_once_and_finds_the_topic(
    qtbot: QtBot, library: Library, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = library.search

    def counting(text: str, k: int = 10, filters: Any = None) -> list[dict[str, Any]]:
        calls.append(text)
        return real(text, k, filters)

    monkeypatch.setattr(library, "search", counting)
    page = make_page(qtbot, library, tasks)
    assert page.edit.placeholderText() == "Search your library"
    assert page.edit.isClearButtonEnabled()
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        qtbot.keyClicks(page.edit, "glacier ice")  # type: ignore[no-untyped-call]
    assert calls == ["glacier ice"]  # one search for the whole burst of keystrokes
    assert titles(page.model)[0] == "Glacier Retreat"
    assert page.status.text() in ("1 result", f"{page.model.match_count()} results")
    assert not page.searching


def test_stale_results_are_dropped(
    qtbot: QtBot, library: Library, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first search is held back until the second has been shown, so it arrives last.
    gate = threading.Event()
    real = library.search

    def held(text: str, k: int = 10, filters: Any = None) -> list[dict[str, Any]]:
        if text == "bread":
            gate.wait(WAIT / 1000)
        return real(text, k, filters)

    monkeypatch.setattr(library, "search", held)
    page = make_page(qtbot, library, tasks)
    page.set_query("bread")  # superseded before it comes back
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.set_query("saxophone")
    gate.set()
    tasks.wait()
    # Its result was posted to this thread before tasks.wait() returned: deliver it (and see
    # it dropped) without waiting any length of time.
    QCoreApplication.processEvents()
    assert titles(page.model)[0] == "Bebop Jazz"
    assert page.query() == "saxophone"


def test_search_before_the_model_is_loaded(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "a.mp3", seconds=0.2, title="Tide Pools", description="Crabs and kelp.")
    with Library(tmp_path / "data", workers=1) as fresh:
        fresh.add_root(folder, "podcast")
        fresh.scan()
        calls: list[str] = []
        real = fresh.search

        def counting(text: str, k: int = 10, filters: Any = None) -> list[dict[str, Any]]:
            calls.append(text)
            return real(text, k, filters)

        monkeypatch.setattr(fresh, "search", counting)
        pool = Tasks()
        try:
            page = make_page(qtbot, fresh, pool)
            assert not fresh.model_ready
            page.set_query("tide")
            assert page.status.text() == "Preparing search…"
            # Keyword matches first, then the same search again once the model has loaded.
            qtbot.waitUntil(lambda: len(calls) == 2 and not page.searching, timeout=LOAD)
            assert fresh.model_ready
            assert calls == ["tide", "tide"]
            assert titles(page.model) == ["Tide Pools"]
            assert page.status.text() == "1 result"
        finally:
            pool.wait()


def test_filters_restrict_results(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    page = make_page(qtbot, library, tasks)
    search(qtbot, page, "ocean")
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.show_more()  # every item, not only the matches: all their languages are seen
    kinds = {page.model.index(r, 0).data(SearchResultsModel.KindRole) for r in range(9)}
    assert "movie" in kinds and "podcast" in kinds

    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(VIDEO_KINDS))
    assert titles(page.model) == [FILM]

    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(PODCAST_KINDS))
    found = titles(page.model)
    assert found and FILM not in found
    assert found[0] == "Volcano Islands"  # the episode that says "ocean"

    # The language filter offers the languages seen in results.
    assert {"en", "fr", "it"} <= set(page.languages())
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.language_combo.setCurrentIndex(page.language_combo.findData("fr"))
    assert titles(page.model) == ["Sourdough Baking"]


def test_no_results_and_empty_query(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    page = make_page(qtbot, library, tasks)
    search(qtbot, page, "ocean")
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.show_more()  # the language filter offers the languages of results seen
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.unwatched_check.setChecked(True)
    assert FILM in titles(page.model)  # nothing is watched yet
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.language_combo.setCurrentIndex(page.language_combo.findData("it"))
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(VIDEO_KINDS))
    assert page.model.rowCount() == 0
    assert page.status.text() == 'No results for "ocean"'
    assert not page.play_button.isEnabled()
    search(qtbot, page, "  ")
    assert page.model.rowCount() == 0
    assert page.status.text() == ""


def test_enter_opens_details_and_ctrl_enter_plays(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = make_page(qtbot, library, tasks)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    search(qtbot, page, "sourdough bread")
    bread = ids_by_title(library)["Sourdough Baking"]
    assert page.model.item_id(0) == bread

    page.results_view.setFocus()
    qtbot.waitUntil(page.results_view.hasFocus, timeout=WAIT)
    with qtbot.waitSignal(page.detailRequested, timeout=WAIT) as opened:
        qtbot.keyClick(page.results_view, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert opened.args == [bread]
    with qtbot.waitSignal(page.playRequested, timeout=WAIT) as played:
        qtbot.keyClick(  # type: ignore[no-untyped-call]
            page.results_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert played.args == [bread]

    # From the field too: Enter opens the top result, Down moves into the list.
    page.focus_search()
    with qtbot.waitSignal(page.detailRequested, timeout=WAIT) as opened:
        qtbot.keyClick(page.edit, Qt.Key.Key_Enter)  # type: ignore[no-untyped-call]
    assert opened.args == [bread]
    qtbot.keyClick(page.edit, Qt.Key.Key_Down)  # type: ignore[no-untyped-call]
    assert page.results_view.hasFocus()
    with qtbot.waitSignal(page.playRequested, timeout=WAIT) as played:
        page.play_button.click()
    assert played.args == [bread]


# --- the detail view -----------------------------------------------------------------------------


def test_detail_shows_the_item(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    glacier = ids_by_title(library)["Glacier Retreat"]
    view = make_detail(qtbot, library, tasks)
    show(qtbot, view, glacier, reason="Similar to *Comet Hunters* (similarity 0.40)")
    assert view.item_id() == glacier
    assert view.title_label.text() == "Glacier Retreat"
    assert view.description_label.text() == EPISODES["Glacier Retreat"][1]
    assert "Earth Science" in view.subtitle_label.text()
    assert view.facts_label.text().startswith("Talk · English")
    assert view.reason_label.text() == "Recommended: Similar to Comet Hunters (similarity 0.40)"
    assert view.artwork.art is not None and view.artwork.art.path  # the episode's cover
    item = library.item(glacier)
    assert item is not None
    path = item["files"][0]["path"]
    assert view.files.states() == [(path, "ok")]
    assert view.files.accessibleDescription() == f"{path} — OK"
    assert view.play_button.text() == "&Play"
    assert view.watched_button.accessibleName() == "Mark played"  # an episode is played
    assert not view.watched_button.isChecked()

    with qtbot.waitSignal(view.playRequested, timeout=WAIT) as played:
        view.play_button.click()
    assert played.args == [glacier]
    with qtbot.waitSignal(view.backRequested, timeout=WAIT):
        view.back_action.trigger()


def test_stale_detail_load_is_dropped(
    qtbot: QtBot, library: Library, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = ids_by_title(library)
    opera, bebop = ids["Opera Nights"], ids["Bebop Jazz"]
    # Opera's load is held back until Bebop is shown, so it arrives last. Held by item id, not
    # by call order: Bebop's load can reach the library first.
    gate = threading.Event()
    real = library.item
    calls: list[int] = []

    def held(item_id: int) -> dict[str, Any] | None:
        calls.append(item_id)
        if item_id == opera:
            gate.wait(WAIT / 1000)
        return real(item_id)

    monkeypatch.setattr(library, "item", held)
    # The held load occupies one pool thread and More like this another: on a 2-core machine
    # the pool has two, and the second item's load would wait for the gate's timeout.
    tasks.pool.setMaxThreadCount(max(tasks.pool.maxThreadCount(), 4))
    view = make_detail(qtbot, library, tasks)
    view.show_item(opera)
    show(qtbot, view, bebop)
    gate.set()
    tasks.wait()
    QCoreApplication.processEvents()  # the first load's late result, posted: delivered, dropped
    assert opera in calls and bebop in calls
    assert view.title_label.text() == "Bebop Jazz"
    assert view.item_id() == bebop


def test_mark_watched_records_history_and_remove_deletes_it(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    chess = ids_by_title(library)["Chess Openings"]
    profile = library.history.default_profile().id
    view = make_detail(qtbot, library, tasks)
    show(qtbot, view, chess)
    assert view.history_list.count() == 1  # "Nothing yet"
    assert not view.remove_button.isEnabled()

    with qtbot.waitSignals([view.historyChanged, view.loaded], timeout=WAIT):
        view.watched_button.click()
    events = library.history.timeline(profile, 50, 0, item_id=chess)
    assert [e["event"] for e in events] == ["watched"]
    assert view.history_list.count() == 1
    assert view.history_list.item(0).text().startswith("Marked as played — ")  # a podcast
    assert view.watched_button.isChecked()
    assert view.watched_button.accessibleName() in ("Mark unwatched", "Mark unplayed")

    with qtbot.waitSignals([view.historyChanged, view.loaded], timeout=WAIT):
        view.like_button.click()
    assert library.history.feedback(profile, chess) == {"like"}
    assert view.like_button.isChecked()

    view.history_list.setCurrentRow(1)  # the older entry: "watched"
    assert view.history_list.currentItem().text().startswith("Marked as played")
    assert view.remove_button.isEnabled()
    with qtbot.waitSignals([view.historyChanged, view.loaded], timeout=WAIT):
        view.remove_button.click()
    events = library.history.timeline(profile, 50, 0, item_id=chess)
    assert [e["event"] for e in events] == ["like"]
    assert not view.watched_button.isChecked()
    progress = library.history.progress(profile, chess)
    assert progress is None or not progress.completed


def test_more_like_this_never_shows_the_item(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    # Glacier Retreat has a real neighbour here (Volcano Islands); the other topics are too far
    # apart to be "like" anything, and their More like this rows stay empty.
    comet = ids_by_title(library)["Glacier Retreat"]
    view = make_detail(qtbot, library, tasks)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.similarLoaded, timeout=LOAD):
        view.show_item(comet)
    model = view.similar.model
    assert model.rowCount() > 0
    assert comet not in model.item_ids()
    assert set(model.item_ids()) <= set(ids_by_title(library).values())

    view.activateWindow()
    view.similar.view.setFocus()
    view.similar.view.setCurrentIndex(model.index(0, 0))
    qtbot.waitUntil(view.similar.view.hasFocus, timeout=WAIT)
    with qtbot.waitSignal(view.detailRequested, timeout=WAIT) as opened:
        qtbot.keyClick(view.similar.view, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert opened.args == [model.item_id(0)]
    with qtbot.waitSignal(view.playRequested, timeout=WAIT) as played:
        view.similar.card_actions.play_action.trigger()
    assert played.args == [model.item_id(0)]


def test_a_deleted_file_shows_missing(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    bees = ids_by_title(library)["Honey Bees"]
    view = make_detail(qtbot, library, tasks)
    show(qtbot, view, bees)
    item = library.item(bees)
    assert item is not None
    path = item["files"][0]["path"]
    assert view.files.states() == [(path, "ok")]

    Path(path).unlink()
    library.scan()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()
    assert view.files.states() == [(path, "missing")]
    assert view.files.accessibleDescription() == f"{path} — Missing"
