"""Builds the Windows icon (build/windows/reelcast.ico) from the committed PNGs, with Pillow.

The installer (packaging/windows/reelcast.iss) uses it as Setup's icon; the shortcuts show the
icon of reelcast-desktop.exe itself. Run from anywhere: `python packaging/windows/make_ico.py`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
# The sizes Windows asks for in Explorer, the taskbar and the Start menu.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def largest_png(folder: Path) -> Path:
    """The biggest reelcast-<size>.png: every smaller ICO size is downscaled from it."""
    pngs = sorted(folder.glob("reelcast-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pngs:
        raise SystemExit(f"no reelcast-<size>.png in {folder}")
    return pngs[-1]


def make_ico(source: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        rgba = image.convert("RGBA")
        sizes = [(s, s) for s in ICO_SIZES if s <= max(rgba.size)]
        rgba.save(out, format="ICO", sizes=sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "windows" / "reelcast.ico")
    args = parser.parse_args(argv)
    source = largest_png(ICONS)
    make_ico(source, args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
