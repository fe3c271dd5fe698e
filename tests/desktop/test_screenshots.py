"""The main screens render offscreen to PNG files a reviewer can look at (not compared pixel by
pixel): Home with rows, the Videos grid and the player, from the demo library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from tests.screenshots import SCREENS, SIZE, render


def test_main_screens_render_to_png(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    paths = render(out, tmp_path / "work")
    assert [p.stem for p in paths] == list(SCREENS)
    for path in paths:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE
        # Not a blank frame: a real screen has many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, SIZE[0], 16) for y in range(0, SIZE[1], 16)}
        assert len(colours) > 20, path.name
