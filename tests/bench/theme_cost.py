"""What Reelcast's look costs at start-up: the main window built and painted once, in fresh
processes, without the theme (the platform's style and palette), with the palette only, and with
the palette and the app stylesheet (`desktop.appearance.apply_theme(app, "system")`). CPU time
(process_time), so other load on the machine counts less; modes alternate, medians printed.

    python -m tests.bench.theme_cost [--runs 6]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop import appearance
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library
t0 = time.process_time()
if sys.argv[1] != "native":
    appearance.apply_theme(app, "system")
    if sys.argv[1] == "palette":
        app.setStyleSheet("")
t1 = time.process_time()
window = MainWindow(Library(sys.argv[2], workers=1), Tasks(), watch=False)
window.resize(1600, 1000)
window.show()
window.grab()  # one full paint
t2 = time.process_time()
print(json.dumps({"theme": t1 - t0, "window": t2 - t1}))
os._exit(0)
"""

MODES = ("native", "palette", "stylesheet")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.theme_cost")
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="reelcast-theme-")
    results: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    for _ in range(args.runs):
        for mode in MODES:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, mode, data],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=True,
            )
            line = [row for row in out.stdout.splitlines() if row.startswith("{")][-1]
            results[mode].append(json.loads(line))
    base = statistics.median(r["window"] for r in results["native"])
    print("| theme | apply_theme (CPU) | window built and painted (CPU) | vs native |")
    print("| --- | --- | --- | --- |")
    for mode, runs in results.items():
        theme = statistics.median(r["theme"] for r in runs) * 1000
        window = statistics.median(r["window"] for r in runs)
        print(f"| {mode} | {theme:.1f} ms | {window * 1000:.0f} ms | {window / base:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
