"""The vector store and the usearch index derived from it, on a real SQLite file and real files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from engine.embed.index import VectorIndex, item_of
from engine.embed.segment_file import file_checksum
from engine.embed.writer_lock import IndexBusy
from engine.store.catalog import Catalog
from engine.store.db import Database
from engine.store.vectors import MAX_CHUNKS, VectorStore, chunk_key, split_key

MODEL = "test-model"
DIM = 384


def unit(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class Library:
    """A real database with two roots, items with files, and their vectors."""

    def __init__(self, path: Path, per_root: int = 20, seed: int = 7) -> None:
        self.database = Database(path / "library.sqlite3")
        self.dir = path / "index"
        self.rng = np.random.default_rng(seed)
        self.vectors: dict[int, np.ndarray] = {}
        with self.database.write() as db:
            catalog = Catalog(db)
            self.roots = [catalog.add_root(b"/media/a", "video").id]
            self.roots.append(catalog.add_root(b"/media/b", "podcast").id)
        for root in self.roots:
            for _ in range(per_root):
                self.add_item(root)

    def add_item(self, root: int | None, chunks: int = 0) -> int:
        with self.database.write() as db:
            catalog = Catalog(db)
            item = catalog.insert_item({"kind": "movie", "title": f"t{len(self.vectors)}"})
            if root is not None:
                path = f"/media/{root}/{item}.mkv".encode()
                catalog.insert_file(root, path, 1, 1, None, item, None)
        self.embed(item, chunks)
        return item

    def embed(self, item: int, chunks: int = 0) -> np.ndarray:
        rows = unit(self.rng, 1 + chunks)
        with self.database.write() as db:
            VectorStore(db).save(MODEL, item, f"h{item}-{self.rng.integers(1 << 30)}", rows)
        self.vectors[item] = rows[0]
        return rows

    def reembed(self, index: VectorIndex, item: int) -> np.ndarray:
        """Re-embed a single-chunk item in SQLite, then push it to both families."""
        new = self.embed(item)[0]
        segment = self.segment(item)
        index.update("items", segment, {item: new}, [])
        index.update("chunks", segment, {chunk_key(item, 0): new}, [])
        return new

    def segment(self, item: int) -> str:
        return VectorStore(self.database.db).segment_of_items()[item]

    def index(self, **kwargs: object) -> VectorIndex:
        return VectorIndex(self.database, self.dir, MODEL, DIM, **kwargs)  # type: ignore[arg-type]

    def published(self) -> dict[tuple[str, str], int]:
        gens = VectorStore(self.database.db).published(MODEL)
        return {(g.family, g.segment): g.id for g in gens}

    def file_of(self, family: str, segment: str) -> Path:
        gens = VectorStore(self.database.db).published(MODEL)
        gen = next(g for g in gens if (g.family, g.segment) == (family, segment))
        return self.dir / gen.file

    def rows(self) -> list[tuple[object, ...]]:
        """Every vector and embed-state row: proof that nothing was re-embedded."""
        x = self.database.db.conn.execute
        vectors = x("SELECT * FROM vectors ORDER BY model_id, item_id, chunk").fetchall()
        state = x("SELECT * FROM embed_state ORDER BY model_id, item_id").fetchall()
        return [*vectors, *state]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(tmp_path)
    yield library
    library.database.close()


def top(index: VectorIndex, vector: np.ndarray, family: str = "items") -> tuple[int, float]:
    return index.search(family, vector, 1)[0]


# --- store --------------------------------------------------------------------------------------


def test_keys_round_trip() -> None:
    assert split_key(chunk_key(12345, 0)) == (12345, 0)
    assert split_key(chunk_key(7, MAX_CHUNKS)) == (7, MAX_CHUNKS)
    with pytest.raises(ValueError):
        chunk_key(1, MAX_CHUNKS + 1)


def test_store_families_segments_and_chunk_cap(lib: Library) -> None:
    multi = lib.add_item(lib.roots[0], chunks=3)
    orphan = lib.add_item(None)
    huge = lib.add_item(lib.roots[1], chunks=MAX_CHUNKS + 5)
    store = VectorStore(lib.database.db)
    state = dict(
        lib.database.db.conn.execute(
            "SELECT item_id, chunks FROM embed_state WHERE model_id = ?", (MODEL,)
        ).fetchall()
    )
    assert state[multi] == 3 and state[huge] == MAX_CHUNKS and state[orphan] == 1
    assert lib.segment(orphan) == "orphan" and lib.segment(multi) == f"root-{lib.roots[0]}"
    assert store.segments(MODEL) == {f"root-{lib.roots[0]}", f"root-{lib.roots[1]}", "orphan"}
    keys = np.concatenate(
        [k for k, _ in store.iter_family(MODEL, "chunks", f"root-{lib.roots[0]}", batch=7)]
    )
    by_item: dict[int, list[int]] = {}
    for key in keys.tolist():
        item, chunk = split_key(key)
        by_item.setdefault(item, []).append(chunk)
    assert by_item[multi] == [1, 2, 3]  # a chunked item is covered by its chunks only
    assert all(chunks == [0] for item, chunks in by_item.items() if item != multi)
    vectors = store.item_vectors(MODEL, [multi, orphan])
    assert set(vectors) == {multi, orphan}
    np.testing.assert_array_equal(vectors[orphan], lib.vectors[orphan])
    assert store.models() == {MODEL}


# --- building, searching, updating --------------------------------------------------------------


def test_open_builds_segments_and_search_finds_nearest(lib: Library) -> None:
    multi = lib.add_item(lib.roots[1], chunks=4)
    index = lib.index()
    messages = index.open()
    assert any("building" in m for m in messages)
    assert set(lib.published()) == {
        (f, f"root-{r}") for f in ("items", "chunks") for r in lib.roots
    }
    assert index.count("items") == 41 and index.count("chunks") == 40 + 4
    for item, vector in lib.vectors.items():
        noisy = vector + 0.01 * unit(lib.rng)[0]
        found, sim = top(index, noisy)
        assert found == item and sim > 0.99
    chunk_rows = VectorStore(lib.database.db).family_vectors(MODEL, "chunks", [chunk_key(multi, 2)])
    key, sim = top(index, chunk_rows[chunk_key(multi, 2)], "chunks")
    assert split_key(key) == (multi, 2) and item_of("chunks", key) == multi and sim > 0.999
    assert index.check() == []


def test_segment_files_keep_the_graph_their_family_was_measured_with(lib: Library) -> None:
    from usearch.index import Index

    from engine.embed import segment_file

    index = lib.index()
    index.open()
    for family in ("items", "chunks"):
        for root in lib.roots:
            written = Index.restore(str(lib.file_of(family, f"root-{root}")))
            # The denser graph is what keeps recall at 1M (docs/benchmarks.md, vector index).
            assert written.connectivity == segment_file.CONNECTIVITY == 32
    passages = segment_file.new_index(DIM, "f16", "passages")
    assert passages.connectivity == segment_file.PASSAGE_CONNECTIVITY == 16


def test_results_merge_across_segments_best_first_ties_by_key(lib: Library) -> None:
    twin_a = lib.add_item(lib.roots[0])
    twin_b = lib.add_item(lib.roots[1])
    with lib.database.write() as db:  # the same vector in both segments: a tie
        VectorStore(db).save(MODEL, twin_b, "same", lib.vectors[twin_a][None, :])
    index = lib.index()
    index.open()
    results = index.search("items", lib.vectors[twin_a], 42)
    assert [key for key, _ in results[:2]] == sorted([twin_a, twin_b])
    assert len(results) == 42 and len({key for key, _ in results}) == 42
    sims = [sim for _, sim in results]
    assert sims == sorted(sims, reverse=True)
    segments = {lib.segment(key) for key, _ in results}
    assert segments == {f"root-{r}" for r in lib.roots}


@pytest.mark.parametrize("exact_below", [0, 10**9], ids=["hnsw", "exact"])
@pytest.mark.parametrize("dtype", ["f32", "f16", "i8"])
def test_exact_and_hnsw_paths_agree_with_brute_force(
    lib: Library, exact_below: int, dtype: str
) -> None:
    index = lib.index(exact_below=exact_below, dtype=dtype)
    index.open()
    keys = np.array(sorted(lib.vectors))
    matrix = np.stack([lib.vectors[k] for k in keys])
    query = unit(lib.rng)[0]
    truth = keys[np.argsort(-(matrix @ query), kind="stable")[:5]].tolist()
    got = index.search("items", query, 5)
    if dtype == "i8":  # quantised: the ranking may swap near-ties, the set is the same
        assert set(truth[:3]) <= {key for key, _ in got}
    else:
        assert [key for key, _ in got] == truth
        np.testing.assert_allclose(
            [sim for _, sim in got], np.sort(matrix @ query)[::-1][:5], atol=2e-3
        )


def test_update_replaces_a_key_and_the_new_vector_wins(lib: Library) -> None:
    index = lib.index()
    index.open()
    item = sorted(lib.vectors)[3]
    old = lib.vectors[item]
    before = index.count("items")
    new = lib.reembed(index, item)
    assert index.count("items") == before
    assert top(index, new) == (item, pytest.approx(1.0, abs=1e-3))
    assert all(key != item for key, _ in index.search("items", old, 3))
    assert index.check() == []


def test_removal_and_tombstones(lib: Library) -> None:
    index = lib.index(compact_ratio=0.5)
    index.open()
    segment = f"root-{lib.roots[0]}"
    items = [i for i in sorted(lib.vectors) if lib.segment(i) == segment]
    index.update("items", segment, {}, [items[0], 999_999])  # unknown keys are ignored
    assert all(key != items[0] for key, _ in index.search("items", lib.vectors[items[0]], 5))
    assert index.count("items") == 39
    gen = VectorStore(lib.database.db).published(MODEL)
    assert next(g for g in gen if (g.family, g.segment) == ("items", segment)).tombstones == 1
    replaced = lib.embed(items[1])
    index.update("items", segment, {items[1]: replaced[0]}, [])
    gen = VectorStore(lib.database.db).published(MODEL)
    record = next(g for g in gen if (g.family, g.segment) == ("items", segment))
    assert record.tombstones == 2 and record.size == 19


def test_compaction_rebuilds_the_segment_from_sqlite(lib: Library) -> None:
    index = lib.index(compact_ratio=0.2)  # 20 vectors: the 5th tombstone compacts
    index.open()
    segment = f"root-{lib.roots[0]}"
    items = [i for i in sorted(lib.vectors) if lib.segment(i) == segment]
    tombstones = []
    for item in items[:5]:
        lib.reembed(index, item)
        gens = VectorStore(lib.database.db).published(MODEL)
        record = next(g for g in gens if (g.family, g.segment) == ("items", segment))
        tombstones.append(record.tombstones)
    assert tombstones == [1, 2, 3, 4, 0]
    for item in items[:5]:
        assert top(index, lib.vectors[item])[0] == item
    assert index.check() == []


def test_update_touches_only_its_segment_and_deletes_retired_files(lib: Library) -> None:
    index = lib.index()
    index.open()
    before = lib.published()
    files_before = {p.name for p in lib.dir.glob("*.usearch")}
    item = next(i for i in sorted(lib.vectors) if lib.segment(i) == f"root-{lib.roots[1]}")
    index.update("items", f"root-{lib.roots[1]}", {item: lib.embed(item)[0]}, [])
    after = lib.published()
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {("items", f"root-{lib.roots[1]}")}
    files_after = {p.name for p in lib.dir.glob("*.usearch")}
    assert len(files_after) == 4 and len(files_before - files_after) == 1
    retired = VectorStore(lib.database.db).retired_files()
    assert retired == []  # deleted and forgotten


def test_emptied_segment_is_retired(lib: Library) -> None:
    index = lib.index(compact_ratio=1000.0)  # no compaction: SQLite still has them
    index.open()
    segment = f"root-{lib.roots[0]}"
    items = [i for i in sorted(lib.vectors) if lib.segment(i) == segment]
    index.update("items", segment, {}, items)
    assert ("items", segment) not in lib.published()
    assert index.count("items") == 20
    assert len(list(lib.dir.glob("*.usearch"))) == 3


def test_rebuild_publishes_new_generations_with_progress(lib: Library) -> None:
    index = lib.index()
    index.open()
    before = lib.published()
    seen: list[tuple[int, int]] = []
    index.rebuild(lambda done, total: seen.append((done, total)))
    after = lib.published()
    assert set(after) == set(before) and all(after[k] > before[k] for k in after)
    assert seen[-1] == (80, 80)
    assert len(list(lib.dir.glob("*.usearch"))) == 4
    assert index.snapshot().generations == tuple(sorted(after.values()))
    assert index.check() == []


# --- reconciling with SQLite --------------------------------------------------------------------


def test_open_reconciles_missing_stale_and_changed_keys(lib: Library) -> None:
    index = lib.index()
    index.open()
    index.close()
    # Behind the index's back: a new item, an item moved to the other root, a re-embedded one.
    added = lib.add_item(lib.roots[0])
    moved = next(i for i in sorted(lib.vectors) if lib.segment(i) == f"root-{lib.roots[0]}")
    with lib.database.write() as db:
        db.conn.execute("UPDATE files SET root_id = ? WHERE item_id = ?", (lib.roots[1], moved))
    changed = sorted(lib.vectors)[-3]
    lib.embed(changed)
    problems = lib.index().check()
    assert problems and any("missing" in p for p in problems)

    reopened = lib.index()
    messages = reopened.open()
    assert any("differs from SQLite" in m for m in messages)
    assert reopened.check() == []
    assert top(reopened, lib.vectors[added]) == (added, pytest.approx(1.0, abs=1e-3))
    assert top(reopened, lib.vectors[changed])[0] == changed
    by_segment = reopened.snapshot().segment("items", f"root-{lib.roots[1]}")
    assert by_segment is not None and moved in by_segment.index
    # Consistent now: opening again repairs nothing.
    assert lib.index().open() == []


def test_open_deletes_leftovers_of_a_crash(lib: Library) -> None:
    index = lib.index()
    index.open()
    prefix = next(lib.dir.glob("*.usearch")).name.split(".")[0]
    (lib.dir / f"{prefix}.items.root-1.g99.usearch.tmp").write_bytes(b"half")
    (lib.dir / f"{prefix}.items.root-1.g98.usearch").write_bytes(b"never published")
    (lib.dir / "other-model.items.root-1.g1.usearch").write_bytes(b"not ours")
    messages = lib.index().open()
    assert sum("leftover" in m for m in messages) == 2
    assert (lib.dir / "other-model.items.root-1.g1.usearch").exists()


# --- snapshots ----------------------------------------------------------------------------------


def test_snapshot_answers_from_its_own_generation(lib: Library) -> None:
    index = lib.index()
    index.open()
    item = sorted(lib.vectors)[0]
    segment = lib.segment(item)
    old = lib.vectors[item]
    before = index.snapshot()
    old_file = lib.file_of("items", segment)
    new = lib.embed(item)[0]
    index.update("items", segment, {item: new}, [])
    assert not old_file.exists()  # retired and deleted: the snapshot holds it in memory
    assert before.search("items", old, 1)[0][0] == item
    assert before.search("items", new, 1)[0][0] != item
    assert index.search("items", new, 1)[0][0] == item
    assert before.generations != index.snapshot().generations


def test_each_concurrent_result_set_comes_from_one_generation(lib: Library) -> None:
    index = lib.index()
    index.open()
    segment = f"root-{lib.roots[0]}"
    first, second = [i for i in sorted(lib.vectors) if lib.segment(i) == segment][:2]
    versions = [(unit(lib.rng)[0], unit(lib.rng)[0]) for _ in range(12)]
    generation_of: dict[int, int] = {}  # generation id -> version published in it
    observed: list[tuple[int, int]] = []
    done = threading.Event()
    errors: list[str] = []

    def reader() -> None:
        while not done.is_set():
            snap = index.snapshot()
            held = snap.segment("items", segment)
            assert held is not None
            hits = [
                n
                for n, (a, b) in enumerate(versions)
                if snap.search("items", a, 1)[0][0] == first
                and snap.search("items", b, 1)[0][0] == second
            ]
            if len(hits) > 1:
                errors.append(f"versions {hits} visible at once")
            observed.append((held.generation.id, hits[0] if hits else -1))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n, (a, b) in enumerate(versions):
            with lib.database.write() as db:
                VectorStore(db).save(MODEL, first, f"v{n}", a[None, :])
                VectorStore(db).save(MODEL, second, f"v{n}", b[None, :])
            index.update("items", segment, {first: a, second: b}, [])
            held = index.snapshot().segment("items", segment)
            assert held is not None
            generation_of[held.generation.id] = n
    finally:
        done.set()
        thread.join()
    assert not errors
    assert observed
    for generation, version in observed:
        assert generation_of.get(generation, -1) == version


# --- corruption ---------------------------------------------------------------------------------


def _corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncate":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "bitflip":
        data[len(data) * 2 // 3] ^= 0x10
        path.write_bytes(bytes(data))
    elif how == "zerofill":
        path.write_bytes(bytes(len(data)))
    elif how == "delete":
        path.unlink()


@pytest.mark.parametrize("how", ["truncate", "bitflip", "zerofill", "delete"])
@pytest.mark.parametrize("family", ["items", "chunks"])
def test_corrupt_file_is_detected_and_rebuilt_from_sqlite(
    lib: Library, how: str, family: str
) -> None:
    index = lib.index()
    index.open()
    index.close()
    segment = f"root-{lib.roots[0]}"
    damaged = lib.file_of(family, segment)
    _corrupt(damaged, how)
    rows_before = lib.rows()
    problems = lib.index().check()
    assert len(problems) == 1 and damaged.name in problems[0]

    reopened = lib.index()
    messages = reopened.open()
    expected = "missing" if how == "delete" else "checksum"
    assert any(damaged.name in m and expected in m for m in messages), messages
    assert any("rebuilding" in m for m in messages)
    repaired = lib.file_of(family, segment)
    assert repaired.name != damaged.name and not damaged.exists()
    gen = VectorStore(lib.database.db).published(MODEL)
    record = next(g for g in gen if (g.family, g.segment) == (family, segment))
    assert file_checksum(repaired) == record.checksum and record.tombstones == 0
    for item, vector in lib.vectors.items():
        assert top(reopened, vector, family)[0] == (item if family == "items" else item * 1024)
    assert reopened.check() == []
    assert lib.rows() == rows_before  # vectors came from SQLite: nothing re-embedded


def test_a_key_both_upserted_and_removed_follows_sqlite(lib: Library) -> None:
    index = lib.index()
    index.open()
    segment = f"root-{lib.roots[0]}"
    item = next(i for i in sorted(lib.vectors) if lib.segment(i) == segment)
    rows = lib.embed(item, chunks=2)  # now two chunks: chunk 0 leaves the chunks family
    upserts = {chunk_key(item, n): rows[n] for n in range(3)}
    index.update("chunks", segment, upserts, [chunk_key(item, 0)])
    index.update("items", segment, {item: rows[0]}, [])
    held = index.snapshot().segment("chunks", segment)
    assert held is not None
    assert chunk_key(item, 0) not in held.index
    assert chunk_key(item, 1) in held.index and chunk_key(item, 2) in held.index
    assert index.check() == []
    single = lib.embed(item)  # back to one chunk: chunk 0 returns, 1 and 2 go
    keys = [chunk_key(item, n) for n in range(3)]
    index.update("chunks", segment, {k: single[0] for k in keys}, keys)
    index.update("items", segment, {item: single[0]}, [])
    held = index.snapshot().segment("chunks", segment)
    assert held is not None and [k in held.index for k in keys] == [True, False, False]
    assert index.check() == []


def test_updating_inside_a_write_transaction_is_refused(lib: Library) -> None:
    index = lib.index()
    index.open()
    item = sorted(lib.vectors)[0]
    with lib.database.write(), pytest.raises(RuntimeError):
        index.update("items", lib.segment(item), {item: lib.vectors[item]}, [])


# --- one writer across processes ------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path

import numpy as np

from engine.embed.index import VectorIndex
from engine.embed.writer_lock import writer_lock
from engine.store.db import Database
from engine.store.vectors import VectorStore, chunk_key

data, item, segment = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
database = Database(data / "library.sqlite3")
index = VectorIndex(database, data / "index", "test-model", 384)
assert writer_lock(data / "index").acquire()  # this process is the writer until it exits
index.open()
prefix = index._prefix
# A generation being written and one written but not yet published, as a writer leaves them.
(data / "index" / f"{prefix}.items.{segment}.g998.usearch").write_bytes(b"unpublished")
(data / "index" / f"{prefix}.items.{segment}.g999.usearch.tmp").write_bytes(b"half")
vector = np.random.default_rng(99).standard_normal((1, 384)).astype(np.float32)
vector /= np.linalg.norm(vector)
with database.write() as db:
    VectorStore(db).save("test-model", item, "rewritten", vector)
index.update("items", segment, {item: vector[0]}, [])
index.update("chunks", segment, {chunk_key(item, 0): vector[0]}, [])
np.save(data / "vector.npy", vector[0])
print("ready", flush=True)
sys.stdin.readline()
writer_lock(data / "index").release()
"""


def test_a_second_process_reads_follows_and_never_sweeps(lib: Library, tmp_path: Path) -> None:
    reader = lib.index()
    reader.open()  # no other process yet: builds the index
    item = sorted(lib.vectors)[3]
    segment = lib.segment(item)
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(item), segment],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        strays = sorted(lib.dir.glob("*.g99[89].usearch*"))
        assert len(strays) == 2
        # The other process published a new generation: the reader answers from it.
        vector = np.load(tmp_path / "vector.npy")
        assert top(reader, vector) == (item, pytest.approx(1.0, abs=1e-3))
        # A new reader opens without repairing or deleting anything, and may not write.
        late = lib.index()
        assert late.open() == []
        assert all(p.exists() for p in strays)
        assert top(late, vector)[0] == item
        with pytest.raises(IndexBusy) as busy:
            late.update("items", segment, {item: vector}, [])
        assert busy.value.pid == child.pid
        assert late.check() == []
        child.stdin.write("done\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    # The writer is gone: the next open is the writer, and sweeps what no generation names.
    messages = lib.index().open()
    assert sorted(m for m in messages if "leftover" in m) == [
        f"deleted leftover index file {p.name}" for p in strays
    ]
    assert not any(p.exists() for p in strays)
