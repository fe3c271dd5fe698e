"""An instrumented façade: the real `Library` and `History`, recording the thread of each call.

Not a mock: every call runs the real engine code. Each public method of `Library` and of its
`history` is wrapped to note its name and whether it ran on the main (UI) thread; a call made
from inside another recorded call (`close` calling `stop_watching`) counts as part of it.
The test's own probes go around the recording with `Library.item_count(library)` (the class
attribute of the base class is the unwrapped method).
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from engine.library import History, Library


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self.calls: Counter[tuple[str, str]] = Counter()  # (method, thread name) -> calls

    def enter(self, name: str) -> bool:
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        if depth == 0:
            thread = threading.current_thread()
            where = "UI" if thread is threading.main_thread() else thread.name
            with self._lock:
                self.calls[(name, where)] += 1
        return True

    def leave(self) -> None:
        self._local.depth -= 1

    def on_ui_thread(self) -> list[str]:
        with self._lock:
            return sorted({name for (name, where) in self.calls if where == "UI"})

    def names(self) -> set[str]:
        with self._lock:
            return {name for name, _ in self.calls}


def _recorded(prefix: str, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        log: CallLog = self.call_log
        log.enter(prefix + name)
        try:
            return fn(self, *args, **kwargs)
        finally:
            log.leave()

    return call


def _wrap_public_methods(cls: type, base: type, prefix: str) -> None:
    for name, fn in vars(base).items():
        if not name.startswith("_") and inspect.isfunction(fn):
            setattr(cls, name, _recorded(prefix, name, fn))


class RecordingHistory(History):
    call_log: CallLog


class RecordingLibrary(Library):
    """`Library` whose public methods (and `history`'s) record the calling thread."""

    def __init__(self, data_dir: str | os.PathLike[str], **kwargs: Any) -> None:
        self.call_log = CallLog()
        super().__init__(data_dir, **kwargs)
        history = RecordingHistory(self.database)
        history.call_log = self.call_log
        self.history = history


_wrap_public_methods(RecordingLibrary, Library, "")
_wrap_public_methods(RecordingHistory, History, "history.")
