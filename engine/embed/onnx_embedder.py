"""A sentence-embedding model exported to ONNX, run with OpenVINO or ONNX Runtime (see
engine/embed/onnx_runtimes.py) and `tokenizers`.

The installers ship the bundled model this way (engine/embed/onnx_export.py writes the folder at
build time): torch alone would be 400 MB of a 1 GB install, and ONNX Runtime computes the same
vectors (tests compare them with sentence-transformers') in a fraction of the space and time.

Only the stack sentence-transformers calls Transformer → mean Pooling → Normalize is supported;
that is what all-MiniLM-L6-v2 and most sentence-embedding models are, and the export refuses
anything else, so a folder here never silently computes different vectors.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embed.batching import Batch, length_batches, physical_cores
from engine.embed.embedder import LocalEmbedder, read_json
from engine.embed.onnx_runtimes import Feed, load_model

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
# Where an ONNX file may sit in a model folder: ours at the top, sentence-transformers' own
# ONNX exports (and many published models) in onnx/.
ONNX_LOCATIONS = (ONNX_FILE, "onnx/model.onnx")
TOKENIZER_FILE = "tokenizer.json"
# Padded tokens per model call. Measured on an Intel Xeon (2 cores, 2 MB L2 each), ONNX Runtime
# fp32: rows of ~230 tokens ran 80 texts/s four to a call against 68 at 32 to a call, and rows
# of ~90 tokens 164 against 152 eight to a call: activations that stay in cache beat fewer calls.
BATCH_TOKENS = 1024


class OnnxModelError(ValueError):
    """The folder is not an ONNX export this embedder can run."""


def onnx_file(folder: str | os.PathLike[str]) -> Path | None:
    """The folder's ONNX model file, if it has one."""
    for name in ONNX_LOCATIONS:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


def has_torch_weights(folder: str | os.PathLike[str]) -> bool:
    path = Path(folder)
    return (path / "model.safetensors").is_file() or (path / "pytorch_model.bin").is_file()


def choose_backend(
    folder: str | os.PathLike[str], torch_available: bool, exported: bool = False
) -> str | None:
    """How this installation runs the folder, or None when it cannot:

    - "export": PyTorch weights of a supported stack, run from their checked ONNX export
      (`exported`: one is in the cache; else it is made on first use, which needs torch);
    - "onnx": the folder's own ONNX file (the installers' bundled model);
    - "torch": sentence-transformers, for a stack the ONNX path cannot reproduce."""
    supported = supported_stack(folder)
    if has_torch_weights(folder) and supported and (exported or torch_available):
        return "export"
    if onnx_file(folder) is not None and supported:
        return "onnx"
    if has_torch_weights(folder) and torch_available:
        return "torch"
    if onnx_file(folder) is not None:
        return "onnx"  # OnnxEmbedder refuses it, saying which part of the stack is the problem
    return None


def supported_stack(folder: str | os.PathLike[str]) -> bool:
    try:
        read_stack(Path(folder))
    except OnnxModelError:
        return False
    return True


def read_stack(folder: Path) -> tuple[int, bool]:
    """(max tokens, lower-case input) of a Transformer → mean Pooling [→ Normalize] folder.

    Raises OnnxModelError for any other module stack or pooling mode. Vectors are normalised
    whether or not Normalize is listed: unit length is the `Embedder` contract."""
    modules = read_json(folder / "modules.json")
    if not isinstance(modules, list) or not modules:
        raise OnnxModelError(f"{folder}: modules.json is missing or empty")
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules if isinstance(m, dict)]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise OnnxModelError(
            f"{folder}: module stack {kinds} is not supported for ONNX "
            "(only Transformer, Pooling, Normalize)"
        )
    pooling = read_json(folder / str(modules[1].get("path", "")) / "config.json")
    if not isinstance(pooling, dict):
        raise OnnxModelError(f"{folder}: the pooling module has no config.json")
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode_") and v)
    if modes != ["pooling_mode_mean_tokens"]:
        raise OnnxModelError(f"{folder}: pooling {modes} is not supported for ONNX (mean only)")
    bert_config = read_json(folder / "sentence_bert_config.json")
    bert_config = bert_config if isinstance(bert_config, dict) else {}
    max_tokens = bert_config.get("max_seq_length")
    if not isinstance(max_tokens, int) or max_tokens <= 0:
        model_config = read_json(folder / "config.json")
        positions = model_config.get("max_position_embeddings") if model_config else None
        max_tokens = positions if isinstance(positions, int) else 512
    return max_tokens, bool(bert_config.get("do_lower_case", False))


