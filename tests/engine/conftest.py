from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "data", workers=2)
    yield lib
    lib.close()


@pytest.fixture
def podcasts(tmp_path: Path) -> Path:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    return folder


@pytest.fixture
def videos(tmp_path: Path) -> Path:
    folder = tmp_path / "Videos"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled model's checked export (`make setup` makes it; made now if not).
    Tests copy out of it and never write into it."""
    from engine.embed.embedder import bundled_model_id, bundled_model_path  # not at collection
    from engine.embed.onnx_cache import ensure_export

    out = tmp_path_factory.mktemp("onnx") / "model"
    shutil.copytree(ensure_export(bundled_model_path(), bundled_model_id()), out)
    return out
