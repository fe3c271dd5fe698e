"""ONNX Runtime for every install: a PyTorch model folder runs from its checked ONNX export.

The installers ship the bundled model already exported. A source install (or any local
sentence-transformers folder with PyTorch weights) gets its export here: made once, by
`make setup` or on first use, into a per-user cache, with the same check the installer build
runs (the export's vectors must match sentence-transformers' or nothing is written). From then
on the app embeds with ONNX Runtime and `tokenizers` alone: torch is needed only to make the
export, and the app runs without it once the export exists.

    python -m engine.embed.onnx_cache [MODEL_FOLDER]   # export now (what `make setup` runs)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.embed.embedder import (
    LocalEmbedder,
    SentenceTransformerEmbedder,
    bundled_model_id,
    bundled_model_path,
    local_model_id,
    torch_installed,
)
from engine.embed.onnx_embedder import ONNX_FILE, OnnxEmbedder

log = logging.getLogger(__name__)

CACHE_ENV = "REELCAST_MODEL_CACHE"
# Bumped when the export's layout or graph changes: older cached exports are then made again.
EXPORT_FORMAT = 1
DONE_FILE = "export-ok.json"


class ExportUnavailable(RuntimeError):
    """The model has no ONNX export yet and this installation cannot make one (no torch)."""


def cache_root() -> Path:
    """Where exports are kept: $REELCAST_MODEL_CACHE, else the user's cache directory."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("reelcast", appauthor=False)) / "models"


def export_folder(model_id: str) -> Path:
    """The export of `model_id` in the cache (a folder name safe on every filesystem).

    Not via segment_file.model_prefix: that imports usearch, and ONNX Runtime must load first."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", model_id).strip("_") or "model"
    digest = hashlib.blake2b(model_id.encode(), digest_size=32).hexdigest()[:8]
    return cache_root() / f"{slug}-{digest}-onnx{EXPORT_FORMAT}"


def cached_export(model_id: str) -> Path | None:
    """The finished, intact export of `model_id`, or None."""
    folder = export_folder(model_id)
    done = folder / DONE_FILE
    try:
        record = json.loads(done.read_text(encoding="utf-8"))
        size = (folder / ONNX_FILE).stat().st_size
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("bytes") != size:
        log.warning("the cached ONNX export %s is incomplete; it will be made again", folder)
        return None
    return folder


def export_pending(folder: str | os.PathLike[str], model_id: str) -> bool:
    """Whether loading this folder will first export it (tens of seconds, minutes when busy)."""
    from engine.embed.onnx_embedder import has_torch_weights

    return has_torch_weights(folder) and cached_export(model_id) is None


def ensure_export(source: str | os.PathLike[str], model_id: str) -> Path:
    """The checked ONNX export of the sentence-transformers folder `source`, made now if the
    cache has none (seconds; needs torch). Safe across processes: one exports, the others wait
    for it and use its result."""
    found = cached_export(model_id)
    if found is not None:
        return found
    if not torch_installed():
        raise ExportUnavailable(
            f"the embedding model {model_id} has not been exported to ONNX yet, and this "
            "installation has no torch to export it: run `make setup` (or `python -m "
            "engine.embed.onnx_cache`) from an install that has torch, or use an installer"
        )
    from filelock import FileLock

    folder = export_folder(model_id)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        found = cached_export(model_id)  # another process may have made it while we waited
        if found is not None:
            return found
        from engine.embed.onnx_export import export_onnx

        log.info("exporting %s to ONNX into %s (once)", model_id, folder)
        manifest = export_onnx(Path(source), folder)  # checked, then renamed into place
        record = {
            "model_id": model_id,
            "bytes": (folder / ONNX_FILE).stat().st_size,
            "sha256": _sha256(folder / ONNX_FILE),
            "export": manifest,
        }
        _write_durably(folder / DONE_FILE, json.dumps(record, indent=2) + "\n")
    return folder


class ExportedOnnxEmbedder(LocalEmbedder):
    """A PyTorch sentence-transformers folder, run from its cached ONNX export.

    Constructing it does nothing; `load()` finds the export (or makes it, with torch) and loads
    ONNX Runtime. Where the export cannot be made but torch is installed, it falls back to
    sentence-transformers and says so in the log."""

    def __init__(self, folder: str | os.PathLike[str], model_id: str) -> None:
        super().__init__(Path(folder).resolve(), model_id)
        self.inner: LocalEmbedder | None = None

    @property
    def runtime(self) -> str:
        """'onnx' or 'torch' once loaded; '' before."""
        if isinstance(self.inner, OnnxEmbedder):
            return "onnx"
        return "torch" if self.inner is not None else ""

    def _load(self) -> int:
        try:
            inner: LocalEmbedder = OnnxEmbedder(
                ensure_export(self.folder, self.model_id), self.model_id
            )
        except ExportUnavailable:
            raise
        except Exception as error:
            if not torch_installed():
                raise
            log.warning(
                "ONNX export of %s failed (%s: %s); embedding with sentence-transformers",
                self.model_id,
                type(error).__name__,
                error,
            )
            inner = SentenceTransformerEmbedder(self.folder, self.model_id)
        inner.load()
        self.inner = inner
        return inner.dim

    def _unload(self) -> None:
        inner, self.inner = self.inner, None
        if inner is not None:
            inner.close()

    def _encode(self, texts: list[str], batch_size: int) -> npt.NDArray[np.float32]:
        assert self.inner is not None
        return self.inner.embed(texts, batch_size)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _write_durably(path: Path, text: str) -> None:
    """temp, fsync, os.replace, fsync the folder: the marker exists only once the export does."""
    temp = path.with_name(path.name + ".tmp")
    with temp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engine.embed.onnx_cache", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", nargs="?", help="a model folder (default: the bundled model)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.folder:
        folder, model_id = args.folder, local_model_id(args.folder)
    else:
        folder, model_id = bundled_model_path(), bundled_model_id()
    try:
        out = ensure_export(folder, model_id)
    except (ExportUnavailable, ValueError, OSError, RuntimeError) as error:
        print(f"ONNX export failed: {error}", file=sys.stderr)
        return 1
    print(f"{model_id}: ONNX export in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
