"""Helpers shared by the browse page tests: open a page on a library, pick a show, read titles."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.models.browse import ItemListModel
from desktop.models.show_list import ShowListModel
from desktop.tasks import Tasks
from desktop.views.browse_page import BrowsePage
from engine.library import Library

WAIT = 20_000  # ms


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
