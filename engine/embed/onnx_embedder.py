"""A sentence-embedding model exported to ONNX, run with ONNX Runtime and `tokenizers`.

The installers ship the bundled model this way (engine/embed/onnx_export.py writes the folder at
build time): torch alone would be 400 MB of a 1 GB install, and ONNX Runtime computes the same
vectors (tests compare them with sentence-transformers') in a fraction of the space and time.

Only the stack sentence-transformers calls Transformer → mean Pooling → Normalize is supported;
that is what all-MiniLM-L6-v2 and most sentence-embedding models are, and the export refuses
anything else, so a folder here never silently computes different vectors.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embed.embedder import model_dim_from_config

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
# Where an ONNX file may sit in a model folder: ours at the top, sentence-transformers' own
# ONNX exports (and many published models) in onnx/.
ONNX_LOCATIONS = (ONNX_FILE, "onnx/model.onnx")
TOKENIZER_FILE = "tokenizer.json"
# Same cap as the torch path: a background embed must leave cores to the UI and the scanner.
MAX_THREADS = 2


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


def choose_backend(folder: str | os.PathLike[str], torch_available: bool) -> str | None:
    """ "onnx" or "torch" for this folder, or None when this installation cannot run it.

    PyTorch weights run on sentence-transformers wherever torch is installed (the reference);
    an ONNX file runs on ONNX Runtime when there are no such weights or no torch (the
    installers, which ship ONNX Runtime alone)."""
    if has_torch_weights(folder) and torch_available:
        return "torch"
    if onnx_file(folder) is not None:
        return "onnx"
    return None


def read_stack(folder: Path) -> tuple[int, bool]:
    """(max tokens, lower-case input) of a Transformer → mean Pooling [→ Normalize] folder.

    Raises OnnxModelError for any other module stack or pooling mode. Vectors are normalised
    whether or not Normalize is listed: unit length is the `Embedder` contract."""
    modules = _json(folder / "modules.json")
    if not isinstance(modules, list) or not modules:
        raise OnnxModelError(f"{folder}: modules.json is missing or empty")
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules if isinstance(m, dict)]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise OnnxModelError(
            f"{folder}: module stack {kinds} is not supported for ONNX "
            "(only Transformer, Pooling, Normalize)"
        )
    pooling = _json(folder / str(modules[1].get("path", "")) / "config.json")
    if not isinstance(pooling, dict):
        raise OnnxModelError(f"{folder}: the pooling module has no config.json")
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode_") and v)
    if modes != ["pooling_mode_mean_tokens"]:
        raise OnnxModelError(f"{folder}: pooling {modes} is not supported for ONNX (mean only)")
    bert_config = _json(folder / "sentence_bert_config.json")
    bert_config = bert_config if isinstance(bert_config, dict) else {}
    max_tokens = bert_config.get("max_seq_length")
    if not isinstance(max_tokens, int) or max_tokens <= 0:
        model_config = _json(folder / "config.json")
        positions = model_config.get("max_position_embeddings") if model_config else None
        max_tokens = positions if isinstance(positions, int) else 512
    return max_tokens, bool(bert_config.get("do_lower_case", False))


class OnnxEmbedder:
    """An `Embedder` over an ONNX export: same vectors as sentence-transformers, no torch."""

    def __init__(self, folder: str | os.PathLike[str], model_id: str) -> None:
        self.folder = Path(folder).resolve()
        found = onnx_file(self.folder)
        if found is None:
            raise OnnxModelError(f"{self.folder}: no {ONNX_FILE} (nor onnx/{ONNX_FILE})")
        self._onnx_file = found
        if not (self.folder / TOKENIZER_FILE).is_file():
            raise OnnxModelError(f"{self.folder}: no {TOKENIZER_FILE} (a fast tokenizer is needed)")
        self._max_tokens, self._lower_case = read_stack(self.folder)
        self._model_id = model_id
        # Known from the configs without loading (the index is opened before the model loads).
        self._dim: int | None = model_dim_from_config(self.folder)
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: frozenset[str] = frozenset()
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()  # one run at a time: two would fight over the cores

    def __repr__(self) -> str:
        return f"OnnxEmbedder({str(self.folder)!r}, model_id={self._model_id!r})"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.load()
            assert self._dim is not None
        return self._dim

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> None:
        if self._session is not None:
            return
        with self._load_lock:
            if self._session is not None:
                return
            import onnxruntime
            from tokenizers import Tokenizer

            log.info("loading ONNX embedding model %s from %s", self._model_id, self.folder)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = min(MAX_THREADS, os.cpu_count() or 1)
            options.inter_op_num_threads = 1
            options.log_severity_level = 3  # errors only: warnings go to stderr, not our log
            session = onnxruntime.InferenceSession(
                str(self._onnx_file), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            tokenizer.enable_truncation(self._max_tokens)
            pad_token = _pad_token(self.folder)
            pad_id = tokenizer.token_to_id(pad_token)
            # Padded positions are masked out of attention and pooling, so the id only has to
            # be a valid one.
            tokenizer.enable_padding(pad_id=pad_id or 0, pad_token=pad_token)
            inputs = frozenset(i.name for i in session.get_inputs())
            width = int(self._run(session, tokenizer, ["probe"], inputs).shape[1])
            if self._dim is not None and width != self._dim:
                raise OnnxModelError(
                    f"{self.folder}: configs say {self._dim} dimensions, the model gives {width}"
                )
            self._inputs = inputs
            self._tokenizer = tokenizer
            self._dim = width
            self._session = session

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        # sentence-transformers strips each text (and lower-cases when its config says so).
        cleaned = [str(t).strip() for t in texts]
        if self._lower_case:
            cleaned = [t.lower() for t in cleaned]
        # Longest first, in batches of similar length: little work is spent on padding.
        order = sorted(range(len(cleaned)), key=lambda i: -len(cleaned[i]))
        out = np.empty((len(cleaned), self.dim), dtype=np.float32)
        with self._encode_lock:
            for start in range(0, len(order), max(batch_size, 1)):
                chosen = order[start : start + max(batch_size, 1)]
                batch = [cleaned[i] for i in chosen]
                out[chosen] = self._run(self._session, self._tokenizer, batch, self._inputs)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, 1e-12)
        return out

    @staticmethod
    def _run(
        session: Any, tokenizer: Any, batch: list[str], inputs: Any
    ) -> npt.NDArray[np.float32]:
        """Mean of the token vectors, padding excluded, for one batch."""
        encoded = tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encoded], dtype=np.int64)
        hidden = session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        return np.asarray(summed / np.maximum(weights.sum(axis=1), 1e-9), dtype=np.float32)


def _pad_token(folder: Path) -> str:
    """The padding token named by the model's tokenizer files ([PAD] for BERT models)."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        data = _json(folder / name)
        token = data.get("pad_token") if isinstance(data, dict) else None
        if isinstance(token, dict):
            token = token.get("content")
        if isinstance(token, str) and token:
            return token
    return "[PAD]"


def _json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
