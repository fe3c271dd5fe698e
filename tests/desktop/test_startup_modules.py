"""What the window has loaded when it first paints with the library in it: numpy, sqlite-utils,
usearch, the watcher and the embedding stack come later (docs/startup.md). Read from
`sys.modules` at the paint by the start-up probe in a real `reelcast-desktop` process: a
check of which modules are present, not of how long anything took."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.library import Library
from tests.mediagen import make_audio

# Loaded after the first paint, or on first use (a write, a scan, the model).
LATER = ("numpy", "sqlite_utils", "usearch", "watchdog", "torch", "sentence_transformers")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    for n in range(3):
        make_audio(folder / f"ep{n}.mp3", seconds=0.2, title=f"Episode {n}", show="Show")
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "podcast")
        assert library.scan().added == 3
    return data


def _modules_at_first_paint(data: Path) -> dict[str, object]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        REELCAST_STARTUP_PROBE="1",
        REELCAST_STARTUP_PROBE_MODULES="1",
    )
    done = subprocess.run(
        [sys.executable, "-m", "desktop.app", "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no probe line (exit {done.returncode}): {done.stderr[-2000:]}"
    result: dict[str, object] = json.loads(lines[0])
    return result


def test_the_first_paint_loads_no_numpy_sqlite_utils_or_index(data_dir: Path) -> None:
    result = _modules_at_first_paint(data_dir)
    assert result["populated"] is True
    modules = result["module_names"]
    assert isinstance(modules, list)
    loaded = {name.split(".")[0] for name in modules}
    assert sorted(loaded.intersection(LATER)) == []
    # The engine's read path is there (the window did read the library), plain sqlite3 only.
    assert {"engine.library", "engine.store.plain", "sqlite3"} <= set(modules)


def test_home_with_a_play_in_progress_loads_no_media_decoders(data_dir: Path) -> None:
    with Library(data_dir, workers=1) as library:
        history = library.history
        profile = history.default_profile().id
        first = min(int(item["id"]) for item in library.items())
        session = history.start_session(profile, first, 0.0)
        history.end_session(session, 5.0, 100.0)
        assert "continue" in [row.kind for row in library.quick_rows()]
    result = _modules_at_first_paint(data_dir)
    assert result["populated"] is True
    modules = result["module_names"]
    assert isinstance(modules, list)
    loaded = {name.split(".")[0] for name in modules}
    # Continue watching comes from the recommender (numpy and sqlite-utils: docs/startup.md,
    # "Left out"); its cards need no Pillow or PyAV when their art is on disk or absent.
    assert "engine.recommend.recommender" in modules
    assert sorted(loaded.intersection({"PIL", "av", "usearch", "watchdog"})) == []
