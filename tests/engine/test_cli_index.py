"""`reelcast index | search | doctor | watch` as real processes on a real library."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.library import Library
from engine.store.embedding import EmbedBook
from tests.engine.test_cli import reelcast
from tests.mediagen import make_audio, make_episodes

REPO = Path(__file__).resolve().parents[2]


def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "Podcasts"
    make_episodes(
        folder,
        [
            ("Glaciers", "Earth", "How ice sheets carve valleys over millennia."),
            ("Opera", "Arts", "Verdi, Puccini and the Italian stage."),
        ],
    )
    data = tmp_path / "data"
    assert reelcast(data, "library", "add", str(folder), "--kind", "podcast").returncode == 0
    assert reelcast(data, "scan").returncode == 0
    return data


def test_index_search_and_doctor(tmp_path: Path) -> None:
    data = _library(tmp_path)
    indexed = reelcast(data, "index", "--json")
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["embedded"] == 2
    again = json.loads(reelcast(data, "index", "--json").stdout)
    assert (again["embedded"], again["queued"]) == (0, 0)  # unchanged: nothing re-embedded

    found = reelcast(data, "search", "frozen landscapes", "--json", "-k", "1")
    assert found.returncode == 0, found.stderr
    (hit,) = json.loads(found.stdout)
    assert hit["title"] == "Glaciers" and {"id", "title", "score"} <= set(hit)
    only_arts = json.loads(reelcast(data, "search", "ice", "--json", "--show", "Arts").stdout)
    assert [h["title"] for h in only_arts] == ["Opera"]

    healthy = reelcast(data, "doctor", "--json")
    assert healthy.returncode == 0, healthy.stdout
    assert json.loads(healthy.stdout)["integrity_check"] == ["ok"]

    # Damage an index file: doctor must notice (exit 1), and --repair must mend it.
    (victim,) = [p for p in (data / "index").iterdir() if ".chunks." in p.name]
    raw = bytearray(victim.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    victim.write_bytes(bytes(raw))
    sick = reelcast(data, "doctor", "--json")
    assert sick.returncode == 1
    assert any("checksum" in p for p in json.loads(sick.stdout)["problems"])
    assert reelcast(data, "doctor", "--repair").returncode == 0
    assert reelcast(data, "doctor").returncode == 0


def test_watch_runs_until_interrupted(tmp_path: Path) -> None:
    data = _library(tmp_path)
    folder = tmp_path / "Podcasts"
    child = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), "watch"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        with Library(data) as library:
            while True:  # the worker embeds the two scanned items on start
                assert time.monotonic() < deadline, "watch never embedded the library"
                model = library.database.db.execute("SELECT count(*) FROM embed_state")
                if model.fetchone()[0] == 2:
                    break
                time.sleep(0.2)
            make_audio(folder / "c.mp3", seconds=0.2, title="Comets", show="Space")
            while len(library.item_ids()) < 3 or EmbedBook(library.database.db).stale_items(
                "all-MiniLM-L6-v2@0.1.0"
            ):
                assert time.monotonic() < deadline, "the new file was not indexed"
                time.sleep(0.2)
    finally:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert "realtime" in err
