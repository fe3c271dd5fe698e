"""Fixtures every desktop test module shares; a module that needs a prepared library defines
its own `library`, and `tasks` then follows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.tasks import Tasks
from engine.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "data", workers=1)
    yield lib
    lib.close()


@pytest.fixture
def tasks(library: Library) -> Iterator[Tasks]:
    # Depends on `library` so that background jobs finish before the library closes.
    pool = Tasks()
    yield pool
    pool.wait()
