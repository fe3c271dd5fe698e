"""The Videos and Podcasts pages and their models, against a real scanned library."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from desktop.models.browse import (
    BLOCK,
    COLUMNS,
    ItemListModel,
    duration_text,
    episode_text,
)
from desktop.models.show_list import ShowListModel
from desktop.tasks import Tasks
from desktop.views.browse_page import BrowsePage
from engine.library import BrowseQuery, Library, LibraryError
from tests.desktop.browsing import WAIT, choose, ids_by_title, nav_titles, open_page, shown_titles
from tests.mediagen import make_audio, make_jpeg, make_video

EPISODES = [  # (show, title, air date, description)
    ("Nature Hour", "Rivers", "2024-01-05", "Where rivers begin."),
    ("Nature Hour", "Bees", "2024-03-01", "A year in the hive."),
    ("Nature Hour", "Clouds", "2024-02-10", "Cumulus and friends."),
    ("Talk Time", "Only One", "2023-12-01", "The single episode."),
]
VIDEOS = ["Harbor Lights S01E02.mkv", "Harbor Lights S02E01.mkv", "Harbor Lights S01E01.mkv"]


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    podcasts = tmp_path / "Podcasts"
    videos = tmp_path / "Videos"
    for n, (show, title, date, text) in enumerate(EPISODES):
        folder = podcasts / show
        folder.mkdir(parents=True, exist_ok=True)
        cover = make_jpeg(size=(64, 64)) if title == "Bees" else None
        make_audio(
            folder / f"{n}.mp3",
            0.2,
            title=title,
            show=show,
            date=date,
            description=text,
            cover=cover,
        )
    make_audio(podcasts / "loose.mp3", 0.2, title="Loose Talk")  # no show: "Other audio"
    videos.mkdir()
    for name in VIDEOS:
        make_video(videos / name, 0.3)
    make_video(videos / "A Quiet Film (1999).mkv", 0.3)
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(podcasts, "podcast")
    lib.add_root(videos, "video")
    lib.scan()
    yield lib
    lib.close()


# --- models ------------------------------------------------------------------------------------


def test_item_list_model_is_valid_and_shows_the_columns(
    qtmodeltester: Any, library: Library
) -> None:
    model = ItemListModel(library)
    ids = library.browse(BrowseQuery("all", sort="title"))
    model.set_ids(ids)
    qtmodeltester.check(model)

    titles = ids_by_title(library)
    assert model.rowCount() == len(EPISODES) + len(VIDEOS) + 2
    assert [model.item_id(r) for r in range(model.rowCount())] == ids
    bees = model.index(model.row_of(titles["Bees"]), 0)
    assert bees.data(ItemListModel.ItemIdRole) == titles["Bees"]
    assert bees.siblingAtColumn(1).data() == "Nature Hour"
    assert bees.siblingAtColumn(3).data() == "2024-03-01"
    assert bees.siblingAtColumn(4).data() == "0:01"  # 0.2 s still shows a length
    assert bees.siblingAtColumn(5).data() == "Unplayed"
    assert bees.data(ItemListModel.PlayedRole) == "unplayed"
    assert bees.data(Qt.ItemDataRole.ToolTipRole) == "A year in the hive."
    assert Path(bees.data(ItemListModel.ArtworkRole)).is_file()
    # Without tasks there is nowhere to decode off the UI thread: no thumbnails at all.
    assert bees.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(model.row_of(titles["Rivers"]), 0).data(ItemListModel.ArtworkRole) is None

    episode = model.index(model.row_of(titles["Harbor Lights S01E02"]), 2)
    assert episode.data() == "S01E02"
    film = model.index(model.row_of(titles["A Quiet Film"]), 3)
    assert film.data() == "1999"

    profile = library.history.default_profile().id
    library.history.mark_watched(profile, titles["Bees"])
    assert bees.siblingAtColumn(5).data() == "Unplayed"  # cached until told
    with_changed = []
    model.dataChanged.connect(lambda a, b: with_changed.append((a.row(), b.row())))
    model.invalidate()
    assert with_changed == [(0, model.rowCount() - 1)]
    assert bees.siblingAtColumn(5).data() == "Played"
    assert bees.data(ItemListModel.PlayedRole) == "played"

    session = library.history.start_session(profile, titles["Rivers"])
    library.history.update_progress(session, 0.02)
    model.refresh_item(titles["Rivers"])
    text = model.index(model.row_of(titles["Rivers"]), 5).data()
    assert text.startswith("In progress")
    qtmodeltester.check(model)


def test_formatting_helpers() -> None:
    assert duration_text(3723) == "1:02:03"
    assert duration_text(125.4) == "2:05"
    assert duration_text(0.2) == "0:01"
    assert duration_text(None) == "" and duration_text(0) == ""
    assert episode_text(1, 2) == "S01E02"
    assert episode_text(None, 5) == "E05"
    assert episode_text(None, None) == ""


def test_show_list_model(qtmodeltester: Any, qtbot: QtBot, library: Library) -> None:
    model = ShowListModel()
    shows = library.shows("podcast")
    model.set_shows(shows, before=[("films", "Films")], after=[("loose_audio", "Other audio")])
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.key(0) == ("films", None)
    assert model.key(3) == ("loose_audio", None)
    nature = model.index(1, 0)
    assert nature.data() == "Nature Hour\n3 episodes · 3 unplayed"
    assert nature.data(ShowListModel.CountsRole) == "3 episodes · 3 unplayed"
    assert model.index(0, 0).data(ShowListModel.CountsRole) == ""
    # Every row has art: the show's, else a generated cover shaped as the page's kind.
    talk = model.index(2, 0).data(ShowListModel.ArtRole)
    assert talk.path is None and talk.title == "Talk Time" and talk.kind == "podcast"
    assert model.index(0, 0).data(ShowListModel.ArtRole).kind == "movie"  # Films: a poster
    assert nature.data(ShowListModel.ShowIdRole) == shows[0]["id"]
    assert nature.data(ShowListModel.SectionRole) == "show"
    assert model.index(2, 0).data() == "Talk Time\n1 episode · 1 unplayed"

    # The same shows with new counts update in place: no reset, the selection survives.
    shows[0]["unplayed"] = 0
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_shows(shows, before=[("films", "Films")], after=[("loose_audio", "Other audio")])
    assert nature.data() == "Nature Hour\n3 episodes"
    model.set_shows(shows[:1])
    assert model.rowCount() == 1
    qtmodeltester.check(model)


class CountingLibrary(Library):
    """Counts `item_rows` calls, to prove the model reads only the blocks it is asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[int] = []

    def item_rows(
        self, ids: Sequence[int], profile_id: int | None = None
    ) -> dict[int, dict[str, Any]]:
        self.calls.append(len(ids))
        return super().item_rows(ids, profile_id)


