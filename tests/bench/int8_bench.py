"""int8 by layer (issue 15): which quantised subsets of the bundled model's MatMuls keep the
film overviews' item neighbours (recall@10 >= 0.99 against fp32 exact search), and at what
speed beside fp32 ONNX in the same run.

Variants: ONNX Runtime's `quantize_dynamic` (per-channel int8 weights, one activation scale per
tensor) of one kind of MatMul or one layer at a time, of a few attention outputs, and of all
of them; and MatMulNBits (8-bit weights in blocks of 32 along the input,
int8 activations per block of each row: finer scales than one per tensor) of all of them.
None reached 0.99 (docs/benchmarks.md, "int8 by layer"), so the app ships none of them and this
file, not the engine, holds the quantiser. Run by `make bench embed`, or alone:

    python -m tests.bench.int8_bench [--limit 1500] [--queries 500]
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.documents import build_document
from engine.embed.embedder import bundled_model_id, bundled_model_path
from tests.bench.embed_bench import _item_vectors, _normalised, load_items, recall_at_10

KINDS = {
    "Q, K, V projections": "/attention/self/",
    "attention output": "/attention/output/",
    "FFN intermediate (384→1536)": "/intermediate/",
    "FFN output (1536→384)": "/output/dense",
}


def _kind(name: str) -> str:
    for label, part in KINDS.items():
        if part in name and not (part == "/output/dense" and "attention" in name):
            return label
    raise ValueError(name)


def _layer(name: str) -> int:
    return int(name.split("layer.")[1].split("/")[0])


def weight_matmuls(model: Any) -> list[str]:
    """Names of the MatMul nodes with a 2-D constant weight (not the attention scores)."""
    shapes = {i.name: list(i.dims) for i in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul" and len(shapes.get(node.input[1], [])) == 2
    ]


def matmul_nbits(source: Path, target: Path, block: int = 32) -> None:
    """`source` with every weight MatMul as MatMulNBits: 8-bit symmetric weights in blocks of
    `block` along K, accuracy level 4 (int8 activations per block, int8 kernels)."""
    import onnx
    from onnx import helper, numpy_helper
    from onnxruntime.capi._pybind_state import quantize_matmul_8bits

    model = onnx.load(str(source))
    graph = model.graph
    chosen = set(weight_matmuls(model))
    weights = {i.name: i for i in graph.initializer}
    rewritten = []
    for node in graph.node:
        if node.name not in chosen:
            rewritten.append(node)
            continue
        weight = np.ascontiguousarray(numpy_helper.to_array(weights[node.input[1]]), np.float32)
        rows, cols = weight.shape  # K inputs, N outputs
        blocks = -(-rows // block)
        packed = np.zeros((cols, blocks, block), dtype=np.uint8)
        scales = np.zeros((cols, blocks), dtype=np.float32)
        zero_points = np.zeros((cols, blocks), dtype=np.uint8)  # unused: symmetric
        quantize_matmul_8bits(packed, weight, scales, zero_points, block, cols, rows, True)
        name = node.input[1]
        graph.initializer.append(numpy_helper.from_array(packed, name + "_q8"))
        graph.initializer.append(numpy_helper.from_array(scales, name + "_s"))
        rewritten.append(
            helper.make_node(
                "MatMulNBits",
                [node.input[0], name + "_q8", name + "_s"],
                list(node.output),
                name=node.name + "_q8",
                domain="com.microsoft",
                K=rows,
                N=cols,
                bits=8,
                block_size=block,
                accuracy_level=4,
            )
        )
    used = {name for node in rewritten for name in node.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.node[:]
    graph.node.extend(rewritten)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))


def run(limit: int = 1500, queries: int = 500) -> str:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from engine.embed.onnx_cache import ensure_export
    from engine.embed.onnx_embedder import OnnxEmbedder

    movies = [i for i in load_items() if i["kind"] == "movie" and i.get("title")][:limit]
    docs = [d for d in (build_document(i) for i in movies) if d.chunks]
    chunks = [c for d in docs for c in d.chunks]
    queries = min(queries, len(docs))
    fp32 = ensure_export(bundled_model_path(), bundled_model_id())
    names = weight_matmuls(onnx.load(str(fp32 / "model.onnx")))

    def measure(folder: Path) -> tuple[np.ndarray, float]:
        model = OnnxEmbedder(folder, "bench")
        model.embed(chunks[:32])  # warm-up
        started = time.perf_counter()
        vectors = model.embed(chunks)
        return _item_vectors(docs, _normalised(vectors)), time.perf_counter() - started

    reference, _ = measure(fp32)
    subsets: list[tuple[str, list[str]]] = [("all 36", names)]
    subsets += [(label, [n for n in names if _kind(n) == label]) for label in KINDS]
    subsets += [(f"layer {k} only", [n for n in names if _layer(n) == k]) for k in range(6)]
    attention_out = [n for n in names if _kind(n) == "attention output"]
    # The least sensitive kind, narrowed until it keeps 0.99 (1 of 36 MatMuls did, 2026-12-02).
    for first, last in ((1, 4), (2, 3), (5, 5)):
        span = f"layer {first}" if first == last else f"layers {first}–{last}"
        chosen = [n for n in attention_out if first <= _layer(n) <= last]
        subsets.append((f"attention output, {span}", chosen))
    lines = [
        f"{len(docs)} film items ({len(chunks)} chunks), {queries} query items; speed is "
        "fp32 seconds / variant seconds, fp32 re-timed just before each variant.",
        "",
        "| int8 variant | MatMuls | recall@10 | lowest cosine | speed vs fp32 (same run) |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="reelcast-int8-bench-") as tmp:
        # quantize_dynamic writes scratch files beside its input: not in the model cache.
        source = Path(tmp) / "fp32.onnx"
        shutil.copy(fp32 / "model.onnx", source)
        made: list[tuple[str, int, Callable[[Path], None]]] = []
        kept: list[tuple[int, str]] = []
        for label, nodes in subsets:

            def dynamic(out: Path, nodes: list[str] = nodes) -> None:
                shutil.copytree(fp32, out)
                quantize_dynamic(
                    str(source),
                    str(out / "model.onnx"),
                    per_channel=True,
                    weight_type=QuantType.QInt8,
                    nodes_to_quantize=nodes,
                )

            made.append((f"dynamic per-channel, {label}", len(nodes), dynamic))

        def nbits(out: Path) -> None:
            shutil.copytree(fp32, out)
            matmul_nbits(source, out / "model.onnx")

        made.append(("MatMulNBits 8-bit, block 32, int8 activations per block", len(names), nbits))
        for n, (label, count, make) in enumerate(made):
            out = Path(tmp) / f"v{n}"
            make(out)
            _, fp32_seconds = measure(fp32)
            vectors, seconds = measure(out)
            cosine = float(np.min(np.sum(vectors * reference, axis=1)))
            recall = recall_at_10(reference, vectors, queries)
            if recall >= 0.99:
                kept.append((count, label))
            lines.append(
                f"| {label} | {count} | {recall:.4f} | {cosine:.4f} | "
                f"{fp32_seconds / seconds:.2f}× |"
            )
            shutil.rmtree(out)
    best = f"{max(kept)[1]} ({max(kept)[0]} MatMuls)" if kept else "none"
    return "\n".join([*lines, "", f"Largest variant with recall@10 >= 0.99: {best}."])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=1500)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    print(run(args.limit, args.queries))
