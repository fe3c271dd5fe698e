"""The scan: walk each root, compare with the catalogue, read only what changed, apply.

Identity follows content: a new path whose fingerprint matches a vanished file is a move and
keeps its item; one that matches a present file is a duplicate and joins that item (one item,
several files). Nothing is ever deleted: vanished files are flagged missing, and a root that is
absent or suddenly empty (an unmounted drive) flags its files offline.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.ingest.context import SidecarIndex, changed_folders, is_affected
from engine.ingest.metadata import Extracted
from engine.ingest.pool import ReaderPool
from engine.ingest.records import item_values, show_fields
from engine.ingest.walk import Entry, WalkResult, scan_scope, walk, within
from engine.paths import from_bytes, to_bytes
from engine.store import Catalog, Database
from engine.store.catalog import FileRow, Root

log = logging.getLogger(__name__)

BATCH = 400  # results applied per transaction: big enough to be fast, short enough to share


@dataclass
class ScanCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    missing: int = 0
    offline: int = 0
    errors: int = 0
    duplicates: int = 0  # of `added`: new paths holding content the library already had
    restored: int = 0  # files back from offline
    cancelled: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)

    def add(self, other: ScanCounts) -> None:
        for name, value in asdict(other).items():
            if name == "cancelled":
                self.cancelled = self.cancelled or other.cancelled
            else:
                setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class ScanProgress:
    phase: str  # "walk", "read", "done"
    root: str
    done: int
    total: int
    rate: float  # files per second in this phase
    current: str | None = None


ProgressFn = Callable[[ScanProgress], None]


@dataclass
class _Plan:
    to_read: list[bytes] = field(default_factory=list)
    vanished: list[FileRow] = field(default_factory=list)


class Scanner:
    def __init__(self, database: Database, pool: ReaderPool, thumbs_dir: Path) -> None:
        self.database = database
        self.pool = pool
        self.thumbs_dir = thumbs_dir

    def scan(
        self,
        roots: list[Root],
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        changed: Mapping[int, Sequence[bytes]] | None = None,
    ) -> ScanCounts:
        """Scan roots in turn: whole roots, or with `changed` only the folders around the
        changed paths of each root id given. A file leaving one root for another is one move,
        not a loss, so "missing" is settled once, after every root has been seen."""
        total = ScanCounts()
        newly_missing: set[int] = set()
        for root in roots:
            if changed is not None and root.id not in changed:
                continue
            paths = changed.get(root.id) if changed is not None else None
            counts = self.scan_root(root, newly_missing, progress, cancelled, paths)
            log.info("scanned %s: %s", root.path, counts.as_dict())
            total.add(counts)
            if counts.cancelled:
                break
        total.missing = len(newly_missing)
        return total

    def scan_root(
        self,
        root: Root,
        newly_missing: set[int],
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        changed: Sequence[bytes] | None = None,
    ) -> ScanCounts:
        """Scan one root, or only the folders around `changed` paths (the watcher's events).

        Files found vanished are added to `newly_missing`."""
        counts = ScanCounts()
        report = progress or (lambda p: None)
        if self._is_offline(root):
            with self.database.write() as db:
                cat = Catalog(db)
                cat.set_root_state(root.id, "offline")
                counts.offline = cat.set_root_files_offline(root.id, True)
            log.warning(
                "library folder %s is unavailable; %d files offline", root.path, counts.offline
            )
            report(ScanProgress("done", root.path, 0, 0, 0.0))
            return counts

        scope = scan_scope(root.path_bytes, changed)
        full = scope == (root.path_bytes,)
        started = time.monotonic()
        walked = walk(
            [s for s in scope if full or os.path.isdir(s)],
            on_dir=lambda n: report(ScanProgress("walk", root.path, n, 0, _rate(n, started))),
            cancelled=cancelled,
        )
        if walked.cancelled:
            counts.cancelled = True
            return counts

        with self.database.write() as db:
            cat = Catalog(db)
            cat.set_root_state(root.id, "online")
            counts.restored = cat.set_root_files_offline(root.id, False)
            known = {p: r for p, r in cat.files_of_root(root.id).items() if within(p, scope)}
            all_sidecars = cat.sidecars_of_root(root.id)
            old_sidecars = {p: v for p, v in all_sidecars.items() if within(p, scope)}
            retry = cat.error_paths(root.id, ("access",))
            plan = self._plan(root, walked, known, old_sidecars, retry)
            counts.unchanged = len(walked.media) - len(plan.to_read)
            # Walk errors in the scanned folders are current as of now; stale ones go.
            cat.clear_errors(p for p in cat.error_paths(root.id, ("walk",)) if within(p, scope))
            for path, message in walked.errors.items():
                cat.record_error(root.id, path, "walk", message)
            counts.errors += len(walked.errors)
            dirty = changed_folders(old_sidecars, walked.sidecars)
            stale_sidecar_errors = {
                p for p in cat.error_paths(root.id, ("sidecar",)) if os.path.dirname(p) in dirty
            }
            cat.clear_errors(stale_sidecar_errors)
            cat.clear_errors(f.path_bytes for f in plan.vanished)
            cat.mark_missing(f.id for f in plan.vanished if not f.missing)
            # Sidecars outside the scanned folders stay as last seen; show-level ones (a
            # tvshow.nfo or feed above the changed folder) still reach the files re-read below.
            sidecars = {
                p: (os.path.dirname(p), size, mtime)
                for p, (size, mtime) in all_sidecars.items()
                if not within(p, scope)
            }
            sidecars.update(
                (p, (os.path.dirname(p), e.size, e.mtime_ns)) for p, e in walked.sidecars.items()
            )
            cat.replace_sidecars(root.id, sidecars)
        newly_missing.update(f.id for f in plan.vanished if not f.missing)

        index = SidecarIndex(root.path_bytes, sidecars)
        jobs = ((from_bytes(p), index.context(p)) for p in plan.to_read)
        total = len(plan.to_read)
        started = time.monotonic()
        batch: list[Extracted] = []
        done = 0
        for result in self.pool.run(jobs, str(self.thumbs_dir), cancelled):
            batch.append(result)
            done += 1
            if len(batch) >= BATCH:
                self._apply(root, batch, walked, known, counts, newly_missing)
                batch = []
            report(ScanProgress("read", root.path, done, total, _rate(done, started), result.path))
        if batch:
            self._apply(root, batch, walked, known, counts, newly_missing)
        counts.cancelled = done < total
        if full and not counts.cancelled:
            with self.database.write() as db:
                Catalog(db).mark_root_scanned(root.id)
        report(ScanProgress("done", root.path, done, total, _rate(done, started)))
        return counts

    def _is_offline(self, root: Root) -> bool:
        """Absent, unreadable, or empty while we know files there: an unmounted drive."""
        try:
            with os.scandir(root.path_bytes) as it:
                empty = next(it, None) is None
        except OSError:
            return True
        if not empty:
            return False
        return Catalog(self.database.db).present_file_count(root.id) > 0

    def _plan(
        self,
        root: Root,
        walked: WalkResult,
        known: dict[bytes, FileRow],
        old_sidecars: dict[bytes, tuple[int, int]],
        retry: set[bytes],
    ) -> _Plan:
        plan = _Plan()
        dirty = changed_folders(old_sidecars, walked.sidecars)
        for path, entry in walked.media.items():
            row = known.get(path)
            if (
                row is None
                or row.missing
                or (row.size, row.mtime_ns) != (entry.size, entry.mtime_ns)
                or path in retry
                or (row.item_id is not None and is_affected(path, dirty, root.path_bytes))
            ):
                plan.to_read.append(path)
        unreadable = tuple(p.rstrip(b"/") + b"/" for p in walked.errors)
        for path, row in known.items():
            if path in walked.media or row.missing:
                continue
            if unreadable and path.startswith(unreadable):
                continue  # its folder could not be listed: unknown, not missing
            plan.vanished.append(row)
        plan.to_read.sort()
        return plan

    def _apply(
        self,
        root: Root,
        results: list[Extracted],
        walked: WalkResult,
        known: dict[bytes, FileRow],
        counts: ScanCounts,
        newly_missing: set[int],
    ) -> None:
        with self.database.write() as db:
            cat = Catalog(db)
            for res in results:
                if res.error == "cancelled":
                    continue
                path = to_bytes(res.path)
                entry = walked.media[path]
                row = known.get(path)
                cat.clear_errors([path])
                if res.error or res.metadata is None:
                    counts.errors += 1
                    cat.record_error(root.id, path, res.error_stage, res.error or "unreadable")
                    self._store_file(cat, root, entry, res, row, None)
                    continue
                for where, message in res.metadata.warnings:
                    counts.errors += 1
                    cat.record_error(root.id, to_bytes(where), "sidecar", message)
                if row is not None and row.item_id is not None:
                    # A known file that changed (or whose sidecars did): same item, new facts.
                    counts.updated += 1
                    newly_missing.discard(row.id)
                    self._store_file(cat, root, entry, res, row, row.item_id)
                    self._write_item(cat, row.item_id, res, root)
                elif (moved_id := self._try_move(cat, root, entry, res, row)) is not None:
                    newly_missing.discard(moved_id)
                    counts.moved += 1
                else:
                    item_id = (
                        cat.item_with_fingerprint(res.fingerprint) if res.fingerprint else None
                    )
                    if item_id is None:
                        item_id = self._write_item(cat, None, res, root)
                    else:
                        counts.duplicates += 1
                    counts.added += 1
                    self._store_file(cat, root, entry, res, row, item_id)

    def _try_move(
        self, cat: Catalog, root: Root, entry: Entry, res: Extracted, row: FileRow | None
    ) -> int | None:
        """Same content at a new path as a vanished file: the file row moves, keeping its item.

        Returns the moved file's id, or None when this is not a move."""
        moved = cat.missing_file_with_fingerprint(res.fingerprint) if res.fingerprint else None
        if moved is None or moved.item_id is None:
            return None
        if row is not None:
            cat.forget_itemless_file(row.id)  # an earlier unreadable file here had no item
        cat.update_file(
            moved.id,
            root_id=root.id,
            path_bytes=entry.path,
            size=entry.size,
            mtime_ns=entry.mtime_ns,
            fingerprint=res.fingerprint,
            item_id=moved.item_id,
            error=None,
        )
        self._write_item(cat, moved.item_id, res, root)
        return moved.id

    @staticmethod
    def _store_file(
        cat: Catalog,
        root: Root,
        entry: Entry,
        res: Extracted,
        row: FileRow | None,
        item_id: int | None,
    ) -> None:
        if row is None:
            cat.insert_file(
                root.id, entry.path, entry.size, entry.mtime_ns, res.fingerprint, item_id, res.error
            )
        else:
            cat.update_file(
                row.id,
                root_id=root.id,
                path_bytes=entry.path,
                size=entry.size,
                mtime_ns=entry.mtime_ns,
                fingerprint=res.fingerprint,
                item_id=item_id if item_id is not None else row.item_id,
                error=res.error,
            )

    @staticmethod
    def _write_item(cat: Catalog, item_id: int | None, res: Extracted, root: Root) -> int:
        assert res.metadata is not None
        md = res.metadata
        values = item_values(md, res, root.kind)
        show = show_fields(md, res, values["kind"])
        values["show_id"] = cat.upsert_show(show.kind, show.title, show.fields) if show else None
        if item_id is None:
            return cat.insert_item(values)
        cat.update_item(item_id, values)
        return item_id


def _rate(done: int, started: float) -> float:
    elapsed = time.monotonic() - started
    return done / elapsed if elapsed > 0 else 0.0
