"""The visual system applied (docs/design.md): the theme's palette is the design tokens, icons
are bundled and tinted, icon buttons are named, the detail page shows art at its own shape (a
generated cover where there is none, never a grey "Podcast" box), and a chapter plays from its
start through the player."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop import appearance, icons, theme
from desktop.art import cover_colors
from desktop.models.errors import when_text as errors_when_text
from desktop.models.formatting import date_time_text
from desktop.tasks import Tasks
from desktop.views.detail import DetailView
from desktop.views.detail_header import DETAIL_ART
from desktop.views.main_window import MainWindow
from engine.library import Library
from engine.recommend.reasons import Reason
from tests.mediagen import make_audio, make_jpeg, make_video

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


# --- detail page: warnings, reasons, history, dates, sidebar, layout ------------------------


HOSTILE_NFO = (
    '<?xml version="1.0"?>\n<!DOCTYPE movie [\n'
    + "\n".join(
        ['<!ENTITY lol0 "lol">']
        + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    )
    + "\n]>\n<movie><title>&lol9;</title></movie>"
)


LONG_TEXT = " ".join(["A walk along the canal from the lock to the old mill and back."] * 24)


@pytest.fixture
def mixed(library: Library, tmp_path: Path) -> dict[str, int]:
    """A film whose NFO is refused (a warning: the film is listed) and a podcast episode."""
    films = tmp_path / "Films"
    films.mkdir()
    make_video(films / "A Film (2019).mkv", seconds=0.5)
    (films / "A Film (2019).nfo").write_text(HOSTILE_NFO, encoding="utf-8")
    show = tmp_path / "Podcasts" / "Quiet Hours"
    show.mkdir(parents=True)
    make_audio(
        show / "ep.mp3",
        seconds=8.0,
        title="Long Walk",
        show="Quiet Hours",
        date="2024-01-05",
        description=LONG_TEXT,
    )
    library.add_root(films, "video")
    library.add_root(tmp_path / "Podcasts", "podcast")
    library.scan()
    return {str(i["title"]): int(i["id"]) for i in library.items()}


def _detail(qtbot: QtBot, library: Library, tasks: Tasks) -> DetailView:
    profile = library.history.default_profile().id
    view = DetailView(library, tasks, lambda: profile)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    return view


def _show(qtbot: QtBot, view: DetailView, item_id: int, reason: object = None) -> None:
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.show_item(item_id, reason)  # type: ignore[arg-type]


def test_detail_shows_the_items_warnings(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    view = _detail(qtbot, library, tasks)
    film = next(i for t, i in mixed.items() if t.startswith("A Film"))
    _show(qtbot, view, film)
    assert view.warnings.isVisibleTo(view)
    text = view.warnings.text.text()
    assert text.startswith("A Film (2019).nfo: Companion file ignored")  # file name first
    assert "entity bomb" in text  # the engine's reason for refusing it
    _show(qtbot, view, mixed["Long Walk"])
    assert not view.warnings.isVisibleTo(view)  # nothing was refused about this one


def test_detail_words_the_engines_reason(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    view = _detail(qtbot, library, tasks)
    why = Reason("because_watched", {"title": "Alien", "similarity": 0.81})
    _show(qtbot, view, mixed["Long Walk"], why)
    assert view.reason_label.text() == "Recommended: Because you watched Alien"
    assert view.reason_label.toolTip() == "Similarity 0.81"  # the number: tooltip only
    _show(qtbot, view, mixed["Long Walk"])  # opened from a Home card: no reason claimed
    assert view.reason_label.isHidden()


def test_detail_history_is_one_line_per_play_session(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    walk = mixed["Long Walk"]
    history = library.history
    profile = history.default_profile().id
    finished = history.start_session(profile, walk)
    history.end_session(finished, 8.0, 8.0)  # a "completed" and a "play" event: one line
    stopped = history.start_session(profile, walk)
    history.end_session(stopped, 3.0, 8.0)
    assert len(history.timeline(profile, 50, 0, item_id=walk)) == 3
    view = _detail(qtbot, library, tasks)
    _show(qtbot, view, walk)
    lines = [view.history_list.item(r).text() for r in range(view.history_list.count())]
    assert len(lines) == 2
    assert lines[0].startswith("Played · 0:03 of 0:08 — ")  # where it stopped, of how long
    assert lines[1].startswith("Finished · 0:08 — ")
    assert view.watched_button.accessibleName() == "Mark unplayed"  # a podcast is played

    # Removing the finished line removes its session's two events.
    view.history_list.setCurrentRow(1)
    with qtbot.waitSignals([view.historyChanged, view.loaded], timeout=WAIT):
        view.remove_button.click()
    assert [e["event"] for e in history.timeline(profile, 50, 0, item_id=walk)] == ["play"]
    assert view.watched_button.accessibleName() == "Mark played"

    with qtbot.waitSignals([view.historyChanged, view.loaded], timeout=WAIT):
        view.watched_button.click()
    assert view.history_list.item(0).text().startswith("Marked as played — ")
    assert view.watched_button.accessibleName() == "Mark unplayed"


@pytest.fixture
def c_locale() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale.c())
    yield
    QLocale.setDefault(before)


def test_dates_are_the_locales_medium_form(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int], c_locale: None
) -> None:
    moment = datetime(2025, 3, 4, 12, 59).astimezone()  # not today: "Today 12:59"
    # The C locale's short format read "4 03 2025 12:59".
    assert date_time_text(moment) == "4 Mar 2025, 12:59"
    assert errors_when_text(moment.isoformat()) == "4 Mar 2025, 12:59"  # the Problems panel
    history = library.history
    profile = history.default_profile().id
    history.mark_watched(profile, mixed["Long Walk"], at=moment)
    view = _detail(qtbot, library, tasks)
    _show(qtbot, view, mixed["Long Walk"])
    assert "5 Jan 2024" in view.subtitle_label.text()  # the episode's date
    assert view.history_list.item(0).text() == "Marked as played — 4 Mar 2025, 12:59"


def test_detail_sections_share_one_left_edge(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    library.history.mark_watched(library.history.default_profile().id, mixed["Long Walk"])
    view = _detail(qtbot, library, tasks)
    view.show()
    qtbot.waitExposed(view)
    _show(qtbot, view, mixed["Long Walk"])
    assert view.remove_button.isHidden()  # no entry selected: no action standing disabled
    view.history_list.setCurrentRow(0)
    assert view.remove_button.isVisible() and view.remove_button.isEnabled()
    content = view.scroll_area.widget()

    def left(widget: QWidget) -> int:
        return widget.mapTo(content, widget.rect().topLeft()).x()

    def text_left(label: QLabel) -> int:  # where the text starts, after the label's margin
        return left(label) + label.contentsRect().left() + label.margin()

    edge = text_left(view.description_label)
    # The description keeps every line (the page's layout had clipped the last one).
    description = view.description_label
    qtbot.waitUntil(lambda: description.width() > 0, timeout=WAIT)
    needed = description.heightForWidth(description.width())
    assert needed > 2 * description.fontMetrics().lineSpacing()  # it wraps
    assert description.height() >= needed
    assert text_left(view.similar.label) == edge  # More like this: not indented
    assert left(view.history_list) == edge
    # Remove sits on the list's left edge, under the entries (not far right).
    assert left(view.remove_button) == edge
    list_bottom = view.history_list.geometry().bottom()
    assert 0 <= view.remove_button.geometry().top() - list_bottom <= 8  # right under its entry
    assert view.history_list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert any(a.text() == "Remove from history" for a in view.history_list.actions())


def test_detail_backdrop_of_a_generated_cover_has_no_lettering(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    view = _detail(qtbot, library, tasks)
    view.show()
    qtbot.waitExposed(view)
    _show(qtbot, view, mixed["Long Walk"])
    art = view.hero.art
    assert art is not None and art.path is None  # a generated cover
    first, second = cover_colors(art.show or art.title)
    # The cover's gradient alone: no pixel lighter than its colours (the title is set in
    # white, and scaled up it smeared across the band).
    backdrop = view.hero.backdrop()
    assert backdrop is not None
    image = backdrop.toImage()
    light = max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width())
        for y in range(image.height())
    )
    assert light <= max(first.lightness(), second.lightness())


def test_sidebar_shows_the_section_of_the_detail_items_kind(
    qtbot: QtBot, library: Library, tasks: Tasks, mixed: dict[str, int]
) -> None:
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    window.show()
    film = next(i for t, i in mixed.items() if t.startswith("A Film"))
    # From Home (and from a podcast's page before it): the film's section, not the last one.
    window.go_to("podcasts")
    window.go_to("home")
    window.show_detail(film)
    qtbot.waitUntil(lambda: window.detail.details() is not None, timeout=WAIT)
    assert window.pages.currentWidget() is window.detail
    qtbot.waitUntil(lambda: window.current_section() == "videos", timeout=WAIT)
    assert [i.text() for i in window.sidebar.selectedItems()] == ["Videos"]
    window.go_back()
    assert window.pages.currentWidget() is window.home
    # Clicking the selected section leaves the detail page for it.
    window.show_detail(film)
    qtbot.waitUntil(lambda: window.current_section() == "videos", timeout=WAIT)
    videos = window.sidebar.item(1)
    rect = window.sidebar.visualItemRect(videos)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pages.currentWidget() is window.videos

    # Opened from a page that is not a section (the welcome page, the player): the same.
    window.pages.setCurrentWidget(window.welcome)
    window.show_detail(film)
    qtbot.waitUntil(lambda: window.detail.details() is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.current_section() == "videos", timeout=WAIT)
    window.go_back()
    window.close()
