"""The one helper for background work: run a function off the UI thread, report back on it.

Never touch widgets from `fn`; `on_done` and `on_error` run on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.with_progress = with_progress

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit) if self.with_progress else self.fn()
        except Exception as exc:  # reported to the UI, which shows it
            log.exception("background task failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Tasks(QObject):
    """Owns the thread pool; pass it to whatever needs background work (no globals)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self._live: set[_Signals] = set()
        self._held: list[_Job] | None = None

    def run(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> None:
        signals = _Signals()  # lives on the UI thread, so its slots run there
        self._live.add(signals)
        if on_done:
            signals.done.connect(on_done)
        if on_error:
            signals.failed.connect(on_error)
        if on_progress:
            signals.progress.connect(on_progress)
        signals.done.connect(lambda _=None: self._live.discard(signals))
        signals.failed.connect(lambda _=None: self._live.discard(signals))
        job = _Job(fn, signals, on_progress is not None)
        if self._held is not None:
            self._held.append(job)
        else:
            self.pool.start(job)

    def hold(self) -> None:
        """Queue the jobs asked for from now on until `release` (the main window holds them
        from the moment it is populated to its first paint: a job started then takes the GIL
        from the paint, docs/startup.md)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the jobs queued since `hold`, in order."""
        held, self._held = self._held, None
        for job in held or ():
            self.pool.start(job)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
