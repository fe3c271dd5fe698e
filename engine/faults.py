"""Fault injection for the kill tests: crash the process at a named point, provably there.

`REELCAST_FAULT=name[:N]` makes the Nth arrival (default the first) at `fault_point(name)`
write a marker naming the point to the file in `REELCAST_FAULT_MARK` (fsynced, so the test
can read it after the crash) and end the process at once with `os._exit(86)`: no cleanup, no
`finally`, no flushing, as a power cut or kill -9 would. The environment is read once, at
import; with the variable unset a fault point is a single comparison.

Points (see docs/architecture.md, "Processes"):
  embed.after_batch          vectors of one embedding batch committed to SQLite
  index.after_vectors_saved  vectors in SQLite, index not yet published
  index.mid_save             a segment file half written (its temp file exists)
  history.mid_import         inside the history import transaction, events logged
  scan.mid_transaction       inside a scan batch's write transaction
  watch.observer_event       in a watcher's event callback (the observer thread)
"""

from __future__ import annotations

import os
import threading

EXIT_CODE = 86
ENV = "REELCAST_FAULT"
MARK_ENV = "REELCAST_FAULT_MARK"

POINTS = (
    "embed.after_batch",
    "index.after_vectors_saved",
    "index.mid_save",
    "history.mid_import",
    "scan.mid_transaction",
    "watch.observer_event",
)


def _parse(spec: str | None) -> tuple[str, int] | None:
    if not spec:
        return None
    name, _, count = spec.partition(":")
    if name not in POINTS:
        raise ValueError(f"{ENV}={spec!r}: unknown fault point; use one of {', '.join(POINTS)}")
    return name, int(count) if count else 1


_ARMED = _parse(os.environ.get(ENV))
_MARK = os.environ.get(MARK_ENV)
_lock = threading.Lock()
_seen = 0


def fault_point(name: str) -> None:
    """Crash here if this is the armed point's Nth arrival; otherwise nothing."""
    if _ARMED is None or _ARMED[0] != name:
        return
    global _seen
    with _lock:
        _seen += 1
        if _seen != _ARMED[1]:
            return
        if _MARK:
            fd = os.open(_MARK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, f"{name}:{_seen} pid={os.getpid()}\n".encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        os._exit(EXIT_CODE)