def test_item_list_model_fetches_lazily(qtbot: QtBot, tmp_path: Path) -> None:
    library = CountingLibrary(tmp_path / "lazy", workers=1)
    with library:
        videos = tmp_path / "Lazy"
        videos.mkdir()
        make_video(videos / "Only Film (2001).mkv", 0.3)
        library.add_root(videos, "video")
        library.scan()
        (real,) = library.item_ids()
        # 100,000 rows, one of them real: rows of ids that no longer exist show as empty.
        ids = [real, *range(10_000_000, 10_000_000 + 99_999)]
        model = ItemListModel(library)
        model.set_ids(ids)
        assert model.rowCount() == 100_000
        assert library.calls == []  # holding ids reads nothing

        assert model.index(0, 0).data() == "Only Film"
        assert library.calls == [BLOCK]
        assert model.index(BLOCK - 1, 2).data() is None  # same block, gone item: no new read
        assert library.calls == [BLOCK]
        assert model.index(99_999, 0).data() is None
        assert library.calls == [BLOCK, 100_000 % BLOCK or BLOCK]

        library.calls.clear()
        model.invalidate()
        table = QTableView()
        qtbot.addWidget(table)
        table.verticalHeader().setDefaultSectionSize(30)
        table.resize(600, 400)
        table.setModel(model)
        table.show()
        qtbot.waitExposed(table)
        # Painting the top of 100,000 rows reads the first block, nothing more.
        qtbot.waitUntil(lambda: len(library.calls) >= 1, timeout=WAIT)
        QApplication.processEvents()
        assert library.calls == [BLOCK]
        table.scrollToBottom()
        qtbot.waitUntil(lambda: len(library.calls) >= 2, timeout=WAIT)
        QApplication.processEvents()
        assert table.rowAt(0) > 100_000 - BLOCK // 2  # the last rows, all in the last block
        assert library.calls == [BLOCK, 100_000 % BLOCK]
        table.close()


