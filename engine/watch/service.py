"""Watching and indexing together: the observers feed the durable queue, the worker drains it.

One object to start and stop from the façade (the CLI's `reelcast watch`, the desktop app).
Several processes may watch one library: all their observers feed the one queue in SQLite, and
only the worker of the process holding the writer lock drains it (see engine.embed.writer_lock).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from engine.embed.pipeline import EmbedPass
from engine.embed.transcribe_pass import TranscribePass
from engine.embed.writer_lock import WriterLock
from engine.ingest.scanner import Scanner
from engine.store import Catalog, Database
from engine.store.settings import Settings
from engine.watch.events import QueueWriter
from engine.watch.supervisor import WatcherStatus, WatchSupervisor
from engine.watch.worker import IndexWorker, WorkerStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexingStatus:
    worker: WorkerStatus
    watchers: list[WatcherStatus]


class WatchService:
    def __init__(
        self,
        database: Database,
        scanner: Scanner,
        embedding: Callable[[], EmbedPass],
        settings: Callable[[], Settings],
        on_status: Callable[[WorkerStatus], None] | None = None,
        *,
        force_polling: bool = False,
        reconcile_every: float = 900.0,
        check_every: float = 2.0,
        writer: WriterLock | None = None,
        transcribing: Callable[[], TranscribePass | None] | None = None,
    ) -> None:
        self.writer = QueueWriter(database)
        self.worker = IndexWorker(
            database,
            scanner,
            embedding,
            settings,
            on_status,
            writer=writer,
            transcribing=transcribing,
        )
        self.supervisor = WatchSupervisor(
            lambda: Catalog(database.db).roots(),
            self.writer,
            self.worker.request_reconcile,
            check_every=check_every,
            reconcile_every=reconcile_every,
            force_polling=force_polling,
        )

    def start(self) -> None:
        self.writer.start()
        self.worker.start()
        self.supervisor.start()

    def stop(self) -> None:
        self.supervisor.stop()
        self.writer.stop()  # flushes what the observers handed over
        self.worker.stop()

    def status(self) -> IndexingStatus:
        return IndexingStatus(self.worker.status(), self.supervisor.status())
