"""What hiding removed folders costs the Videos page and search, on a 100k-item library.

Items only in removed folders are left out of browsing and search by a correlated subquery that
runs only once some folder is removed. Baseline, in the same run on the same library: the same
queries with no removed folder (the clause is skipped). Then: one removed folder holding one
file (the clause on, nothing hidden), and a removed folder holding half the library.

    python -m tests.bench.identity_bench [--items 100000] [--repeats 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from engine.library import Library
from engine.store import Catalog
from engine.store.browse_sql import BrowseQuery
from engine.store.search_sql import SearchFilters
from tests.bench.recommend_bench import WORDS, _build

_DIM = 8


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm the page cache
    out = []
    for _ in range(repeats):
        clock = time.perf_counter()
        fn()
        out.append((time.perf_counter() - clock) * 1000)
    return statistics.median(out)


def _measure(library: Library, repeats: int) -> tuple[float, float, int]:
    films = BrowseQuery(section="films", sort="title")
    browse = _median_ms(lambda: library.browse(films), repeats)
    # Keyword search (no model loaded) for a word about 1 in 30 titles hold.
    search = _median_ms(lambda: library.search(WORDS[3], 20, SearchFilters()), repeats)
    return browse, search, len(library.browse(films))


def run(items: int = 100_000, repeats: int = 20) -> str:
    rng = np.random.default_rng(7)
    lines = [
        f"{items:,} items; medians of {repeats} runs, ms",
        "",
        "| removed folders | browse all films | keyword search | films listed |",
        "| --- | --- | --- | --- |",
    ]
    with (
        tempfile.TemporaryDirectory(prefix="reelcast-identity-bench-") as tmp,
        Library(Path(tmp) / "data", workers=1) as library,
    ):
        _build(library, items, _DIM, "bench@1", rng)
        cases = ["none (baseline)", "one, holding 1 file", "one, holding half the library"]
        for n, case in enumerate(cases):
            if n == 1:
                with library.database.write() as db:
                    cat = Catalog(db)
                    extra = cat.add_root(b"/bench-removed", "mixed")
                    item = cat.insert_item({"kind": "movie", "title": "gone"})
                    cat.insert_file(extra.id, b"/bench-removed/x.mkv", 1, 0, None, item, None)
                    cat.remove_root(extra.id)
            if n == 2:
                with library.database.write() as db:
                    # Half the items move to a second folder, which is then removed.
                    cat = Catalog(db)
                    half = cat.add_root(b"/bench-half", "mixed")
                    db.conn.execute(
                        "UPDATE files SET root_id = ? WHERE root_id = 1 AND id % 2 = 0",
                        (half.id,),
                    )
                    cat.remove_root(half.id)
            browse, search, listed = _measure(library, repeats)
            lines.append(f"| {case} | {browse:.1f} | {search:.1f} | {listed:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(run(args.items, args.repeats))


if __name__ == "__main__":
    main()
