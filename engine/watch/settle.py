"""Holding back files that are still being written.

A download or copy produces a stream of events; the queue's debounce (`last_event`) already
waits for a quiet spell, but a slow copy can pause longer than that. So before a due row is
handed to the worker its path is stat'ed again: if size or mtime moved since the event, the
file is still changing and the row is re-recorded with a fresh `last_event` instead.
"""

from __future__ import annotations

import functools
import os
import stat as stat_mod
import time
from collections.abc import Callable, Iterable

from engine.store.changes import ChangeQueue, QueuedChange
from engine.store.db import Database

Stat = Callable[[bytes], os.stat_result]

# Never follow links: the scanner doesn't, and a link's target may be outside the root.
_lstat: Stat = functools.partial(os.stat, follow_symlinks=False)


def settled(
    queue_rows: Iterable[QueuedChange], stat: Stat = _lstat, now: float | None = None
) -> tuple[list[QueuedChange], list[QueuedChange]]:
    """Split due rows into (ready, still_changing).

    Deleted paths and folders are ready at once. A file whose size or mtime differs from what
    the event recorded comes back in `still_changing`, updated to what it is now with
    `last_event` = `now`; the caller records those rows again.
    """
    at = time.time() if now is None else now
    ready: list[QueuedChange] = []
    changing: list[QueuedChange] = []
    for row in queue_rows:
        try:
            st = stat(row.path_bytes)
        except OSError:
            ready.append(row)  # gone: the worker marks it missing
            continue
        if stat_mod.S_ISDIR(st.st_mode) or (st.st_size, st.st_mtime_ns) == (row.size, row.mtime_ns):
            ready.append(row)
        else:
            changing.append(
                QueuedChange(row.root_id, row.path_bytes, st.st_size, st.st_mtime_ns, at)
            )
    return ready, changing


def settle_due(
    database: Database,
    settle_s: float,
    now: float | None = None,
    stat: Stat = _lstat,
) -> list[QueuedChange]:
    """The worker's step: due rows that have settled, re-queueing those still changing.

    The returned rows stay queued; remove them with `ChangeQueue.remove_if_unchanged` once
    processed, so an event that arrives meanwhile is not lost.
    """
    at = time.time() if now is None else now
    with database.write() as db:
        queue = ChangeQueue(db)
        ready, changing = settled(queue.due(settle_s, at), stat, at)
        queue.record_many(changing)
    return ready
