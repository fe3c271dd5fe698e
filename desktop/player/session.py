"""Records what the player plays into the engine's history, off the UI thread.

The player tells the recorder when playback starts, pauses, resumes and stops; the recorder
reports the position every few seconds while playing. Every history write runs through
`Tasks`, in order: writes are queued and drained by one worker at a time, so a "start" always
lands before its "update" and "end", and `Tasks.wait()` at shutdown flushes the last "end"
even when the event loop is gone.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.tasks import Tasks
from engine.library import Library

log = logging.getLogger(__name__)

__all__ = ["REPORT_INTERVAL_MS", "PlaybackRecorder", "PositionSource"]

REPORT_INTERVAL_MS = 5_000

# (position seconds, duration seconds or None when unknown)
PositionSource = Callable[[], tuple[float, float | None]]

_OpKind = Literal["start", "update", "end"]


@dataclass(frozen=True)
class _Op:
    kind: _OpKind
    position: float
    duration: float | None = None
    profile_id: int | None = None
    item_id: int | None = None
    quiet: bool = False  # a periodic tick: no historyChanged unless it completed the item


@dataclass(frozen=True)
class _Event:
    kind: Literal["started", "reported", "completed", "ended", "failed"]
    item_id: int | None
    message: str = ""


class PlaybackRecorder(QObject):
    """One play session at a time for one player.

    `start()` when playback starts, `pause()` / `resume()` around pauses, `stop()` when it stops
    or the player closes. Signals run on the UI thread after the engine answered."""

    started = Signal(int)  # item_id: the engine opened a session
    completed = Signal(int)  # item_id: this play made the item count as watched
    historyChanged = Signal()  # something other views show (progress, watched) changed
    failed = Signal(str)  # a history write failed; playback goes on

    def __init__(
        self,
        library: Library,
        tasks: Tasks,
        position_source: PositionSource,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self._position_source = position_source
        self._item_id: int | None = None  # UI side: the item whose session is open (or opening)
        self._timer = QTimer(self)
        self._timer.setInterval(REPORT_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        # Worker side: guarded by the locks, touched only inside _drain.
        self._queue: deque[_Op] = deque()
        self._queue_lock = threading.Lock()
        self._drain_lock = threading.Lock()
        self._session_id: int | None = None
        self._session_item: int | None = None

    # --- what the player calls -------------------------------------------------------------------

    @property
    def item_id(self) -> int | None:
        """The item being recorded, or None when no session is open."""
        return self._item_id

    @property
    def active(self) -> bool:
        return self._item_id is not None

    def start(self, profile_id: int | None, item_id: int, position: float = 0.0) -> None:
        """Playback of `item_id` started at `position` s (profile None: the default profile)."""
        if self._item_id is not None:
            self.stop()
        self._item_id = item_id
        self._enqueue(_Op("start", max(0.0, position), None, profile_id, item_id))
        self._timer.start()

    def report(self, position: float | None = None, duration: float | None = None) -> None:
        """Report the position now (defaults: what the position source says)."""
        if self._item_id is not None:
            self._enqueue(_Op("update", *self._where(position, duration)))

    def pause(self, position: float | None = None, duration: float | None = None) -> None:
        self._timer.stop()
        self.report(position, duration)

    def resume(self) -> None:
        if self._item_id is not None:
            self._timer.start()

    def stop(self, position: float | None = None, duration: float | None = None) -> None:
        """End the session (a no-op when none is open)."""
        self._timer.stop()
        if self._item_id is None:
            return
        self._enqueue(_Op("end", *self._where(position, duration)))
        self._item_id = None

    # --- internals -------------------------------------------------------------------------------

    def _where(self, position: float | None, duration: float | None) -> tuple[float, float | None]:
        current, known = self._position_source()
        pos = current if position is None else position
        total = known if duration is None else duration
        return max(0.0, pos), (total if total and total > 0 else None)

    def _tick(self) -> None:
        if self._item_id is not None:
            position, duration = self._where(None, None)
            self._enqueue(_Op("update", position, duration, quiet=True))

    def _enqueue(self, op: _Op) -> None:
        with self._queue_lock:
            # A tick still waiting behind a slow write is stale once a newer report arrives.
            if op.kind == "update" and self._queue and self._queue[-1].kind == "update":
                quiet = op.quiet and self._queue[-1].quiet
                self._queue[-1] = _Op("update", op.position, op.duration, quiet=quiet)
                return
            self._queue.append(op)
        self.tasks.run(self._drain, on_done=self._deliver, on_error=self._drain_failed)

    def _drain(self) -> list[_Event]:
        """Worker thread: apply every queued write in order."""
        events: list[_Event] = []
        with self._drain_lock:
            while True:
                with self._queue_lock:
                    if not self._queue:
                        break
                    op = self._queue.popleft()
                try:
                    events.extend(self._apply(op))
                except Exception as exc:  # one failed write must not lose the later ones
                    log.exception("recording %s failed", op.kind)
                    if op.kind == "end":
                        self._session_id = self._session_item = None
                    events.append(_Event("failed", op.item_id or self._session_item, str(exc)))
        return events

    def _apply(self, op: _Op) -> list[_Event]:
        history = self.library.history
        if op.kind == "start":
            assert op.item_id is not None
            # A session left open by a failed "end" is closed by the engine at its last report.
            profile = op.profile_id if op.profile_id is not None else history.default_profile().id
            self._session_id = history.start_session(profile, op.item_id, op.position)
            self._session_item = op.item_id
            return [_Event("started", op.item_id)]
        session, item = self._session_id, self._session_item
        if session is None:  # its start failed: nothing to report to
            return []
        if op.kind == "update":
            done = history.update_progress(session, op.position, op.duration)
            report = [] if op.quiet else [_Event("reported", item)]
            return [_Event("completed", item)] if done else report
        self._session_id = self._session_item = None
        done = history.end_session(session, op.position, op.duration)
        return ([_Event("completed", item)] if done else []) + [_Event("ended", item)]

    def _deliver(self, events: list[_Event]) -> None:
        changed = False
        for event in events:
            if event.kind == "failed":
                self.failed.emit(event.message)
                continue
            changed = True
            if event.kind == "started" and event.item_id is not None:
                self.started.emit(event.item_id)
            elif event.kind == "completed" and event.item_id is not None:
                self.completed.emit(event.item_id)
        if changed:
            self.historyChanged.emit()

    def _drain_failed(self, exc: Exception) -> None:
        # _drain catches per write; this is only reached by a bug in the recorder itself.
        self.failed.emit(str(exc))
