"""OpenVINO's runtime (the `openvino` package alone, no optimum) on the app's ONNX export, beside
ONNX Runtime fp32 (what the app runs), on the film overviews of the dev split (issue 15).

Both runtimes get the same input: the cached export `make setup` leaves (engine/embed/
onnx_cache.py), the texts tokenised once by `tokenizers` and batched by token length
(engine/embed/batching.py), mean pooling and normalisation exactly as `OnnxEmbedder` does
(`OpenVinoEmbedder` below only replaces the model call). Each variant runs in its own fresh
process, so its load time and peak RSS are its own; the variants run in rounds (A B C … A B C …)
so that drift in the shared machine's load shows in the spread. Agreement: recall@10 of each
variant's item vectors against ONNX Runtime fp32 exact search (the first round's), and the
lowest cosine between an item's two vectors. With `nncf` installed (build-time only), NNCF's
post-training int8 of the same model is measured too.

    python -m tests.bench.openvino_bench [--limit 1500] [--rounds 2]

Skips with a message when `openvino` is not installed (it is not a Reelcast dependency).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.batching import Batch
from engine.embed.onnx_embedder import TOKENIZER_FILE, OnnxEmbedder, _pad_token, onnx_file

INT8 = "int8 model"  # not an OpenVINO property: run the NNCF-quantised model
# name -> OpenVINO CPU properties (None: ONNX Runtime, the app's runtime). Threads = the
# machine's physical cores, as the app's ONNX Runtime session uses.
VARIANTS: dict[str, dict[str, str] | None] = {
    "ort-fp32": None,
    "ov-f32": {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"},
    "ov-bf16": {"INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "LATENCY"},
    "ov-bf16-throughput": {"INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "THROUGHPUT"},
    # NNCF's post-training int8 of the same model (made once per run, before the rounds); the
    # layers it leaves in floating point run in bf16.
    "ov-int8-nncf": {"INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "LATENCY", INT8: ""},
}
LABELS = {
    "ort-fp32": "ONNX Runtime fp32 (the app's `OnnxEmbedder`)",
    "ov-f32": "OpenVINO f32, LATENCY",
    "ov-bf16": "OpenVINO bf16 (the CPU plugin's default here), LATENCY",
    "ov-bf16-throughput": "OpenVINO bf16, THROUGHPUT (async requests, one per stream)",
    "ov-int8-nncf": "OpenVINO int8 (NNCF `quantize`, transformer preset), LATENCY",
}


class OpenVinoEmbedder(OnnxEmbedder):
    """`OnnxEmbedder` with the model call made by OpenVINO's CPU plugin: same tokeniser, length
    batches, pooling and normalisation. THROUGHPUT runs the batches of one call as concurrent
    requests (one per stream): a single synchronous request would use one stream's threads."""

    def __init__(
        self, folder: Path, config: dict[str, str], model_file: Path | None = None
    ) -> None:
        super().__init__(folder, "bench")
        self.config = {k: v for k, v in config.items() if k != INT8}
        self.model_file = model_file or self._onnx_file
        self._compiled: Any = None

    def _load(self) -> int:
        import openvino
        from tokenizers import Tokenizer

        core = openvino.Core()
        model = core.read_model(str(self.model_file))
        config = dict(self.config, INFERENCE_NUM_THREADS=str(self.threads))
        self._compiled = core.compile_model(model, "CPU", config)
        self._inputs = frozenset(i.get_any_name() for i in self._compiled.inputs)
        tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        tokenizer.enable_truncation(self._max_tokens)
        tokenizer.no_padding()
        self._pad_id = tokenizer.token_to_id(_pad_token(self.folder)) or 0
        self._tokenizer = tokenizer
        return int(self._encode(["probe"], 1).shape[1])

    def properties(self) -> dict[str, str]:
        names = ("INFERENCE_PRECISION_HINT", "NUM_STREAMS", "INFERENCE_NUM_THREADS")
        values = {n: self._compiled.get_property(n) for n in names}
        return {n: str(getattr(v, "get_type_name", lambda v=v: v)()) for n, v in values.items()}

    def _feed(self, batch: Batch) -> dict[str, np.ndarray]:
        feed = {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = batch.token_type_ids
        return feed

    def _mean_pooled(self, batch: Batch) -> np.ndarray:
        hidden = self._compiled(self._feed(batch))[0]
        return _pool(hidden, batch)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if self.config.get("PERFORMANCE_HINT") != "THROUGHPUT":
            return super()._encode(texts, batch_size)
        import openvino

        from engine.embed.batching import length_batches

        cleaned = [t.strip() for t in texts]
        if self._lower_case:
            cleaned = [t.lower() for t in cleaned]
        encodings = self._tokenizer.encode_batch(cleaned)
        out = np.empty((len(cleaned), 0), dtype=np.float32)

        def done(request: Any, batch: Batch) -> None:
            nonlocal out
            pooled = _pool(request.get_output_tensor(0).data, batch)
            if out.shape[1] == 0:
                out = np.empty((len(cleaned), pooled.shape[1]), dtype=np.float32)
            out[batch.rows] = pooled

        streams = int(self._compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
        queue = openvino.AsyncInferQueue(self._compiled, max(streams, 1))
        queue.set_callback(done)
        for batch in length_batches(encodings, batch_size, self._pad_id):
            queue.start_async(self._feed(batch), batch)
        queue.wait_all()
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def _pool(hidden: np.ndarray, batch: Batch) -> np.ndarray:
    """`OnnxEmbedder._mean_pooled`'s arithmetic on a hidden-state array."""
    weights = batch.attention_mask[:, :, None].astype(np.float32)
    summed = (np.asarray(hidden, dtype=np.float32) * weights).sum(axis=1)
    return np.asarray(summed / np.maximum(weights.sum(axis=1), 1e-9), dtype=np.float32)


def film_texts(limit: int) -> list[str]:
    """The first `limit` film items' document chunks (one chunk each since reelcast-doc-2)."""
    from engine.embed.documents import build_document
    from tests.bench.embed_bench import load_items

    movies = [i for i in load_items() if i["kind"] == "movie" and i.get("title")][:limit]
    docs = [d for d in (build_document(i) for i in movies) if d.chunks]
    if any(len(d.chunks) != 1 for d in docs):
        raise SystemExit("a film document has more than one chunk: item vectors need pooling")
    return [d.chunks[0] for d in docs]


def nncf_int8(out: Path, notes: list[str], count: int = 300) -> bool:
    """NNCF's int8 of the export into `out` (OpenVINO IR), calibrated on `count` podcast
    episode texts (the films are all measured). False, with a note, without nncf."""
    if importlib.util.find_spec("nncf") is None:
        notes.append("NNCF int8 skipped: `pip install nncf` to measure it (build-time only).")
        return False
    import nncf
    import openvino

    from engine.embed.batching import length_batches
    from engine.embed.documents import build_document
    from engine.embed.embedder import bundled_model_id, bundled_model_path
    from engine.embed.onnx_cache import ensure_export
    from tests.bench.embed_bench import load_items

    folder = ensure_export(bundled_model_path(), bundled_model_id())
    episodes = [i for i in load_items() if i["kind"] == "episode" and i.get("title")]
    texts = [c for i in episodes[::3][:count] for c in build_document(i).chunks[:1]]
    embedder = OnnxEmbedder(folder, "calibration")
    embedder.load()
    encodings = embedder._tokenizer.encode_batch([t.strip() for t in texts])
    feeds = [
        {
            "input_ids": b.input_ids,
            "attention_mask": b.attention_mask,
            "token_type_ids": b.token_type_ids,
        }
        for b in length_batches(encodings, 1, embedder._pad_id)
    ]
    started = time.perf_counter()
    model = openvino.Core().read_model(str(onnx_file(folder)))
    quantised = nncf.quantize(
        model, nncf.Dataset(feeds), model_type=nncf.ModelType.TRANSFORMER, subset_size=len(feeds)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    openvino.save_model(quantised, str(out))
    notes.append(
        f"NNCF {importlib.metadata.version('nncf')} int8: calibrated on {len(feeds)} podcast "
        f"episode texts in {time.perf_counter() - started:.0f} s (build-time only)."
    )
    return True


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, Linux only."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(variant: str, texts_file: Path, out: Path) -> None:
    """One variant in this (fresh) process: load, warm up, embed every text of `texts_file`
    (JSON) once; vectors to `out` (.npy), figures to stdout as JSON."""
    from engine.embed.embedder import bundled_model_id, bundled_model_path
    from engine.embed.onnx_cache import ensure_export

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    folder = ensure_export(bundled_model_path(), bundled_model_id())
    before = _rss_mb("VmRSS")
    started = time.perf_counter()
    config = VARIANTS[variant]
    int8 = texts_file.parent / "ov-int8" / "model.xml" if config and INT8 in config else None
    model = (
        OnnxEmbedder(folder, "bench") if config is None else OpenVinoEmbedder(folder, config, int8)
    )
    model.load()
    load_s = time.perf_counter() - started
    model.embed(texts[:32])  # warm-up: first-call allocation, first shapes
    started = time.perf_counter()
    vectors = model.embed(texts)
    seconds = time.perf_counter() - started
    np.save(out, vectors)
    extra = model.properties() if isinstance(model, OpenVinoEmbedder) else {}
    figures = {"seconds": seconds, "items": len(texts), "load_s": load_s}
    print(json.dumps(figures | {"peak_rss_mb": _rss_mb("VmHWM") - before, "props": extra}))


def run(limit: int = 1500, rounds: int = 2, queries: int = 500) -> str:
    """Markdown: each variant's items/s per round, its ratio to ONNX Runtime fp32 in the same
    round, recall@10 and lowest cosine against ONNX Runtime fp32."""
    if importlib.util.find_spec("openvino") is None:
        return "OpenVINO skipped: `pip install openvino` to measure it (not a Reelcast dependency)."
    from tests.bench.embed_bench import recall_at_10

    results: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    notes: list[str] = []
    vectors: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory(prefix="reelcast-ov-bench-") as tmp:
        # Built once here: the workers' peak RSS is then the runtime's, not document building's.
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(film_texts(limit)), encoding="utf-8")
        variants = list(VARIANTS)
        if not nncf_int8(Path(tmp) / "ov-int8" / "model.xml", notes):
            variants.remove("ov-int8-nncf")
        for r in range(rounds):
            for variant in variants:
                out = Path(tmp) / f"{variant}-{r}.npy"
                command = [sys.executable, "-m", __spec__.name if __spec__ else __name__]
                command += ["--worker", variant, "--texts", str(texts_file), "--out", str(out)]
                root = Path(__file__).resolve().parents[2]
                done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=root)
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                results[variant].append(figures)
                print(f"round {r + 1} {variant}: {figures}", file=sys.stderr, flush=True)
                vectors.setdefault(variant, np.load(out))
                if r == 1 and variant == "ort-fp32":
                    vectors["ort-fp32 (round 2)"] = np.load(out)
    reference = vectors["ort-fp32"]
    items = results["ort-fp32"][0]["items"]
    queries = min(queries, items)
    version = importlib.metadata.version("openvino")
    lines = [
        f"Film overviews: the first {items} film items of the dev split, one chunk each; "
        f"{rounds} rounds, each variant a fresh process, in the order of the table; "
        f"openvino {version}. Ratio: items/s over ONNX Runtime fp32's in the same round.",
        "",
        "| runtime | items/s per round | vs ONNX Runtime fp32, same round | recall@10 "
        "| lowest cosine | load s | peak RSS MB over pre-load |",
        "|---|---|---|---|---|---|---|",
    ]
    for variant, runs in results.items():
        if not runs:
            continue
        rates = [f["items"] / f["seconds"] for f in runs]
        ratios = [
            f["items"] / f["seconds"] / (b["items"] / b["seconds"])
            for f, b in zip(runs, results["ort-fp32"], strict=True)
        ]
        mine = vectors[variant]
        cosine = float(np.min(np.sum(mine * reference, axis=1)))
        recall = recall_at_10(reference, mine, queries)
        lines.append(
            f"| {LABELS[variant]} | {' / '.join(f'{x:.1f}' for x in rates)} | "
            f"{' / '.join(f'{x:.2f}×' for x in ratios)} | {recall:.4f} | {cosine:.5f} | "
            f"{statistics.median(f['load_s'] for f in runs):.2f} | "
            f"{max(f['peak_rss_mb'] for f in runs):.0f} |"
        )
    if "ort-fp32 (round 2)" in vectors:
        again = vectors["ort-fp32 (round 2)"]
        lines += [
            "",
            f"ONNX Runtime fp32 round 2 against round 1: recall@10 "
            f"{recall_at_10(reference, again, queries):.4f}, lowest cosine "
            f"{float(np.min(np.sum(again * reference, axis=1))):.6f}.",
        ]
    props = {v: r[0]["props"] for v, r in results.items() if r[0]["props"]}
    lines += [f"\n{note}" for note in notes]
    lines += ["", "Compiled: " + "; ".join(f"{v} {p}" for v, p in props.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1500, help="film items (dev split: 5,851)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--worker", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.texts, args.out)
    else:
        print(run(args.limit, args.rounds, args.queries))
