"""The visual system applied (docs/design.md): the theme's palette is the design tokens, icons
are bundled and tinted, icon buttons are named, the detail page shows art at its own shape (a
generated cover where there is none, never a grey "Podcast" box), and a chapter plays from its
start through the player."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QToolButton
from pytestqt.qtbot import QtBot

from desktop import appearance, icons, theme
from desktop.tasks import Tasks
from desktop.views.detail import DetailView
from desktop.views.detail_header import DETAIL_ART
from desktop.views.main_window import MainWindow
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg

WAIT = 30_000

# --- theme ----------------------------------------------------------------------------------


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    appearance.apply_theme(app, "native")


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_palette_is_the_design_tokens(themed: QApplication, name: str) -> None:
    appearance.apply_theme(themed, name)
    colors = theme.colors_for(name == "dark")
    palette = QApplication.palette()
    Role = QPalette.ColorRole
    for role, token in (
        (Role.Window, colors.window),
        (Role.WindowText, colors.text),
        (Role.Base, colors.surface),
        (Role.Text, colors.text),
        (Role.Button, colors.surface_raised),
        (Role.PlaceholderText, colors.text_muted),
        (Role.HighlightedText, colors.text),  # selection is the faint accent, text stays
        (Role.Accent, colors.accent),
        (Role.ToolTipBase, colors.tooltip),
    ):
        assert palette.color(role) == QColor(token), role
    assert palette.color(QPalette.ColorGroup.Disabled, Role.Text) == QColor(colors.text_disabled)
    highlight, accent, surface = (
        palette.color(Role.Highlight),
        QColor(colors.accent),
        QColor(colors.surface),
    )
    assert highlight != surface and highlight != accent  # between the two: the accent, faint
    assert abs(highlight.hueF() - accent.hueF()) < 0.05
    sheet = themed.styleSheet()
    focus = QColor(colors.focus_ring)
    ring = f"2px solid rgba({focus.red()}, {focus.green()}, {focus.blue()}, 255)"
    assert ring in sheet  # the focus ring is strong: 2 px of its own colour
    assert "QToolTip" in sheet and "QScrollBar" in sheet and "#sections" in sheet
    assert appearance.current_colors(themed) == colors


# --- icons ----------------------------------------------------------------------------------


def test_bundled_icons_render_tinted_and_carry_their_licence(qapp: QApplication) -> None:
    folder = icons.icon_dir()
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "ISC License" in licence
    for name in ("house", "clapperboard", "podcast", "search", "history", "settings", "play"):
        assert name in icons.icon_names()
    pixmap = icons.pixmap("play", "#ff0000", 24, 2.0)
    assert pixmap.size() == QSize(48, 48)  # sharp at the screen's pixel ratio
    image = pixmap.toImage()
    drawn = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert drawn and all(c.red() == 255 and c.green() == 0 and c.blue() == 0 for c in drawn)


def test_icon_buttons_are_named_and_have_tooltips(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    buttons = [*window.detail.findChildren(QToolButton), window.settings_button]
    assert len(buttons) >= 4
    for button in buttons:
        assert isinstance(button, QAbstractButton)
        assert button.accessibleName() or button.text(), button
        if not button.text():  # icon only: the tooltip says what it does
            assert button.toolTip(), button.accessibleName()
        assert not button.icon().isNull(), button.accessibleName()
    for row in range(window.sidebar.count()):
        assert not window.sidebar.item(row).icon().isNull()


# --- detail page ----------------------------------------------------------------------------


@pytest.fixture
def media(library: Library, tmp_path: Path) -> dict[str, int]:
    shows = tmp_path / "Podcasts" / "Quiet Hours"
    shows.mkdir(parents=True)
    make_audio(
        shows / "chapters.mp3",
        seconds=8.0,
        title="Three Parts",
        show="Quiet Hours",
        podcast=True,
        chapters=[(0.0, 3.0, "One"), (3.0, 6.0, "Two"), (6.0, 8.0, "Three")],
    )
    make_audio(shows / "plain.mp3", seconds=1.0, title="No Cover Here", show="Quiet Hours")
    covered = tmp_path / "Podcasts" / "Covered"
    covered.mkdir()
    make_audio(
        covered / "art.mp3",
        seconds=1.0,
        title="With A Cover",
        show="Covered",
        cover=make_jpeg(None, (300, 300), (20, 160, 90)),
    )
    library.add_root(tmp_path / "Podcasts", "podcast")
    library.scan()
    return {str(i["title"]): int(i["id"]) for i in library.items()}


def _distinct_colours(image: QImage) -> int:
    step = max(1, image.width() // 24)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_detail_shows_art_at_its_shape_or_a_generated_cover(
    qtbot: QtBot, library: Library, tasks: Tasks, media: dict[str, int]
) -> None:
    view = DetailView(library, tasks)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    for title in ("No Cover Here", "With A Cover"):
        with qtbot.waitSignal(view.loaded, timeout=WAIT):
            view.show_item(media[title])
        art = view.artwork.art
        assert art is not None
        assert view.artwork.size() == DETAIL_ART["square"]  # a podcast's art is square
        assert view.artwork.text() == ""  # never the word "Podcast" in a grey box
        size, dpr = view.artwork.size(), view.artwork.devicePixelRatioF()
        qtbot.waitUntil(lambda a=art, s=size, d=dpr: view.art_provider.ready(a, s, d), timeout=WAIT)
        image = view.art_provider.pixmap(art, size, dpr).toImage()
        assert not image.isNull()
        if title == "With A Cover":
            assert art.path  # the embedded cover, not a generated one
            centre = image.pixelColor(image.width() // 2, image.height() // 2)
            assert centre.green() > centre.red() + 60  # the cover's green
        else:
            assert art.path is None
            assert _distinct_colours(image) > 8  # a drawn cover (gradient, title), not a flat tile


def test_a_chapter_click_plays_from_its_start(
    qtbot: QtBot, library: Library, tasks: Tasks, media: dict[str, int]
) -> None:
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    window.show()
    window.show_detail(media["Three Parts"])
    qtbot.waitUntil(lambda: window.detail.details() is not None, timeout=WAIT)
    chapters = window.detail.chapters
    assert chapters.count() == 3 and chapters.isVisibleTo(window.detail)
    assert chapters.item(1).text().endswith("Two")
    rect = chapters.visualItemRect(chapters.item(2))
    qtbot.mouseClick(chapters.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    player = window.player
    assert player is not None
    qtbot.waitUntil(
        lambda: player.item_id == media["Three Parts"] and player.media.position() >= 5_900,
        timeout=WAIT,
    )
    window.close()
