"""Vector index benchmark on real MiniLM embeddings: dtype recall, exact-vs-HNSW crossover, scale.

Baseline, measured in the same run on the same vectors: exact (brute-force) search, which is
also the ground truth for recall@10 (float32 dot products in numpy).

Run alone: `python -m tests.bench.index_bench [--huge]` (1M vectors takes several minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import psutil

from engine.embed.index import DEFAULT_DTYPE
from engine.embed.segment_file import (
    CONNECTIVITY,
    EXPANSION_ADD,
    EXPANSION_SEARCH,
    load_verified,
    new_index,
    write_atomically,
)

DATA = Path("/work/shared/data")
K = 10
NOISE = 0.5  # norm of the gaussian noise added to a real vector to make a new one


def _texts() -> list[str]:
    texts = []
    with (DATA / "movielens-tmdb-dev" / "items.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            movie = json.loads(line)
            genres = ", ".join(movie.get("genres") or [])
            texts.append(f"{movie['title']} ({movie.get('year')}). {genres}. {movie['overview']}")
    for path in sorted((DATA / "podcasts").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                episode = json.loads(line)
                parts = [episode.get("summary"), episode.get("description")]
                texts.append(f"{episode['title']}. " + " ".join(p for p in parts if p))
    return texts


def real_embeddings(cache: Path) -> np.ndarray:
    """MiniLM embeddings of every movie overview and podcast episode, cached as .npy."""
    texts = _texts()
    target = cache / f"minilm-{len(texts)}.npy"
    if target.exists():
        return np.load(target)
    # The product's embedder (ONNX Runtime; the same vectors as sentence-transformers').
    from engine.embed.embedder import make_embedder

    matrix = make_embedder(None).embed(texts, 64)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(target, matrix)
    return matrix


def _normalise(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def grow(real: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` vectors: the real ones, then real ones plus gaussian noise."""
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    done = min(size, len(real))
    out[:done] = real[:done]
    step = 100_000
    while done < size:
        n = min(step, size - done)
        base = real[rng.integers(0, len(real), n)]
        noise = rng.standard_normal(base.shape).astype(np.float32) * (
            NOISE / np.sqrt(base.shape[1])
        )
        out[done : done + n] = _normalise(base + noise)
        done += n
    return out


