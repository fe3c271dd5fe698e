"""Readers run in worker processes, so a file that hangs or crashes a C library costs one
worker and one per-file error, never the scan or the app.

pebble kills a worker whose task passes its time limit and starts a fresh one; a plain
ProcessPoolExecutor cannot stop a running task.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, TimeoutError
from typing import TYPE_CHECKING, Any

from engine.ingest.metadata import DirContext, Extracted
from engine.ingest.walk import media_type

if TYPE_CHECKING:  # pebble (asyncio, ~40 ms) loads on the first scan, not at app start
    from pebble import ProcessFuture, ProcessPool

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0  # seconds per file; a healthy read takes milliseconds

Extractor = Callable[[str, DirContext, str], Extracted]


BACKGROUND_NICENESS = 10  # reader and embedding processes: the window's thread comes first


def lower_priority() -> None:
    """Background processes yield the CPU to the app's window (and to the user's other work)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(BACKGROUND_NICENESS)


class ReaderPool:
    """A pool of reader processes, started on first use and kept for later scans."""

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        extractor: Extractor | None = None,
    ) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.timeout = timeout
        self._extractor = extractor
        self._pool: ProcessPool | None = None
        self.files_read = 0  # handed to a reader since start; tests and benchmarks check it

    def _ensure(self) -> tuple[ProcessPool, Extractor]:
        if self._extractor is None:
            # The readers pull in PyAV, mutagen and guessit: load them on the first scan that
            # reads a file, not when the app starts.
            from engine.ingest.extract import extract

            self._extractor = extract
        if self._pool is None:
            from pebble import ProcessPool

            # spawn, not fork: the app has threads (Qt, watchers) and fork would copy their locks.
            self._pool = ProcessPool(
                max_workers=self.workers,
                context=multiprocessing.get_context("spawn"),
                initializer=lower_priority,
            )
        return self._pool, self._extractor

    def run(
        self,
        jobs: Iterable[tuple[str, DirContext]],
        thumbs_dir: str,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Extracted]:
        """Yields one result per job, in order; stops early when `cancelled()` turns true."""
        window: deque[tuple[str, ProcessFuture[Any]]] = deque()
        limit = self.workers * 16  # enough in flight to keep workers busy, little to cancel
        source = iter(jobs)
        exhausted = False
        while True:
            while not exhausted and len(window) < limit:
                job = next(source, None)
                if job is None:
                    exhausted = True
                    break
                path, ctx = job
                self.files_read += 1
                pool, extractor = self._ensure()
                future = pool.schedule(
                    extractor, args=(path, ctx, thumbs_dir), timeout=self.timeout
                )
                window.append((path, future))
            if not window:
                return
            if cancelled():
                for _, future in window:
                    future.cancel()  # type: ignore[no-untyped-call]
                return
            path, future = window.popleft()
            yield self._result(path, future)

    def _result(self, path: str, future: ProcessFuture[Any]) -> Extracted:
        from pebble import ProcessExpired

        kind = media_type(os.fsencode(path)) or "audio"
        try:
            result: Extracted = future.result()
            return result
        except TimeoutError:
            log.warning("reading %r took longer than %.0f s; skipped", path, self.timeout)
            return Extracted(
                path,
                kind,
                error=f"reading took longer than {self.timeout:.0f} s; skipped",
                error_stage="timeout",
            )
        except ProcessExpired as exc:
            log.warning("reader crashed on %r: %s", path, exc)
            return Extracted(path, kind, error=f"the reader crashed on this file ({exc})")
        except CancelledError:
            return Extracted(path, kind, error="cancelled")
        except Exception as exc:
            # A reader bug, not a bad file: keep scanning, but say so loudly in the log.
            log.exception("reader failed on %r", path)
            return Extracted(path, kind, error=f"internal reader error: {exc!r}")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join()
            self._pool = None
