"""The façade's `index_now`: every queued change scanned now (no settling), then one embedding
pass over whatever changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.ingest.scanner import ProgressFn, ScanCounts, Scanner, passage_rereads
from engine.store import Catalog, Database
from engine.store.catalog import Root
from engine.store.changes import ChangeQueue

if TYPE_CHECKING:
    from engine.embed.pipeline import EmbedCounts, EmbedPass, EmbedProgress


def index_queued(
    database: Database,
    scanner: Scanner,
    roots: Callable[[], list[Root]],
    embed_pass: Callable[[], EmbedPass],
    progress: Callable[[EmbedProgress], None] | None,
    cancelled: Callable[[], bool],
    scan_progress: ProgressFn | None,
) -> tuple[ScanCounts, EmbedCounts]:
    queued = ChangeQueue(database.db).due(0.0, float("inf"))
    changed: dict[int, list[bytes]] = {}
    for change in queued:
        changed.setdefault(change.root_id, []).append(change.path_bytes)
    # Files older timed-text readers read (a library from before passages, videos from
    # before subtitle tracks): the scan of their folders reads them again, so their passages
    # reach the embedding below.
    with database.write() as db:
        for root in roots():
            if again := passage_rereads(Catalog(db), root.id):
                changed.setdefault(root.id, []).extend(sorted(again))
    scanned = ScanCounts()
    if changed:
        scanned = scanner.scan(roots(), scan_progress, cancelled, changed=changed)
    embedded = embed_pass().run(False, progress, cancelled)
    if not (scanned.cancelled or embedded.cancelled):
        with database.write() as db:
            ChangeQueue(db).remove_if_unchanged(queued)
    return scanned, embedded
