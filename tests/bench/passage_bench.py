"""Spoken-word search at scale: 10,000 episodes × 100 passages (1M passage vectors).

Vectors: real all-MiniLM-L6-v2 vectors of film and podcast texts (the eval harness's cached
5,850, else index_bench's 7,159), made into 10,000 episode centres (a real vector plus gaussian
noise, cosine ~0.9 to it) and 100 passages per episode (the centre plus noise, cosine ~0.7 to
it, ~0.5 between two passages of one episode). Queries: 200 real podcast episode texts
embedded by the app's embedder *inside* the timed loop, so each latency includes the query
embedding.

Baseline, same run, same vectors: exact search (float32 dot products over all 1M vectors in
numpy), which is also the ground truth for recall@10. Searches go through the app's own
`Snapshot.search` (one thread, segments merged) on usearch segments built as the index builds
them (`new_index`). Measured: one 1M segment vs four 250k segments ("per root"), search width
(usearch expansion_search), f16 vs i8 (at 200k: i8 loses recall already at 7k, index_bench).

The 1M vectors and the built segments are cached in --cache (default /tmp/reelcast-passage-bench):
building them takes most of the run on a 2-core machine; later runs load them.

Run: `make bench ARGS=passages` or `python -m tests.bench.passage_bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import psutil

from engine.store.passages import passage_key
from engine.store.vectors import Generation

if TYPE_CHECKING:
    from engine.embed.snapshot import Snapshot

# usearch is imported after the embedder has loaded (in run): onnxruntime imported after
# usearch's numkong crashes the process on this machine.
K = 10

EPISODES = 10_000
PER_EPISODE = 100
DIM = 384
CENTRE_NOISE = 0.5  # norm of the noise on a real vector: an episode's centre
PASSAGE_NOISE = 1.0  # norm of the noise on a centre: one passage
GOAL_P99_MS = 50.0
GOAL_RECALL = 0.95
DATA = Path("/work/shared/data")
CACHE = Path(tempfile.gettempdir()) / "reelcast-passage-bench"


def _unit(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def passage_vectors(cache: Path, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, vectors) of 1M passages, cached as .npy (memory-mapped when loaded)."""
    vec_path, key_path = cache / "passages-f32.npy", cache / "passages-keys.npy"
    if vec_path.exists() and key_path.exists():
        return np.load(key_path), np.load(vec_path, mmap_mode="r")
    rng = np.random.default_rng(7)
    centres = real[rng.integers(0, len(real), EPISODES)]
    centres = _unit(
        centres
        + rng.standard_normal(centres.shape).astype(np.float32) * (CENTRE_NOISE / np.sqrt(DIM))
    )
    out = np.lib.format.open_memmap(
        vec_path, mode="w+", dtype=np.float32, shape=(EPISODES * PER_EPISODE, DIM)
    )
    for start in range(0, EPISODES, 1000):
        block = np.repeat(centres[start : start + 1000], PER_EPISODE, axis=0)
        noise = rng.standard_normal(block.shape).astype(np.float32) * (PASSAGE_NOISE / np.sqrt(DIM))
        out[start * PER_EPISODE : (start + 1000) * PER_EPISODE] = _unit(block + noise)
    out.flush()
    keys = np.array(
        [passage_key(e + 1, n) for e in range(EPISODES) for n in range(PER_EPISODE)],
        dtype=np.uint64,
    )
    np.save(key_path, keys)
    return keys, np.load(vec_path, mmap_mode="r")


def real_vectors(embedder: Any) -> np.ndarray:
    """Real MiniLM vectors of film and podcast texts: the eval harness's cache when present
    (.bench/eval-embeddings-*.npz, 5,850 items), else index_bench's 7,159 texts embedded."""
    found = sorted(Path(".bench").glob("eval-embeddings-all-MiniLM-L6-v2*.npz"))
    if found:
        with np.load(found[-1], allow_pickle=False) as cached:
            return np.asarray(cached["vectors"], dtype=np.float32)
    from tests.bench.index_bench import real_embeddings

    return real_embeddings(Path(".bench"))


