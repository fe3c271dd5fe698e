"""Export a local sentence-transformers folder to an ONNX folder that `OnnxEmbedder` runs.

A build-time tool (the installers run it on the bundled model; it needs torch and the `onnx`
package, which the installed app does not carry). The written folder holds `model.onnx`, the
tokenizer and the model's configs, and no PyTorch weights. Before the folder is published the
export is checked: its vectors must match sentence-transformers' on a set of texts, or nothing
is written.

    python -m engine.embed.onnx_export SOURCE_FOLDER OUT_FOLDER
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.embedder import SentenceTransformerEmbedder, force_offline
from engine.embed.onnx_embedder import ONNX_FILE, OnnxEmbedder, read_stack
from engine.embed.onnx_runtimes import ONNXRUNTIME

# Everything of the source folder the ONNX folder needs, except the weights.
COPIED = (
    "modules.json",
    "config.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "README.md",  # the model card: licence and attribution travel with the weights
    "LICENSE",
)
MANIFEST = "onnx_export.json"
OPSET = 17
# Lowest cosine between the two backends' vectors that counts as "the same model".
MIN_COSINE = 0.9999

# Short, long (truncated), empty, padded and non-Latin texts: what the library feeds the model.
CHECK_TEXTS = (
    "",
    "  Leading and trailing spaces  ",
    "A film about a boy, his dog and a long summer on the coast.",
    "Episode 12: interest rates, housing and what the central bank does next",
    "日本語の字幕とドイツ語の説明 — Untertitel und Beschreibung",
    "word " * 600,
)


class ExportError(RuntimeError):
    pass


def export_onnx(source: str | Path, out: str | Path) -> dict[str, Any]:
    """Write the ONNX folder `out` from the sentence-transformers folder `source`; returns the
    manifest (also saved as onnx_export.json). `out` is replaced only after the check passed."""
    force_offline()
    src, dest = Path(source).resolve(), Path(out).resolve()
    read_stack(src)  # refuses stacks the ONNX embedder cannot reproduce, before any work
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".onnx-export-", dir=dest.parent))
    try:
        for name in COPIED:
            if (src / name).is_file():
                shutil.copy2(src / name, staging / name)
        for module in json.loads((src / "modules.json").read_text(encoding="utf-8")):
            sub = str(module.get("path", ""))
            if sub and (src / sub / "config.json").is_file():
                (staging / sub).mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / sub / "config.json", staging / sub / "config.json")
        torch_version = _trace(src, staging / ONNX_FILE)
        reference = SentenceTransformerEmbedder(src, "reference").embed(list(CHECK_TEXTS))
        # The export itself is checked in fp32 (ONNX Runtime): reduced precision is a choice
        # made at run time, checked by its own test (tests/engine/test_onnx_runtimes.py).
        exported = OnnxEmbedder(staging, "exported", runtime=ONNXRUNTIME).embed(list(CHECK_TEXTS))
        lowest = float(np.min(np.sum(reference * exported, axis=1)))
        if lowest < MIN_COSINE:
            raise ExportError(f"the export computes different vectors (lowest cosine {lowest:.6f})")
        manifest = {
            "source": str(src),
            "opset": OPSET,
            "torch": torch_version,
            "dim": int(exported.shape[1]),
            "lowest_cosine_vs_sentence_transformers": round(lowest, 7),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp made it private; the export is read by every user
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _trace(source: Path, target: Path) -> str:
    """Trace the transformer (token vectors out; pooling stays in numpy) into `target`."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        str(source), local_files_only=True, attn_implementation="eager"
    ).eval()

    class TokenVectors(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.inner(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]

    # A padded row in the example keeps the attention-mask path in the traced graph.
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "token_vectors"]}
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter warns about its own deprecation and traced branches.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TokenVectors(model),
            (ids, mask, torch.zeros_like(ids)),
            str(target),
            dynamo=False,
            input_names=names,
            output_names=["token_vectors"],
            dynamic_axes=axes,
            opset_version=OPSET,
        )
    return str(torch.__version__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engine.embed.onnx_export", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("source", help="a local sentence-transformers model folder")
    parser.add_argument("out", help="the ONNX folder to write (replaced if it exists)")
    args = parser.parse_args(argv)
    try:
        manifest = export_onnx(args.source, args.out)
    except (ExportError, ValueError, OSError) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 1
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
