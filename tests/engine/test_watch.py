"""Live watching: real watchdog observers on real temp folders, a real database.

No timing assertions: every wait polls for the expected state with a generous timeout, and
"nothing happened" is shown by a sentinel file queued after the thing that must be ignored.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from engine.paths import to_bytes
from engine.store import Catalog, Database
from engine.store.catalog import Root
from engine.store.changes import ChangeQueue, QueuedChange
from engine.watch import QueueWriter, RootWatcher, WatchSupervisor, settle_due, settled
from engine.watch.observers import filesystem_type, parse_mounts
from engine.watch.why import Why

TIMEOUT = 30.0


def wait_for(predicate: Callable[[], object], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "data" / "library.sqlite3")
    yield db
    db.close()


@pytest.fixture
def root_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    return folder


def add_root(database: Database, folder: Path, kind: str = "podcast") -> Root:
    with database.write() as db:
        return Catalog(db).add_root(to_bytes(folder), kind)


@pytest.fixture
def root(database: Database, root_dir: Path) -> Root:
    return add_root(database, root_dir)


@pytest.fixture
def writer(database: Database) -> Iterator[QueueWriter]:
    w = QueueWriter(database, interval=0.15)
    w.start()
    yield w
    w.stop()


def queued(database: Database) -> dict[bytes, QueuedChange]:
    return {c.path_bytes: c for c in ChangeQueue(database.db).due(0, time.time() + 3600)}


def is_queued(database: Database, path: Path) -> bool:
    return to_bytes(path) in queued(database)


def queued_size(database: Database, path: Path) -> int | None:
    """The size recorded for `path`; None when it is not queued (or was recorded as gone)."""
    change = queued(database).get(to_bytes(path))
    return change.size if change else None


@pytest.fixture
def watch(root: Root, writer: QueueWriter) -> Iterator[Callable[..., RootWatcher]]:
    started: list[RootWatcher] = []

    def make(**kwargs: Any) -> RootWatcher:
        watcher = RootWatcher(root, writer, **kwargs)
        watcher.start()
        started.append(watcher)
        return watcher

    yield make
    for watcher in started:
        watcher.stop()


def settle_writer(writer: QueueWriter) -> None:
    """Wait until what the observer has handed over is written (a sentinel shows it was)."""
    wait_for(lambda: writer.pending() == 0, "the writer to drain")


# --- the queue itself ----------------------------------------------------------------------


def test_queue_debounces_and_ignores_late_events(database: Database, root: Root) -> None:
    path = b"/x/a.mp3"
    with database.write() as db:
        q = ChangeQueue(db)
        q.record(root.id, path, 1, 10, at=100.0)
        q.record(root.id, path, 2, 20, at=105.0)  # a newer event pushes it forward
        q.record(root.id, path, 9, 90, at=101.0)  # a late, older one does not pull it back
        q.record(999, b"/x/orphan.mp3", 1, 1, at=100.0)  # a removed root: dropped
    q = ChangeQueue(database.db)
    assert q.count() == 1
    assert q.get(path) == QueuedChange(root.id, path, 2, 20, 105.0)
    assert q.due(settle_s=10, now=110.0) == []
    assert [c.path_bytes for c in q.due(settle_s=5, now=110.0)] == [path]
    assert q.pending_roots() == {root.id}
    row = q.get(path)
    assert row is not None
    with database.write() as db:
        ChangeQueue(db).record(root.id, path, 3, 30, at=106.0)
        ChangeQueue(db).remove_if_unchanged([row])  # a newer event arrived: kept
    assert ChangeQueue(database.db).count() == 1
    with database.write() as db:
        ChangeQueue(db).remove([path])
    assert ChangeQueue(database.db).count() == 0


# --- events --------------------------------------------------------------------------------


def test_creating_a_media_file_queues_it(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher]
) -> None:
    watcher = watch()
    assert watcher.mode == "realtime"
    assert watcher.is_alive()
    episode = root_dir / "Show" / "ep1.mp3"
    episode.parent.mkdir()
    episode.write_bytes(b"x" * 1000)
    wait_for(
        lambda: queued_size(database, episode) == 1000,
        "ep1.mp3 queued with its size",
    )
    change = queued(database)[to_bytes(episode)]
    assert change.mtime_ns == episode.stat().st_mtime_ns
    assert is_queued(database, episode.parent)  # a new folder counts too


def test_ignored_names_are_not_queued(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher], writer: QueueWriter
) -> None:
    watch()
    (root_dir / "notes.txt").write_text("not media")
    (root_dir / ".hidden.mp3").write_bytes(b"x")
    (root_dir / "Thumbs.db").write_bytes(b"x")
    junk = root_dir / "@eaDir"
    junk.mkdir()
    (junk / "thumb.jpg").write_bytes(b"x")
    (junk / "ep.mp3").write_bytes(b"x")
    hidden = root_dir / ".cache"
    hidden.mkdir()
    (hidden / "ep.mp3").write_bytes(b"x")
    sentinel = root_dir / "sentinel.mp3"
    sentinel.write_bytes(b"x")
    wait_for(lambda: is_queued(database, sentinel), "the sentinel")
    settle_writer(writer)
    assert set(queued(database)) == {to_bytes(sentinel)}


def test_sidecars_are_queued(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher]
) -> None:
    watch()
    for name in ("ep.nfo", "ep.srt", "cover.jpg", "feed.xml"):
        (root_dir / name).write_bytes(b"x")
    wait_for(
        lambda: all(
            is_queued(database, root_dir / n) for n in ("ep.nfo", "ep.srt", "cover.jpg", "feed.xml")
        ),
        "every sidecar",
    )


def test_folder_rename_queues_both_folder_paths(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher]
) -> None:
    show = root_dir / "Show"
    show.mkdir()
    (show / "ep1.mp3").write_bytes(b"x")
    watch()
    renamed = root_dir / "Renamed"
    show.rename(renamed)
    wait_for(
        lambda: is_queued(database, show) and is_queued(database, renamed),
        "both sides of the folder rename",
    )
    old, new = queued(database)[to_bytes(show)], queued(database)[to_bytes(renamed)]
    assert old.size is None  # gone
    assert new.size is not None


def test_file_rename_queues_source_and_destination(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher], writer: QueueWriter
) -> None:
    partial = root_dir / "download.part"
    partial.write_bytes(b"x")
    watch()
    final = root_dir / "episode.mp3"
    partial.rename(final)  # the source is not media: only the destination counts
    wait_for(lambda: is_queued(database, final), "the renamed file")
    settle_writer(writer)
    assert to_bytes(partial) not in queued(database)
    final.unlink()
    wait_for(lambda: queued(database)[to_bytes(final)].size is None, "the deletion")


# --- settling ------------------------------------------------------------------------------


def test_growing_file_is_returned_once_after_it_settles(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher], writer: QueueWriter
) -> None:
    watch()
    target = root_dir / "big.mkv"
    ready_count = 0
    changing_count = 0
    with target.open("wb") as fh:
        for _ in range(4):
            fh.write(b"x" * 4096)
            fh.flush()
            size = target.stat().st_size
            wait_for(partial(lambda s: queued_size(database, target) == s, size), "the chunk")
            rows = ChangeQueue(database.db).due(0, time.time() + 3600)
            fh.write(b"y" * 4096)  # the copy goes on after the event was recorded
            fh.flush()
            ready, changing = settled(rows)
            assert ready == []
            changing_count += len(changing)
            with database.write() as db:
                ChangeQueue(db).record_many(changing)  # pushed forward, not handed over
    final = target.stat().st_size
    wait_for(
        lambda: queued_size(database, target) == final,
        "the final size to be queued",
    )
    settle_writer(writer)
    for _ in range(3):  # the worker's passes: the file comes out exactly once
        ready = settle_due(database, settle_s=0, now=time.time() + 3600)
        ready_count += sum(1 for c in ready if c.path_bytes == to_bytes(target))
        with database.write() as db:
            ChangeQueue(db).remove_if_unchanged(ready)
    assert changing_count == 4
    assert ready_count == 1
    assert ChangeQueue(database.db).count() == 0


def test_settle_deleted_and_folders_are_ready_at_once(root_dir: Path) -> None:
    folder = root_dir / "Show"
    folder.mkdir()
    rows = [
        QueuedChange(1, to_bytes(root_dir / "gone.mp3"), 10, 10, 0.0),
        QueuedChange(1, to_bytes(folder), 0, 0, 0.0),  # folder stat differs: still ready
    ]
    ready, changing = settled(rows)
    assert ready == rows
    assert changing == []


# --- storms --------------------------------------------------------------------------------


def test_event_storm_costs_one_transaction(database: Database, root: Root, root_dir: Path) -> None:
    """Events that come while a write is due are written together: 2,000 files, one commit.

    No clock decides the count: the writer thread starts only once every event of the storm is
    pending (a folder made last is the sentinel: inotify keeps order, and a folder sends no
    later events), so its first flush must take them all.
    """
    writer = QueueWriter(database, interval=0.15)
    watcher = RootWatcher(root, writer)
    watcher.start()
    try:
        for i in range(2000):
            (root_dir / f"ep{i:04}.mp3").write_bytes(b"x")
        (root_dir / "sentinel").mkdir()
        wait_for(lambda: writer.pending() == 2001, "every change handed to the writer", 120)
        assert ChangeQueue(database.db).count() == 0  # nothing written yet: no thread
        writer.start()
        wait_for(lambda: ChangeQueue(database.db).count() == 2001, "the storm written", 120)
        settle_writer(writer)
    finally:
        watcher.stop()
        writer.stop()
    print(f"storm: 2001 changes -> {writer.transactions} transactions")
    assert (writer.transactions, writer.written) == (1, 2001)


# --- polling -------------------------------------------------------------------------------


def test_force_polling_reports_mode_and_still_sees_changes(
    database: Database, root_dir: Path, watch: Callable[..., RootWatcher]
) -> None:
    watcher = watch(force_polling=True, polling_interval=0.1)
    assert watcher.mode == "polling"
    assert watcher.why == Why("polling_requested", {"interval": 0.1})
    assert "polling" in watcher.reason
    episode = root_dir / "ep.mp3"
    episode.write_bytes(b"x")
    wait_for(lambda: is_queued(database, episode), "a polled change")
    show = root_dir / "Show"
    show.mkdir()
    renamed = root_dir / "Renamed"
    wait_for(lambda: is_queued(database, show), "the polled folder")
    show.rename(renamed)
    wait_for(lambda: is_queued(database, renamed), "the polled folder rename")


def test_network_filesystem_falls_back_to_polling(
    database: Database, root_dir: Path, tmp_path: Path, watch: Callable[..., RootWatcher]
) -> None:
    # A mount table (in mountinfo format) saying the root's folder is an SMB share.
    point = str(root_dir).replace(" ", "\\040")
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        f"90 22 0:50 / {point} rw,relatime - cifs //nas/media rw,vers=3.0\n"
    )
    assert filesystem_type(to_bytes(root_dir / "x"), str(mountinfo)) == "cifs"
    watcher = watch(mountinfo=str(mountinfo), polling_interval=0.1)
    assert watcher.mode == "polling"
    # As data for the desktop to word, and in English for the CLI.
    assert watcher.why == Why("remote_fs", {"fstype": "cifs", "fuse": False, "interval": 0.1})
    assert watcher.reason == "network filesystem (cifs); polling every 0.1 s"
    episode = root_dir / "ep.mp3"
    episode.write_bytes(b"x")
    wait_for(lambda: is_queued(database, episode), "a polled change on the 'share'")


def test_mount_table_parsing() -> None:
    mountinfo = (
        b"36 35 98:0 /mnt1 /mnt/my\\040share rw,noatime master:1 - fuse.sshfs host:/ rw\n"
        b"37 35 98:0 / /media/disk rw - fuseblk /dev/sdb1 rw\n"
    )
    assert parse_mounts(mountinfo) == [
        (b"/mnt/my share", "fuse.sshfs"),
        (b"/media/disk", "fuseblk"),
    ]
    assert parse_mounts(b"server:/export /mnt/nfs nfs4 rw 0 0\n") == [(b"/mnt/nfs", "nfs4")]


def test_inotify_instance_exhaustion_falls_back_to_polling(tmp_path: Path) -> None:
    """Run out of file descriptors for real (RLIMIT_NOFILE, in a child process) so that
    creating the inotify observer fails with EMFILE; the watcher must fall back to polling."""
    folder = tmp_path / "root"
    folder.mkdir()
    script = textwrap.dedent(
        f"""
        import os, resource, sys, time
        from engine.store.catalog import Root
        from engine.watch.observers import RootWatcher
        import watchdog.observers.inotify, watchdog.observers.polling  # import before the squeeze
        got = []
        root = Root(1, {bytes(to_bytes(folder))!r}, {str(folder)!r}, "podcast", "online", None)
        watcher = RootWatcher(root, got.append, polling_interval=0.1)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        hog = []
        try:
            while True:
                hog.append(os.open(os.devnull, os.O_RDONLY))
        except OSError:
            pass
        for fd in hog[-2:]:  # room for inotify_init but not its wake-up pipe; then one for scandir
            os.close(fd)
        watcher.start()
        for fd in hog[:-2]:
            os.close(fd)
        print(watcher.mode)
        print(watcher.why.kind + " " + watcher.reason)
        open(os.path.join({str(folder)!r}, "ep.mp3"), "wb").close()
        deadline = time.monotonic() + 30
        while not got and time.monotonic() < deadline:
            time.sleep(0.05)
        print(len(got) > 0)
        watcher.stop()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    mode, reason, saw = done.stdout.strip().splitlines()[-3:]
    assert mode == "polling"
    assert reason.startswith("instance_limit ")
    assert "max_user_instances" in reason or "open files" in reason
    assert saw == "True"


