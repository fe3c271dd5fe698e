"""Fixtures every desktop test module shares; a module that needs a prepared library defines
its own `library`, and `tasks` then follows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.appearance import install_language
from desktop.tasks import Tasks
from engine.library import Library


@pytest.fixture(autouse=True, scope="session")
def english_plurals(qapp: QApplication) -> None:
    # As the app does at start: English plural forms ("1 problem") come from reelcast_en.qm.
    install_language(qapp, "en")


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
