"""kill -9 while the vector index is being saved: the published generations always survive.

A child process loops "save vectors in SQLite, publish the index update" on a real data dir;
the parent SIGKILLs it at seeded random moments, then opens the index as the app would.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from engine.embed.index import VectorIndex
from engine.embed.segment_file import file_checksum
from engine.store.catalog import Catalog
from engine.store.db import Database
from engine.store.vectors import VectorStore

MODEL = "crash-model"
DIM = 384
ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import numpy as np

    from engine.embed.index import VectorIndex
    from engine.store.db import Database
    from engine.store.vectors import VectorStore, chunk_key

    data, seed = Path(sys.argv[1]), int(sys.argv[2])
    database = Database(data / "library.sqlite3")
    index = VectorIndex(database, data / "index", "crash-model", 384, compact_ratio=0.2)
    index.open()
    segments = VectorStore(database.db).segment_of_items()
    items = sorted(segments)
    rng = np.random.default_rng(seed)
    print("ready", flush=True)
    while True:
        batch = [int(i) for i in rng.choice(items, size=4, replace=False)]
        vectors = rng.standard_normal((len(batch), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with database.write() as db:
            for item, vector in zip(batch, vectors):
                VectorStore(db).save("crash-model", item, f"s{seed}", vector[None, :])
        for segment in sorted({segments[i] for i in batch}):
            mine = {i: v for i, v in zip(batch, vectors) if segments[i] == segment}
            index.update("items", segment, mine, [])
            index.update("chunks", segment, {chunk_key(i, 0): v for i, v in mine.items()}, [])
        print("u", flush=True)
    """
)


def _library(data: Path, per_root: int) -> Database:
    database = Database(data / "library.sqlite3")
    rng = np.random.default_rng(1)
    with database.write() as db:
        catalog = Catalog(db)
        for name in (b"/a", b"/b"):
            root = catalog.add_root(name, "mixed").id
            for n in range(per_root):
                item = catalog.insert_item({"kind": "movie", "title": f"{root}-{n}"})
                catalog.insert_file(root, name + b"/%d" % n, 1, 1, None, item, None)
                vector = rng.standard_normal((1, DIM)).astype(np.float32)
                VectorStore(db).save(MODEL, item, "h", vector / np.linalg.norm(vector))
    return database


def _verify(database: Database, directory: Path) -> list[str]:
    index = VectorIndex(database, directory, MODEL, DIM, compact_ratio=0.2)
    messages = index.open()
    published = VectorStore(database.db).published(MODEL)
    assert len(published) == 4
    for gen in published:  # every loaded file is exactly a published generation
        assert file_checksum(directory / gen.file) == gen.checksum, gen.file
    assert index.snapshot().generations == tuple(sorted(g.id for g in published))
    assert index.check() == []
    truth = VectorStore(database.db).item_vectors(MODEL)
    for item in sorted(truth)[::37]:
        key, sim = index.search("items", truth[item], 1)[0]
        assert key == item and sim > 0.99
    leftovers = [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers
    index.close()
    return messages


def test_kill_9_during_index_saves_never_loses_the_index(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = _library(data, per_root=400)
    assert _verify(database, data / "index")  # first open builds the four segment files
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    rng = random.Random(20240607)
    updates = repairs = 0
    for run in range(20):
        child = subprocess.Popen(
            [sys.executable, str(script), str(data), str(run)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready.strip() == "ready", child.stderr.read() if child.stderr else ""
        try:
            child.wait(timeout=rng.uniform(0.02, 0.6))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err
        updates += out.count("u")
        messages = _verify(database, data / "index")
        repairs += any("differs" in m or "leftover" in m for m in messages)
    print(f"\n20 kills after {updates} completed update rounds; {repairs} opens repaired something")
    assert updates > 0
    database.close()
