"""The Search page's results: true counts, matches apart from closest matches, "Show more",
art and highlighted snippets, on a real scanned and embedded library."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop.models.search_results import SearchResultsModel, snippet
from desktop.tasks import Tasks
from desktop.views.search_page import SearchPage
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg, make_video

WAIT = 20_000

# Written for this test: (title, show, description); one has cover art.
EPISODES = [
    ("Honey Bees", "Nature Notes", "Hives, pollen and the waggle dance of worker bees."),
    ("Glacier Retreat", "Earth Science", "Mountain glaciers melt and ice sheets carve valleys."),
    ("Bebop Jazz", "Music Hour", "Saxophones in New York clubs after the war."),
    ("Comet Hunters", "Sky Watch", "Visitors from the outer solar system and their tails."),
    ("Chess Openings", "Board Games", "The Sicilian defence and the queen's gambit explained."),
    ("Silk Road", "Trade Routes", "Caravans carried silk, spices and ideas from China to Rome."),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    base = tmp_path_factory.mktemp("search-page")
    podcasts = base / "Podcasts"
    for n, (title, show, text) in enumerate(EPISODES):
        folder = podcasts / show
        folder.mkdir(parents=True, exist_ok=True)
        make_audio(
            folder / f"{n}.mp3",
            seconds=0.2,
            title=title,
            show=show,
            description=text,
            cover=make_jpeg(size=(64, 64)) if title == "Honey Bees" else None,
        )
    videos = base / "Videos"
    videos.mkdir()
    make_video(videos / "Ocean Deep (2001).mkv", 0.3, description="Whales and coral reefs.")
    lib = Library(base / "data", workers=1)
    lib.add_root(podcasts, "podcast")
    lib.add_root(videos, "video")
    lib.scan()
    lib.index_now()
    yield lib
    lib.close()


def make_page(qtbot: QtBot, library: Library, tasks: Tasks) -> SearchPage:
    page = SearchPage(library, tasks, lambda: None)
    qtbot.addWidget(page)
    page.resize(900, 700)
    return page


def search(qtbot: QtBot, page: SearchPage, text: str) -> None:
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.set_query(text)


def rows(page: SearchPage) -> list[str]:
    model = page.model
    return [
        "--" if r == model.header_row() else model.index(r, 0).data(SearchResultsModel.TitleRole)
        for r in range(model.rowCount())
    ]


def render(page: SearchPage) -> QImage:
    """Paint every row through the delegate (as the view would)."""
    view = page.results_view
    image = QImage(QSize(800, 2000), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    top = 0
    for r in range(page.model.rowCount()):
        option = QStyleOptionViewItem()
        option.initFrom(view)
        index = page.model.index(r, 0)
        height = view.itemDelegate().sizeHint(option, index).height()
        option.rect = option.rect.__class__(0, top, 800, height)
        view.itemDelegate().paint(painter, option, index)
        top += height
    painter.end()
    return image


def test_an_off_topic_query_says_no_results_and_lists_a_few_closest_apart(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = make_page(qtbot, library, tasks)
    search(qtbot, page, "kubernetes pod keeps restarting after the upgrade")
    # No count of a full page: nothing matched, and the few closest are under their header.
    assert page.model.match_count() == 0
    assert page.status.text() == (
        'No results for "kubernetes pod keeps restarting after the upgrade"; '
        "the closest matches are below."
    )
    assert page.model.header_row() == 0 and 1 <= page.model.closest_count() <= 3
    assert rows(page)[0] == "--"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "Closest matches"
    assert not page.model.flags(page.model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    # The selection starts on the first result, not on the header.
    assert page.results_view.currentIndex().row() == 1
    assert page.current_item_id() == page.model.item_id(1)

    # Show more: every item, still apart from the (no) matches, the count unchanged.
    assert page.more_button.isVisibleTo(page)
    with qtbot.waitSignal(page.searched, timeout=WAIT):
        page.more_button.click()
    assert page.model.closest_count() == len(EPISODES) + 1
    assert page.model.match_count() == 0 and page.status.text().startswith("No results")
    assert not page.more_button.isVisibleTo(page)


def test_counts_are_matches_with_snippets_art_and_closest_apart(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    page = make_page(qtbot, library, tasks)
    search(qtbot, page, "honey bees and their hives")
    model = page.model
    matches = model.match_count()
    assert 1 <= matches < len(EPISODES)
    # The count is the matches', not the rows shown (closest matches and the header).
    assert page.status.text() == ("1 result" if matches == 1 else f"{matches} results")
    assert rows(page)[0] == "Honey Bees"
    if model.closest_count():
        assert model.header_row() == matches
        assert all(
            not model.index(r, 0).data(model.IsMatchRole)
            for r in range(matches + 1, model.rowCount())
        )
    top = model.index(0, 0)
    assert top.data(model.IsMatchRole) is True
    # The matched words are marked in the description's snippet.
    marked = [text for text, on in top.data(model.SnippetRole) if on]
    assert {"Hives", "bees"} <= set(marked)
    assert top.data(model.ArtRole)  # the episode's own cover
    assert top.data(model.YearRole) == "" or top.data(model.YearRole).isdigit()

    # Drawn with art in the kind's shape: square for a podcast, 2:3 for the film.
    delegate = page.results_view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(page.results_view)
    option.rect = option.rect.__class__(0, 0, 800, 90)
    square = delegate.art_rect(option.rect, top)  # type: ignore[attr-defined]
    assert square.width() == square.height()
    search(qtbot, page, "whales")
    film = page.model.index(0, 0)
    assert film.data(SearchResultsModel.KindRole) == "movie"
    poster = delegate.art_rect(option.rect, film)  # type: ignore[attr-defined]
    assert poster.height() > poster.width()
    assert not render(page).isNull()


def test_down_from_the_field_skips_the_header(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    page = make_page(qtbot, library, tasks)
    page.show()
    qtbot.waitExposed(page)
    search(qtbot, page, "how to bake sourdough bread")
    assert page.model.header_row() == 0
    page.results_view.clearSelection()
    page.results_view.setCurrentIndex(page.model.index(-1, 0))
    page.focus_search()
    qtbot.keyClick(page.edit, Qt.Key.Key_Down)  # type: ignore[no-untyped-call]
    assert page.results_view.currentIndex().row() == 1
    with qtbot.waitSignal(page.detailRequested, timeout=WAIT) as opened:
        qtbot.keyClick(page.results_view, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert opened.args == [page.model.item_id(1)]


def test_snippet_marks_matched_words_around_the_first() -> None:
    text = "A long preamble about nothing much at all. " * 6 + "Then the Zanzibar spice trade."
    pieces = snippet(text, ["zanzibar", "spic"], chars=80)
    assert pieces[0] == ("…", False)
    assert [p for p, on in pieces if on] == ["Zanzibar", "spice"]
    assert len("".join(p for p, _ in pieces)) <= 82
    # Accents and case aside, as the engine folds words.
    assert [p for p, on in snippet("Paul Erdős and friends", ["erdos"]) if on] == ["Erdős"]
    assert snippet("Nothing here.", []) == [("Nothing here.", False)]
    # Chinese: the engine's terms are character pairs inside longer runs.
    chinese = snippet("1962年的香港，张曼玉、梁朝伟主演。", ["张曼", "曼玉", "香港"])
    assert [p for p, on in chinese if on] == ["香港", "张曼玉"]
    # A name at the start of a run is marked alone, not the run it begins.
    leading = snippet("张曼玉主演的电影，很好看。", ["张曼", "曼玉"])
    assert [p for p, on in leading if on] == ["张曼玉"]
    # Katakana with its long-vowel mark is found inside a run too.
    assert [p for p, on in snippet("朝のコーヒーを飲む", ["コーヒー"]) if on] == ["コーヒー"]
    # Scripts written with spaces match whole words only, as Latin ones do.
    assert [p for p, on in snippet("대학교 학생들", ["학교"]) if on] == []
