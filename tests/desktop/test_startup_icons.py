"""Icons are tinted from their widget's palette once it has settled, not at each of the palette
changes a widget goes through while the window is built and styled (the sidebar's five icons
were tinted six times at start-up), and they have their final colours when the window shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.appearance import apply_theme
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library


class _CountingWindow(MainWindow):
    tints = 0

    def _tint_sections(self) -> None:
        type(self).tints += 1
        super()._tint_sections()


def _colours(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> set[str]:
    image = icon.pixmap(20, mode).toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 60  # the stroke, not its anti-aliased edge
    }


def _near(found: set[str], wanted: QColor) -> bool:
    """Every stroke pixel within a few levels of `wanted` (anti-aliasing moves them a little;
    the pre-stylesheet tint is ~70 levels away)."""

    def close(name: str) -> bool:
        c = QColor(name)
        channels = ((c.red(), wanted.red()), (c.green(), wanted.green()), (c.blue(), wanted.blue()))
        return max(abs(a - b) for a, b in channels) <= 8

    return bool(found) and all(close(name) for name in found)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    apply_theme(qapp, "light")  # as the app starts: its stylesheet changes the palettes
    yield qapp
    apply_theme(qapp, "native")


def test_icons_are_tinted_once_the_window_is_styled(
    qtbot: QtBot, themed: QApplication, library: Library
) -> None:
    tasks = Tasks()
    _CountingWindow.tints = 0
    window = _CountingWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    try:
        window.show()
        # Before any event is processed (so before the first paint): final colours already.
        palette = window.sidebar.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        assert _near(_colours(window.sidebar.item(0).icon()), muted)
        button = window.settings_button
        text = button.palette().color(QPalette.ColorRole.ButtonText)
        assert _near(_colours(button.icon()), text)
        qtbot.waitExposed(window)
        QApplication.processEvents()
        # Once as built, once styled: not once per palette change.
        assert _CountingWindow.tints <= 2
    finally:
        window.close()
        tasks.wait()
