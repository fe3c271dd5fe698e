"""Art in the browse pages: table thumbnails cropped to their kind's shape, show-list rows alike
with art on every row, all decoded off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.art import Art, ArtProvider
from desktop.models.browse import TABLE_ART, ItemListModel, lettered, table_art_size
from desktop.models.show_list import ShowListModel
from desktop.tasks import Tasks
from desktop.views.browse_nav import ShowDelegate
from desktop.views.browse_page import BrowsePage
from engine.library import BrowseQuery, Library
from tests.desktop.browsing import WAIT, ids_by_title, nav_titles, open_page
from tests.mediagen import make_audio, make_jpeg, make_video

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
