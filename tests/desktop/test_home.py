"""The home screen against a real scanned and embedded library: rows, cards, card actions."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QStandardItem,
    QStandardItemModel,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QListView
from pytestqt.qtbot import QtBot

from desktop import reasons
from desktop.art import Art, ArtProvider, art_size, cover_colors, generated_cover, prune_cache
from desktop.models.rows import RowItemsModel, fetch_cards, plain_reason, rich_reason
from desktop.tasks import Tasks
from desktop.views.cards import (
    CardActions,
    art_rect,
    card_art_size,
    card_size,
    hover_buttons,
)
from desktop.views.home import HomeView, RowShelf
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg

LOAD = 120_000  # ms; the first recommendations load the embedding model

TOPICS = {
    "Glaciers": "How ice sheets carve valleys over millennia.",
    "Sea Ice": "Polar oceans freeze and thaw with the seasons.",
    "Opera": "Verdi, Puccini and the Italian stage.",
    "Jazz": "Bebop in New York clubs after the war.",
    "Comets": "Icy visitors from the outer solar system.",
    "Volcanoes": "Magma, ash and the islands it builds.",
}


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "Podcasts"
    for n, (title, text) in enumerate(TOPICS.items()):
        show = folder / ("Earth" if n < 2 else f"Show {n}")
        show.mkdir(parents=True, exist_ok=True)
        # One episode carries cover art, so a card paints a real thumbnail.
        cover = make_jpeg(size=(64, 64)) if title == "Opera" else None
        make_audio(
            show / f"{n}.mp3",
            seconds=0.2,
            title=title,
            show=show.name,
            description=text,
            cover=cover,
        )
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(folder, "podcast")
    lib.scan()
    lib.index_now()
    yield lib
    lib.close()


def ids_by_title(library: Library) -> dict[str, int]:
    return {item["title"]: int(item["id"]) for item in library.items()}


def loaded_home(qtbot: QtBot, library: Library, tasks: Tasks) -> HomeView:
    profile = library.history.default_profile().id
    home = HomeView(library, tasks, lambda: profile)
    qtbot.addWidget(home)
    qtbot.waitUntil(lambda: home.model("for-you") is not None, timeout=LOAD)
    return home


def test_row_items_model_is_a_valid_lazy_model(
    qtmodeltester: object, qtbot: QtBot, library: Library
) -> None:
    profile = library.history.default_profile().id
    (row,) = library.recommendations(profile, kinds=["for-you"])
    model = RowItemsModel(library)  # no Tasks: details are read inline
    model.set_items(row.items, profile)
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    assert model.rowCount() == len(TOPICS)
    assert model.item_ids() == [i.item_id for i in row.items]
    opera = model.row_of(ids_by_title(library)["Opera"])
    index = model.index(opera, 0)
    assert index.data(RowItemsModel.TitleRole) == "Opera"
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Opera"
    assert index.data(RowItemsModel.ShowRole) == "Show 2"
    assert index.data(RowItemsModel.DurationTextRole)  # a fraction of a second still shows
    assert index.data(RowItemsModel.ProgressRole) is None  # never played
    # The engine's reason is data; the model words it (desktop/reasons.py).
    assert index.data(RowItemsModel.ReasonRole) == reasons.text(row.items[opera].reason)
    assert "similarity" not in index.data(RowItemsModel.ReasonRole)
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("<p>")  # the reason, on hover
    assert index.data(RowItemsModel.KindRole) == "podcast"
    assert Path(index.data(RowItemsModel.ArtworkRole)).is_file()
    assert index.data(RowItemsModel.FinishedRole) is False
    plain = model.index(model.row_of(ids_by_title(library)["Jazz"]), 0)
    assert plain.data(RowItemsModel.ArtworkRole) is None  # the card paints a generated cover

    assert model.remove_item(row.items[0].item_id)
    assert model.rowCount() == len(TOPICS) - 1
    assert not model.remove_item(row.items[0].item_id)
    model.set_items(row.items[:2], profile)
    assert model.rowCount() == 2
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_items(row.items[:2], profile)  # an unchanged row is not reset
    assert model.rowCount() == 2


def test_reasons_name_titles_safely() -> None:
    reason = "Because you watched *Tom & <Jerry>* (similarity 0.80)"
    assert plain_reason(reason) == "Because you watched Tom & <Jerry> (similarity 0.80)"
    assert rich_reason(reason) == (
        "<p>Because you watched <i>Tom &amp; &lt;Jerry&gt;</i> (similarity 0.80)</p>"
    )


def test_progress_is_a_fraction_of_the_play(library: Library) -> None:
    profile = library.history.default_profile().id
    item = ids_by_title(library)["Jazz"]
    session = library.history.start_session(profile, item)
    library.history.end_session(session, 600.0, 1800.0)
    card = fetch_cards(library, profile, [item])[item]
    assert card.progress == pytest.approx(1 / 3)


def test_details_fill_in_from_the_background(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    profile = library.history.default_profile().id
    (row,) = library.recommendations(profile, kinds=["for-you"])
    model = RowItemsModel(library, tasks)
    model.set_items(row.items, profile)
    first = model.index(0, 0)
    assert first.data(RowItemsModel.TitleRole) == row.items[0].title  # the row's own title
    assert first.data(RowItemsModel.ShowRole) is None  # not read on the UI thread
    qtbot.waitUntil(lambda: first.data(RowItemsModel.ShowRole) is not None, timeout=LOAD)
    assert model.card(row.items[0].item_id) is not None


def test_home_shows_for_you_and_play_emits_the_id(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    ids = ids_by_title(library)
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, ids["Glaciers"])  # a history: the real For you row
    home = HomeView(library, tasks, lambda: profile)
    qtbot.addWidget(home)
    assert home.status.text() == "Preparing recommendations…"
    assert not home.status.isHidden()
    qtbot.waitUntil(lambda: home.model("for-you") is not None, timeout=LOAD)

    shelf = home.shelf("for-you")
    assert shelf is not None
    assert shelf.label.text() == "For you"
    assert shelf.view.accessibleName() == "For you"
    assert home.status.isHidden()
    model = shelf.model
    assert model.rowCount() > 0
    assert ids["Glaciers"] not in model.item_ids()

    shelf.view.setCurrentIndex(model.index(1, 0))
    with qtbot.waitSignal(home.playRequested, timeout=5_000) as played:
        shelf.card_actions.play_action.trigger()
    assert played.args == [model.item_id(1)]

    with qtbot.waitSignal(home.moreLikeThisRequested, timeout=5_000) as asked:
        shelf.card_actions.more_like_this_action.trigger()
    assert asked.args == [model.item_id(1)]


def test_enter_on_a_card_plays_it(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    home = loaded_home(qtbot, library, tasks)
    home.show()
    qtbot.waitExposed(home)
    shelf = home.shelf("for-you")
    assert shelf is not None
    home.activateWindow()
    shelf.view.setFocus()
    shelf.view.setCurrentIndex(shelf.model.index(0, 0))
    qtbot.waitUntil(shelf.view.hasFocus, timeout=5_000)
    with qtbot.waitSignal(home.playRequested, timeout=5_000) as played:
        qtbot.keyClick(shelf.view, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert played.args == [shelf.model.item_id(0)]


def test_mark_watched_removes_the_card_after_refresh(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    home = loaded_home(qtbot, library, tasks)
    shelf = home.shelf("for-you")
    assert shelf is not None
    target = shelf.model.item_id(0)
    shelf.view.setCurrentIndex(shelf.model.index(0, 0))
    with qtbot.waitSignal(home.refreshed, timeout=LOAD):
        shelf.card_actions.mark_watched_action.trigger()
    qtbot.waitUntil(lambda: not home.loading, timeout=LOAD)

    model = home.model("for-you")
    assert model is not None and model.rowCount() > 0
    assert target not in model.item_ids()
    progress = library.history.progress(library.history.default_profile().id, target)
    assert progress is not None and progress.completed


def test_not_interested_removes_the_card_after_refresh(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    home = loaded_home(qtbot, library, tasks)
    shelf = home.shelf("for-you")
    assert shelf is not None
    target = shelf.model.item_id(1)
    shelf.view.setCurrentIndex(shelf.model.index(1, 0))
    with qtbot.waitSignal(home.refreshed, timeout=LOAD):
        shelf.card_actions.not_interested_action.trigger()
    qtbot.waitUntil(lambda: not home.loading, timeout=LOAD)

    model = home.model("for-you")
    assert model is not None and model.rowCount() > 0
    for shelf_left in home.shelves():  # in no row at all ("New" is absent on a first run)
        assert target not in shelf_left.model.item_ids()
    profile = library.history.default_profile().id
    assert "not_interested" in library.history.feedback(profile, target)
    # The keyboard user's place is kept: the current card is the one that followed.
    assert shelf.view.currentIndex().isValid()


def test_renders_offscreen_to_png(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    ids = ids_by_title(library)
    profile = library.history.default_profile().id
    session = library.history.start_session(profile, ids["Opera"])
    library.history.end_session(session, 600.0, 1800.0)  # a third played: a progress bar
    home = loaded_home(qtbot, library, tasks)
    home.resize(900, 760)
    home.show()
    qtbot.waitExposed(home)
    assert home.hero.item_id == ids["Opera"]  # the one thing in progress, large at the top

    out = tmp_path / "home.png"
    assert home.grab().save(str(out))
    assert out.is_file() and out.stat().st_size > 5_000
    image = QImage(str(out))
    assert image.width() == 900
    colours = {image.pixel(x, y) for x in range(0, 900, 9) for y in range(0, 760, 9)}
    assert len(colours) > 10  # cards, text and artwork, not a blank widget


def test_empty_library_says_how_to_start(qtbot: QtBot, tmp_path: Path) -> None:
    with Library(tmp_path / "empty", workers=1) as library:
        tasks = Tasks()
        home = HomeView(library, tasks)
        qtbot.addWidget(home)
        qtbot.waitUntil(lambda: not home.loading, timeout=LOAD)
        assert home.status.text() == "Add a folder to get recommendations"
        assert home.shelves() == []
        tasks.wait()


def test_a_library_with_nothing_left_to_suggest_does_not_ask_for_a_folder(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    profile = library.history.default_profile().id
    for item_id in ids_by_title(library).values():
        library.history.mark_watched(profile, item_id)
    home = HomeView(library, tasks, lambda: profile)
    qtbot.addWidget(home)
    # The model-less rows first ("Preparing recommendations…"), then the full ones.
    qtbot.waitUntil(
        lambda: not home.loading and home.status.text() not in ("", "Preparing recommendations…"),
        timeout=LOAD,
    )
    assert home.shelves() == []
    assert home.status.text() != "Add a folder to get recommendations"
    assert "Videos and Podcasts" in home.status.text()


def test_rows_that_need_no_model_come_first(qtbot: QtBot, library: Library, tmp_path: Path) -> None:
    # A fresh Library on the same data: its model is not loaded yet, as at start-up.
    profile = library.history.default_profile().id
    session = library.history.start_session(profile, ids_by_title(library)["Opera"])
    library.history.end_session(session, 600.0, 1800.0)  # Continue needs no model
    fresh = Library(tmp_path / "data", workers=1)
    pool = Tasks()
    try:
        assert not fresh.model_ready
        home = HomeView(fresh, pool, lambda: None)
        qtbot.addWidget(home)
        with qtbot.waitSignal(home.refreshed, timeout=LOAD):
            pass
        assert "continue" in [r.kind for r in home.rows()] and home.model("for-you") is None
        assert home.hero.item_id == ids_by_title(library)["Opera"]
        assert "Preparing" in home.status.text()
        qtbot.waitUntil(lambda: home.model("for-you") is not None, timeout=LOAD)
        assert fresh.model_ready and home.status.isHidden()
    finally:
        pool.wait()
        fresh.close()


# --- shelves, one selection, art ---------------------------------------------------------------


def _two_shelves(qtbot: QtBot, library: Library, tasks: Tasks) -> tuple[HomeView, list[RowShelf]]:
    ids = ids_by_title(library)
    profile = library.history.default_profile().id
    for title in ("Jazz", "Opera"):  # the hero features one; a Continue shelf keeps the other
        session = library.history.start_session(profile, ids[title])
        library.history.end_session(session, 600.0, 1800.0)  # a Continue row above For you
    home = loaded_home(qtbot, library, tasks)
    home.resize(900, 900)
    home.show()
    qtbot.waitExposed(home)
    shelves = [s for s in home.shelves() if s.model.rowCount()]
    assert len(shelves) >= 2
    return home, shelves


def test_one_selection_across_the_whole_page(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    home, shelves = _two_shelves(qtbot, library, tasks)
    first, second = shelves[0], shelves[1]
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        first.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=first.view.visualRect(first.model.index(0, 0)).topLeft() + QPoint(10, 10),
    )
    assert first.view.selectionModel().hasSelection()
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        second.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=second.view.visualRect(second.model.index(0, 0)).topLeft() + QPoint(10, 10),
    )
    selected = [s for s in home.shelves() if s.view.selectionModel().hasSelection()]
    assert selected == [second]
    assert home.selected_item() == second.model.item_id(0)
    # The keyboard way: Up moves to the row above and takes the selection with it.
    second.view.setFocus()
    qtbot.keyClick(second.view, Qt.Key.Key_Up)  # type: ignore[no-untyped-call]
    selected = [s for s in home.shelves() if s.view.selectionModel().hasSelection()]
    assert selected == [first]


def _everything_shelf(qtbot: QtBot, library: Library, tasks: Tasks, width: int) -> RowShelf:
    """A shelf of every item (recommendation rows of six items are short by design)."""
    profile = library.history.default_profile().id
    template = library.recommendations(profile)[0].items[0]
    ids = ids_by_title(library)
    items = [dataclasses.replace(template, item_id=i, title=t) for t, i in ids.items()]
    shelf = RowShelf(library, tasks)
    qtbot.addWidget(shelf)
    shelf.set_row("Everything", items, profile, fetch_cards(library, profile, ids.values()))
    shelf.resize(width, shelf.sizeHint().height())
    shelf.show()
    qtbot.waitExposed(shelf)
    return shelf


def test_a_shelf_has_no_scroll_bar_and_scrolls_sideways_with_the_wheel(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    shelf = _everything_shelf(qtbot, library, tasks, 420)  # narrower than the cards
    view = shelf.view
    bar = view.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    assert not bar.isVisible()
    assert view.frameShape() == QFrame.Shape.NoFrame  # no bordered box either
    assert bar.value() == 0

    def wheel(dx: int, dy: int, modifiers: Qt.KeyboardModifier) -> QWheelEvent:
        centre = QPointF(view.viewport().rect().center())
        return QWheelEvent(
            centre,
            QPointF(view.viewport().mapToGlobal(centre.toPoint())),
            QPoint(0, 0),
            QPoint(dx, dy),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )

    QApplication.sendEvent(view.viewport(), wheel(-120, 0, Qt.KeyboardModifier.NoModifier))
    assert bar.value() > 0  # a sideways wheel (or swipe) scrolls the shelf
    moved = bar.value()
    QApplication.sendEvent(view.viewport(), wheel(0, -120, Qt.KeyboardModifier.ShiftModifier))
    assert bar.value() > moved  # Shift+wheel too
    moved = bar.value()
    event = wheel(0, -120, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)
    assert bar.value() == moved and not event.isAccepted()  # a plain wheel scrolls the page

    # The arrow buttons show on hover and page through the shelf.
    shelf._hovered = True
    shelf._update_arrows()
    assert shelf.left.isVisible()
    before = bar.value()
    shelf.left.click()
    qtbot.waitUntil(lambda: bar.value() < before, timeout=5_000)


def _image(tmp_path: Path, name: str, size: tuple[int, int]) -> str:
    path = tmp_path / name
    make_jpeg(path, size=size, color=(40, 120, 200))
    return str(path)


@pytest.mark.parametrize(
    ("kind", "aspect"), [("podcast", 1.0), ("movie", 2 / 3), ("episode", 16 / 9)]
)
def test_art_is_cropped_to_the_kind_shape(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path, kind: str, aspect: float
) -> None:
    provider = ArtProvider.shared(library, tasks)
    size = art_size(kind)
    for source in ((300, 300), (400, 600), (640, 360)):  # square, portrait and wide sources
        art = Art(_image(tmp_path, f"{source[0]}x{source[1]}.jpg", source), "T", "S", kind)
        provider.pixmap(art, size, 2.0)  # asks for it
        qtbot.waitUntil(lambda art=art: provider.ready(art, size, 2.0), timeout=10_000)
        pixmap = provider.pixmap(art, size, 2.0)
        assert pixmap.devicePixelRatio() == 2.0
        assert pixmap.width() == size.width() * 2  # painted at the screen's pixel ratio
        assert pixmap.width() / pixmap.height() == pytest.approx(aspect, rel=0.02)
        # Cropped, not letterboxed: the corners are the art's colour, not bars.
        corner = QColor(pixmap.toImage().pixel(0, 0))
        assert abs(corner.blue() - 200) < 20 and abs(corner.red() - 40) < 20


def test_art_decoding_never_runs_on_the_ui_thread(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    provider = ArtProvider.shared(library, tasks)
    art = Art(_image(tmp_path, "big.jpg", (1200, 1200)), "T", "S", "podcast")
    first = provider.pixmap(art, art_size("podcast"), 1.0)  # returns at once: a placeholder
    assert not first.isNull()
    assert not provider.ready(art, art_size("podcast"), 1.0)
    qtbot.waitUntil(lambda: provider.ready(art, art_size("podcast"), 1.0), timeout=10_000)
    assert provider.decode_threads
    assert threading.main_thread().ident not in provider.decode_threads
    # Cached on disk by content and size: a second provider reads the small copy back.
    assert list(Path(library.data_dir, "art-cache").rglob("*.jpg"))


def test_generated_cover_is_deterministic_and_differs_between_shows(qtbot: QtBot) -> None:
    size = art_size("podcast")
    one = generated_cover("Episode 4", "Quiet Rooms", size)
    again = generated_cover("Episode 4", "Quiet Rooms", size)
    other = generated_cover("Episode 4", "Harbour Lights", size)
    assert one == again
    assert one != other
    names = [c.name() for c in cover_colors("Quiet Rooms")]
    assert names == [c.name() for c in cover_colors("quiet rooms ")]
    assert names != [c.name() for c in cover_colors("Harbour Lights")]
    # Never a grey glyph: saturated colours, and white text that reads on them.
    image = one.convertToFormat(QImage.Format.Format_RGB32)
    colours = [QColor(image.pixel(x, y)) for x in range(0, size.width(), 7) for y in (5, 100)]
    assert max(c.hslSaturation() for c in colours) > 60
    assert all(c.lightness() < 150 for c in cover_colors("Quiet Rooms"))
    cjk = generated_cover("黑暗中的旅程", "每日播客", size)  # titles without spaces still set
    assert not cjk.isNull()


def test_a_card_without_art_shows_a_generated_cover_not_a_grey_tile(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    shelf = _everything_shelf(qtbot, library, tasks, 1400)
    row = shelf.model.row_of(ids_by_title(library)["Jazz"])  # Jazz has no art
    rect = shelf.view.visualRect(shelf.model.index(row, 0))
    qtbot.waitUntil(lambda: shelf.model.index(row, 0).data(RowItemsModel.KindRole) is not None)
    qtbot.waitUntil(lambda: not rect.isEmpty())
    image = shelf.view.viewport().grab(rect).toImage()
    colours = [QColor(image.pixel(x, 40)) for x in range(10, min(150, image.width()), 10)]
    assert max(c.hslSaturation() for c in colours) > 60  # colour, not grey


def test_hover_buttons_play_and_open_the_menu(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    shelf = _everything_shelf(qtbot, library, tasks, 1400)
    view = shelf.view
    index = shelf.model.index(2, 0)
    rect = view.visualRect(index)
    delegate = shelf.delegate
    play, more = hover_buttons(art_rect(rect, delegate.art_size(index)))
    assert delegate.over_button(rect, index, play.center())
    assert not delegate.over_button(rect, index, rect.bottomLeft())  # the title: no button

    qtbot.mouseMove(view.viewport(), play.center())  # type: ignore[no-untyped-call]
    with qtbot.waitSignal(shelf.card_actions.playRequested, timeout=5_000) as played:
        qtbot.mouseClick(  # type: ignore[no-untyped-call]
            view.viewport(), Qt.MouseButton.LeftButton, pos=play.center()
        )
    assert played.args == [shelf.model.item_id(2)]

    with qtbot.assertNotEmitted(shelf.card_actions.playRequested):
        qtbot.mouseClick(  # type: ignore[no-untyped-call]
            view.viewport(), Qt.MouseButton.LeftButton, pos=more.center()
        )
    qtbot.waitUntil(shelf.card_actions.menu.isVisible, timeout=5_000)
    shelf.card_actions.menu.close()


def test_the_playing_card_is_marked(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    home, shelves = _two_shelves(qtbot, library, tasks)
    shelf = shelves[0]
    playing = shelf.model.item_id(0)
    home.set_playing(playing)
    looks = [shelf.delegate.look(shelf.model.index(r, 0)) for r in range(shelf.model.rowCount())]
    assert [look.playing for look in looks] == [True] + [False] * (len(looks) - 1)
    home.set_playing(None)
    assert not shelf.delegate.look(shelf.model.index(0, 0)).playing


def test_the_disk_cache_keeps_the_recently_used_within_its_size(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    provider = ArtProvider.shared(library, tasks)
    size = art_size("podcast")
    arts = [
        Art(_image(tmp_path, f"cover{n}.jpg", (300 + n, 300)), f"T{n}", "S", "podcast")
        for n in range(4)
    ]
    for art in arts:
        provider.pixmap(art, size, 1.0)
    qtbot.waitUntil(lambda: all(provider.ready(a, size, 1.0) for a in arts), timeout=10_000)
    cache = Path(library.data_dir, "art-cache")
    files = sorted(cache.glob("*/*.jpg"))
    assert len(files) == 4
    for age, path in enumerate(files):  # files[0] used most recently, files[3] longest ago
        os.utime(path, ns=(1_000_000_000 * (10_000 - age), 1_000_000_000 * (10_000 - age)))
    keep = sum(p.stat().st_size for p in files[:2])
    assert prune_cache(cache, keep) == 2
    assert sorted(cache.glob("*/*.jpg")) == files[:2]
    assert prune_cache(cache, keep) == 0


def test_cards_take_their_shape_when_details_arrive_later(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    profile = library.history.default_profile().id
    template = library.recommendations(profile)[0].items[0]
    ids = ids_by_title(library)
    items = [dataclasses.replace(template, item_id=i, title=t) for t, i in ids.items()]
    shelf = RowShelf(library, tasks)
    qtbot.addWidget(shelf)
    shelf.set_row("Later", items, profile, {})  # no details yet: read in the background
    shelf.resize(1400, 400)
    shelf.show()
    qtbot.waitExposed(shelf)
    first = shelf.model.index(0, 0)
    qtbot.waitUntil(lambda: first.data(RowItemsModel.KindRole) == "podcast", timeout=LOAD)
    card = card_size(card_art_size("podcast"), shelf.view.font())
    qtbot.waitUntil(lambda: shelf.view.visualRect(first).width() == card.width(), timeout=5_000)
    assert shelf.view.height() >= card.height()


def test_card_actions_say_played_for_audio_and_watched_for_video(qtbot: QtBot) -> None:
    # The Mark action is worded for the card it acts on, the way the Browse pages word theirs.
    model = QStandardItemModel()
    for item_id, title, kind in (
        (1, "An episode", "podcast"),
        (2, "A film", "movie"),
        (3, "A memo", "audio"),
        (4, "An episode of TV", "episode"),
    ):
        item = QStandardItem(title)
        item.setData(item_id, RowItemsModel.ItemIdRole)
        item.setData(kind, RowItemsModel.KindRole)
        model.appendRow(item)
    view = QListView()
    view.setModel(model)
    qtbot.addWidget(view)
    actions = CardActions(view)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    expected = {1: "Mark p&layed", 2: "Mark &watched", 3: "Mark p&layed", 4: "Mark &watched"}
    for row in range(model.rowCount()):
        view.setCurrentIndex(model.index(row, 0))
        actions.show_menu()
        qtbot.waitUntil(actions.menu.isVisible, timeout=5_000)
        texts = [a.text() for a in actions.menu.actions() if a.text()]
        assert expected[row + 1] in texts
        assert not ({"Mark p&layed", "Mark &watched"} - {expected[row + 1]}) & set(texts)
        with qtbot.waitSignal(actions.markWatchedRequested, timeout=5_000) as marked:
            actions.mark_watched_action.trigger()
        assert marked.args == [row + 1]
        actions.menu.hide()
        qtbot.waitUntil(lambda: not actions.menu.isVisible(), timeout=5_000)


# --- the hero band ------------------------------------------------------------------------------


def test_the_hero_is_not_repeated_in_the_shelves_below(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    ids = ids_by_title(library)
    profile = library.history.default_profile().id
    for title in ("Jazz", "Opera"):
        session = library.history.start_session(profile, ids[title])
        library.history.end_session(session, 600.0, 1800.0)
    home = loaded_home(qtbot, library, tasks)
    (row,) = [r for r in home.rows() if r.kind == "continue"]
    featured = row.items[0].item_id
    assert home.hero.item_id == featured and home.hero.isVisibleTo(home)
    # Its row goes on below it with the rest; no shelf shows the featured card again.
    continuing = home.model("continue")
    assert continuing is not None
    assert continuing.item_ids() == [i.item_id for i in row.items[1:]]
    for shelf in home.shelves():
        assert featured not in shelf.model.item_ids(), shelf.title


def test_the_hero_backdrop_is_a_wash_of_the_art_not_its_lettering(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    from desktop.views.home_hero import BACKDROP

    # A poster as real ones are: a dark field with its title in large white letters.
    poster = QImage(200, 300, QImage.Format.Format_RGB32)
    poster.fill(QColor("#102040"))
    painter = QPainter(poster)
    painter.fillRect(40, 130, 120, 40, QColor("white"))
    painter.end()
    path = tmp_path / "poster.png"
    assert poster.save(str(path))
    home = loaded_home(qtbot, library, tasks)
    jazz = ids_by_title(library)["Jazz"]
    card = fetch_cards(library, library.history.default_profile().id, [jazz])[jazz]
    lettered = dataclasses.replace(card, artwork=str(path), kind="movie")
    home.hero.set_item(jazz, "for-you", "For you", lettered)
    art = home.hero.art
    assert art is not None and art.path == str(path)
    assert home.hero.backdrop() is not None  # asks for it: decoded in the background
    qtbot.waitUntil(lambda: home.hero.art_provider.ready(art, BACKDROP, 1.0), timeout=LOAD)
    wash = home.hero.backdrop()
    assert wash is not None
    image = wash.toImage()
    lightest = max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width())
        for y in range(image.height())
    )
    # The white letters are averaged into the field's colour, not kept as a white streak.
    assert lightest < 200

    # A generated cover has no file: the band is a gradient of its colours, nothing stretched.
    plain = dataclasses.replace(card, artwork=None)
    home.hero.set_item(jazz, "for-you", "For you", plain)
    assert home.hero.backdrop() is None