# --- pages -------------------------------------------------------------------------------------


def test_videos_page_lists_films_and_shows_seasons(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = open_page(qtbot, library, tasks, "videos")
    assert nav_titles(page) == ["Films", "Harbor Lights"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert shown_titles(page.model) == ["A Quiet Film"]
    assert page.heading.text() == "Films"
    assert page.season_combo.isHidden()

    choose(qtbot, page, "Harbor Lights")
    assert page.sort_combo.currentData() == "episode"
    episodes = [page.model.index(r, 2).data() for r in range(page.model.rowCount())]
    assert episodes == ["S01E01", "S01E02", "S02E01"]
    qtbot.waitUntil(lambda: page.season_combo.count() == 3, timeout=WAIT)
    assert not page.season_combo.isHidden()
    seasons = [page.season_combo.itemText(n) for n in range(3)]
    assert seasons == ["All seasons", "Season 1", "Season 2"]

    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.season_combo.setCurrentIndex(1)
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == [
        "S01E01",
        "S01E02",
    ]
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.season_combo.setCurrentIndex(2)
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == ["S02E01"]


def test_podcasts_newest_first_mark_played_and_unplayed_filter(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = open_page(qtbot, library, tasks, "podcasts")
    assert nav_titles(page) == ["Nature Hour", "Talk Time", "Other audio"]
    assert page.nav_model.index(0, 0).data() == "Nature Hour\n3 episodes · 3 unplayed"
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=WAIT)
    assert page.sort_combo.currentData() == "newest"
    assert shown_titles(page.model) == ["Bees", "Clouds", "Rivers"]
    assert not page.unplayed_only.isHidden()

    bees = ids_by_title(library)["Bees"]
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.mark_played_action.trigger()
    qtbot.waitUntil(lambda: page.model.index(0, 5).data() == "Played", timeout=WAIT)
    assert page.model.index(0, 0).data(ItemListModel.PlayedRole) == "played"
    qtbot.waitUntil(
        lambda: page.nav_model.index(0, 0).data() == "Nature Hour\n3 episodes · 2 unplayed",
        timeout=WAIT,
    )
    profile = library.history.default_profile().id
    progress = library.history.progress(profile, bees)
    assert progress is not None and progress.completed

    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.unplayed_only.setChecked(True)
    assert page.state_combo.currentData() == "unplayed"
    assert shown_titles(page.model) == ["Clouds", "Rivers"]

    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.state_combo.setCurrentIndex(page.state_combo.findData("all"))
    assert not page.unplayed_only.isChecked()
    assert shown_titles(page.model) == ["Bees", "Clouds", "Rivers"]

    page.table.setCurrentIndex(page.model.index(0, 0))
    page.mark_unplayed_action.trigger()
    qtbot.waitUntil(lambda: page.model.index(0, 5).data() == "Unplayed", timeout=WAIT)

    choose(qtbot, page, "Other audio")
    assert shown_titles(page.model) == ["Loose Talk"]
    assert page.heading.text() == "Other audio"


def test_engine_errors_show_in_the_page(
    qtbot: QtBot, library: Library, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, library, tasks, "videos")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert page.error.isHidden()

    def broken(*_args: Any, **_kwargs: Any) -> list[int]:
        raise LibraryError("the library database is locked; close other copies of Reelcast")

    monkeypatch.setattr(library, "browse", broken)
    page.refresh()
    qtbot.waitUntil(lambda: not page.error.isHidden(), timeout=WAIT)
    assert "database is locked" in page.error.text()
    assert shown_titles(page.model) == ["A Quiet Film"]  # what was shown stays
    monkeypatch.undo()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.refresh()
    assert page.error.isHidden()


def test_grid_and_list_share_the_model_and_enter_plays(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = open_page(qtbot, library, tasks, "podcasts")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=WAIT)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    expected = page.model.item_id(1)

    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 0))
    qtbot.waitUntil(page.table.hasFocus, timeout=WAIT)
    with qtbot.waitSignal(page.playRequested, timeout=WAIT) as played:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert played.args == [expected]
    with qtbot.waitSignal(page.detailRequested, timeout=WAIT) as details:
        qtbot.keyClick(  # type: ignore[no-untyped-call]
            page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier
        )
    assert details.args == [expected]

    page.grid_button.click()
    assert page.view_mode() == "grid"
    assert page.stack.currentWidget() is page.grid
    assert page.grid.model() is page.table.model() is page.model
    assert page.grid.currentIndex().row() == 1  # the same item stays current
    page.grid.setFocus()
    qtbot.waitUntil(page.grid.hasFocus, timeout=WAIT)
    with qtbot.waitSignal(page.playRequested, timeout=WAIT) as played:
        qtbot.keyClick(page.grid, Qt.Key.Key_Enter)  # type: ignore[no-untyped-call]
    assert played.args == [expected]
    image = page.grab().toImage()  # the grid paints (artwork, placeholders, text)
    assert not image.isNull()

    page.set_view_mode("list")
    assert page.stack.currentWidget() is page.table
    assert page.list_button.isChecked()

    page.show_menu()  # the keyboard way into Play, Details and the marks
    qtbot.waitUntil(page.menu.isVisible, timeout=WAIT)
    assert [a.text() for a in page.menu.actions() if a.text()] == [
        "&Play",
        "&Details",
        "Mark p&layed",
        "Mark &unplayed",
    ]
    page.menu.hide()


