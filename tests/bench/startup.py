"""Start-up: from process start to the first paint of the main window with its library listed.

Runs the real `reelcast-desktop` with REELCAST_STARTUP_PROBE=1 (desktop/startup_probe.py) on a
prepared data dir of ~1,000 items, offscreen. Baseline, in the same run and measured the same
way: a bare PySide6 program that shows an empty QMainWindow. Runs alternate between the two so
that load from elsewhere on the machine hits both alike. docs/startup.md has the method.

    python -m tests.bench startup
    python -m tests.bench.startup --runs 5 --keep /tmp/reelcast-startup
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from engine.demo import make_demo_library
from engine.library import Library
from tests.mediagen import audio_template, clone_with_tags
from tests.textgen import description

ITEMS = 1_000

# The baseline: PySide6 and an empty window, reported by the same probe as the app.
BARE = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow
from desktop.startup_probe import install_probe

class Ready(QObject):
    populated = Signal()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 700)
ready = Ready()
probe = install_probe(app, window, ready.populated)
window.show()
ready.populated.emit()
sys.exit(app.exec())
"""


def prepare(base: Path, items: int = ITEMS) -> tuple[Path, int]:
    """A data dir with `items` scanned items: the demo library plus tagged MP3 clones.

    Returns the data dir and the number of items in it.
    """
    data = base / "data"
    marker = base / f".ready-{items}"
    if marker.exists():
        return data, int(marker.read_text())
    shutil.rmtree(base, ignore_errors=True)
    demo = make_demo_library(base / "demo")
    podcasts = base / "More Podcasts"
    rng = random.Random(5)
    template = audio_template(seconds=0.5)
    for n in range(items - demo.count):
        show = f"Generated Show {n // 50:02d}"
        folder = podcasts / show
        folder.mkdir(parents=True, exist_ok=True)
        clone_with_tags(
            template,
            folder / f"episode {n:04d}.mp3",
            title=f"Episode {n}",
            show=show,
            description=description(rng, n),
            date=f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        )
    with Library(data) as library:
        library.add_root(demo.podcasts, "podcast")
        library.add_root(demo.videos, "video")
        library.add_root(podcasts, "podcast")
        counts = library.scan()
        if counts.errors:
            raise RuntimeError(f"{counts.errors} files failed to scan")
        count = len(library.items())
    marker.write_text(str(count))
    return data, count


def _app_command(data: Path) -> list[str]:
    script = Path(sys.executable).with_name("reelcast-desktop")
    if script.exists():
        return [str(script), "--data-dir", str(data)]
    return [sys.executable, "-m", "desktop.app", "--data-dir", str(data)]


