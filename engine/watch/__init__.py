"""Live watching of library roots.

One watchdog observer per online root turns file-system events into queued changes
(`engine.store.changes`); `settle` holds back files still being copied; the supervisor keeps
the observers alive and asks for a periodic reconciliation scan, because any event source can
drop events (inotify queue overflow, a network share, a dead observer).

Nothing here imports Qt: the desktop app drives it from its own threads.
"""

from engine.watch.events import Change, ChangeHandler, QueueWriter
from engine.watch.observers import RootWatcher
from engine.watch.settle import settle_due, settled
from engine.watch.supervisor import WatcherStatus, WatchSupervisor

__all__ = [
    "Change",
    "ChangeHandler",
    "QueueWriter",
    "RootWatcher",
    "WatchSupervisor",
    "WatcherStatus",
    "settle_due",
    "settled",
]