# --- symlinks ------------------------------------------------------------------------------


@pytest.mark.parametrize("polling", [False, True], ids=["realtime", "polling"])
def test_symlinked_folder_outside_the_root_is_not_followed(
    database: Database,
    root_dir: Path,
    tmp_path: Path,
    watch: Callable[..., RootWatcher],
    writer: QueueWriter,
    polling: bool,
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "sub").mkdir(parents=True)
    (root_dir / "linked").symlink_to(outside, target_is_directory=True)
    watch(force_polling=polling, polling_interval=0.1)
    (outside / "new.mp3").write_bytes(b"x")
    (outside / "sub" / "deep.mp3").write_bytes(b"x")
    (outside / "Folder").mkdir()
    sentinel = root_dir / "sentinel.mp3"
    sentinel.write_bytes(b"x")
    wait_for(lambda: is_queued(database, sentinel), "the sentinel")
    settle_writer(writer)
    assert set(queued(database)) == {to_bytes(sentinel)}


def test_symlinked_root_is_watched_at_its_target(
    database: Database, tmp_path: Path, writer: QueueWriter
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "LinkedRoot"
    link.symlink_to(real, target_is_directory=True)
    root = add_root(database, link)
    watcher = RootWatcher(root, writer)
    watcher.start()
    try:
        (real / "ep.mp3").write_bytes(b"x")
        # Queued under the root's own spelling, as the scanner stores it.
        wait_for(lambda: is_queued(database, link / "ep.mp3"), "the change under the link")
    finally:
        watcher.stop()


# --- the supervisor ------------------------------------------------------------------------


class Reconciles:
    def __init__(self) -> None:
        self.calls: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, root_id: int) -> None:
        with self._lock:
            self.calls.append(root_id)

    def count(self, root_id: int) -> int:
        with self._lock:
            return self.calls.count(root_id)


