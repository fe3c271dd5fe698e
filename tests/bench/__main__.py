"""`make bench`: every benchmark, or the ones named: `python -m tests.bench scan latency`.

Each prints a markdown table of medians beside a baseline measured in the same run; the latest
figures are copied into docs/benchmarks.md. Each module also runs alone with its own options
(`python -m tests.bench.index_bench --help`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from tests.bench import (
    browse_bench,
    corpus_bench,
    durability_bench,
    embed_bench,
    heartbeat_bench,
    index_bench,
    latency_bench,
    openvino_bench,
    passage_bench,
    recommend_bench,
    scan_bench,
    search_bench,
    segments_bench,
    soak,
    startup,
    transcribe_bench,
    zh_names_bench,
    zh_search_bench,
)

BENCHES: dict[str, Callable[[], str]] = {
    "scan": lambda: scan_bench.run(10_000, 1_000, 3, 5, None),
    "embed": lambda: embed_bench.everything(),
    "index": lambda: index_bench.run(),
    "latency": lambda: latency_bench.run(),
    "recommend": lambda: recommend_bench.run(),
    "search": lambda: search_bench.run(),
    "startup": lambda: startup.run(),
    "browse": lambda: browse_bench.run(),
    "heartbeat": lambda: heartbeat_bench.run(),
    "durability": lambda: durability_bench.run(),
    "corpus": lambda: corpus_bench.run(),
    "soak": lambda: soak.run(50),
    "passages": lambda: passage_bench.run(),
    # Needs `pip install openvino` (not a dependency); says so and skips without it.
    "openvino": lambda: openvino_bench.run(),
    # Chinese retrieval: the bundled model against the packaged multilingual one (issue 16).
    "zh_search": lambda: zh_search_bench.run(),
    # Chinese name search: a review sentence naming people finds the film (issue 16).
    "zh_names": lambda: zh_names_bench.run(),
    # Index segments per folder against per folder and language (issue 16).
    "segments": lambda: segments_bench.run(),
    # Transcription of LibriVox read speech against faster-whisper's defaults (issue 17).
    "transcribe": lambda: transcribe_bench.run(),
}
# Run only when named: the crash soak takes about 20 minutes.
# Spoken-word search at 1M passages builds its index once (many minutes on 2 cores), cached in
# the temp folder; run it by name too.
ON_REQUEST = {"soak", "passages"}


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("names", nargs="*", help=f"which to run: {', '.join(BENCHES)}")
    args = parser.parse_args()
    unknown = set(args.names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}")
    for name in args.names or [n for n in BENCHES if n not in ON_REQUEST]:
        started = time.monotonic()
        print(f"## {name}\n", flush=True)
        print(BENCHES[name](), flush=True)
        print(f"\n({name}: {time.monotonic() - started:.0f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
