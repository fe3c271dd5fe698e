"""The index worker: a background thread (no Qt) that turns settled file changes into fresh
catalogue rows, vectors and a published index.

Loop: take due rows from the durable change queue → keep those whose size and mtime settled →
rescan just their folders → embed what changed → publish → drop the rows. Rows leave the queue
only after their work is committed, so a crash at any point repeats work instead of losing it,
and unchanged documents are never embedded twice (their hash is already stored).

Modes: "immediate" processes each settled change at once; "batched" waits for N changes or T
seconds since the oldest one.

One writer per library: the worker works only while its process holds the writer lock, taken
at start and kept until stop. While another process holds it, the worker stands by ("standby",
with that process's pid) and retries at each look; the observers meanwhile keep queueing in
SQLite, where the writer finds the changes. On becoming the writer it rescans every root once,
for what changed while no writer watched (a crash, the app closed).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from engine.embed.pipeline import EmbedPass, EmbedProgress
from engine.embed.transcribe_pass import TranscribePass, TranscribeProgress
from engine.embed.writer_lock import WriterLock
from engine.ingest.scanner import Scanner, ScanProgress
from engine.store import Catalog, Database
from engine.store.changes import ChangeQueue, QueuedChange
from engine.store.settings import Settings
from engine.watch.settle import settle_due

log = logging.getLogger(__name__)

# Seconds between looks at the queue when nothing woke us; the watcher's writer flushes on its
# own clock, so this bounds the added latency in immediate mode. A count query costs microseconds.
IDLE_WAIT = 0.25


@dataclass(frozen=True)
class WorkerStatus:
    state: str  # starting, standby, idle, scanning, embedding, transcribing, paused, stopped,
    # failed
    mode: str  # immediate or batched
    queued: int  # changes waiting in the queue
    done: int  # items embedded in the current run
    total: int
    rate: float  # items per second
    eta: float | None  # seconds
    current: str | None
    last_error: str | None = None
    writer_pid: int | None = None  # in standby: the process that indexes this library (0: ?)


class IndexWorker:
    """Owns one thread. `embedding()` returns the pass for the active model, loading it on first
    use (seconds: torch); `settings()` is read at each step so mode changes apply at once."""

    def __init__(
        self,
        database: Database,
        scanner: Scanner,
        embedding: Callable[[], EmbedPass],
        settings: Callable[[], Settings],
        on_status: Callable[[WorkerStatus], None] | None = None,
        *,
        writer: WriterLock | None = None,
        transcribing: Callable[[], TranscribePass | None] | None = None,
    ) -> None:
        self.database = database
        self.transcribing = transcribing  # the transcription stage, None where there is none
        self._listening = threading.Event()  # cleared while the player plays
        self._listening.set()
        # Whether something may be waiting for transcription: looked for after a change, an
        # opt-in or a release, not at every idle look (the query reads every item).
        self._may_transcribe = True
        self.writer = writer  # None: no other process to share the library with (tests)
        self._writing = False
        self.scanner = scanner
        self.embedding = embedding
        self.settings = settings
        self.on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._cancel = threading.Event()
        self._reconcile: set[int] = set()
        self._embed_due = False  # items were scanned elsewhere (the app's Scan): embed them
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status = WorkerStatus("starting", settings().index_mode, 0, 0, 0, 0.0, None, None)
        self.processed = 0  # changes taken off the queue since start; for tests and benchmarks

    # --- control (any thread) ----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="reelcast-index", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stop.set()
        self._cancel.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def pause(self) -> None:
        self._paused.set()
        self._cancel.set()  # stop the current step at the next file; its queue rows stay
        self._publish(state="paused")

    def resume(self) -> None:
        self._paused.clear()
        self._wake.set()

    def hold_transcription(self, held: bool) -> None:
        """Stop transcribing (the player is playing) until released; the item in progress is
        transcribed again from its start later."""
        if held:
            self._listening.clear()
        else:
            self._listening.set()
            self.request_transcription()

    def request_transcription(self) -> None:
        """Look for items waiting for transcription at the next idle look (a folder was opted
        in)."""
        self._may_transcribe = True
        self._wake.set()

    def cancel(self) -> None:
        """Abandon the current step; its changes stay queued for the next one."""
        self._cancel.set()

    def notify(self) -> None:
        """New events were queued."""
        self._wake.set()

    def request_reconcile(self, root_id: int) -> None:
        """Rescan a whole root (a restarted observer, or the periodic check for dropped events)."""
        with self._lock:
            self._reconcile.add(root_id)
        self._wake.set()

    def request_embed(self) -> None:
        """Embed whatever is not embedded yet (after a scan that did not go through the queue)."""
        with self._lock:
            self._embed_due = True
        self._wake.set()

    def status(self) -> WorkerStatus:
        return self._status

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._publish(state="starting")
            if self._become_writer():
                self._start_writing()
            while not self._stop.is_set():
                self._wake.wait(self._wait_time())
                self._wake.clear()
                if self._stop.is_set():
                    break
                if not self._writing:
                    if not self._become_writer():
                        continue
                    self._start_writing()
                    continue
                if self._paused.is_set():
                    self._publish(state="paused")
                    continue
                self._cancel.clear()
                self._step()
        except Exception as exc:  # a bug: keep the app alive, say so in the status and the log
            log.exception("index worker failed")
            self._publish(state="failed", last_error=str(exc))
            return
        finally:
            if self._writing and self.writer is not None:
                self._writing = False
                self.writer.release()
        self._publish(state="stopped")

    def _become_writer(self) -> bool:
        """Take the writer lock if free; else say who holds it (state "standby")."""
        if self.writer is None:
            self._writing = True
            return True
        if self.writer.acquire():
            self._writing = True
            return True
        self._publish(state="standby", writer_pid=self.writer.holder() or 0)
        return False

    def _start_writing(self) -> None:
        self._publish(state="starting", writer_pid=None)
        if self.writer is not None:
            # What changed while no writer watched went unseen (a crash, the app closed): rescan
            # every root once, before anything else (its changes are then older than the queue's).
            self._step_scan(None, {r.id for r in Catalog(self.database.db).roots()})
        self.embedding()  # load the model up front, off any UI thread
        self._step_embed(everything=False)  # items scanned while we were not running

    def _wait_time(self) -> float:
        queued = self._queue_count()
        return min(self.settings().settle_seconds, 0.25) if queued else IDLE_WAIT

    def _queue_count(self) -> int:
        return ChangeQueue(self.database.db).count()

    def _step(self) -> None:
        with self._lock:
            reconcile, self._reconcile = self._reconcile, set()
            embed_due, self._embed_due = self._embed_due, False
        if reconcile:
            self._step_scan(None, reconcile)
        if reconcile or embed_due:
            self._step_embed(everything=False)
        settings = self.settings()
        now = time.time()
        ready = settle_due(self.database, settings.settle_seconds, now)
        if reconcile or embed_due:
            self._may_transcribe = True
        if ready and self._batch_is_due(ready, settings, now):
            self._process(ready)
            self._may_transcribe = True  # new or changed files may want listening to
        elif not ready and not self._queue_count() and self._may_transcribe:
            self._step_transcribe()
        self._publish(state="idle")

    @staticmethod
    def _batch_is_due(ready: list[QueuedChange], settings: Settings, now: float) -> bool:
        if settings.index_mode == "immediate":
            return True
        oldest = min(c.last_event for c in ready)
        return len(ready) >= settings.batch_changes or now - oldest >= settings.batch_seconds

    def _process(self, ready: list[QueuedChange]) -> None:
        changed: dict[int, list[bytes]] = defaultdict(list)
        for change in ready:
            changed[change.root_id].append(change.path_bytes)
        self._step_scan(changed, set())
        if self._cancel.is_set():
            return
        self._step_embed(everything=False)
        if self._cancel.is_set():
            return
        with self.database.write() as db:
            ChangeQueue(db).remove_if_unchanged(ready)
        self.processed += len(ready)

    def _step_scan(self, changed: dict[int, list[bytes]] | None, whole: set[int]) -> None:
        roots = Catalog(self.database.db).roots()

        def report(p: ScanProgress) -> None:
            self._publish(
                state="scanning", done=p.done, total=p.total, rate=p.rate, current=p.current
            )

        if whole:
            self.scanner.scan([r for r in roots if r.id in whole], report, self._cancel.is_set)
        if changed:
            self.scanner.scan(roots, report, self._cancel.is_set, changed=changed)

    def _step_embed(self, everything: bool) -> None:
        def report(p: EmbedProgress) -> None:
            self._publish(
                state="embedding",
                done=p.done,
                total=p.total,
                rate=p.rate,
                eta=p.eta,
                current=p.current,
            )

        self.embedding().run(everything, report, self._cancel.is_set)

    def _step_transcribe(self) -> None:
        """The lowest priority: one waiting item when nothing else is to do. Any new change,
        a pause, the player or stopping interrupts it; the item then waits for its turn."""
        if not self._listening.is_set():
            return  # looked for again on release
        stage = self.transcribing() if self.transcribing is not None else None
        if stage is None:
            self._may_transcribe = False  # nothing waits until something changes
            return
        started = time.monotonic()

        def interrupted() -> bool:
            return (
                self._cancel.is_set()
                or self._stop.is_set()
                or self._paused.is_set()
                or not self._listening.is_set()
                or bool(self._reconcile)
                or self._queue_count() > 0
            )

        def report(p: TranscribeProgress) -> None:
            spent = time.monotonic() - started
            rate = p.heard_s / spent if spent > 0 else 0.0  # seconds of audio per second
            # What is left of this item and of the others waiting, at this item's pace.
            left = (p.duration_s - p.heard_s + p.waiting_s) / rate if rate > 0 else None
            self._publish(
                state="transcribing",
                done=p.done,
                total=p.total,
                rate=rate,
                eta=left,
                current=p.title,
            )

        counts = stage.run(interrupted, report, limit=1)
        if counts.done or counts.no_speech or counts.failed:
            self._step_embed(everything=False)  # what was heard becomes searchable now
            self._wake.set()  # and the next item waits no longer than the next look

    def _publish(self, **changes: Any) -> None:
        changes.setdefault("queued", self._queue_count())
        self._status = replace(self._status, mode=self.settings().index_mode, **changes)
        if self.on_status is not None:
            self.on_status(self._status)
