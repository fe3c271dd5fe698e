"""Embedding throughput and agreement of each CPU backend, on documents built from real texts.

Items come from the development data in shared/ (podcast episodes and TMDB movie overviews),
turned into documents by ``engine.embed.documents.build_document``; every chunk is embedded, so
items/s counts whole items. Measured in the same run:

- baseline: a plain ``SentenceTransformer(path).encode(chunks)``;
- ``SentenceTransformerEmbedder`` (what Reelcast ships);
- torch int8 dynamic quantisation of the Linear layers;
- ``OnnxEmbedder`` on the bundled model's ONNX export (what the installers ship), fp32 and
  int8 (dynamic quantisation);
- sentence-transformers ``backend="onnx"`` / ``"openvino"`` when their extras are installed.

Agreement is recall@10 of each backend's item vectors against the fp32 baseline's exact search.
A backend whose packages are missing is skipped with a note. Nothing is downloaded: the ONNX
export is made from the bundled model's local files into a temporary folder.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.documents import Document, build_document, item_vector
from engine.embed.embedder import SentenceTransformerEmbedder, bundled_model_path, force_offline

DATA = Path(os.environ.get("REELCAST_SHARED_DATA", "/work/shared/data"))
MAX_TOKENS = 256

Encode = Callable[[list[str]], np.ndarray]


# --- data -------------------------------------------------------------------------------------


def _year(date: str | None) -> int | None:
    tail = (date or "")[-4:]
    return int(tail) if tail.isdigit() else None


def load_items() -> list[dict[str, Any]]:
    """Item dicts shaped like ``Catalog.item()`` from the podcast and movie development data."""
    items: list[dict[str, Any]] = []
    base = {"chapters": [], "lyrics": None, "subtitles": None, "language": None, "genres": []}
    iot = DATA / "podcasts" / "in_our_time.jsonl"
    for n, line in enumerate(iot.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        items.append(
            base
            | {
                "id": 1_000_000 + n,
                "kind": "episode",
                "title": row.get("title"),
                "show": "In Our Time",
                "show_description": "Melvyn Bragg and guests discuss the history of ideas.",
                "description": row.get("description") or row.get("summary"),
                "people": row.get("guests") or [],
                "year": _year(row.get("date")),
            }
        )
    nyf = DATA / "podcasts" / "new_yorker_fiction.jsonl"
    for n, line in enumerate(nyf.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        items.append(
            base
            | {
                "id": 2_000_000 + n,
                "kind": "episode",
                "title": row.get("title"),
                "show": "The New Yorker: Fiction",
                "show_description": None,
                "description": row.get("summary"),
                "people": [p for p in (row.get("writer"), row.get("reader")) if p],
                "year": _year(row.get("date")),
            }
        )
    movies = DATA / "movielens-tmdb-dev" / "items.jsonl"
    for line in movies.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        items.append(
            base
            | {
                "id": int(row["id"]),
                "kind": "movie",
                "title": row.get("title"),
                "show": None,
                "show_description": None,
                "description": row.get("overview"),
                "genres": row.get("genres") or [],
                "people": [],
                "year": row.get("year"),
                "language": row.get("language"),
            }
        )
    return items


# --- backends ---------------------------------------------------------------------------------


def _installed(*modules: str) -> bool:
    try:
        return all(importlib.util.find_spec(m) is not None for m in modules)
    except ModuleNotFoundError:  # a dotted name whose parent package is missing
        return False


def _dist_mb(*names: str) -> float:
    """Installed size of these distributions (their own files, not their dependencies)."""
    total = 0
    for name in names:
        try:
            files = importlib.metadata.files(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in files:
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def _st_encode(model: Any, normalize: bool) -> Encode:
    def encode(texts: list[str]) -> np.ndarray:
        out = model.encode(texts, normalize_embeddings=normalize, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    return encode


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def _onnx_encoder(
    folder: Path, batch_size: int = 32, threads: int | None = None, max_tokens: int | None = None
) -> Encode:
    from engine.embed.onnx_embedder import OnnxEmbedder

    model = OnnxEmbedder(folder, "bench", threads=threads, max_tokens=max_tokens)
    return lambda texts: model.embed(texts, batch_size)


def backends(
    folder: str, work: Path, notes: list[str], calibration: Sequence[str] = ()
) -> list[tuple[str, str, Encode]]:
    """(name, install note, encode) for every backend that can run here."""
    force_offline()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(min(torch.get_num_threads(), 2))
    found: list[tuple[str, str, Encode]] = []
    base = SentenceTransformer(folder, device="cpu", local_files_only=True)
    found.append(
        ("baseline: SentenceTransformer.encode (torch fp32)", "—", _st_encode(base, False))
    )
    ours = SentenceTransformerEmbedder(folder, "bench")
    found.append(("Reelcast, torch fp32 (source installs before issue 15)", "—", ours.embed))

    quantised = SentenceTransformer(folder, device="cpu", local_files_only=True)
    quantised[0] = torch.ao.quantization.quantize_dynamic(
        quantised[0], {torch.nn.Linear}, dtype=torch.qint8
    )
    found.append(("torch int8 dynamic (quantize_dynamic)", "—", _st_encode(quantised, True)))

    if _installed("onnxruntime", "onnx"):
        from engine.embed.batching import physical_cores
        from engine.embed.embedder import bundled_model_id
        from engine.embed.onnx_cache import ensure_export

        size = f"onnxruntime {_dist_mb('onnxruntime'):.0f} MB"
        fp32 = ensure_export(folder, bundled_model_id())  # what `make setup` leaves in the cache
        cores = physical_cores()
        found.append(
            (
                f"**Reelcast default: ONNX Runtime fp32, {cores} threads, length buckets**",
                size,
                _onnx_encoder(fp32),
            )
        )
        for threads in sorted({1, cores} - {cores}):
            found.append(
                (f"ONNX fp32, {threads} thread(s)", size, _onnx_encoder(fp32, threads=threads))
            )
        for tokens in (128, 192):
            found.append(
                (
                    f"ONNX fp32, max {tokens} tokens (model: {MAX_TOKENS})",
                    size,
                    _onnx_encoder(fp32, max_tokens=tokens),
                )
            )
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8 = work / "onnx-int8"
        shutil.copytree(fp32, int8)
        # Per-channel scales: one scale per output row keeps more of MiniLM's small weights.
        quantize_dynamic(
            str(fp32 / "model.onnx"),
            str(int8 / "model.onnx"),
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
        found.append(("ONNX Runtime int8 dynamic per-channel", size, _onnx_encoder(int8)))
        for label, static in static_int8(fp32, work, calibration):
            found.append((label, size, _onnx_encoder(static)))
    else:
        notes.append("ONNX Runtime skipped: `pip install onnxruntime onnx` to measure it.")

    if _installed("optimum.onnxruntime"):
        try:
            onnx_st = SentenceTransformer(folder, device="cpu", backend="onnx")
            size = f"{_dist_mb('optimum', 'optimum-onnx', 'onnxruntime', 'onnx'):.0f} MB"
            found.append(("sentence-transformers backend=onnx", size, _st_encode(onnx_st, True)))
        except Exception as error:  # a broken optional extra must not end the benchmark
            notes.append(f"backend=onnx failed: {type(error).__name__}: {error}")
    else:
        notes.append(
            "backend=onnx skipped: needs optimum-onnx, which pins transformers<4.58 while "
            "sentence-transformers 6.2 needs transformers>=5, so they cannot be installed together."
        )

    if _installed("optimum.intel", "openvino"):
        try:
            ov_folder = work / "ov-model"
            shutil.copytree(folder, ov_folder)
            ov = SentenceTransformer(str(ov_folder), device="cpu", backend="openvino")
            dists = ("optimum-intel", "optimum", "openvino", "openvino-tokenizers", "nncf")
            size = f"{_dist_mb(*dists):.0f} MB"
            found.append(("sentence-transformers backend=openvino", size, _st_encode(ov, True)))
        except Exception as error:  # a broken optional extra must not end the benchmark
            notes.append(f"backend=openvino failed: {type(error).__name__}: {error}")
    else:
        notes.append("backend=openvino skipped: `pip install optimum-intel[openvino]` to try it.")
    return found


def static_int8(fp32: Path, work: Path, calibration: Sequence[str]) -> list[tuple[str, Path]]:
    """Static (calibrated) int8 of the export's weight MatMuls, per-channel, activations
    calibrated on real texts (disjoint from the measured ones); the attention-score MatMuls
    stay fp32, and in the second variant the feed-forward output projections too (their
    inputs, after GELU, hold the outliers int8 clips)."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    from engine.embed.batching import length_batches
    from engine.embed.onnx_embedder import OnnxEmbedder

    if not calibration:
        return []
    prepared = work / "pre.onnx"
    quant_pre_process(str(fp32 / "model.onnx"), str(prepared), skip_symbolic_shape=True)
    graph = onnx.load(str(prepared)).graph
    weights = {i.name for i in graph.initializer}
    matmuls = [n for n in graph.node if n.op_type == "MatMul"]
    scores = [n.name for n in matmuls if not any(i in weights for i in n.input)]
    ffn_out = [
        n.name
        for n in matmuls
        if n.name not in scores and "output/dense" in n.name and "attention" not in n.name
    ]
    model = OnnxEmbedder(fp32, "calibration")
    model.load()

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            encodings = model._tokenizer.encode_batch([t.strip() for t in calibration])
            self.feeds = iter(
                [
                    {
                        "input_ids": b.input_ids,
                        "attention_mask": b.attention_mask,
                        "token_type_ids": b.token_type_ids,
                    }
                    for b in length_batches(encodings, 16, 0)
                ]
            )

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.feeds, None)

    out = []
    for label, excluded in (
        ("ONNX int8 static per-channel, attention scores fp32", scores),
        ("ONNX int8 static per-channel, attention scores + FFN outputs fp32", scores + ffn_out),
    ):
        folder = work / f"static-{len(excluded)}"
        shutil.copytree(fp32, folder)
        quantize_static(
            str(prepared),
            str(folder / "model.onnx"),
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=excluded,
            extra_options={"ActivationSymmetric": True},
        )
        out.append((f"{label} ({len(calibration)} calibration texts)", folder))
    return out


