from __future__ import annotations

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
