"""Keeps one watcher per online root alive, and asks for periodic reconciliation scans.

Events can be lost however carefully they are watched (inotify queue overflow, an observer
thread that died, a share that blinked), so every `reconcile_every` seconds each root is
handed to `on_reconcile`, whose rescan catches whatever was missed. A watcher found dead is
replaced, and its root reconciled at once.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from engine.store.catalog import Root
from engine.watch.events import Sink
from engine.watch.observers import RootWatcher
from engine.watch.why import Why

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatcherStatus:
    root_id: int
    path: str
    mode: str  # "realtime" or "polling"
    why: Why  # how and why the folder is watched so, as data (engine.watch.why)
    alive: bool
    restarts: int

    @property
    def reason(self) -> str:
        """`why` in English, for the CLI and the log."""
        return str(self.why)


@dataclass
class _Slot:
    root: Root
    watcher: RootWatcher | None
    next_reconcile: float
    restarts: int = 0
    started_once: bool = False
    error: Why | None = None  # why the last start failed


class WatchSupervisor:
    """A background thread (no Qt) running the root watchers; see the module docstring.

    `roots_provider` and `on_reconcile` are called on the supervisor's thread; an exception
    from either is logged and the loop goes on.
    """

    def __init__(
        self,
        roots_provider: Callable[[], list[Root]],
        sink: Sink,
        on_reconcile: Callable[[int], None],
        *,
        check_every: float = 2.0,
        reconcile_every: float = 900.0,
        force_polling: bool = False,
        polling_interval: float = 2.0,
    ) -> None:
        self.roots_provider = roots_provider
        self.sink = sink
        self.on_reconcile = on_reconcile
        self.check_every = check_every
        self.reconcile_every = reconcile_every
        self.force_polling = force_polling
        self.polling_interval = polling_interval
        self._slots: dict[int, _Slot] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # --- control ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="reelcast-watch-supervisor")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Stop every watcher and the thread, and wait for them; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            self._wake.set()
            thread.join()
        with self._lock:
            slots, self._slots = list(self._slots.values()), {}
        for slot in slots:
            if slot.watcher is not None:
                slot.watcher.stop()

    def check_now(self) -> None:
        """Look at the roots now instead of at the next tick (after adding one, say)."""
        self._wake.set()

    def kill_observer(self, root_id: int) -> None:
        """Test hook: make a root's observer die, as a crash would; the supervisor must notice."""
        with self._lock:
            slot = self._slots.get(root_id)
        if slot is not None and slot.watcher is not None:
            slot.watcher.kill_for_test()

    def crash_observer(self, root_id: int) -> None:
        """Test hook: the root's observer thread dies of an exception at its next event."""
        with self._lock:
            slot = self._slots.get(root_id)
        if slot is not None and slot.watcher is not None:
            slot.watcher.crash_for_test()

    def status(self) -> list[WatcherStatus]:
        with self._lock:
            slots = sorted(self._slots.values(), key=lambda s: s.root.id)
        out = []
        for slot in slots:
            watcher = slot.watcher
            alive = watcher is not None and watcher.is_alive()
            if watcher is None:
                mode, why = "polling" if self.force_polling else "realtime", Why("not_started")
            else:
                mode, why = watcher.mode, watcher.why
            if slot.error:
                why = slot.error
            out.append(WatcherStatus(slot.root.id, slot.root.path, mode, why, alive, slot.restarts))
        return out

    # --- the loop ---------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._tick()
            except Exception:
                log.exception("watch supervisor tick failed")
            with self._lock:
                soonest = min((s.next_reconcile for s in self._slots.values()), default=None)
            wait = self.check_every
            if soonest is not None:
                wait = max(0.01, min(wait, soonest - time.monotonic()))
            self._wake.wait(wait)
            self._wake.clear()

    def _tick(self) -> None:
        try:
            roots = {r.id: r for r in self.roots_provider() if r.state == "online"}
        except Exception:
            log.exception("could not list the library roots; keeping the current watchers")
            roots = {slot.root.id: slot.root for slot in self._slots.values()}

        # Roots removed, gone offline or moved to another path: stop their watchers.
        for root_id, known in list(self._slots.items()):
            current = roots.get(root_id)
            if current is None or current.path_bytes != known.root.path_bytes:
                self._drop(root_id)

        now = time.monotonic()
        for root_id, root in roots.items():
            if self._stopping.is_set():
                return
            slot = self._slots.get(root_id)
            if slot is None:
                slot = _Slot(root, None, now + self.reconcile_every)
                with self._lock:
                    self._slots[root_id] = slot
                slot.started_once = self._launch(slot)
            elif slot.watcher is None or not slot.watcher.is_alive():
                self._restart(slot)
            if time.monotonic() >= slot.next_reconcile:
                slot.next_reconcile = time.monotonic() + self.reconcile_every
                self._reconcile(root_id)

    def _launch(self, slot: _Slot) -> bool:
        watcher = RootWatcher(
            slot.root,
            self.sink,
            force_polling=self.force_polling,
            polling_interval=self.polling_interval,
        )
        try:
            watcher.start()
        except OSError as exc:
            if slot.error is None:  # say it once, not every tick
                log.warning("cannot watch %s: %s", slot.root.path, exc.strerror or exc)
            if exc.errno == errno.ENOENT:
                slot.error = Why("folder_missing")
            else:
                slot.error = Why("not_watching", {"detail": str(exc.strerror or exc)})
            return False
        slot.error = None
        with self._lock:
            slot.watcher = watcher
        return True

    def _restart(self, slot: _Slot) -> None:
        if slot.watcher is not None:
            log.warning("the watcher of %s died; restarting it", slot.root.path)
            slot.watcher.stop()
            with self._lock:
                slot.watcher = None
        if not self._launch(slot):
            return  # still unwatchable (root gone?): try again next tick
        if slot.started_once:
            slot.restarts += 1
        slot.started_once = True
        # Whatever happened while nothing watched the root went unseen: rescan it.
        slot.next_reconcile = time.monotonic() + self.reconcile_every
        self._reconcile(slot.root.id)

    def _drop(self, root_id: int) -> None:
        with self._lock:
            slot = self._slots.pop(root_id, None)
        if slot is not None and slot.watcher is not None:
            slot.watcher.stop()

    def _reconcile(self, root_id: int) -> None:
        try:
            self.on_reconcile(root_id)
        except Exception:
            log.exception("reconciling root %d failed", root_id)
