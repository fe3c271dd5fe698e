"""The watcher and index worker end to end: real watchdog events, the real model, real index."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.library import Library
from engine.watch.worker import WorkerStatus
from tests.mediagen import make_audio

WAIT = 60.0  # generous: CI machines are slow and noisy; nothing here is a speed assertion


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Library, Path]]:
    folder = tmp_path / "Podcasts"
    (folder / "Science").mkdir(parents=True)
    make_audio(
        folder / "Science" / "lungs.mp3",
        seconds=0.2,
        title="The Evolution of Lungs",
        show="Science",
        description="How fish learned to breathe air.",
    )
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(folder, "podcast")
    lib.scan()
    lib.update_settings(settle_seconds=0.2)
    yield lib, folder
    lib.close()


class Passes:
    """The worker's status reports, as `on_status`: when each pass ended, by its state.

    "Nothing happened" is shown by passes the worker made, never by sleeping a while: a pass
    that began after the changes settled had its chance to take them.
    """

    def __init__(self) -> None:
        self._ends: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    def __call__(self, status: WorkerStatus) -> None:
        if status.state in ("idle", "paused"):
            with self._lock:
                self._ends.append((time.time(), status.state))

    def since(self, moment: float, state: str) -> int:
        with self._lock:
            return sum(1 for at, s in self._ends if at >= moment and s == state)


def titles(results: list[dict[str, object]]) -> list[object]:
    return [r["title"] for r in results]


def test_a_new_file_becomes_searchable_in_immediate_mode(watched: tuple[Library, Path]) -> None:
    library, folder = watched
    library.start_watching()
    wait_for(lambda: library.model_ready and library.queued_changes() == 0, "the model")
    wait_for(lambda: bool(library.search("lungs breathe")), "the first item in the index")

    make_audio(
        folder / "Science" / "volcanoes.mp3",
        seconds=0.2,
        title="Volcanoes",
        show="Science",
        description="Magma chambers and eruptions of Vesuvius.",
    )
    wait_for(
        lambda: "Volcanoes" in titles(library.search("eruption of a mountain", k=3)),
        "the new file in semantic search",
    )
    status = library.indexing_status()
    assert status is not None
    assert status.worker.mode == "immediate"
    assert [w.mode for w in status.watchers] == ["realtime"]
    # The file may be seen half-written first; once settled, its tags are what is indexed.
    wait_for(
        lambda: (
            [(r["title"], r["keyword"] > 0) for r in library.search("Vesuvius", k=1)]
            == [("Volcanoes", True)]
        ),
        "the tagged version in keyword search",
    )
    # Keyword search sees the scan at once; the vector follows when the embed step publishes.
    wait_for(
        lambda: (
            [
                (r["title"], (r["similarity"] or 0) > 0.3)
                for r in library.search("volcanic eruption near Naples", k=1)
            ]
            == [("Volcanoes", True)]
        ),
        "the tagged version in semantic search",
    )


def batch_titles(library: Library) -> list[str]:
    return sorted(
        str(t) for t in titles(library.search("Batch", k=5)) if str(t).startswith("Batch")
    )


def test_batched_mode_waits_for_n_changes(watched: tuple[Library, Path]) -> None:
    library, folder = watched
    library.update_settings(index_mode="batched", batch_changes=3, batch_seconds=3600)
    passes = Passes()
    library.start_watching(passes)
    wait_for(lambda: library.model_ready, "the model")
    for n in range(2):
        make_audio(folder / f"b{n}.mp3", seconds=0.2, title=f"Batch {n}")
    wait_for(lambda: library.queued_changes() == 2, "two queued changes")
    # Settled, but fewer than 3: a pass that starts after the settle time takes nothing. The
    # second report after it comes from a pass that began after it.
    settled_at = time.time() + library.settings().settle_seconds
    wait_for(lambda: passes.since(settled_at, "idle") >= 2, "two passes after settling")
    assert library.queued_changes() == 2
    assert not batch_titles(library)
    make_audio(folder / "b2.mp3", seconds=0.2, title="Batch 2")
    wait_for(lambda: library.queued_changes() == 0, "the batch to be processed")
    assert batch_titles(library) == ["Batch 0", "Batch 1", "Batch 2"]


def test_pause_keeps_changes_queued_until_resume(watched: tuple[Library, Path]) -> None:
    library, folder = watched
    passes = Passes()
    library.start_watching(passes)
    wait_for(lambda: library.model_ready, "the model")
    library.pause_indexing()
    make_audio(folder / "paused.mp3", seconds=0.2, title="Paused Episode")
    wait_for(lambda: library.queued_changes() == 1, "the change in the queue")
    settled_at = time.time() + library.settings().settle_seconds
    wait_for(lambda: passes.since(settled_at, "paused") >= 2, "two paused passes after settling")
    assert library.queued_changes() == 1
    status = library.indexing_status()
    assert status is not None and status.worker.state == "paused"
    library.resume_indexing()
    wait_for(
        lambda: [r["title"] for r in library.search("Paused Episode", k=1)] == ["Paused Episode"],
        "the change after resume",
    )


# The crash is real: the observer thread dies of InjectedCrash, which pytest reports.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_observer_is_restarted_and_reconciled(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.update_settings(settle_seconds=0.2)
        library.start_watching()
        wait_for(lambda: library.model_ready, "the model")
        service = library._watch
        assert service is not None
        wait_for(lambda: bool(service.supervisor.status()), "a watcher")
        # A real crash: the observer thread dies of an exception on the next event, and that
        # event (this file) is lost with it; only the reconciling rescan can find the file.
        service.supervisor.crash_observer(library.roots()[0].id)
        make_audio(folder / "missed.mp3", seconds=0.2, title="Missed While Down")
        wait_for(
            lambda: (
                [r["title"] for r in library.search("Missed While Down")] == ["Missed While Down"]
            ),
            "the reconciled change",
        )
        (status,) = service.supervisor.status()
        assert status.restarts == 1 and status.alive
