"""Immediate mode: from a file being written to it showing up in search results.

Baseline, in the same run: embedding one document plus one search, the floor under any
pipeline; the rest is settling (a deliberate wait), reading the file, SQLite and publishing.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from engine.library import Library
from tests.mediagen import audio_template, clone_with_tags
from tests.textgen import description


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _wait_visible(library: Library, token: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = library.search(token, k=3)
        if any(h["keyword_rank"] == 1 and h["title"] == token for h in hits):
            return
        time.sleep(0.01)
    raise RuntimeError(f"{token} never became searchable")


def run(changes: int = 20, library_size: int = 500, settle: float = 0.5) -> str:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="reelcast-latency-") as tmp:
        folder = Path(tmp) / "Podcasts"
        folder.mkdir()
        template = audio_template(seconds=0.2)
        for n in range(library_size):
            clone_with_tags(
                template,
                folder / f"e{n}.mp3",
                title=f"Episode {n}",
                show="Bench",
                description=description(rng, n),
            )
        with Library(Path(tmp) / "data", workers=2) as library:
            library.update_settings(model_choice="user")  # the bundled model is measured
            library.add_root(folder, "podcast")
            library.scan()
            library.index_now()
            library.update_settings(settle_seconds=settle, index_mode="immediate")

            # The floor: embedding one document and one search, with nothing else around it.
            embedder = library.model().embedder
            baseline = []
            for n in range(changes):
                started = time.perf_counter()
                embedder.embed([description(rng, 20_000 + n)])
                library.search(f"Episode {n}", k=1)
                baseline.append(time.perf_counter() - started)

            library.start_watching()
            while not (library.model_ready and library.queued_changes() == 0):
                time.sleep(0.05)
            time.sleep(1.0)
            latencies = []
            for n in range(changes):
                token = f"Liveword{n}"
                started = time.perf_counter()
                clone_with_tags(
                    template,
                    folder / f"live{n}.mp3",
                    title=token,
                    show="Bench",
                    description=description(rng, 10_000 + n),
                )
                _wait_visible(library, token)
                latencies.append(time.perf_counter() - started)
            library.stop_watching()

    med = statistics.median
    return "\n".join(
        [
            f"library: {library_size} items; {changes} new files; settle time {settle} s",
            "",
            "| measure | median | p95 | baseline (same run) | ratio |",
            "| --- | --- | --- | --- | --- |",
            f"| file written → found by search (watcher, immediate mode) | {med(latencies):.2f} s "
            f"| {_p95(latencies):.2f} s | embed one text + one search: {med(baseline):.3f} s "
            f"| {med(latencies) / med(baseline):.1f}× |",
        ]
    )


if __name__ == "__main__":
    print(run())