def roots_of(database: Database) -> Callable[[], list[Root]]:
    return lambda: Catalog(database.db).roots()


def test_supervisor_restarts_a_killed_observer_and_reconciles(
    database: Database, root: Root, root_dir: Path, writer: QueueWriter
) -> None:
    reconciles = Reconciles()
    sup = WatchSupervisor(roots_of(database), writer, reconciles, check_every=0.05)
    sup.start()
    try:
        wait_for(lambda: [s.alive for s in sup.status()] == [True], "the first watcher")
        assert reconciles.count(root.id) == 0
        sup.kill_observer(root.id)
        wait_for(
            lambda: [(s.alive, s.restarts) for s in sup.status()] == [(True, 1)],
            "the restart",
        )
        wait_for(lambda: reconciles.count(root.id) == 1, "the reconcile after the restart")
        episode = root_dir / "after-restart.mp3"
        episode.write_bytes(b"x")
        wait_for(lambda: is_queued(database, episode), "events from the new observer")
    finally:
        sup.stop()


def test_supervisor_reconciles_periodically(
    database: Database, root: Root, writer: QueueWriter
) -> None:
    reconciles = Reconciles()
    sup = WatchSupervisor(
        roots_of(database), writer, reconciles, check_every=0.05, reconcile_every=0.2
    )
    sup.start()
    try:
        wait_for(lambda: reconciles.count(root.id) >= 3, "three periodic reconciles")
    finally:
        sup.stop()


