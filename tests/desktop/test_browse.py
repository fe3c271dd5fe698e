"""The Videos and Podcasts pages and their models, against a real scanned library."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from desktop.art import Art, ArtProvider
from desktop.models.browse import (
    BLOCK,
    COLUMNS,
    TABLE_ART,
    ItemListModel,
    ShowListModel,
    duration_text,
    episode_text,
    lettered,
    table_art_size,
)
from desktop.tasks import Tasks
from desktop.views.browse_nav import ShowDelegate
from desktop.views.browse_page import BrowsePage
from engine.library import Library, LibraryError
from engine.store.browse_sql import BrowseQuery
from tests.mediagen import make_audio, make_jpeg, make_video

WAIT = 20_000  # ms

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


def ids_by_title(library: Library) -> dict[str, int]:
    return {item["title"]: int(item["id"]) for item in library.items()}


def shown_titles(model: ItemListModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def nav_titles(page: BrowsePage) -> list[str]:
    model = page.nav_model
    return [model.index(row, 0).data(ShowListModel.TitleRole) for row in range(model.rowCount())]


def open_page(qtbot: QtBot, library: Library, tasks: Tasks, kind: str) -> BrowsePage:
    page = BrowsePage(library, tasks, lambda: None, kind)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading and page.nav_model.rowCount() > 0, timeout=WAIT)
    return page


def choose(qtbot: QtBot, page: BrowsePage, title: str) -> None:
    row = nav_titles(page).index(title)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.nav.setCurrentIndex(page.nav_model.index(row, 0))
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)


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


WIDE = (20, 160, 40)  # a 2:1 podcast cover: letterboxed, it would leave bars above and below
SQUARE_POSTER = (30, 60, 200)  # a square film poster: cropped to 2:3, not pillarboxed


def _shaped_library(tmp_path: Path) -> Library:
    podcasts, films = tmp_path / "Shaped" / "Podcasts", tmp_path / "Shaped" / "Films"
    (podcasts / "Wide Show").mkdir(parents=True)
    make_audio(
        podcasts / "Wide Show" / "1.mp3",
        0.2,
        title="Wide Cover",
        show="Wide Show",
        cover=make_jpeg(size=(256, 128), color=WIDE),
    )
    make_jpeg(podcasts / "Wide Show" / "cover.jpg", size=(256, 128), color=WIDE)  # the show's
    (podcasts / "Voice memo").mkdir()
    make_audio(podcasts / "Voice memo" / "m.mp3", 0.2, title="Memo", show="Voice memo")
    film = films / "Square Poster (2001)"
    film.mkdir(parents=True)
    make_video(film / "Square Poster (2001).mkv", 0.3)
    make_jpeg(film / "poster.jpg", size=(200, 200), color=SQUARE_POSTER)
    make_video(films / "Harbor S01E01.mkv", 0.3)  # a TV show without art: a generated poster
    lib = Library(tmp_path / "shaped-data", workers=1)
    lib.add_root(podcasts, "podcast")
    lib.add_root(films, "video")
    lib.scan()
    return lib


def _near(pixel: QColor, rgb: tuple[int, int, int]) -> bool:
    return pixel.alpha() == 255 and all(
        abs(a - b) <= 12
        for a, b in zip((pixel.red(), pixel.green(), pixel.blue()), rgb, strict=True)
    )


def test_table_thumbnails_are_cropped_to_the_kind_shape_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    library = _shaped_library(tmp_path)
    tasks = Tasks()
    try:
        model = ItemListModel(library, lambda: None, None, tasks)
        model.set_ids(library.browse(BrowseQuery("all", sort="title")))
        titles = ids_by_title(library)
        provider = ArtProvider.shared(library, tasks)  # the one the model paints through
        dpr = QApplication.instance().devicePixelRatio()  # type: ignore[union-attr]
        for title, kind, rgb in (
            ("Wide Cover", "podcast", WIDE),
            ("Square Poster", "movie", SQUARE_POSTER),
        ):
            index = model.index(model.row_of(titles[title]), 0)
            qtbot.waitUntil(lambda index=index: model.display_row(index.row()) is not None)
            row = model.display_row(index.row())
            assert row is not None and row["kind"] == kind
            path = row["artwork"] or row["show_artwork"]
            art = Art(path=path, title=title, show=str(row["show"] or ""), kind=kind)
            size = table_art_size(kind)
            assert size == (QSize(32, 32) if kind == "podcast" else QSize(21, 32))
            # Asking starts the load in the background; the wait ends when it is decoded.
            qtbot.waitUntil(
                lambda art=art, size=size: (
                    not provider.pixmap(art, size, dpr).isNull() and provider.ready(art, size, dpr)
                ),
                timeout=WAIT,
            )
            shown = index.data(Qt.ItemDataRole.DecorationRole)
            image = (
                shown.toImage() if isinstance(shown, QPixmap) else QImage(shown)
            ).convertToFormat(QImage.Format.Format_ARGB32)
            # One slot for every kind, so titles align; the old code letterboxed into 56×28.
            assert image.deviceIndependentSize().toSize() == TABLE_ART, image.size()
            left = (TABLE_ART.width() - size.width()) // 2
            # The whole shape is the art (cropped, no bars) and nothing is drawn beside it.
            for x, y in (
                (left + 3, 1),
                (left + size.width() - 4, 1),
                (left + size.width() // 2, size.height() // 2),
                (left + 3, size.height() - 2),
                (left + size.width() - 4, size.height() - 2),
            ):
                pixel = image.pixelColor(round(x * dpr), round(y * dpr))
                assert _near(pixel, rgb), (title, x, y, pixel.name(QColor.NameFormat.HexArgb))
            assert image.pixelColor(round((left - 2) * dpr), round(16 * dpr)).alpha() == 0
        assert provider.decode_threads
        assert threading.get_ident() not in provider.decode_threads
    finally:
        tasks.wait()
        library.close()


def _nav_ready(page: BrowsePage) -> bool:
    delegate = page.nav.itemDelegate()
    if not isinstance(delegate, ShowDelegate) or delegate.provider is None:
        return False
    dpr = page.nav.devicePixelRatioF()
    rows = range(page.nav_model.rowCount())
    indexes = [page.nav_model.index(r, 0) for r in rows]
    rects = [delegate.art_rect(page.nav.visualRect(i), i) for i in indexes]
    # A small generated cover has no lettering: its tile is there at once.
    return all(
        delegate.provider.ready(i.data(ShowListModel.ArtRole), r.size(), dpr)
        or (i.data(ShowListModel.ArtRole).path is None and not lettered(r.size()))
        for i, r in zip(indexes, rects, strict=True)
    )


@pytest.mark.parametrize("kind", ["podcasts", "videos"])
def test_show_list_rows_are_alike_with_art_on_every_row(
    qtbot: QtBot, tmp_path: Path, kind: str
) -> None:
    library = _shaped_library(tmp_path)
    tasks = Tasks()
    try:
        page = open_page(qtbot, library, tasks, kind)
        page.resize(900, 500)
        page.show()
        qtbot.waitExposed(page)
        nav, model = page.nav, page.nav_model
        expected = {
            "podcasts": ["Voice memo", "Wide Show"],
            "videos": ["Films", "Harbor"],
        }[kind]
        assert nav_titles(page)[: len(expected)] == expected
        rows = [model.index(r, 0) for r in range(model.rowCount())]
        heights = {nav.visualRect(i).height() for i in rows}
        assert len(heights) == 1, heights  # one row height, with or without counts or art
        delegate = nav.itemDelegate()
        assert isinstance(delegate, ShowDelegate)
        arts = [delegate.art_rect(nav.visualRect(i), i) for i in rows]
        shape = QSize(40, 40) if kind == "podcasts" else QSize(27, 40)  # square or 2:3
        assert {a.size() for a in arts} == {shape}
        assert len({a.left() for a in arts}) == 1
        assert len({delegate.text_left(nav.visualRect(i)) for i in rows}) == 1
        qtbot.waitUntil(lambda: _nav_ready(page), timeout=WAIT)
        nav.viewport().update()
        image = nav.viewport().grab().toImage()
        background = image.pixelColor(image.width() - 2, image.height() - 2)
        for index, art in zip(rows, arts, strict=True):
            # Art (the show's or a generated cover) fills the slot: no row is blank there.
            inner = art.adjusted(4, 4, -4, -4)
            scale = image.devicePixelRatio()
            painted = sum(
                image.pixelColor(round(x * scale), round(y * scale)) != background
                for x in range(inner.left(), inner.right(), 3)
                for y in range(inner.top(), inner.bottom(), 3)
            )
            total = len(range(inner.left(), inner.right(), 3)) * len(
                range(inner.top(), inner.bottom(), 3)
            )
            assert painted >= 0.9 * total, (index.data(ShowListModel.TitleRole), painted, total)
        if kind == "podcasts":
            wide = rows[expected.index("Wide Show")]
            art = arts[expected.index("Wide Show")]
            scale = image.devicePixelRatio()
            corner = image.pixelColor(
                round((art.left() + 3) * scale), round((art.top() + 3) * scale)
            )
            assert _near(corner, WIDE), corner.name()  # the wide cover cropped to the square
            assert wide.data(ShowListModel.ArtRole).path
        assert threading.get_ident() not in delegate.provider.decode_threads  # type: ignore[union-attr]
    finally:
        tasks.wait()
        library.close()
