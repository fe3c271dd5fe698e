"""One index writer per data directory, across processes: an OS file lock.

The process holding the lock is the writer: it embeds, publishes index generations and sweeps
files. Any other process (the app beside `reelcast watch`, a second `reelcast index`) reads the
published generations and leaves its work in the durable change queue, or refuses. The OS drops
the lock when its holder dies, however it dies, so a crashed writer never blocks the next one.

Inside one process the lock is counted, not exclusive: the app's worker thread and a model
switch on another thread belong to the same writer (the in-process locks serialise them).

A session is the time between taking the lock and giving it back. A small state file records
whether the last session ended cleanly; the next writer repairs the index from SQLite when it
did not (a writer killed between saving vectors and publishing them).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

LOCK_NAME = "writer.lock"
HOLDER_READS = 20
HOLDER_WAIT_S = 0.05
STATE_NAME = "writer.json"


class IndexBusy(Exception):
    """Another process is the index writer for this library."""

    def __init__(self, pid: int | None, directory: Path) -> None:
        self.pid = pid
        self.directory = directory
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"Reelcast is indexing this library in {who}")


class WriterLock:
    """Use `writer_lock(directory)`: one object per directory and process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file_lock = FileLock(str(directory / LOCK_NAME), thread_local=False)
        self._state = directory / STATE_NAME
        self._mutex = threading.Lock()
        self._count = 0
        self.session = 0  # bumped at every session start; indexes compare it with theirs
        self.after_crash = False  # the session before this one did not end cleanly
        self._repaired = False  # ...and an index repaired itself from SQLite in this one

    @property
    def held(self) -> bool:
        """This process is the writer now."""
        return self._count > 0

    def acquire(self, wait: bool = False, cancelled: Callable[[], bool] | None = None) -> bool:
        """Become (or stay) the writer; False when another process is and `wait` is False.

        With `wait`, blocks until the other writer lets go or `cancelled()` turns true."""
        with self._mutex:
            if self._count:
                self._count += 1
                return True
            self.directory.mkdir(parents=True, exist_ok=True)
            while True:
                try:
                    self._file_lock.acquire(timeout=0.2 if wait else 0)
                    break
                except Timeout:
                    if not wait or (cancelled is not None and cancelled()):
                        return False
            self._count = 1
            self.session += 1
            self.after_crash = not self._read_state().get("clean", True)
            self._repaired = False
            self._write_state({"pid": os.getpid(), "clean": False}, durable=True)
            if self.after_crash:
                log.warning("the previous index writer did not finish cleanly; repairing")
            return True

    def release(self) -> None:
        with self._mutex:
            if not self._count:
                return
            self._count -= 1
            if self._count:
                return
            # A crashed session stays unclean until an index repaired itself after it.
            clean = self._repaired or not self.after_crash
            try:
                self._write_state({"pid": os.getpid(), "clean": clean}, durable=False)
            finally:
                self._file_lock.release()

    @contextmanager
    def hold(self, wait: bool = False) -> Iterator[None]:
        """Be the writer for the block; raises IndexBusy when another process is."""
        if not self.acquire(wait):
            raise IndexBusy(self.holder(), self.directory)
        try:
            yield
        finally:
            self.release()

    def repaired(self) -> None:
        """An index reconciled itself with SQLite in this session (see `after_crash`)."""
        self._repaired = True

    def other_writer(self) -> int | None:
        """The pid of another process holding the lock (0 when it did not say), else None.

        Looks without taking a session, so a crashed writer's state is left for the next one."""
        with self._mutex:
            if self._count:
                return None
            self.directory.mkdir(parents=True, exist_ok=True)
            try:
                self._file_lock.acquire(timeout=0)
            except Timeout:
                return self.holder() or 0
            self._file_lock.release()
            return None

    def holder(self) -> int | None:
        """The pid of the writer, as it recorded itself (None when unknown).

        A new writer records itself just after taking the lock, so for that moment the file
        still names the last writer, which may have exited: a dead pid is read again for a
        little while rather than named."""
        for _ in range(HOLDER_READS):
            pid = self._read_state().get("pid")
            if not isinstance(pid, int):
                return None
            if _alive(pid):
                return pid
            time.sleep(HOLDER_WAIT_S)
        return None

    def _read_state(self) -> dict[str, object]:
        try:
            state = json.loads(self._state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self, state: dict[str, object], durable: bool) -> None:
        tmp = self._state.with_suffix(".tmp")
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                json.dump(state, handle)
                handle.flush()
                if durable:  # "a session is open" must survive a power cut; "closed" need not
                    os.fsync(handle.fileno())
            os.replace(tmp, self._state)
        except OSError as exc:
            log.warning("could not record the index writer state: %s", exc)


_registry: dict[Path, WriterLock] = {}
_registry_lock = threading.Lock()


def writer_lock(directory: Path) -> WriterLock:
    """The writer lock of this index directory, shared by everything in this process."""
    key = Path(os.path.abspath(directory))
    with _registry_lock:
        lock = _registry.get(key)
        if lock is None:
            lock = _registry[key] = WriterLock(key)
        return lock


def _alive(pid: int) -> bool:
    # psutil, not os.kill(pid, 0): on Windows os.kill terminates the process.
    import psutil  # type: ignore[import-untyped,unused-ignore]

    return bool(psutil.pid_exists(pid))
