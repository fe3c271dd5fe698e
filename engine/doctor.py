"""`reelcast doctor`: is everything consistent, and can it be mended?"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.store import Catalog
from engine.store.changes import ChangeQueue
from engine.store.embedding import EmbedBook
from engine.watch.observers import filesystem_type, is_remote

if TYPE_CHECKING:
    from engine.library import Library


@dataclass
class DoctorReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "notes": self.notes,
            "repaired": self.repaired,
            **self.facts,
        }


def examine(library: Library, repair: bool = False) -> DoctorReport:
    report = DoctorReport()
    db = library.database.db
    integrity = library.database.integrity_check()
    report.facts["integrity_check"] = integrity
    if integrity != ["ok"]:
        report.problems.append("SQLite integrity_check failed: " + "; ".join(integrity[:5]))

    active = library.model()
    model_id = active.embedder.model_id
    report.facts["model"] = model_id
    # Opening the index already verified checksums and mended what it could; say so.
    found_on_open = [f"index: {p} (mended from SQLite)" for p in active.repairs]
    (report.repaired if repair else report.problems).extend(found_on_open)
    index_problems = active.index.check()
    report.problems.extend(f"index: {p}" for p in index_problems)

    queued = ChangeQueue(db).count()
    stale = len(EmbedBook(db).stale_items(model_id))
    report.facts.update(queued_changes=queued, items_waiting_for_embedding=stale)
    if queued:
        report.problems.append(f"{queued} file changes are waiting; run `reelcast index`")
    if stale:
        report.problems.append(f"{stale} items are not embedded yet; run `reelcast index`")

    watchers = []
    for root in Catalog(db).roots():
        fstype = filesystem_type(root.path_bytes) if os.path.isdir(root.path_bytes) else None
        mode = "polling" if fstype and is_remote(fstype) else "realtime"
        watchers.append({"root": root.path, "state": root.state, "fs": fstype, "mode": mode})
        if root.state == "offline":
            report.notes.append(f"{root.path} is offline (unmounted?); its items are kept")
    report.facts["watchers"] = watchers

    # Another process writing means SQLite may be ahead of the index for a moment (its next
    # publish closes the gap), and only that process may mend the index.
    elsewhere = library.indexing_elsewhere()
    report.facts["indexing_elsewhere"] = elsewhere
    if elsewhere is not None:
        who = f"process {elsewhere}" if elsewhere else "another process"
        report.notes.append(f"Reelcast is indexing this library in {who}")
        if repair and report.problems:
            report.notes.append(f"not repairing: {who} is the index writer; run doctor later")
            return report

    if repair and report.problems:
        if index_problems:
            active.index.rebuild()
            report.repaired.append("rebuilt the vector index from the vectors in SQLite")
        if queued or stale:
            scanned, embedded = library.index_now()
            report.repaired.append(
                f"processed the queue ({scanned.added} added, {scanned.updated} updated) "
                f"and embedded {embedded.embedded} items"
            )
        report.problems = []
        after = examine(library, repair=False)
        report.problems = [p for p in after.problems if "(mended from SQLite)" not in p]
        report.facts = after.facts
    return report
