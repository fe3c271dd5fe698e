"""The library's refusals: `LibraryError` (a message for the CLI, a kind and facts for the
desktop to word) and `IndexingElsewhere`. Exported by the façade, engine/library.py."""

from __future__ import annotations

from typing import Any


class LibraryError(Exception):
    """A request the library refuses; the message tells the user why and what to do, in
    English (the CLI). `kind` and `facts` say the same as data, for the desktop to word:
    not_a_folder (path), already_in_library (path), overlaps (path, other), no_folder
    (root_id), already_a_folder (path, root_id), removed_files (path), closing,
    indexing_elsewhere (pid); "other" when only the message says it."""

    def __init__(self, message: str, kind: str = "other", **facts: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.facts = facts


class IndexingElsewhere(LibraryError):
    """Another process is this library's index writer (`pid`, None when unknown); its worker
    drains the change queue, so the work is not lost, only not done here."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"Reelcast is indexing this library in {who}", "indexing_elsewhere", pid=pid
        )