def queries(real: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    base = real[rng.integers(0, len(real), n)]
    noise = rng.standard_normal(base.shape).astype(np.float32) * (0.3 / np.sqrt(base.shape[1]))
    return _normalise(base + noise)


def truth(data: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Exact top-K keys by float32 cosine (vectors are unit length), in blocks to bound memory."""
    out = np.empty((len(query), K), dtype=np.int64)
    for start in range(0, len(query), 50):
        sims = query[start : start + 50] @ data.T
        part = np.argpartition(-sims, K, axis=1)[:, :K]
        order = np.take_along_axis(sims, part, axis=1).argsort(axis=1)[:, ::-1]
        out[start : start + 50] = np.take_along_axis(part, order, axis=1)
    return out


def recall(index_keys: list[np.ndarray], expected: np.ndarray) -> float:
    hits = [
        len(set(got.tolist()) & set(want.tolist()))
        for got, want in zip(index_keys, expected, strict=True)
    ]
    return sum(hits) / (K * len(expected))


def build(data: np.ndarray, dtype: str) -> tuple[object, float]:
    index = new_index(data.shape[1], dtype)
    start = time.perf_counter()
    index.add(np.arange(len(data), dtype=np.uint64), data)
    return index, time.perf_counter() - start


def timed_search(
    index: object, query: np.ndarray, exact: bool
) -> tuple[list[np.ndarray], list[float]]:
    keys, times = [], []
    for vector in query:
        start = time.perf_counter()
        found = index.search(vector, K, exact=exact, threads=1)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        keys.append(np.asarray(found.keys))
    return keys, times


def ms(values: Sequence[float], q: float = 0.5) -> str:
    return f"{float(np.quantile(values, q)) * 1000:.3f}"


def dtype_recall(real: np.ndarray, query: np.ndarray) -> list[str]:
    lines = [
        f"### Recall@{K} by dtype, HNSW vs exact f32 "
        f"({len(real)} real vectors, {len(query)} queries)",
        "",
        "| dtype | recall@10 | HNSW p50 ms | exact p50 ms (baseline) | build s |",
        "|---|---|---|---|---|",
    ]
    expected = truth(real, query)
    for dtype in ("f32", "f16", "i8"):
        index, seconds = build(real, dtype)
        got, hnsw_t = timed_search(index, query, exact=False)
        _, exact_t = timed_search(index, query, exact=True)
        lines.append(
            f"| {dtype} | {recall(got, expected):.4f} | {ms(hnsw_t)} | {ms(exact_t)} "
            f"| {seconds:.2f} |"
        )
    return lines


def crossover(
    real: np.ndarray, query: np.ndarray, sizes: Sequence[int], rng: np.random.Generator
) -> list[str]:
    lines = [
        "",
        f"### Exact vs HNSW query latency ({DEFAULT_DTYPE}, 1 thread, median of {len(query)})",
        "",
        "| vectors | exact p50 ms (baseline) | HNSW p50 ms | HNSW recall@10 | exact recall@10 |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        data = grow(real, size, rng)
        expected = truth(data, query)
        index, _ = build(data, DEFAULT_DTYPE)
        hnsw_keys, hnsw_t = timed_search(index, query, exact=False)
        exact_keys, exact_t = timed_search(index, query, exact=True)
        lines.append(
            f"| {size:,} | {ms(exact_t)} | {ms(hnsw_t)} | {recall(hnsw_keys, expected):.4f} | "
            f"{recall(exact_keys, expected):.4f} |"
        )
    return lines


def scale(
    real: np.ndarray,
    query: np.ndarray,
    sizes: Sequence[int],
    dtype: str,
    rng: np.random.Generator,
    index_cache: Path | None = None,
    expansions: Sequence[int] = (),
) -> list[str]:
    lines = [
        "",
        f"### Scale ({dtype}, connectivity {CONNECTIVITY}, expansion_add {EXPANSION_ADD}, "
        f"expansion_search {EXPANSION_SEARCH}; build on all cores, queries on 1 thread)",
        "",
        "| vectors | build s | HNSW p50 / p99 ms | exact p50 ms (baseline) | recall@10 | "
        "RSS +MB (per 100k) | file MB | save+fsync s | verified load s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    sweep = [
        "",
        "expansion_search at query time (same index; the default in bold):",
        "",
        "| vectors | expansion_search | recall@10 | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    process = psutil.Process()
    for size in sizes:
        data = grow(real, size, rng)
        expected = truth(data, query)
        before = process.memory_info().rss
        cached = None
        if index_cache is not None:
            cached = index_cache / (
                f"index-{size}-{dtype}-c{CONNECTIVITY}-a{EXPANSION_ADD}-{len(real)}.usearch"
            )
        if cached is not None and cached.exists():
            index = new_index(data.shape[1], dtype)
            index.load(str(cached))
            seconds = float("nan")  # built in an earlier run
        else:
            index, seconds = build(data, dtype)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                index.save(str(cached))  # type: ignore[attr-defined]
        rss = (process.memory_info().rss - before) / 2**20
        got, hnsw_t = timed_search(index, query, exact=False)
        _, exact_t = timed_search(index, query[:20], exact=True)
        for width in sorted({*expansions, EXPANSION_SEARCH}):
            index.expansion_search = width  # type: ignore[attr-defined]
            keys, times = timed_search(index, query, exact=False)
            mark = "**" if width == EXPANSION_SEARCH else ""
            sweep.append(
                f"| {size:,} | {mark}{width}{mark} | {recall(keys, expected):.4f} | "
                f"{ms(times)} | {ms(times, 0.99)} |"
            )
        index.expansion_search = EXPANSION_SEARCH  # type: ignore[attr-defined]
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            written = write_atomically(Path(tmp), "bench.usearch", index)  # type: ignore[arg-type]
            saved = time.perf_counter() - start
            start = time.perf_counter()
            load_verified(Path(tmp) / written.file, written.checksum, data.shape[1], dtype)
            loaded = time.perf_counter() - start
        del index, data
        lines.append(
            f"| {size:,} | {seconds:.1f} | {ms(hnsw_t)} / {ms(hnsw_t, 0.99)} | {ms(exact_t)} | "
            f"{recall(got, expected):.4f} | {rss:.0f} ({rss * 100_000 / size:.0f}) | "
            f"{written.bytes / 2**20:.1f} | {saved:.2f} | {loaded:.2f} |"
        )
    return lines + (sweep if expansions else [])


def run(
    cache: str | Path = ".bench",
    crossover_sizes: Sequence[int] = (1_000, 5_000, 10_000, 20_000, 50_000),
    scale_sizes: Sequence[int] = (100_000,),
    huge: bool = False,
    n_queries: int = 200,
    dtype: str = DEFAULT_DTYPE,
    index_cache: str | Path | None = None,
    expansions: Sequence[int] = (64, 128, 256),
) -> str:
    rng = np.random.default_rng(42)
    start = time.perf_counter()
    real = real_embeddings(Path(cache))
    embed_s = time.perf_counter() - start
    query = queries(real, n_queries, rng)
    sizes = [*scale_sizes, *([1_000_000] if huge else [])]
    lines = [
        "## Vector index (usearch)",
        "",
        f"{len(real)} real MiniLM vectors (loaded/embedded in {embed_s:.1f} s); larger sets add "
        f"gaussian noise (norm {NOISE}) to real vectors. {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}.",
        "",
    ]
    lines += dtype_recall(real, query)
    lines += crossover(real, query, crossover_sizes, rng)
    cache_dir = Path(index_cache) if index_cache else None
    lines += scale(real, query, sizes, dtype, rng, cache_dir, expansions)
    return "\n".join(lines)


def _try_graph(connectivity: int | None, expansion_add: int | None) -> None:
    """Build this run's indexes with other HNSW settings than the app's (new_index reads them
    from segment_file at call time; this module's copies name the cached files)."""
    global CONNECTIVITY, EXPANSION_ADD
    from engine.embed import segment_file

    if connectivity:
        segment_file.CONNECTIVITY = CONNECTIVITY = connectivity
    if expansion_add:
        segment_file.EXPANSION_ADD = EXPANSION_ADD = expansion_add


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.index_bench")
    parser.add_argument("--cache", default=".bench", help="where the embeddings are cached")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000], help="scale sizes")
    parser.add_argument(
        "--crossover", type=int, nargs="*", default=[1_000, 5_000, 10_000, 20_000, 50_000]
    )
    parser.add_argument("--huge", action="store_true", help="also 1M vectors (minutes)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dtype", default=DEFAULT_DTYPE)
    parser.add_argument(
        "--index-cache",
        default=None,
        help="keep built scale indexes here (e.g. /tmp) and reuse them",
    )
    parser.add_argument("--expansions", type=int, nargs="*", default=[64, 128, 256])
    parser.add_argument(
        "--connectivity", type=int, help="HNSW graph degree to try (default: the app's)"
    )
    parser.add_argument(
        "--expansion-add", type=int, help="HNSW build width to try (default: the app's)"
    )
    args = parser.parse_args()
    _try_graph(args.connectivity, args.expansion_add)
    print(
        run(
            args.cache,
            args.crossover,
            args.sizes,
            args.huge,
            args.queries,
            args.dtype,
            args.index_cache,
            args.expansions,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
