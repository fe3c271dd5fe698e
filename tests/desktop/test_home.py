"""The home screen against a real scanned and embedded library: rows, cards, card actions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import (
    QImage,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame
from pytestqt.qtbot import QtBot

from desktop import reasons
from desktop.models.rows import RowItemsModel, fetch_cards, plain_reason, rich_reason
from desktop.tasks import Tasks
from desktop.views.home import HomeView
from engine.library import Library
from tests.desktop.home_library import (
    LOAD,
    TOPICS,
    build_library,
    everything_shelf,
    ids_by_title,
    loaded_home,
    two_shelves,
)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = build_library(tmp_path)
    yield lib
    lib.close()


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


def test_one_selection_across_the_whole_page(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    home, shelves = two_shelves(qtbot, library, tasks)
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


def test_a_shelf_has_no_scroll_bar_and_scrolls_sideways_with_the_wheel(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    shelf = everything_shelf(qtbot, library, tasks, 420)  # narrower than the cards
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
