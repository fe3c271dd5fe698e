"""The embedding model in a child process: same vectors, restarts after a crash, and torch
never loads into the parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from engine.embed.embedder import bundled_model_id, bundled_model_path, make_embedder
from engine.embed.embedder_process import EmbedderProcessError, ProcessEmbedder
from engine.library import Library, LibraryError

TEXTS = ["Glaciers carve valleys.", "Bebop in New York clubs.", "Bread and soup for dinner."]


def test_same_vectors_as_in_process_and_restarts_after_a_crash() -> None:
    child = ProcessEmbedder(bundled_model_path(), bundled_model_id())
    try:
        here = make_embedder(None)
        assert child.model_id == here.model_id and child.dim == here.dim
        np.testing.assert_allclose(child.embed(TEXTS), here.embed(TEXTS), atol=1e-5)
        pid = child.pid
        assert pid is not None and pid != os.getpid()
        os.kill(pid, signal.SIGKILL)  # a native crash or the OOM killer
        again = child.embed(TEXTS[:1])
        assert again.shape == (1, here.dim) and child.starts == 2
        assert child.embed([]).shape == (0, here.dim)
    finally:
        child.close()
    assert child.pid is None


SCRIPT = """
import json, sys
from engine.library import Library
from tests.mediagen import make_audio
folder, data = sys.argv[1], sys.argv[2]
make_audio(folder + "/ice.mp3", 0.2, title="Glaciers", show="Earth", description="Ice valleys")
make_audio(folder + "/jazz.mp3", 0.2, title="Bebop", show="Music", description="Jazz clubs")
with Library(data, workers=1, embed_in_child=True) as lib:
    lib.add_root(folder, "podcast")
    lib.scan()
    lib.index_now()
    top = lib.search("ice and valleys", 1)[0]
    print(json.dumps({"top": top["title"],
                      "torch": "torch" in sys.modules,
                      "st": "sentence_transformers" in sys.modules}))
"""


def test_the_parent_never_imports_torch(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"top": "Glaciers", "torch": False, "st": False}


def test_closing_while_the_model_loads_does_not_hang() -> None:
    child = ProcessEmbedder(bundled_model_path(), bundled_model_id())
    failures: list[BaseException] = []

    def load() -> None:
        try:
            child.load()
        except Exception as exc:  # expected: closed under it
            failures.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    while child.pid is None and loader.is_alive():
        time.sleep(0.01)
    child.close()
    loader.join(60)
    assert not loader.is_alive()
    assert child.pid is None
    if failures:  # the load may also have won the race and finished first
        with pytest.raises(EmbedderProcessError, match="closed"):
            child.embed(TEXTS)
    with pytest.raises(EmbedderProcessError, match="closed"):
        child.load()


def test_library_begin_close_abandons_a_loading_model(tmp_path: Path) -> None:
    library = Library(tmp_path / "data", workers=1, embed_in_child=True)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            library.model()
        except Exception as exc:  # expected: abandoned
            errors.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    while library._models is None or library._models._building is None:
        if not loader.is_alive():
            break
        time.sleep(0.005)
    library.begin_close()
    loader.join(60)
    assert not loader.is_alive()
    with pytest.raises(LibraryError, match="closing"):
        library.model()
    with pytest.raises(LibraryError, match="closing"):
        library.start_watching()
    library.close()