def query_texts(n: int) -> list[str]:
    texts = []
    with (DATA / "podcasts" / "in_our_time.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            episode = json.loads(line)
            text = str(episode.get("summary") or episode.get("description") or "")
            sentence = text.split(". ")[0].strip()
            if len(sentence) > 30:
                texts.append(sentence[:200])
    rng = np.random.default_rng(3)
    return [texts[i] for i in rng.choice(len(texts), size=min(n, len(texts)), replace=False)]


def _segments(
    cache: Path, keys: np.ndarray, vectors: np.ndarray, parts: int, dtype: str, note: list[str]
) -> list[tuple[str, str, int]]:
    """Build (or find cached) `parts` segment files; (file, checksum, size) each."""
    from engine.embed.segment_file import new_index, write_atomically

    manifest = cache / f"segments-{parts}-{dtype}.json"
    if manifest.exists():
        return [tuple(x) for x in json.loads(manifest.read_text())]  # type: ignore[misc]
    out = []
    bounds = np.linspace(0, len(keys), parts + 1, dtype=np.int64)
    started = time.perf_counter()
    for n in range(parts):
        lo, hi = int(bounds[n]), int(bounds[n + 1])
        index = new_index(DIM, dtype, "passages")
        for start in range(lo, hi, 50_000):
            stop = min(hi, start + 50_000)
            index.add(
                keys[start:stop], np.asarray(vectors[start:stop]), threads=os.cpu_count() or 1
            )
        written = write_atomically(cache, f"passages-{parts}x-{dtype}-{n}.usearch", index)
        out.append((written.file, written.checksum, hi - lo))
        del index
    note.append(
        f"built {parts} × {len(keys) // parts:,} {dtype} segment(s) in "
        f"{time.perf_counter() - started:.0f} s"
    )
    manifest.write_text(json.dumps(out))
    return out


def _snapshot(cache: Path, files: Sequence[tuple[str, str, int]], dtype: str) -> Snapshot:
    from engine.embed.segment_file import load_verified
    from engine.embed.snapshot import Segment, Snapshot

    segments = {}
    for n, (file, digest, size) in enumerate(files):
        index = load_verified(cache / file, digest, DIM, dtype)
        gen = Generation(
            n, "bench", "passages", f"root-{n}", file, digest, size, 0, dtype, "published", ""
        )
        segments[("passages", f"root-{n}")] = Segment(gen, index, 0)
    return Snapshot(segments, exact_below=10_000)


def _search_all(
    snapshot: Snapshot, embed: Any, texts: Sequence[str], width: int
) -> tuple[list[np.ndarray], list[float], list[float]]:
    for segment in snapshot.segments.values():
        segment.index.expansion_search = width
    found, total, embedding = [], [], []
    for text in texts:
        start = time.perf_counter()
        query = embed([text])[0]
        mid = time.perf_counter()
        hits = snapshot.search("passages", query, K)
        total.append(time.perf_counter() - start)
        embedding.append(mid - start)
        found.append(np.array([key for key, _ in hits], dtype=np.uint64))
    return found, total, embedding


class _Lines(list[str]):
    """The report's lines, also printed as they come when `echo` (a long run shows progress)."""

    def __init__(self, echo: bool) -> None:
        super().__init__()
        self.echo = echo

    def append(self, line: str) -> None:
        super().append(line)
        if self.echo:
            print(line, flush=True)

    def __iadd__(self, lines: Any) -> _Lines:  # type: ignore[override]
        for line in lines:
            self.append(line)
        return self


def ms(values: Sequence[float], q: float) -> str:
    return f"{float(np.quantile(values, q)) * 1000:.1f}"


def run(cache: str | Path | None = None, n_queries: int = 200, echo: bool = False) -> str:
    # onnxruntime loaded after usearch (numkong) crashes the process: load it first.
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401
    from engine.embed.embedder import make_embedder

    cache = Path(cache) if cache else CACHE
    embedder = make_embedder(None)
    embedder.load()
    from engine.embed.segment_file import new_index, write_atomically
    from engine.embed.snapshot import Segment, Snapshot
    from tests.bench.index_bench import recall, truth

    cache.mkdir(parents=True, exist_ok=True)
    texts = query_texts(n_queries)
    embedder.embed(texts[:5])  # warm up: first calls allocate
    notes: list[str] = []
    real = real_vectors(embedder)
    keys, vectors = passage_vectors(cache, real)
    process = psutil.Process()

    # Ground truth and the exact baseline, on float32 in numpy.
    queries = np.asarray(embedder.embed(texts), dtype=np.float32)
    data = np.ascontiguousarray(vectors)
    exact_t = []
    for q in queries[:20]:
        start = time.perf_counter()
        sims = data @ q
        top = np.argpartition(-sims, K)[:K]
        _ = top[np.argsort(-sims[top])]
        exact_t.append(time.perf_counter() - start)
    expected = keys[truth(data, queries)]
    del data

    lines: list[str] = _Lines(echo)
    lines += [
        "## Spoken-word search at scale (issue 14)",
        "",
        f"{EPISODES:,} episodes × {PER_EPISODE} passages = {len(keys):,} vectors ({DIM} dims), "
        f"from {len(real):,} real MiniLM vectors plus noise (see the module docstring); "
        f"{len(texts)} real query texts, each embedded inside the timed loop; one query thread; "
        f"{os.cpu_count()} CPUs.",
        "",
        f"Baseline (same run): exact f32 search in numpy, p50 {ms(exact_t, 0.5)} ms / p99 "
        f"{ms(exact_t, 0.99)} ms per query without embedding; it is the recall@10 ground truth.",
        "",
        "| layout | dtype | search width | recall@10 | p50 ms | p99 ms | of which embedding p50 "
        "| RSS +MB | files MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for parts, widths in ((1, (64, 256, 1024, 2048)), (4, (256, 2048))):
        files = _segments(cache, keys, vectors, parts, "f16", notes)
        before = process.memory_info().rss
        snapshot = _snapshot(cache, files, "f16")
        rss = (process.memory_info().rss - before) / 2**20
        size = sum((cache / f).stat().st_size for f, _, _ in files) / 2**20
        for width in widths:
            got, total, embedding = _search_all(snapshot, embedder.embed, texts, width)
            layout = "one segment" if parts == 1 else f"{parts} segments (per root)"
            lines.append(
                f"| {layout} | f16 | {width} | {recall(got, expected):.4f} | {ms(total, 0.5)} | "
                f"{ms(total, 0.99)} | {ms(embedding, 0.5)} | {rss:.0f} | {size:.0f} |"
            )
        del snapshot

    # f16 vs i8 at 200k (one root of 2,000 episodes).
    sub = 200_000
    sub_expected = keys[truth(np.ascontiguousarray(vectors[:sub]), queries)]
    lines += [
        "",
        "| 200k vectors | recall@10 | p50 ms | p99 ms | file MB |",
        "|---|---|---|---|---|",
    ]
    for dtype in ("f16", "i8"):
        index = new_index(DIM, dtype, "passages")
        index.add(keys[:sub], np.asarray(vectors[:sub]), threads=os.cpu_count() or 1)
        path = write_atomically(cache, f"sub-{dtype}.usearch", index)
        gen = Generation(
            0,
            "bench",
            "passages",
            "root-0",
            path.file,
            path.checksum,
            sub,
            0,
            dtype,
            "published",
            "",
        )
        snap = Snapshot({("passages", "root-0"): Segment(gen, index, 0)}, exact_below=10_000)
        got, total, _ = _search_all(snap, embedder.embed, texts, 64)
        lines.append(
            f"| {dtype} | {recall(got, sub_expected):.4f} | {ms(total, 0.5)} | {ms(total, 0.99)} | "
            f"{path.bytes / 2**20:.0f} |"
        )
        (cache / path.file).unlink()
    lines += ["", *[f"- {n}" for n in notes]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.passage_bench")
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    run(args.cache, args.queries, echo=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
