"""The vector index stays consistent when items change folders or are forgotten.

The index keeps one segment per library folder (the folder of an item's first file). Folder
changes — a removed folder's files reattached at a new path, `library move`, an offline drive
added at its new path, `library remove --forget` — must reach the index in the next indexing
pass, so `reelcast doctor` is clean right after it (not only once reopening the index mended it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from engine.library import Library
from engine.store.vectors import VectorStore
from tests.engine.test_cli import reelcast
from tests.engine.test_worker import wait_for
from tests.mediagen import make_audio

TOPICS = {
    "Glaciers": "How ice sheets carve valleys over millennia.",
    "Opera": "Verdi, Puccini and the Italian stage.",
    "Jazz": "Bebop in New York clubs after the war.",
}


def _episodes(folder: Path, topics: dict[str, str] = TOPICS) -> list[Path]:
    show = folder / "Science Hour"
    show.mkdir(parents=True)
    return [
        make_audio(
            show / f"{n}.mp3",
            seconds=0.2 + 0.1 * n,
            title=title,
            show="Science Hour",
            description=text,
            podcast=True,
        )
        for n, (title, text) in enumerate(topics.items())
    ]


def _ids(library: Library) -> dict[str, int]:
    return {str(item["title"]): int(item["id"]) for item in library.items()}


def _doctor(data: Path) -> dict[str, Any]:
    """`reelcast doctor --json` in a fresh process: it opens the index as a user's run would."""
    run = reelcast(data, "doctor", "--json")
    report: dict[str, Any] = json.loads(run.stdout)
    assert (run.returncode, report["problems"]) == (0, []), run.stdout
    return report


def _segments(library: Library) -> dict[str, set[str]]:
    """family -> segments with a published index generation."""
    model = library.model().embedder.model_id
    out: dict[str, set[str]] = {}
    for gen in VectorStore(library.database.db).published(model):
        out.setdefault(gen.family, set()).add(gen.segment)
    return out


def _in_process_check(library: Library) -> None:
    assert library.model().index.check() == []


def test_removed_folder_added_at_a_new_path_leaves_the_index_consistent(tmp_path: Path) -> None:
    old = tmp_path / "media" / "usb0"
    _episodes(old)
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        root = library.add_root(old, "podcast")
        library.scan()
        library.index_now()
        ids = _ids(library)
        library.remove_root(root.id)
        new = tmp_path / "media" / "usb1"
        os.rename(old, new)
        added = library.add_root(new, "podcast")
        assert library.scan().moved == len(TOPICS)
        _scanned, embedded = library.index_now()
        assert _ids(library) == ids and embedded.embedded == 0  # moved, not re-embedded
        _in_process_check(library)
        assert _segments(library) == {
            "items": {f"root-{added.id}"},
            "chunks": {f"root-{added.id}"},
        }
    _doctor(data)


def test_library_move_then_index_leaves_the_index_consistent(tmp_path: Path) -> None:
    old = tmp_path / "Old"
    _episodes(old)
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        root = library.add_root(old, "podcast")
        library.scan()
        library.index_now()
        new = tmp_path / "New"
        os.rename(old, new)
        library.add_root(new, "podcast")  # added first, never scanned: folded into the move
        library.move_root(root.id, new)
        library.scan()
        library.index_now()
        _in_process_check(library)
    _doctor(data)


def test_forget_then_index_drops_the_deleted_items_and_moves_the_shared_one(
    tmp_path: Path,
) -> None:
    podcasts = tmp_path / "Podcasts"
    files = _episodes(podcasts)
    other = tmp_path / "Other"
    other.mkdir()
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        root = library.add_root(podcasts, "podcast")
        library.scan()
        # Glaciers also lives in a second folder, scanned later: its first file stays in the
        # forgotten folder until the forget.
        (other / "copy.mp3").write_bytes(files[0].read_bytes())
        kept = library.add_root(other, "podcast")
        library.scan()
        library.index_now()
        ids = _ids(library)
        counts = library.forget_root(root.id)
        assert counts.items == len(TOPICS) - 1
        assert set(_ids(library)) == {"Glaciers"}
        library.index_now()
        _in_process_check(library)
        assert _segments(library) == {"items": {f"root-{kept.id}"}, "chunks": {f"root-{kept.id}"}}
        snapshot = library.model().index.snapshot()
        assert snapshot.count("items") == 1
        hits = library.model().index.search(
            "items", library.model().embedder.embed(["ice sheets"])[0], 5
        )
        assert [key for key, _ in hits] == [ids["Glaciers"]]
    _doctor(data)


def test_forget_while_watching_reaches_the_index_without_an_index_run(tmp_path: Path) -> None:
    podcasts = tmp_path / "Podcasts"
    _episodes(podcasts)
    other = tmp_path / "Other"
    _episodes(other, {"Tides": "The moon pulls the oceans twice a day."})
    with Library(tmp_path / "data", workers=1) as library:
        root = library.add_root(podcasts, "podcast")
        kept = library.add_root(other, "podcast")
        library.scan()
        library.start_watching()
        try:
            wait_for(
                lambda: library.model_ready and len(_segments(library).get("items", ())) == 2,
                "both folders in the index",
                timeout=120,
            )
            library.forget_root(root.id)  # nothing left to embed: only the segment goes
            wait_for(
                lambda: _segments(library).get("items") == {f"root-{kept.id}"},
                "the worker to retire the forgotten folder's segment",
                timeout=120,
            )
            assert library.model().index.check() == []
        finally:
            library.stop_watching()
