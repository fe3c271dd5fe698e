"""Recommendation latency on a 100k-item library: every home-screen row for a profile with 500
plays, and `Library.search` including the query's embedding. Model load and the first
(catalogue-loading) call are excluded; the catalogue view is cached after that.

With `--quality DIR` (a MovieLens-style split: items.jsonl, interactions.csv) it measures
quality instead: the product's For you row through `reelcast eval` in both modes, beside
baselines computed here in the same run on the same cases under the same strict time cut
(most-popular and co-occurrence item-kNN over the last 20 plays). `--ablation` adds one run
per removed signal. `--model` (a model setting, e.g. `package:use-multilingual-v3`) embeds
the catalogue with that model instead of the bundled one. Dev-split numbers are for reporting,
not a gate.

Vectors are synthetic (unit vectors around 300 topic centres, 384 dims, like MiniLM's) so the
library builds in about a minute; the recommender cannot tell them from real ones. The
bench runs the product's code: `Catalog`, `VectorStore`, the model's usearch index,
`HistorySql`, `Recommender.rows` and `Library.search`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from engine.library import Library
from engine.recommend.evaluate import (
    CUTOFF,
    MODES,
    ablation_variants,
    cases_in_time_order,
    hit_rate,
    ndcg,
    read_interactions,
    read_items,
    run_eval,
    sequences,
)
from engine.recommend.ranking import best_k
from engine.recommend.recommender import Recommender
from engine.store import Catalog
from engine.store.history_sql import HistorySql
from engine.store.vectors import VectorStore

WORDS = "space history cooking jazz war science love crime sport travel music art".split()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _build(library: Library, n: int, dim: int, model_id: str, rng: np.random.Generator) -> None:
    centres = rng.standard_normal((300, dim)).astype(np.float32)
    words = random.Random(5)
    with library.database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(b"/bench", "mixed")
        store = VectorStore(db)
        for start in range(0, n, 5_000):
            count = min(5_000, n - start)
            topic = rng.integers(0, len(centres), count)
            vectors = centres[topic] + 0.8 * rng.standard_normal((count, dim)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            for k in range(count):
                n_item = start + k
                title = " ".join(words.choice(WORDS) for _ in range(3))
                item_id = cat.insert_item(
                    {
                        "kind": "movie" if n_item % 3 else "episode",
                        "title": f"{title} {n_item}",
                        "year": 1950 + n_item % 75,
                        "genres": json.dumps([WORDS[n_item % len(WORDS)]]),
                        "language": "en" if n_item % 5 else "de",
                        "votes": int(rng.pareto(1.2) * 50),
                        "rating": float(rng.uniform(4, 9)),
                        "duration": float(rng.uniform(600, 9000)),
                    }
                )
                cat.insert_file(root.id, f"/bench/{n_item}.mkv".encode(), 1, 0, None, item_id, None)
                store.save(model_id, item_id, f"bench-{n_item}", vectors[k][None, :])


def run(items: int = 100_000, history: int = 500, repeats: int = 200) -> str:
    rng = np.random.default_rng(7)
    with (
        tempfile.TemporaryDirectory(prefix="reelcast-rec-bench-") as tmp,
        Library(Path(tmp) / "data", workers=1) as library,
    ):
        from engine.embed.embedder import make_embedder

        probe = make_embedder(None)
        started = time.monotonic()
        _build(library, items, probe.dim, probe.model_id, rng)
        built = time.monotonic() - started
        started = time.monotonic()
        active = library.model()  # loads the model and builds the index from SQLite
        indexed = time.monotonic() - started
        ids = library.item_ids()
        with library.database.write() as db:
            sql = HistorySql(db)
            profile = sql.default_profile().id
            played = rng.choice(ids, history, replace=False)
            sql.mark_watched_many(
                profile, [(int(i), 1.6e9 + 60.0 * n) for n, i in enumerate(played)]
            )
            for p in range(3):  # a household: three more profiles with their own plays
                other = sql.insert_profile(f"other {p}", "", [])
                sql.mark_watched_many(
                    other, [(int(i), 1.6e9) for i in rng.choice(ids, 300, replace=False)]
                )
        rec = Recommender(library.database, active.embedder, active.index)
        started = time.monotonic()
        rec.rows(profile)  # loads the catalogue view and the household
        first = time.monotonic() - started
        row_ms = []
        for _ in range(repeats):
            clock = time.perf_counter()
            rows = rec.rows(profile)
            row_ms.append((time.perf_counter() - clock) * 1000)
        search_ms = []
        words = random.Random(9)
        for _ in range(5):  # warm the model's first calls up
            library.search("warm up", 10)
        for _ in range(repeats):
            # Two common words and one rare (a title's number): both search paths do work.
            text = f"{words.choice(WORDS)} {words.choice(WORDS)} {words.randrange(items)}"
            clock = time.perf_counter()
            library.search(text, 10)
            search_ms.append((time.perf_counter() - clock) * 1000)
    lines = [
        f"{items:,} items, profile with {history} plays, 3 other profiles; "
        f"build {built:.0f} s, index {indexed:.0f} s, first rows call {first * 1000:.0f} ms",
        "",
        "| operation | p50 ms | p99 ms | target p99 |",
        "|---|---|---|---|",
        f"| all rows ({len(rows)} rows) | {statistics.median(row_ms):.1f} | "
        f"{_pct(row_ms, 99):.1f} | 20 |",
        f"| search incl. query embedding | {statistics.median(search_ms):.1f} | "
        f"{_pct(search_ms, 99):.1f} | 50 |",
    ]
    return "\n".join(lines)


# --- quality -----------------------------------------------------------------------------------

KNN_SEEDS = 20  # the baseline's item-kNN looks at the last 20 plays


def strict_baselines(data: Path) -> dict[str, tuple[float, float]]:
    """Most-popular and item-kNN (cosine over co-occurrence, summed over the last 20 plays) on
    the protocol's cases. Both see the other users' plays strictly before each case's target
    timestamp, added in time order; ties by item id."""
    catalogue = sorted(
        {str(it["id"]) for it in read_items(data / "items.jsonl")},
        key=lambda i: (0, int(i)) if i.isdigit() else (1, 0),
    )
    col = {item: n for n, item in enumerate(catalogue)}
    seqs = sequences(read_interactions(data / "interactions.csv"))
    plays = {u: [r for r in seq if r.item in col] for u, seq in seqs.items()}
    users = {u: n for n, u in enumerate(sorted(plays))}
    events = sorted((r.timestamp, users[u], col[r.item]) for u, seq in plays.items() for r in seq)
    matrix = np.zeros((len(users), len(col)), dtype=np.float32)
    everything = np.arange(len(col), dtype=np.int64)
    cursor = 0
    totals = {"popular": [0.0, 0.0], "itemknn": [0.0, 0.0]}
    cases = cases_in_time_order(plays)
    for case in cases:
        while cursor < len(events) and events[cursor][0] < case.at:
            _at, u, c = events[cursor]
            matrix[u, c] = 1.0
            cursor += 1
        own = matrix[users[case.user]]
        counts = matrix.sum(axis=0) - own
        seq = plays[case.user]
        history = np.asarray([col[r.item] for r in seq[: case.t]], dtype=np.int64)
        target = col[seq[case.t].item]
        seeds = history[-KNN_SEEDS:]
        co = matrix[:, seeds].T @ matrix - np.outer(own[seeds], own)
        norm = np.sqrt(np.maximum(counts[seeds], 1.0)[:, None] * np.maximum(counts, 1.0))
        for name, score in (
            ("popular", counts.astype(np.float64)),
            ("itemknn", (co / norm).sum(0)),
        ):
            score = score.astype(np.float64)
            score[history] = -np.inf
            ranked = best_k(everything, score, CUTOFF).tolist()
            totals[name][0] += hit_rate(ranked, target)
            totals[name][1] += ndcg(ranked, target)
    n = max(len(cases), 1)
    return {name: (hr / n, nd / n) for name, (hr, nd) in totals.items()}


def quality(
    data: Path,
    cache_dir: Path,
    ablation: bool = False,
    modes: tuple[str, ...] = MODES,
    model: str | None = None,
) -> str:
    from engine.embed.embedder import make_embedder

    embedder = make_embedder(model)  # one for every mode; its vectors are cached by model id
    started = time.monotonic()
    base = strict_baselines(data)
    base_seconds = time.monotonic() - started
    knn_hr, knn_ndcg = base["itemknn"]
    pop_hr, pop_ndcg = base["popular"]
    lines = [
        f"model {embedder.model_id}",
        f"baselines (strict time cut, computed here in {base_seconds:.0f} s): most-popular "
        f"{pop_hr:.4f} / {pop_ndcg:.4f}, item-kNN last {KNN_SEEDS} {knn_hr:.4f} / {knn_ndcg:.4f}",
        "",
        "| mode | removed | HR@10 | NDCG@10 | ÷ item-kNN (HR / NDCG) | p50 / p99 ms | wall s |",
        "|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for mode in modes:
        variants = ablation_variants(mode) if ablation else {}
        r = run_eval(
            data / "items.jsonl",
            data / "interactions.csv",
            mode,
            cache_dir=cache_dir,
            embedder=embedder,
            variants=variants,
        )
        rows = [("nothing", r.hr, r.ndcg, f"{r.latency_p50_ms:.1f} / {r.latency_p99_ms:.1f}")]
        rows += [(name, hr, nd, "") for name, (hr, nd) in r.variants.items()]
        for name, hr, nd, latency in rows:
            lines.append(
                f"| {mode} | {name} | {hr:.4f} | {nd:.4f} | "
                f"{hr / knn_hr:.2f}× / {nd / knn_ndcg:.2f}× | {latency} | "
                f"{r.seconds:.0f} |"
            )
            print(lines[-1], flush=True)
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--quality", type=Path, help="a split's folder: measure quality instead")
    parser.add_argument("--cache-dir", type=Path, default=Path(".bench"), help="embedding cache")
    parser.add_argument(
        "--ablation", action="store_true", help="with --quality: one run per signal"
    )
    parser.add_argument("--baselines-only", action="store_true", help="with --quality")
    parser.add_argument("--mode", action="append", choices=MODES, help="with --quality")
    parser.add_argument("--model", help="with --quality: a model setting; default: bundled")
    args = parser.parse_args()
    if args.quality is not None and args.baselines_only:
        print(strict_baselines(args.quality))
    elif args.quality is not None:
        quality(  # prints
            args.quality, args.cache_dir, args.ablation, tuple(args.mode or MODES), args.model
        )
    else:
        print(run(args.items, args.history, args.repeats))
