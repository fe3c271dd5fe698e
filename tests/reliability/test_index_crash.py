"""A crash while the vector index is being saved: the published generations always survive.

A child process loops "save vectors in SQLite, publish the index update" on a real data dir
and dies (os._exit, like kill -9) at a fault point: half-way through writing a segment file,
or between saving vectors in SQLite and publishing them. The parent checks the exit code and
the marker (the crash happened there), then opens the index as the app would and asserts the
repair that point calls for.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.embed.index import VectorIndex
from engine.embed.segment_file import file_checksum
from engine.faults import EXIT_CODE
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


# (fault point, its Nth arrival, what the next open must say it mended)
CRASHES = [
    ("index.mid_save", 1, "deleted leftover index file"),
    ("index.mid_save", 4, "deleted leftover index file"),
    ("index.mid_save", 9, "deleted leftover index file"),
    ("index.after_vectors_saved", 1, "differs from SQLite"),
    ("index.after_vectors_saved", 6, "differs from SQLite"),
    ("index.after_vectors_saved", 11, "differs from SQLite"),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("crash") / "data"
    database = _library(data, per_root=400)
    assert _verify(database, data / "index")  # the first open builds the four segment files
    database.close()
    return data


@pytest.mark.parametrize(("point", "nth", "repair"), CRASHES)
def test_a_crash_while_saving_the_index_is_repaired(
    library: Path, tmp_path: Path, point: str, nth: int, repair: str
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    mark = tmp_path / "mark"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REELCAST_FAULT": f"{point}:{nth}",
        "REELCAST_FAULT_MARK": str(mark),
    }
    child = subprocess.run(
        # A seed of its own: vectors no earlier run saved, so SQLite truly moves ahead.
        [sys.executable, str(script), str(library), str(CRASHES.index((point, nth, repair)))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert child.returncode == EXIT_CODE, child.stderr
    assert mark.read_text().startswith(f"{point}:{nth} "), "the crash happened elsewhere"
    database = Database(library / "library.sqlite3")
    messages = _verify(database, library / "index")
    assert any(repair in m for m in messages), messages
    assert _verify(database, library / "index") == []  # mended once, then clean
    database.close()
