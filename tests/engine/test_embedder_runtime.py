"""One runtime everywhere: a source install embeds the bundled model (PyTorch weights) with
ONNX Runtime from its checked export, made once into the model cache; the app then runs without
torch. Texts are tokenised once and batched by token length.

One real export of the bundled all-MiniLM-L6-v2 per module (torch traces it, as `make setup`
does), into a temporary cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.demo.content import FILMS, PODCASTS
from engine.embed import onnx_cache
from engine.embed.batching import length_batches, physical_cores
from engine.embed.embedder import (
    BACKEND_ENV,
    SentenceTransformerEmbedder,
    bundled_model_id,
    bundled_model_path,
    make_embedder,
)
from engine.embed.onnx_cache import ExportedOnnxEmbedder
from engine.embed.onnx_embedder import TOKENIZER_FILE, OnnxEmbedder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private model cache holding the bundled model's export: a copy of the one `make setup`
    (and `make test`) leave in the user's cache, made there now if missing."""
    made = onnx_cache.ensure_export(bundled_model_path(), bundled_model_id())
    root = tmp_path_factory.mktemp("model-cache")
    shutil.copytree(made, root / made.name)
    return root


@pytest.fixture()
def use_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(onnx_cache.CACHE_ENV, str(cache))
    monkeypatch.delenv(BACKEND_ENV, raising=False)
    return cache


def _texts() -> list[str]:
    texts = [f"{f.title}. {f.plot}" for f in FILMS]
    for show in PODCASTS:
        texts += [f"{e.title}. {e.description}" for e in show.episodes]
    return texts


