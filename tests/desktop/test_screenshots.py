"""The main screens render offscreen to PNG files a reviewer can look at (not compared pixel by
pixel): every screen of `tests.screenshots` from the demo library in the light theme, and Home
and the film page in dark and in Chinese from the mixed library of real-looking files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from tests.screenshots import SCREENS, SIZE, render


def _check(path: Path) -> None:
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE, path.name
    # Not a blank frame: a real screen has many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, SIZE[0], 16) for y in range(0, SIZE[1], 16)}
    assert len(colours) > 20, path.name


def test_main_screens_render_to_png(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    paths = render(out, tmp_path / "work", libraries=["demo"], variants=["light"])
    assert [p.stem for p in paths] == [f"demo-{screen}-light" for screen in SCREENS]
    for path in paths:
        _check(path)
        assert path.stat().st_size < 400_000, path.name  # optimised: palette PNG


def test_mixed_library_renders_in_dark_and_chinese(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    paths = render(
        out,
        tmp_path / "work",
        libraries=["mixed"],
        variants=["dark", "zh_CN"],
        screens=["home", "film"],
    )
    assert [p.stem for p in paths] == [
        "mixed-home-dark",
        "mixed-film-dark",
        "mixed-home-zh_CN",
        "mixed-film-zh_CN",
    ]
    for path in paths:
        _check(path)