# --- measuring --------------------------------------------------------------------------------


def _item_vectors(docs: Sequence[Document], chunk_vectors: np.ndarray) -> np.ndarray:
    rows = []
    at = 0
    for doc in docs:
        rows.append(item_vector(chunk_vectors[at : at + len(doc.chunks)]))
        at += len(doc.chunks)
    return np.stack(rows)


def _top10(vectors: np.ndarray, queries: int) -> np.ndarray:
    scores = vectors[:queries] @ vectors.T
    scores[np.arange(queries), np.arange(queries)] = -np.inf  # an item is not its own neighbour
    return np.argsort(-scores, axis=1)[:, :10]


def recall_at_10(reference: np.ndarray, candidate: np.ndarray, queries: int) -> float:
    truth, found = _top10(reference, queries), _top10(candidate, queries)
    hits = sum(len(set(t) & set(f)) for t, f in zip(truth, found, strict=True))
    return hits / (10 * queries)


def run(corpus: int = 1500, sample: int = 300, runs: int = 3, queries: int = 500) -> str:
    """Markdown report: items/s (median of `runs`) and recall@10 vs fp32 for each backend."""
    folder = bundled_model_path()
    items = load_items()
    rng = random.Random(0)
    podcasts = [i for i in items if i["kind"] == "episode"]
    movies = [i for i in items if i["kind"] == "movie"]
    half = corpus // 2
    chosen = rng.sample(podcasts, min(half, len(podcasts)))
    chosen += rng.sample(movies, min(corpus - len(chosen), len(movies)))
    rng.shuffle(chosen)
    # Calibration texts for static int8: real texts outside the measured corpus.
    taken = {i["id"] for i in chosen}
    rest = [i for i in items if i["id"] not in taken and i.get("title")]
    calibration = [
        c for i in rng.sample(rest, min(200, len(rest))) for c in build_document(i).chunks
    ]

    started = time.perf_counter()
    docs = [build_document(item) for item in chosen if item.get("title")]
    docs = [d for d in docs if d.chunks]
    build_ms = 1000 * (time.perf_counter() - started) / len(docs)
    chunks = [c for d in docs for c in d.chunks]
    timed = docs[:sample]
    timed_chunks = [c for d in timed for c in d.chunks]
    queries = min(queries, len(docs))

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    pieces = [len(e.ids) for e in tokenizer.encode_batch(chunks)]
    over = sum(p > MAX_TOKENS for p in pieces)

    notes: list[str] = []
    lines = [
        "## Embedding (all-MiniLM-L6-v2, CPU)",
        "",
        f"{len(docs)} items ({sum(1 for d in docs if d.item_id >= 1_000_000)} podcast episodes, "
        f"rest movies), {len(chunks)} chunks ({len(chunks) / len(docs):.2f}/item, "
        f"mean {statistics.mean(len(c) for c in chunks):.0f} chars, "
        f"median {statistics.median(pieces):.0f} word pieces, {over} over {MAX_TOKENS}); "
        f"document build {build_ms:.2f} ms/item incl. language detection. "
        f"Throughput: {len(timed)} items ({len(timed_chunks)} chunks), median of {runs} runs; "
        f"agreement: recall@10 of {queries} query items among all {len(docs)} vs fp32 exact.",
        "",
        "| backend | items/s | chunks/s | vs baseline | recall@10 | extra install |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="reelcast-embed-bench-") as tmp:
        reference: np.ndarray | None = None
        baseline_rate = 0.0
        for name, size, encode in backends(folder, Path(tmp), notes, calibration):
            encode(timed_chunks[:32])  # warm-up: first-call allocation and graph setup
            seconds = []
            for _ in range(runs):
                t0 = time.perf_counter()
                encode(timed_chunks)
                seconds.append(time.perf_counter() - t0)
            median = statistics.median(seconds)
            rate = len(timed) / median
            vectors = _item_vectors(docs, _normalised(encode(chunks)))
            if reference is None:
                reference, baseline_rate = vectors, rate
            recall = recall_at_10(reference, vectors, queries)
            lines.append(
                f"| {name} | {rate:.1f} | {len(timed_chunks) / median:.1f} | "
                f"{rate / baseline_rate:.2f}× | {recall:.3f} | {size} |"
            )
    lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines)