class OnnxEmbedder(LocalEmbedder):
    """An `Embedder` over an ONNX export: same vectors as sentence-transformers, no torch.

    `threads` (intra-op) defaults to the machine's physical cores; `max_tokens` to the model's
    own limit (a lower one truncates sooner: faster, and measured to cost quality, see
    docs/benchmarks.md); `runtime` and `precision` to what `onnx_runtimes.load_model` picks for
    this machine (`runtime` and `precision` say what it picked once loaded)."""

    def __init__(
        self,
        folder: str | os.PathLike[str],
        model_id: str,
        *,
        threads: int | None = None,
        max_tokens: int | None = None,
        runtime: str | None = None,
        precision: str | None = None,
    ) -> None:
        path = Path(folder).resolve()
        found = onnx_file(path)
        if found is None:
            raise OnnxModelError(f"{path}: no {ONNX_FILE} (nor onnx/{ONNX_FILE})")
        if not (path / TOKENIZER_FILE).is_file():
            raise OnnxModelError(f"{path}: no {TOKENIZER_FILE} (a fast tokenizer is needed)")
        super().__init__(path, model_id)
        self._onnx_file = found
        self._max_tokens, self._lower_case = read_stack(path)
        if max_tokens is not None:
            self._max_tokens = min(self._max_tokens, max_tokens)
        self.threads = threads or physical_cores()
        self.runtime = runtime or ""
        self.precision = precision or ""
        self._run: Callable[[Feed], npt.NDArray[np.float32]] | None = None
        self._tokenizer: Any = None
        self._pad_id = 0
        self._inputs: frozenset[str] = frozenset()
        # Padded and real tokens of every batch so far: what length bucketing saves.
        self.padded_tokens = 0
        self.real_tokens = 0

    def _load(self) -> int:
        from tokenizers import Tokenizer

        model = load_model(
            self._onnx_file, self.threads, self.runtime or None, self.precision or None
        )
        self._run, self._inputs = model.run, model.inputs
        self.runtime, self.precision = model.runtime, model.precision
        log.info("%s runs on %s (%s)", self.model_id, model.runtime, model.precision)
        tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        tokenizer.enable_truncation(self._max_tokens)
        # Padding is done per length bucket (engine/embed/batching.py), not by the tokenizer.
        tokenizer.no_padding()
        # Padded positions are masked out of attention and pooling, so the id only has to be a
        # valid one.
        self._pad_id = tokenizer.token_to_id(_pad_token(self.folder)) or 0
        self._tokenizer = tokenizer
        return int(self._encode(["probe"], 1).shape[1])

    def _unload(self) -> None:
        self._run, self._tokenizer = None, None

    def _encode(self, texts: list[str], batch_size: int) -> npt.NDArray[np.float32]:
        # sentence-transformers strips each text (and lower-cases when its config says so).
        cleaned = [t.strip() for t in texts]
        if self._lower_case:
            cleaned = [t.lower() for t in cleaned]
        # Tokenised once: the lengths to sort by and the model's inputs.
        encodings = self._tokenizer.encode_batch(cleaned)
        out: npt.NDArray[np.float32] | None = None
        for batch in length_batches(encodings, batch_size, self._pad_id, BATCH_TOKENS):
            pooled = self._mean_pooled(batch)
            if out is None:
                out = np.empty((len(cleaned), pooled.shape[1]), dtype=np.float32)
            out[batch.rows] = pooled
            self.padded_tokens += batch.padded_tokens
            self.real_tokens += batch.real_tokens
        assert out is not None
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def _mean_pooled(self, batch: Batch) -> npt.NDArray[np.float32]:
        """Mean of the token vectors, padding excluded, for one batch."""
        feed = {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = batch.token_type_ids
        assert self._run is not None
        hidden = self._run(feed)
        weights = batch.attention_mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        return np.asarray(summed / np.maximum(weights.sum(axis=1), 1e-9), dtype=np.float32)


def _pad_token(folder: Path) -> str:
    """The padding token named by the model's tokenizer files ([PAD] for BERT models)."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        data = read_json(folder / name)
        token = data.get("pad_token") if isinstance(data, dict) else None
        if isinstance(token, dict):
            token = token.get("content")
        if isinstance(token, str) and token:
            return token
    return "[PAD]"
