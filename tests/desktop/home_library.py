"""Shared by the Home tests: a small scanned and embedded podcast library, Home loaded on
it, and shelves to click and paint."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.models.rows import fetch_cards
from desktop.tasks import Tasks
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


def build_library(tmp_path: Path) -> Library:
    """Six podcast episodes on distinct topics, scanned and embedded (one with cover art)."""
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
    return lib


def ids_by_title(library: Library) -> dict[str, int]:
    return {item["title"]: int(item["id"]) for item in library.items()}


def loaded_home(qtbot: QtBot, library: Library, tasks: Tasks) -> HomeView:
    profile = library.history.default_profile().id
    home = HomeView(library, tasks, lambda: profile)
    qtbot.addWidget(home)
    qtbot.waitUntil(lambda: home.model("for-you") is not None, timeout=LOAD)
    return home


def two_shelves(qtbot: QtBot, library: Library, tasks: Tasks) -> tuple[HomeView, list[RowShelf]]:
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


def everything_shelf(qtbot: QtBot, library: Library, tasks: Tasks, width: int) -> RowShelf:
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