def films(limit: int | None = None, runs: int = 3, queries: int = 500) -> str:
    """Film overviews (the dev split's items): the default runtime's items/s beside plain
    sentence-transformers on the same chunks, and recall@10 of its item vectors against the
    fp32 reference's exact search over all of them."""
    force_offline()
    import torch
    from sentence_transformers import SentenceTransformer

    from engine.embed.embedder import make_embedder

    torch.set_num_threads(min(torch.get_num_threads(), 2))
    movies = [i for i in load_items() if i["kind"] == "movie" and i.get("title")][:limit]
    docs = [d for d in (build_document(i) for i in movies) if d.chunks]
    chunks = [c for d in docs for c in d.chunks]
    folder = bundled_model_path()
    base = SentenceTransformer(folder, device="cpu", local_files_only=True)
    ours = make_embedder(None)
    ours.load()
    rows: list[tuple[str, float, np.ndarray]] = []
    for name, encode in (
        ("baseline: `SentenceTransformer.encode`, torch fp32", _st_encode(base, True)),
        (f"Reelcast default ({_runtime(ours)})", lambda t: ours.embed(t)),
    ):
        encode(chunks[:32])
        seconds = []
        vectors = np.empty(0)
        for _ in range(runs):
            t0 = time.perf_counter()
            vectors = encode(chunks)
            seconds.append(time.perf_counter() - t0)
        rows.append((name, statistics.median(seconds), _item_vectors(docs, _normalised(vectors))))
    reference = rows[0][2]
    queries = min(queries, len(docs))
    lines = [
        f"### Film overviews: {len(docs)} items, {len(chunks)} chunks (median of {runs} runs)",
        "",
        "| embedder | items/s | vs baseline (same run) | recall@10 vs fp32 exact |",
        "|---|---|---|---|",
    ]
    for name, seconds, vectors in rows:
        lines.append(
            f"| {name} | {len(docs) / seconds:.1f} | {rows[0][1] / seconds:.2f}× | "
            f"{recall_at_10(reference, vectors, queries):.4f} |"
        )
    return "\n".join(lines)


def _runtime(embedder: object) -> str:
    """The embedder's class and, for an ONNX export, what runs it (OpenVINO bf16, ...)."""
    inner = getattr(embedder, "inner", embedder)
    parts = (getattr(inner, "runtime", ""), getattr(inner, "precision", ""))
    return " ".join((type(embedder).__name__, *filter(None, parts)))


def everything() -> str:
    """`make bench embed`: the podcast library, the films, every backend, then int8 by layer
    (tests/bench/int8_bench.py: its own file, this one is near the size limit)."""
    from tests.bench import embed_library_bench, int8_bench

    return "\n\n".join((embed_library_bench.run(), films(), run(), int8_bench.run()))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=int, default=1500)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--films", action="store_true", help="only the film overviews")
    parser.add_argument("--films-limit", type=int, default=None)
    args = parser.parse_args()
    if args.films:
        print(films(args.films_limit, args.runs, args.queries))
    else:
        print(run(args.corpus, args.sample, args.runs, args.queries))
