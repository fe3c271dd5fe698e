"""An event storm against the live watcher: copy in 2,000 files, rename their folder, delete
half. Once it settles the catalogue matches the disk and nothing was embedded twice."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

from engine.library import Library
from engine.store.embedding import EmbedBook
from tests.mediagen import audio_template, clone_with_tags
from tests.reliability.conftest import embedded_twice, install_embed_audit
from tests.textgen import description

FILES = 2000


def _settled(library: Library) -> bool:
    status = library.indexing_status()
    return (
        status is not None
        and status.worker.state == "idle"
        and library.queued_changes() == 0
        and library._watch is not None
        and library._watch.writer.pending() == 0
    )


def _present(library: Library) -> set[str]:
    return {
        f["path"]
        for item in library.items()
        for f in (library.item(int(item["id"])) or {"files": []})["files"]
        if not f["missing"]
    }


def test_event_storm_settles_to_the_disk(tmp_path: Path) -> None:
    rng = random.Random(7)
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    data = tmp_path / "data"
    with Library(data, workers=2) as library:
        library.add_root(folder, "podcast")
        library.update_settings(settle_seconds=0.3)
        install_embed_audit(data / "library.sqlite3")
        library.start_watching()
        deadline = time.monotonic() + 120
        while not (library.model_ready and _settled(library)):
            assert time.monotonic() < deadline, "the worker never became idle"
            time.sleep(0.1)

        incoming = folder / "Incoming"
        incoming.mkdir()
        template = audio_template(seconds=0.2)
        for n in range(FILES):
            clone_with_tags(
                template,
                incoming / f"storm {n:04d}.mp3",
                title=f"Storm {n}",
                show="Storm",
                description=description(rng, n),
            )
        archive = folder / "Archive"
        incoming.rename(archive)
        survivors = sorted(archive.iterdir())
        for path in survivors[::2]:
            path.unlink()
        on_disk = {str(p) for p in archive.iterdir()}
        assert len(on_disk) == FILES // 2

        # Wait on the outcome itself (the catalogue matches the disk, nothing left to embed, the
        # worker idle with an empty queue), not on a quiet period: on a loaded machine watchdog
        # events can arrive seconds late, and a timed quiet spell would end the wait too early.
        model_id = library.model().embedder.model_id
        deadline = time.monotonic() + 600
        while not (
            _settled(library)
            and _present(library) == on_disk
            and EmbedBook(library.database.db).stale_items(model_id) == []
        ):
            assert time.monotonic() < deadline, "the storm never settled"
            time.sleep(0.1)

        assert EmbedBook(library.database.db).stale_items(model_id) == []
        assert library.model().index.check() == []
        states = Counter(str(i["state"]) for i in library.items())
        # Deleted files that had been catalogued stay as missing items; none is lost.
        assert states["ok"] == FILES // 2
        assert set(states) <= {"ok", "missing"}
        top = library.search(library.items(limit=1)[0]["description"], k=1)
        assert top and top[0]["show"] == "Storm"
    assert embedded_twice(data / "library.sqlite3") == []