def test_supervisor_status_and_root_changes(
    database: Database, root: Root, root_dir: Path, tmp_path: Path, writer: QueueWriter
) -> None:
    sup = WatchSupervisor(
        roots_of(database),
        writer,
        Reconciles(),
        check_every=0.05,
        force_polling=True,
        polling_interval=0.1,
    )
    sup.start()
    try:
        wait_for(lambda: len(sup.status()) == 1 and sup.status()[0].alive, "the watcher")
        (status,) = sup.status()
        assert status.root_id == root.id
        assert status.path == str(root_dir)
        assert status.mode == "polling"
        assert status.why == Why("polling_requested", {"interval": 0.1})
        assert status.reason == "polling requested; polling every 0.1 s"
        assert status.restarts == 0

        videos = tmp_path / "Videos"
        videos.mkdir()
        second = add_root(database, videos, "video")
        sup.check_now()
        wait_for(
            lambda: [s.root_id for s in sup.status() if s.alive] == [root.id, second.id],
            "the added root",
        )

        with database.write() as db:
            Catalog(db).set_root_state(second.id, "offline")
        wait_for(lambda: [s.root_id for s in sup.status()] == [root.id], "the offline root dropped")

        missing = add_root(database, tmp_path / "NotThere", "video")
        wait_for(
            # The dead watcher and its reason are two updates: wait for both.
            lambda: any(
                s.root_id == missing.id and not s.alive and s.why.kind == "folder_missing"
                for s in sup.status()
            ),
            "the unwatchable root reported",
        )
        (bad,) = [s for s in sup.status() if s.root_id == missing.id]
        assert bad.reason == "not watching: library folder not found"
    finally:
        sup.stop()


def test_stop_is_idempotent_and_leaves_no_threads(
    database: Database, root: Root, root_dir: Path
) -> None:
    baseline = set(threading.enumerate())
    writer = QueueWriter(database)
    writer.start()
    sup = WatchSupervisor(roots_of(database), writer, Reconciles(), check_every=0.05)
    sup.start()
    wait_for(lambda: [s.alive for s in sup.status()] == [True], "the watcher")
    (root_dir / "ep.mp3").write_bytes(b"x")
    wait_for(lambda: ChangeQueue(database.db).count() == 1, "a change")
    assert len(set(threading.enumerate()) - baseline) >= 3  # supervisor, observer, writer...
    sup.stop()
    sup.stop()
    writer.stop()
    writer.stop()
    assert set(threading.enumerate()) - baseline == set()
    assert sup.status() == []
