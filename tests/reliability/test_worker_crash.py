"""Indexing killed mid-way, again and again, at named points: nothing lost, nothing done twice.

Each run of `reelcast index` dies at a fault point (os._exit, as kill -9 would leave it) and
proves it with exit code 86 and the marker it wrote there: mid scan transaction, after an
embedding batch is committed, between saving vectors and publishing the index, half-way
through an index file. Files change between runs, their events waiting in the durable queue.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.faults import EXIT_CODE
from engine.library import Library
from engine.store.changes import ChangeQueue
from tests.mediagen import audio_template, clone_with_tags
from tests.reliability.conftest import (
    REPO,
    cli,
    embedded_twice,
    fault_env,
    install_embed_audit,
    integrity,
)
from tests.textgen import description

FILES = 120
# Every point the work of one run (12 changed files: one scan transaction, one embedding batch,
# an items and a chunks update of one segment) reaches, at several arrivals.
KILLS = [
    "scan.mid_transaction:1",
    "embed.after_batch:1",
    "index.after_vectors_saved:1",
    "index.mid_save:1",
    "index.mid_save:2",
    "scan.mid_transaction:12",
]


@pytest.mark.timeout(900)  # eight model loads in child processes; a hang still ends
def test_kill_during_indexing_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261128)
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    template = audio_template(seconds=0.2)
    paths = []
    for n in range(FILES):
        paths.append(
            clone_with_tags(
                template,
                folder / f"episode {n:03d}.mp3",
                title=f"Episode {n}",
                show="Crash Course",
                description=description(rng, n),
            )
        )
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        root_id = library.roots()[0].id
    db_path = data / "library.sqlite3"
    install_embed_audit(db_path)

    for kill, point in enumerate(KILLS):
        # Some files change between runs, and their events wait in the durable queue, as the
        # watcher would have left them.
        changed = rng.sample(paths, 12)
        now = time.time()
        with Library(data, workers=1) as library, library.database.write() as db:
            queue = ChangeQueue(db)
            for path in changed:
                clone_with_tags(
                    template,
                    path,
                    title=f"Episode {paths.index(path)}",  # the same episode, re-tagged
                    show="Crash Course",
                    description=description(rng, kill * 1000 + paths.index(path)),
                )
                st = path.stat()
                queue.record(root_id, os.fsencode(path), st.st_size, st.st_mtime_ns, now - 5)
        mark = tmp_path / f"mark-{kill}"
        child = cli(data, "index", env=fault_env(point, mark))
        assert child.returncode == EXIT_CODE, child.stderr
        assert mark.read_text().startswith(f"{point} "), "the kill landed elsewhere"
        assert integrity(db_path) == ["ok"], f"after kill {kill}"

    final = subprocess.run(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), "index", "--json"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["queued"] == 0

    doctor = subprocess.run(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), "doctor", "--json"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(doctor.stdout)
    assert doctor.returncode == 0, report  # index keys == embedded items, checksums, queue empty
    assert report["items_waiting_for_embedding"] == 0
    assert embedded_twice(db_path) == []

    with Library(data, workers=1) as library:
        assert library.queued_changes() == 0
        assert len(library.item_ids()) == FILES
        # The last text of every changed file is what is searchable now.
        probe = paths[0]
        item = next(i for i in library.items() if i["path"] == str(probe))
        library.model()
        hits = library.search(item["description"], k=3)
        assert hits[0]["id"] == item["id"]
