"""UI responsiveness: how long the window's thread goes without running its event loop while a
library is scanned and indexed in the background (replaces the heartbeat *test*, which failed
on loaded machines: a duration is a measurement, not a pass/fail condition).

A 10 ms timer on the UI thread records when it fires; a gap is how long a click or a repaint
would have waited. The window does what a first run does: the scan with its progress, the
worker's embedding pass (the model in a child process, as the app runs it) with its status
reports, and the page refreshes that follow; then (issue 17) a folder of generated spoken
episodes is added and opted in to transcription, and the gaps are measured from the opt-in
until every episode is transcribed (the worker thread listens in this process). Baseline, in
the same run: the same timer in the same window while nothing happens, for as many beats; it
shows what the timer and the machine's load alone cost. Where engine calls run is a test
(tests/desktop/test_ui_thread.py).

    python -m tests.bench heartbeat
    python -m tests.bench.heartbeat_bench --items 5000
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.mediagen import audio_template, clone_with_tags
from tests.speechgen import make_spoken_episode
from tests.textgen import description

WAIT_S = 3_600.0  # embedding thousands of items takes minutes on 2 cores


def _make_folder(root: Path, items: int) -> None:
    rng = random.Random(5)
    template = audio_template(0.2)
    for n in range(items):
        show = root / f"Show {n % 50:02d}"
        show.mkdir(parents=True, exist_ok=True)
        clone_with_tags(
            template,
            show / f"{n:05d}.mp3",
            title=f"Episode {n}",
            show=show.name,
            description=description(rng, n),
        )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# Written for this benchmark: what the spoken episodes say (about a minute each).
TALK = [
    "This is a short talk about the history of the bicycle and the people who rode the first ones.",
    "Early machines had no pedals at all, and riders pushed themselves along with their feet.",
    "Later a large front wheel made every turn of the pedals carry the rider much further.",
    "Falls were common, so the safety bicycle with two equal wheels and a chain took over.",
    "Air filled tyres made the ride smooth enough for long trips on country roads.",
    "Clubs formed in many towns, and cyclists asked for better roads long before cars did.",
    "Today the same basic design carries millions of people to work every morning.",
]


def run(items: int = 2_000, spoken: int = 3) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.tasks import Tasks
    from desktop.views.main_window import MainWindow
    from engine.library import Library

    app = QApplication.instance() or QApplication([sys.argv[0]])
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.monotonic()))

    def pump_until(condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError("the library never finished indexing")
            app.processEvents()
            time.sleep(0.002)

    def gaps() -> list[float]:
        return [b - a for a, b in itertools.pairwise(beats)]

    with tempfile.TemporaryDirectory(prefix="reelcast-heartbeat-") as tmp:
        folder = Path(tmp) / "Podcasts"
        started = time.perf_counter()
        _make_folder(folder, items)
        made_s = time.perf_counter() - started
        library = Library(Path(tmp) / "data", workers=1, embed_in_child=True)
        tasks = Tasks()
        window = MainWindow(library, tasks, watch=True)
        try:
            window.show()
            gc.collect()
            gc.freeze()  # as desktop/app.py does after start-up
            pump_until(lambda: window.isVisible())

            def indexed_count() -> int:
                return library.model().index.count("items") if library.model_ready else 0

            def talk_ids(talk: Path) -> list[int]:
                return [
                    int(i["id"]) for i in library.items() if str(i["path"]).startswith(str(talk))
                ]

            def indexed() -> bool:
                status = library.indexing_status()
                embedded = library.model().index.count("items") if library.model_ready else 0
                return status is not None and status.worker.state == "idle" and embedded == items

            # The run: from adding the folder to the last refresh after the index is done.
            timer.start()
            run_started = time.monotonic()
            window.add_folder(str(folder), "podcast")
            pump_until(indexed)
            settle = time.monotonic() + 0.5  # the refreshes that follow the last report
            pump_until(lambda: time.monotonic() > settle)
            timer.stop()
            run_s = time.monotonic() - run_started
            busy = gaps()

            # Transcription (issue 17): spoken episodes in a second folder, opted in; from the
            # opt-in until every episode has its outcome (the worker listens when idle).
            listening: list[float] = []
            if spoken and library.transcription_available():
                talk = Path(tmp) / "Talk"
                for n in range(spoken):
                    make_spoken_episode(talk / f"{n}.mp3", TALK, title=f"Talk {n}", show="Talk")
                window.add_folder(str(talk), "podcast")
                pump_until(lambda: indexed_count() == items + spoken)
                root = next(r for r in library.roots() if Path(r.path) == talk)
                beats.clear()
                timer.start()
                listen_started = time.monotonic()
                library.set_transcribing(root.id, True)
                pump_until(lambda: all(library.transcript(i) for i in talk_ids(talk)))
                timer.stop()
                listen_s = time.monotonic() - listen_started
                listening = gaps()

            # Baseline: the same window and timer, nothing happening, as many beats.
            beats.clear()
            timer.start()
            pump_until(lambda: len(beats) > max(len(busy), len(listening)))
            timer.stop()
            idle = gaps()
        finally:
            window.close()
            tasks.wait()
            library.close()
            gc.unfreeze()

    def row(name: str, values: list[float]) -> str:
        over = sum(1 for g in values if g > 0.1)
        return (
            f"| {name} | {statistics.median(values) * 1000:.1f} ms | "
            f"{_pct(values, 0.99) * 1000:.1f} ms | {max(values) * 1000:.0f} ms | {over} | "
            f"{len(values)} |"
        )

    return "\n".join(
        [
            f"library: {items} tagged MP3s (made in {made_s:.0f} s); scan + embedding (model in "
            f"a child process) + refreshes took {run_s:.0f} s; timer interval 10 ms",
            "",
            "| UI-thread timer gaps | median | p99 | worst | gaps > 100 ms | gaps |",
            "| --- | --- | --- | --- | --- | --- |",
            row("while scanning and indexing", busy),
            *(
                [row(f"while transcribing {spoken} spoken episodes ({listen_s:.0f} s)", listening)]
                if listening
                else []
            ),
            row("baseline: same window idle (same run)", idle),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.heartbeat_bench")
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--spoken", type=int, default=3, help="spoken episodes to transcribe")
    args = parser.parse_args()
    print(run(args.items, args.spoken))
    return 0


if __name__ == "__main__":
    sys.exit(main())