@pytest.mark.timeout(1800)  # a real export: torch traces the model (minutes on a busy machine)
def test_the_setup_command_exports_into_the_cache(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "engine.embed.onnx_cache"],
        env=os.environ | {onnx_cache.CACHE_ENV: str(tmp_path)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1700,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    made = [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")]
    assert made == [onnx_cache.export_folder(bundled_model_id()).name], "no staging folder left"
    _check_export(tmp_path / made[0])


def _check_export(folder: Path) -> None:
    record = json.loads((folder / onnx_cache.DONE_FILE).read_text())
    assert record["model_id"] == bundled_model_id()
    assert record["bytes"] == (folder / "model.onnx").stat().st_size
    assert record["export"]["lowest_cosine_vs_sentence_transformers"] >= 0.9999
    assert not (folder / "model.safetensors").exists()
    assert (folder / "tokenizer.json").is_file()


def test_the_cache_holds_a_checked_export(use_cache: Path) -> None:
    folder = onnx_cache.cached_export(bundled_model_id())
    assert folder is not None and folder.parent == use_cache
    _check_export(folder)


def test_a_source_install_embeds_with_onnx_runtime(use_cache: Path) -> None:
    embedder = make_embedder(None)
    # Before the change a source install ran sentence-transformers on torch.
    assert isinstance(embedder, ExportedOnnxEmbedder)
    assert embedder.model_id == bundled_model_id()  # same vectors: nothing is re-embedded
    texts = _texts()
    ours = embedder.embed(texts, batch_size=8)
    assert embedder.runtime == "onnx"
    theirs = SentenceTransformerEmbedder(bundled_model_path(), "reference").embed(texts)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.9999


def test_the_torch_switch_keeps_the_reference_backend(
    use_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BACKEND_ENV, "torch")
    assert isinstance(make_embedder(None), SentenceTransformerEmbedder)


def test_an_incomplete_export_is_not_used(use_cache: Path, tmp_path: Path) -> None:
    folder = onnx_cache.cached_export(bundled_model_id())
    assert folder is not None
    record = folder / onnx_cache.DONE_FILE
    saved = record.read_text()
    try:
        # A crash after the rename and before the marker: the export is made again.
        record.unlink()
        assert onnx_cache.cached_export(bundled_model_id()) is None
        # A marker that does not match the file (a truncated copy).
        record.write_text(json.dumps(json.loads(saved) | {"bytes": 12}))
        assert onnx_cache.cached_export(bundled_model_id()) is None
    finally:
        record.write_text(saved)
    assert onnx_cache.cached_export(bundled_model_id()) == folder


_NO_TORCH = """
import json, sys
ABSENT = ("torch", "transformers", "sentence_transformers", "scipy", "sklearn")

class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ABSENT:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
from engine.embed.embedder import make_embedder
try:
    embedder = make_embedder(None)
    vectors = embedder.embed(["a quiet film about the sea", "jazz in New York"])
    print(json.dumps({"shape": list(vectors.shape), "kind": type(embedder).__name__,
                      "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ABSENT)}))
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
"""


def _without_torch(cache: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_NO_TORCH)],
        env=os.environ | {onnx_cache.CACHE_ENV: str(cache)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_app_runs_without_torch_once_the_export_exists(use_cache: Path) -> None:
    result = _without_torch(use_cache)
    assert result == {"shape": [2, 384], "kind": "ExportedOnnxEmbedder", "loaded": []}


def test_without_torch_and_without_an_export_the_error_says_what_to_do(tmp_path: Path) -> None:
    result = _without_torch(tmp_path / "empty-cache")
    error = str(result.get("error"))
    assert "make setup" in error, result


def test_texts_are_tokenised_once_and_batched_by_length(use_cache: Path) -> None:
    folder = onnx_cache.cached_export(bundled_model_id())
    assert folder is not None
    model = OnnxEmbedder(folder, "x")
    model.load()
    calls: list[int] = []
    tokenizer = model._tokenizer
    real_encode_batch = tokenizer.encode_batch

    class Counting:
        """The real tokenizer, counting its calls."""

        def __getattr__(self, name: str) -> object:
            return getattr(tokenizer, name)

        def encode_batch(self, texts: list[str]) -> object:
            calls.append(len(texts))
            return real_encode_batch(texts)

    model._tokenizer = Counting()
    texts = _texts()
    model.padded_tokens = model.real_tokens = 0
    vectors = model.embed(texts, batch_size=4)
    # Once for the whole call (lengths and model inputs alike), not once per batch.
    assert calls == [len(texts)]
    # Sorted by token count, batches pad almost nothing.
    assert model.padded_tokens <= 1.10 * model.real_tokens
    one_by_one = np.vstack([model.embed([t]) for t in texts[:6]])
    np.testing.assert_allclose(vectors[:6], one_by_one, atol=1e-5)


def test_length_batches_pad_less_than_arrival_order() -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(bundled_model_path()) / TOKENIZER_FILE))
    tokenizer.enable_truncation(256)
    tokenizer.no_padding()
    encodings = tokenizer.encode_batch(_texts())
    batches = list(length_batches(encodings, 8, pad_id=0))
    assert sorted(r for b in batches for r in b.rows) == list(range(len(encodings)))
    padded = sum(b.padded_tokens for b in batches)
    real = sum(b.real_tokens for b in batches)
    arrival = sum(
        8 * max(len(e.ids) for e in encodings[i : i + 8])
        if i + 8 <= len(encodings)
        else len(encodings[i:]) * max(len(e.ids) for e in encodings[i:])
        for i in range(0, len(encodings), 8)
    )
    assert real == sum(len(e.ids) for e in encodings)
    assert padded < arrival
    for batch in batches:
        assert batch.input_ids.shape == batch.attention_mask.shape
        assert batch.input_ids.shape[0] <= 8
    # A token budget keeps long texts in smaller batches, never below one row.
    narrow = list(length_batches(encodings, 8, pad_id=0, token_budget=2 * 100))
    assert len(narrow) > len(batches)
    for batch in narrow:
        assert batch.input_ids.size <= 2 * 100 or batch.input_ids.shape[0] == 1
    assert sorted(r for b in narrow for r in b.rows) == list(range(len(encodings)))


def test_threads_default_to_physical_cores(use_cache: Path) -> None:
    cores = physical_cores()
    assert 1 <= cores <= (os.cpu_count() or 1)
    folder = onnx_cache.cached_export(bundled_model_id())
    assert folder is not None
    assert OnnxEmbedder(folder, "x").threads == cores
