"""The scan: walk each root, compare with the catalogue, read only what changed, apply.

Identity follows content, not paths (see docs/library.md, "Identity"): content whose
fingerprint a vanished file (or a removed folder's file) had is that file moved, and keeps its
item; content a present file has is a copy and joins that item (one item, several files); a
changed fingerprint at a known path is the same item only when identity metadata agrees
(engine/ingest/identity.py), else the old item goes missing. Nothing is deleted: vanished files
are flagged missing, and a root that is absent or suddenly empty (an unmounted drive) flags its
files offline.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.faults import fault_point
from engine.ingest import identity
from engine.ingest.context import SidecarIndex, changed_folders, is_affected
from engine.ingest.identity import EDIT_TOLERANCE
from engine.ingest.integrity import INCOMPLETE, Finding
from engine.ingest.metadata import Extracted
from engine.ingest.pool import ReaderPool
from engine.ingest.records import item_values, show_fields
from engine.ingest.walk import Entry, WalkResult, media_type, scan_scope, walk, within
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
    replaced: int = 0  # new encodes of a vanished film or episode, which keep its item
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
class _Vanished:
    """Items whose files are all gone, by folded title; read on first need in a root scan."""

    by_title: dict[str, list[int]] | None = None
    by_id: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # ("imdb", "tt1")


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
            # Files read before passages existed (or before a newer timed-text reader): again.
            retry |= passage_rereads(cat, root.id)
            plan = self._plan(root, walked, known, old_sidecars, retry)
            counts.unchanged = len(walked.media) - len(plan.to_read)
            # Walk errors in the scanned folders are current as of now; stale ones go.
            cat.clear_errors(p for p in cat.error_paths(root.id, ("walk",)) if within(p, scope))
            for path, message in walked.errors.items():
                cat.record_error(root.id, path, "walk", message)
            counts.errors += len(walked.errors)
            self._record_unsupported(cat, root, walked, scope)
            counts.errors += len(walked.unsupported)
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

        index = SidecarIndex(root.path_bytes, sidecars, walked.media)
        jobs = ((from_bytes(p), index.context(p)) for p in plan.to_read)
        total = len(plan.to_read)
        started = time.monotonic()
        batch: list[Extracted] = []
        vanished = _Vanished()
        done = 0
        for result in self.pool.run(jobs, str(self.thumbs_dir), cancelled):
            batch.append(result)
            done += 1
            if len(batch) >= BATCH:
                self._apply(root, batch, walked, counts, newly_missing, vanished)
                batch = []
            report(ScanProgress("read", root.path, done, total, _rate(done, started), result.path))
        if batch:
            self._apply(root, batch, walked, counts, newly_missing, vanished)
        counts.cancelled = done < total
        if full and not counts.cancelled:
            with self.database.write() as db:
                Catalog(db).mark_root_scanned(root.id)
        report(ScanProgress("done", root.path, done, total, _rate(done, started)))
        return counts

    @staticmethod
    def _record_unsupported(
        cat: Catalog, root: Root, walked: WalkResult, scope: tuple[bytes, ...]
    ) -> None:
        """A media file of a format Reelcast cannot read is a problem, not silence."""
        stale = {p for p in cat.error_paths(root.id, ("unsupported",)) if within(p, scope)}
        cat.clear_errors(stale - set(walked.unsupported))
        for path in walked.unsupported:
            ext = os.path.splitext(path)[1].decode("utf-8", "replace").lower()
            message = f"unsupported format: Reelcast cannot play {ext} files"
            cat.record_error(
                root.id, path, "unsupported", message, "unsupported_format", {"extension": ext}
            )

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
        counts: ScanCounts,
        newly_missing: set[int],
        vanished: _Vanished,
    ) -> None:
        with self.database.write() as db:
            cat = Catalog(db)
            for res in results:
                fault_point("scan.mid_transaction")  # the Nth file: N-1 written, uncommitted
                if res.error == "cancelled":
                    continue
                path = to_bytes(res.path)
                entry = walked.media[path]
                # Read live, not from `known`: earlier results of this scan may have moved
                # records (two files that swapped names), and the row may be another folder's.
                row = cat.file_at(path)
                cat.clear_errors([path])
                if res.error or res.metadata is None:
                    counts.errors += 1
                    cat.record_error(root.id, path, res.error_stage, res.error or "unreadable")
                    present = row if row is not None and not row.missing else None
                    self._store_file(cat, root, entry, res, present, None)
                    cat.set_passages_read([path], _passage_readers())
                    continue
                for where, message in res.metadata.warnings:
                    counts.errors += 1
                    cat.record_error(root.id, to_bytes(where), "sidecar", message)
                for where, message in res.metadata.notes:
                    log.info("%s: %s", where, message)
                self._place(cat, root, entry, res, row, counts, newly_missing, vanished)
                cat.set_passages_read([path], _passage_readers())
                finding = res.metadata.integrity
                if isinstance(finding, Finding):
                    # Listed, with a warning on the file: cut off, damaged, no duration.
                    counts.errors += 1
                    cat.record_error(
                        root.id, path, "integrity", finding.message, finding.kind, finding.args
                    )
                    cat.set_file_integrity(path, json.dumps(finding.as_json(), sort_keys=True))
                elif row is not None:
                    cat.set_file_integrity(path, None)

    def _place(
        self,
        cat: Catalog,
        root: Root,
        entry: Entry,
        res: Extracted,
        row: FileRow | None,
        counts: ScanCounts,
        newly_missing: set[int],
        vanished: _Vanished,
    ) -> None:
        """Decide which item the content now at `entry.path` is: content over path."""
        fp = res.fingerprint
        holders = [
            (h, gone)
            for h, gone in (cat.holders_of(fp) if fp else [])
            if row is None or h.id != row.id
        ]
        if row is not None and row.item_id is not None:
            same_content = fp is None or fp == row.fingerprint
            if same_content or any(h.item_id == row.item_id for h, _ in holders):
                # Unchanged content (a sidecar or the stat changed), or back after a while.
                counts.updated += 1
                newly_missing.discard(row.id)
                self._store_file(cat, root, entry, res, row, row.item_id)
                self._write_item(cat, row.item_id, res, root)
                return
            if not holders and self._still_same(cat, row.item_id, res, root, EDIT_TOLERANCE):
                counts.updated += 1  # the same film or episode with its tags rewritten
                newly_missing.discard(row.id)
                self._store_file(cat, root, entry, res, row, row.item_id)
                self._write_item(cat, row.item_id, res, root)
                return
        if row is not None:
            self._retire(cat, row, newly_missing)  # other content has this path now
        if holders:
            holder, gone = holders[0]
            assert holder.item_id is not None
            if gone:  # that content left its old place: the record follows it here
                cat.update_file(
                    holder.id,
                    root_id=root.id,
                    path_bytes=entry.path,
                    size=entry.size,
                    mtime_ns=entry.mtime_ns,
                    fingerprint=fp,
                    item_id=holder.item_id,
                    error=None,
                )
                newly_missing.discard(holder.id)
                self._write_item(cat, holder.item_id, res, root)
                counts.moved += 1
                return
            # Still at its old place as far as we know: a copy, or (when that place is read
            # later in this scan) the other half of a swap. One item, one more file.
            self._store_file(cat, root, entry, res, None, holder.item_id)
            if row is not None and row.item_id is not None:
                counts.moved += 1
                self._write_item(cat, holder.item_id, res, root)
            else:
                counts.added += 1
                counts.duplicates += 1
            return
        replaced = self._replaced_item(cat, res, root, vanished)
        if replaced is not None:
            counts.replaced += 1
            self._store_file(cat, root, entry, res, None, replaced)
            self._write_item(cat, replaced, res, root)
            return
        counts.added += 1
        self._store_file(cat, root, entry, res, None, self._write_item(cat, None, res, root))

    @staticmethod
    def _retire(cat: Catalog, row: FileRow, newly_missing: set[int]) -> None:
        """The content `row` recorded is no longer at its path. The record stays, as missing,
        so its item keeps its fingerprint and can come back; one with no item, or whose
        content another row of the same item remembers, is dropped."""
        if row.item_id is None or cat.has_other_record(row.id, row.item_id, row.fingerprint):
            cat.delete_file(row.id)
            newly_missing.discard(row.id)
        elif not row.missing:
            cat.mark_missing([row.id])
            newly_missing.add(row.id)

    @staticmethod
    def _identity(res: Extracted, root: Root) -> identity.Identity:
        assert res.metadata is not None
        values = item_values(res.metadata, res, root.kind)
        show = show_fields(res.metadata, res, values["kind"])
        finding = res.metadata.integrity
        cut = isinstance(finding, Finding) and finding.kind == INCOMPLETE
        return identity.from_values(
            values, show.title if show else None, not res.metadata.title, cut
        )

    def _still_same(
        self, cat: Catalog, item_id: int, res: Extracted, root: Root, tolerance: float
    ) -> bool:
        row = cat.identity_of(item_id)
        if row is None:
            return False
        return identity.agrees(identity.from_item(row), self._identity(res, root), tolerance)

    def _replaced_item(
        self, cat: Catalog, res: Extracted, root: Root, vanished: _Vanished
    ) -> int | None:
        """A vanished item this content is another encode of (same identity, duration within
        2 %): the file replaced it, and it keeps its item and history. None unless exactly one
        item fits."""
        assert res.metadata is not None
        new = self._identity(res, root)
        if new.title is None:
            return None
        if vanished.by_title is None:  # once per root scan, and only when needed
            vanished.by_title = {}
            for item_id, title, stored_ids in cat.vanished_items():
                vanished.by_title.setdefault(identity.fold(title) or "", []).append(item_id)
                for pair in (identity.own_ids(stored_ids) or {}).items():
                    vanished.by_id.setdefault(pair, []).append(item_id)
        # A renamed film whose NFO keeps its imdb/tmdb id is found by the id, whatever its title.
        by_id = [i for pair in (new.ids or {}).items() for i in vanished.by_id.get(pair, [])]
        fits = []
        for item_id in dict.fromkeys([*vanished.by_title.get(new.title, []), *by_id]):
            row = cat.identity_of(item_id)
            if row is not None and identity.same_encode(identity.from_item(row), new):
                fits.append(item_id)
        return fits[0] if len(fits) == 1 else None

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
            item_id = cat.insert_item(values)
        else:
            cat.update_item(item_id, values)
        # Imported here: the passage store loads numpy, and the window's first paint imports
        # this module without scanning anything (tests/desktop/test_startup_modules.py).
        from engine.ingest.transcripts import item_passages, machine_passages, with_machine
        from engine.store.passages import PassageStore
        from engine.store.speech import SpeechStore

        # What the speech model heard is kept apart from the files: reading them again keeps it,
        # and gives a failed transcription another try.
        speech = SpeechStore(cat.db)
        speech.forget_failure(item_id)
        heard = machine_passages(speech.heard(item_id))
        PassageStore(cat.db).replace(item_id, with_machine(item_passages(md), heard))
        return item_id


def passage_rereads(cat: Catalog, root_id: int) -> set[bytes]:
    """The files of a root that older timed-text readers read and the current ones may find
    more in; the others are marked read by the current readers, as they would find nothing new
    (call in a write transaction)."""
    from engine.ingest.transcripts import read_again

    unread = cat.unread_for_passages(root_id, _passage_readers())
    again = {p for p, version in unread.items() if read_again(version, media_type(p) == "video")}
    cat.set_passages_read(set(unread) - again, _passage_readers())
    return again


def _passage_readers() -> int:
    # Imported on first use: the window's first paint imports this module without scanning.
    from engine.ingest.transcripts import PASSAGE_READERS

    return PASSAGE_READERS


def _rate(done: int, started: float) -> float:
    elapsed = time.monotonic() - started
    return done / elapsed if elapsed > 0 else 0.0
