"""The embedder, with the real bundled all-MiniLM-L6-v2: shape, norms, meaning, offline-ness."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from engine.embed.embedder import (
    Embedder,
    bundled_model_path,
    local_model_id,
    make_embedder,
    model_dim_from_config,
)
from engine.embed.onnx_cache import ExportedOnnxEmbedder

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "A documentary about honey bees and how they pollinate crops in the countryside.",
    "Beekeepers explain how bee colonies make honey and pollinate fruit trees.",
    "The central bank raised interest rates to slow inflation in the housing market.",
    "A detective hunts a serial killer through the rainy streets of a noir city.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    model = make_embedder(None)
    model.load()
    return model


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_bundled_model(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 384
    assert embedder.model_id.startswith("all-MiniLM-L6-v2@")
    assert Path(bundled_model_path(), "modules.json").is_file()


def test_dim_known_before_loading() -> None:
    fresh = make_embedder("")
    assert isinstance(fresh, ExportedOnnxEmbedder)  # the bundled model's ONNX export
    assert fresh.dim == 384
    assert not fresh.loaded


def test_rows_are_normalised_float32(embedder: Embedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input(embedder: Embedder) -> None:
    out = embedder.embed([])
    assert out.shape == (0, 384)
    assert out.dtype == np.float32


def test_similar_texts_are_closer(embedder: Embedder) -> None:
    v = embedder.embed(TEXTS)
    bees = float(v[0] @ v[1])
    assert bees > float(v[0] @ v[2]) + 0.3
    assert bees > float(v[0] @ v[3]) + 0.3
    assert float(v[1] @ v[2]) < 0.3


def test_deterministic(embedder: Embedder) -> None:
    first = embedder.embed(TEXTS)
    second = embedder.embed(list(reversed(TEXTS)))[::-1]
    assert np.allclose(first, second, atol=1e-5)
    # Batch size does not change a vector beyond float noise.
    single = np.vstack([embedder.embed([t], batch_size=1) for t in TEXTS])
    assert np.allclose(first, single, atol=1e-4)


def test_load_is_idempotent_across_threads() -> None:
    fresh = make_embedder(None)
    assert isinstance(fresh, ExportedOnnxEmbedder)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            fresh.load()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    model = fresh.inner
    assert model is not None and model.loaded
    fresh.load()
    assert fresh.inner is model


def test_close_frees_the_loaded_model_and_a_later_embed_loads_it_again() -> None:
    fresh = make_embedder(None)
    assert isinstance(fresh, ExportedOnnxEmbedder)
    before = fresh.embed(TEXTS[:2])
    inner = fresh.inner
    assert inner is not None and inner.loaded
    fresh.close()
    # The runtime's session and its threads go with the inner model, not with the last
    # reference to the embedder (a closed library's pages may still hold it).
    assert not fresh.loaded and fresh.inner is None and not inner.loaded
    assert np.allclose(fresh.embed(TEXTS[:2]), before, atol=1e-5)
    assert fresh.loaded
    fresh.close()


@pytest.mark.parametrize(
    "setting", ["/no/such/folder", "sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"]
)
def test_missing_folder_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        make_embedder(setting)


def test_folder_without_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a sentence-transformers model"):
        make_embedder(str(tmp_path))


def test_local_folder_gets_its_own_id(tmp_path: Path) -> None:
    copy = tmp_path / "my-minilm"
    shutil.copytree(bundled_model_path(), copy)
    local = make_embedder(str(copy))
    assert local.model_id.startswith("local:my-minilm@")
    assert local.model_id == local_model_id(copy)
    assert local.dim == 384
    config = json.loads((copy / "sentence_bert_config.json").read_text(encoding="utf-8"))
    config["max_seq_length"] = 128
    (copy / "sentence_bert_config.json").write_text(json.dumps(config), encoding="utf-8")
    assert local_model_id(copy) != local.model_id


def test_local_folder_embeds_like_the_bundled_one(tmp_path: Path, embedder: Embedder) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundled_model_path(), copy)
    local = make_embedder(str(copy))
    assert np.allclose(local.embed(TEXTS[:2]), embedder.embed(TEXTS[:2]), atol=1e-5)


def test_dim_from_dense_config(tmp_path: Path) -> None:
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]
    (tmp_path / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    for sub, config in (
        ("1_Pooling", {"word_embedding_dimension": 768, "pooling_mode_mean_tokens": True}),
        ("2_Dense", {"in_features": 768, "out_features": 256}),
    ):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert model_dim_from_config(tmp_path) == 256


def test_importing_does_not_import_torch() -> None:
    result = _python(
        """
        import sys
        import engine.embed.documents, engine.embed.embedder
        heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
        assert not heavy, heavy
        engine.embed.embedder.make_embedder(None).dim  # the dim comes from config files
        assert "torch" not in sys.modules
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_network_while_loading_and_embedding() -> None:
    result = _python(
        """
        import socket

        def refuse(*args, **kwargs):
            raise AssertionError(f"network use: {args!r}")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        import os
        from engine.embed.embedder import make_embedder

        embedder = make_embedder(None)
        embedder.load()
        vectors = embedder.embed(["offline embedding works", "no hub is asked"])
        assert vectors.shape == (2, 384), vectors.shape
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
            assert os.environ[name] == "1", name
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
