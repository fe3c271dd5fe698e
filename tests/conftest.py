"""Shared fixtures: every test gets its own data dir, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "reelcast-data"
    monkeypatch.setenv("REELCAST_DATA_DIR", str(data))
    yield data