def test_filter_text_narrows_the_list(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    page = open_page(qtbot, library, tasks, "podcasts")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=WAIT)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.filter_edit.setText("BE")  # debounced: one query when the typing stops
    assert shown_titles(page.model) == ["Bees"]
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.filter_edit.setText("nothing like this")
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text() == "Nothing matches these filters"


def test_empty_library_says_how_to_start(qtbot: QtBot, tmp_path: Path) -> None:
    with Library(tmp_path / "empty", workers=1) as library:
        tasks = Tasks()
        pages = {
            kind: BrowsePage(library, tasks, lambda: None, kind) for kind in ("videos", "podcasts")
        }
        for page in pages.values():
            qtbot.addWidget(page)
        qtbot.waitUntil(lambda: not any(p.loading for p in pages.values()), timeout=WAIT)
        assert pages["videos"].empty.text() == "No films yet — add a video folder in Settings"
        assert pages["podcasts"].empty.text() == (
            "No podcasts yet — add a podcast folder in Settings"
        )
        assert pages["podcasts"].stack.currentWidget() is pages["podcasts"].empty
        tasks.wait()


def test_videos_are_watched_and_films_have_no_episode_column(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = open_page(qtbot, library, tasks, "videos")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    episode = COLUMNS.index("episode")
    assert page.table.isColumnHidden(episode)  # films have no season or episode
    assert page.model.index(0, COLUMNS.index("state")).data() == "Unwatched"
    assert page.mark_played_action.text() == "Mark &watched"
    states = [page.state_combo.itemText(n) for n in range(page.state_combo.count())]
    assert states == ["All", "Unwatched", "In progress", "Watched"]
    choose(qtbot, page, "Harbor Lights")
    assert not page.table.isColumnHidden(episode)
    podcasts = open_page(qtbot, library, tasks, "podcasts")
    assert podcasts.mark_played_action.text() == "Mark p&layed"


def test_at_the_minimum_width_the_title_gets_the_room(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = open_page(qtbot, library, tasks, "podcasts")
    page.resize(1400, 600)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.heading.text() != "", timeout=WAIT)
    table, title = page.table, COLUMNS.index("title")
    wide = [c for c in range(len(COLUMNS)) if not table.isColumnHidden(c)]
    assert [COLUMNS[c] for c in wide] == ["title", "episode", "date", "duration", "state"]
    page.resize(page.minimumSizeHint().width(), 600)
    qtbot.waitUntil(lambda: table.columnWidth(title) >= page.title_min_width(), timeout=WAIT)
    narrow = [COLUMNS[c] for c in range(len(COLUMNS)) if not table.isColumnHidden(c)]
    assert "title" in narrow and len(narrow) < len(wide)  # the least needed columns went
    page.resize(1400, 600)
    qtbot.waitUntil(lambda: not table.isColumnHidden(COLUMNS.index("date")), timeout=WAIT)


# --- art: cropped to each kind's shape, decoded off the UI thread, rows alike -----------------
