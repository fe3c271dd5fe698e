"""Three processes on one library while its files change: the app's worker (Library.start_watching,
the code path the desktop app runs), `reelcast watch`, and `reelcast index` in a loop.

Exactly one of them is the index writer at a time; the others queue their changes or refuse.
At the end the queue is drained, every item is embedded, `reelcast doctor` is clean, and no
document was embedded twice (an SQLite trigger records every embedding).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.library import Library
from tests.mediagen import audio_template, clone_with_tags
from tests.reliability.conftest import (
    REPO,
    cli,
    count,
    embedded_twice,
    install_embed_audit,
    wait_for,
)
from tests.textgen import description

# Enough churn that two unguarded writers overlap: without the lock this run embedded
# documents twice (checked by disabling the lock once; see docs/embeddings.md).
START = 24
ROUNDS = 3
NEW_PER_ROUND = 6
RETAGGED_PER_ROUND = 10

APP = """
import signal, sys, threading
from engine.library import Library

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
library = Library(sys.argv[1], workers=1)
library.start_watching(lambda s: print("status", s.state, s.writer_pid, flush=True))
stop.wait()
library.close()
print("closed", flush=True)
"""

STALE = (
    "SELECT count(*) FROM items i LEFT JOIN embed_state e ON e.item_id = i.id "
    "WHERE e.item_id IS NULL OR e.revision != i.revision"
)


class Output:
    """A child's output lines, read on a thread so the child never blocks on a full pipe."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def has(self, text: str) -> bool:
        with self._lock:
            return any(text in line for line in self.lines)


def _spawn(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.timeout(1200)  # four kinds of process loading the model; a hang still ends
def test_three_processes_one_writer(tmp_path: Path) -> None:
    rng = random.Random(11)
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    template = audio_template(seconds=0.2)
    serial = [0]

    def episode(n: int) -> Path:
        serial[0] += 1
        return clone_with_tags(
            template,
            folder / f"episode {n:03d}.mp3",
            title=f"Episode {n}",  # the same episode whenever it is re-tagged
            show="Three Processes",
            description=description(rng, n * 100 + serial[0]),
        )

    for n in range(START):
        episode(n)
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "podcast")
        library.update_settings(settle_seconds=0.2)
        library.scan()
    db = data / "library.sqlite3"
    install_embed_audit(db)

    app = _spawn([sys.executable, "-c", APP, str(data)])
    app_out = Output(app.stdout)
    watch: subprocess.Popen[str] | None = None
    stop_loop = threading.Event()
    runs: list[subprocess.CompletedProcess[str]] = []

    def index_loop() -> None:
        while not stop_loop.is_set():
            runs.append(cli(data, "index", "--json"))

    loop = threading.Thread(target=index_loop)
    try:
        wait_for(lambda: app_out.has("status idle"), "the app's worker to become the writer")
        watch = _spawn([sys.executable, "-m", "engine.cli", "--data-dir", str(data), "watch"])
        watch_out = Output(watch.stdout)
        wait_for(lambda: bool(watch_out.lines), "`reelcast watch` to start")
        loop.start()
        total = START
        for round_ in range(ROUNDS):
            if round_ == ROUNDS - 1:
                # An index run met the app's lock (and said so), however slowly runs start.
                wait_for(lambda: any(r.returncode == 1 for r in runs), "a refused index run")
                # The app quits: `reelcast watch` (or an index run) takes over the writing.
                app.send_signal(signal.SIGTERM)
                assert app.wait(timeout=300) == 0
                wait_for(lambda: watch_out.has("idle:"), "`reelcast watch` to take over")
            for n in rng.sample(range(total), RETAGGED_PER_ROUND):
                episode(n)  # re-tagged: a new document for the same item
            for n in range(total, total + NEW_PER_ROUND):
                episode(n)
            total += NEW_PER_ROUND
            wait_for(
                lambda: (
                    count(db, "SELECT count(*) FROM items") == total  # noqa: B023
                    and count(db, "SELECT count(*) FROM change_queue") == 0
                    and count(db, STALE) == 0
                ),
                f"round {round_}: every change scanned and embedded",
            )
    finally:
        stop_loop.set()
        if loop.is_alive():
            loop.join(timeout=600)
        for child in (app, watch):
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGTERM)
                child.wait(timeout=300)

    # What the library holds first: nothing embedded twice, everything consistent.
    assert embedded_twice(db) == []
    doctor = cli(data, "doctor", "--json")
    report = json.loads(doctor.stdout)
    assert doctor.returncode == 0, report
    assert report["queued_changes"] == 0 and report["items_waiting_for_embedding"] == 0
    # Then how: `reelcast watch` stood by while the app wrote, and took over when it quit;
    # each index run either indexed or refused, naming the writer.
    assert watch_out.has(f"Reelcast is indexing this library in process {app.pid}")
    assert any(run.returncode == 1 for run in runs)
    for run in runs:
        assert run.returncode in (0, 1), run.stdout + run.stderr
        if run.returncode == 1:
            assert json.loads(run.stdout)["indexing_elsewhere"] in (app.pid, watch.pid)
            assert "Reelcast is indexing this library in process" in run.stderr
