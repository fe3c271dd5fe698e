"""From watchdog events to queued changes: filtering, and batched writes to the change queue."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from watchdog.events import (
    EVENT_TYPE_ATTRIB,
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)

from engine.faults import fault_point
from engine.ingest.walk import _skip, media_type, sidecar_kind
from engine.store.changes import ChangeQueue, QueuedChange
from engine.store.db import Database

log = logging.getLogger(__name__)

# The sink receives the same shape the queue stores.
Change = QueuedChange
Sink = Callable[[Change], None]

# "attrib" matters for files: touch and mtime-preserving copies (cp -p, rsync -t) only show up
# as IN_ATTRIB. "closed" is the end of a write (IN_CLOSE_WRITE), often the copy's last word.
_FILE_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_CLOSED,
        EVENT_TYPE_ATTRIB,
    }
)
# A folder's "modified" is the echo of a change to one of its entries, which is reported on
# its own; recording it too would queue every parent of every change.
_DIR_EVENTS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_MOVED, EVENT_TYPE_DELETED})


def is_relevant(root: bytes, path: bytes, is_dir: bool) -> bool:
    """Whether a change at `path` can matter to the catalogue (walk.py's rules)."""
    rel = os.path.relpath(path, root)
    if rel == b"." or rel.startswith(b".." + os.sep.encode()) or rel == b"..":
        return False  # the root itself, or outside it
    if any(_skip(part) for part in rel.split(os.sep.encode())):
        return False
    # A folder event always counts: renaming or deleting one moves everything under it.
    return is_dir or media_type(path) is not None or sidecar_kind(path) is not None


def stat_change(root_id: int, path: bytes, at: float) -> Change:
    """A change for `path` with its size and mtime now (None when it is already gone)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return Change(root_id, path, None, None, at)
    return Change(root_id, path, st.st_size, st.st_mtime_ns, at)


class InjectedCrash(RuntimeError):
    """Raised in an observer thread by the crash test hook."""


class ChangeHandler(FileSystemEventHandler):
    """Turns one root's watchdog events into changes for `sink`; runs on watchdog's thread.

    `watch_path` is the folder watchdog actually watches when it differs from the root's own
    spelling (a root that is a symlink is watched at its target); event paths are mapped back
    so that queued paths always start with the root's path as stored.
    """

    def __init__(
        self, root_id: int, root_path: bytes, sink: Sink, watch_path: bytes | None = None
    ) -> None:
        super().__init__()
        self.root_id = root_id
        self.root_path = root_path
        self.watch_path = watch_path or root_path
        self.sink = sink
        self.crash_next = False  # test hook: the next event crashes the observer thread

    def on_any_event(self, event: FileSystemEvent) -> None:
        wanted = _DIR_EVENTS if event.is_directory else _FILE_EVENTS
        if event.event_type not in wanted:
            return
        fault_point("watch.observer_event")
        if self.crash_next:
            # Out of watchdog's dispatcher: its thread dies, as from a bug or a bad event.
            raise InjectedCrash(f"observer of root {self.root_id} crashed on purpose")
        paths = [event.src_path]
        if event.event_type == EVENT_TYPE_MOVED and event.dest_path:
            paths.append(event.dest_path)
        at = time.time()
        for raw in paths:
            if not raw:
                continue  # an unmatched half of a move from or to outside the watch
            path = self._to_root(os.fsencode(raw))
            if path is not None and is_relevant(self.root_path, path, event.is_directory):
                try:
                    self.sink(stat_change(self.root_id, path, at))
                except Exception:
                    # watchdog's dispatcher thread dies on an exception; never let it.
                    log.exception("could not hand over the change for %r", path)

    def _to_root(self, path: bytes) -> bytes | None:
        if self.watch_path == self.root_path:
            return path
        if path == self.watch_path:
            return self.root_path
        prefix = self.watch_path.rstrip(os.sep.encode()) + os.sep.encode()
        if not path.startswith(prefix):
            return None
        return os.path.join(self.root_path, path[len(prefix) :])


class QueueWriter:
    """A sink that batches changes in memory and writes them to the change queue in one
    transaction at most every `interval` seconds, so a storm of thousands of events costs a
    handful of transactions instead of thousands.

    Call it from any thread. Several events for one path inside a batch collapse to the
    latest. A failed write keeps the batch and retries it with the next one.
    """

    def __init__(self, database: Database, *, interval: float = 0.15) -> None:
        self.database = database
        self.interval = interval
        self.transactions = 0  # write transactions made, for tests and diagnostics
        self.written = 0  # rows handed to the queue
        self._pending: dict[bytes, Change] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, change: Change) -> None:
        with self._lock:
            self._pending[change.path_bytes] = change
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="reelcast-queue-writer")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Write whatever is pending and stop the thread; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        self._wake.set()
        thread.join()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write the pending batch now, in one transaction; returns how many rows."""
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return 0
        try:
            with self.database.write() as db:
                ChangeQueue(db).record_many(batch.values())
        except Exception as exc:  # StoreError mostly; a bad batch must not kill the thread
            log.warning("could not queue %d changes, will retry: %s", len(batch), exc)
            with self._lock:
                # Newer events that came in meanwhile win over the failed batch.
                batch.update(self._pending)
                self._pending = batch
            return 0
        self.transactions += 1
        self.written += len(batch)
        return len(batch)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.wait()
                # Let the burst gather: one write per interval, however fast events come.
                self._stopping.wait(self.interval)
                self._wake.clear()
                if self.flush() == 0 and self.pending():
                    self._wake.set()  # retry after the next interval
            if self.flush() == 0 and self.pending():
                log.error(
                    "stopping with %d changes not queued; the next scan finds them", self.pending()
                )
        finally:
            self.database.close()  # this thread's connection