def measure(
    command: list[str], exit_timeout: float = 180.0, platform: str = "offscreen"
) -> dict[str, Any]:
    """Run `command` with the probe on; its JSON line plus the parent's spawn-to-line time.

    `platform` is Qt's platform plug-in: "offscreen", or "xcb" on the X server in $DISPLAY
    (e.g. `Xvfb :99 &` then DISPLAY=:99)."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform, REELCAST_STARTUP_PROBE="1")
    # An installed app has byte-code caches; the warm-up run writes them (.gitignored).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    result: dict[str, Any] | None = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("{"):
            result = json.loads(line)
            result["parent_seconds"] = time.monotonic() - started
            break
    line_at = time.monotonic()
    try:
        proc.wait(timeout=exit_timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if result is None:
        raise RuntimeError(f"{command[0]} exited with {proc.returncode} and no probe line")
    result["exit_seconds"] = time.monotonic() - line_at
    return result


def run(
    runs: int = 5, keep: str | None = None, platform: str = "offscreen", against: str | None = None
) -> str:
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="reelcast-startup-"))
    try:
        t0 = time.perf_counter()
        data, count = prepare(base)
        prep_s = time.perf_counter() - t0
        app_cmd = _app_command(data)
        bare_cmd = [sys.executable, "-c", BARE]
        # One unmeasured run each: byte-code caches and the page cache are warm afterwards.
        # Another source tree of the app (e.g. `git archive COMMIT | tar -x -C DIR`), started
        # from its folder so that its packages are the ones imported: before/after in one run.
        other_cmd = (
            [
                "/bin/sh",
                "-c",
                f'cd "{against}" && exec "{sys.executable}" -m desktop.app --data-dir "{data}"',
            ]
            if against
            else None
        )
        measure(bare_cmd, platform=platform)
        measure(app_cmd, platform=platform)
        if other_cmd:
            measure(other_cmd, platform=platform)
        apps: list[dict[str, Any]] = []
        bares: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        for _ in range(runs):
            bares.append(measure(bare_cmd, platform=platform))
            apps.append(measure(app_cmd, platform=platform))
            if other_cmd:
                others.append(measure(other_cmd, platform=platform))
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
    table = _table(apps, bares, count, prep_s, platform)
    if others:
        med = statistics.median
        other_s = med(r["seconds"] for r in others)
        bare_s = med(r["seconds"] for r in bares)
        other_cpu = med(r["cpu_seconds"] for r in others)
        heavy = sorted({m for r in others for m in r["heavy_modules"]})
        each = ", ".join(f"{r['seconds']:.3f}" for r in others)
        table += (
            f"\n\nthe tree in {against}, same run: {other_s:.3f} s "
            f"({other_s / bare_s:.2f}× the baseline), CPU {other_cpu:.3f} s, "
            f"modules {med(r['modules'] for r in others):.0f}, heavy modules at first paint: "
            f"{', '.join(heavy) if heavy else 'none'}; each run: {each}"
        )
    return table


def _table(
    apps: list[dict[str, Any]],
    bares: list[dict[str, Any]],
    count: int,
    prep_s: float,
    platform: str = "offscreen",
) -> str:
    med = statistics.median

    def each(results: list[dict[str, Any]], key: str) -> str:
        return ", ".join(f"{r[key]:.3f}" for r in results)

    app_s = med(r["seconds"] for r in apps)
    bare_s = med(r["seconds"] for r in bares)
    heavy = sorted({m for r in apps for m in r["heavy_modules"]})
    lines = [
        f"library: {count} items (prepared in {prep_s:.1f} s); runs: {len(apps)}, alternating "
        f"with the baseline after one warm-up each; clock: {apps[0]['clock']}; "
        f"platform: {platform}"
        + (f" (DISPLAY={os.environ.get('DISPLAY', '')})" if platform == "xcb" else ""),
        "",
        "| measure | median | each run (s) |",
        "| --- | --- | --- |",
        f"| reelcast-desktop: process start → first populated paint | {app_s:.3f} s | "
        f"{each(apps, 'seconds')} |",
        f"| bare PySide6 QMainWindow (baseline) | {bare_s:.3f} s | {each(bares, 'seconds')} |",
        f"| ratio app / baseline | {app_s / bare_s:.2f}× | |",
        f"| app, CPU time of all threads to first paint | "
        f"{med(r['cpu_seconds'] for r in apps):.3f} s | {each(apps, 'cpu_seconds')} |",
        f"| baseline, CPU time to first paint | "
        f"{med(r['cpu_seconds'] for r in bares):.3f} s | {each(bares, 'cpu_seconds')} |",
        f"| app, parent's clock (spawn → JSON line read) | "
        f"{med(r['parent_seconds'] for r in apps):.3f} s | {each(apps, 'parent_seconds')} |",
        f"| app, from the probe line to process exit | "
        f"{med(r['exit_seconds'] for r in apps):.3f} s | {each(apps, 'exit_seconds')} |",
        "",
        f"populated in every run: {all(r['populated'] for r in apps)}; "
        f"torch / sentence_transformers / transformers imported at first paint: "
        f"{', '.join(heavy) if heavy else 'none'}; "
        f"modules loaded at first paint: {med(r['modules'] for r in apps):.0f} "
        f"(baseline {med(r['modules'] for r in bares):.0f})",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.startup")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="prepare the library here and keep it for the next run")
    parser.add_argument(
        "--platform",
        default="offscreen",
        help="Qt platform plug-in: offscreen (default) or xcb (an X server in $DISPLAY, e.g. Xvfb)",
    )
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="also start the app from this source tree, alternately (before/after one change)",
    )
    args = parser.parse_args()
    print(run(args.runs, args.keep, args.platform, args.against))
    return 0


if __name__ == "__main__":
    sys.exit(main())
