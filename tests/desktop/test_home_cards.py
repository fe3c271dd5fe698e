"""Home's cards, their art (cropped, decoded off the UI thread, cached, generated when
missing), card actions and the hero band, against a real scanned and embedded library."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from desktop.art import Art, ArtProvider, art_size, cover_colors, generated_cover, prune_cache
from desktop.models.rows import RowItemsModel, fetch_cards
from desktop.tasks import Tasks
from desktop.views.cards import (
    CardActions,
    art_rect,
    card_art_size,
    card_size,
    hover_buttons,
)
from desktop.views.home import RowShelf
from engine.library import Library
from tests.desktop.home_library import (
    LOAD,
    build_library,
    everything_shelf,
    ids_by_title,
    loaded_home,
    two_shelves,
)
from tests.mediagen import make_jpeg


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = build_library(tmp_path)
    yield lib
    lib.close()


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
    shelf = everything_shelf(qtbot, library, tasks, 1400)
    row = shelf.model.row_of(ids_by_title(library)["Jazz"])  # Jazz has no art
    rect = shelf.view.visualRect(shelf.model.index(row, 0))
    qtbot.waitUntil(lambda: shelf.model.index(row, 0).data(RowItemsModel.KindRole) is not None)
    qtbot.waitUntil(lambda: not rect.isEmpty())
    image = shelf.view.viewport().grab(rect).toImage()
    colours = [QColor(image.pixel(x, 40)) for x in range(10, min(150, image.width()), 10)]
    assert max(c.hslSaturation() for c in colours) > 60  # colour, not grey


def test_hover_buttons_play_and_open_the_menu(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    shelf = everything_shelf(qtbot, library, tasks, 1400)
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
    home, shelves = two_shelves(qtbot, library, tasks)
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
