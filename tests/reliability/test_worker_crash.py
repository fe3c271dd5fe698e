"""kill -9 in the middle of indexing, 20 times: nothing is lost, nothing is done twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.library import Library
from engine.store.changes import ChangeQueue
from tests.mediagen import audio_template, clone_with_tags
from tests.reliability.conftest import (
    REPO,
    embedded_twice,
    install_embed_audit,
    integrity,
    reelcast,
)
from tests.textgen import description

FILES = 240
KILLS = 20


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

    for kill in range(KILLS):
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
                    title=path.stem.title(),
                    show="Crash Course",
                    description=description(rng, kill * 1000 + paths.index(path)),
                )
                st = path.stat()
                queue.record(root_id, os.fsencode(path), st.st_size, st.st_mtime_ns, now - 5)
        child = reelcast(data, "index")
        time.sleep(rng.uniform(0.5, 7.0))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        child.wait(60)
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
