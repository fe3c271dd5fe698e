"""Why a folder is watched the way it is, as data.

The engine states facts (a kind and its arguments); the desktop words them in the UI language
(desktop/statuses.py) and the CLI and the log use `str()`, the English line. Kinds:

- ``not_started``: the watcher has not started yet
- ``native``: native file-system events (inotify)
- ``polling_requested`` (interval): polling was asked for
- ``remote_fs`` (fstype, fuse, interval): a network or FUSE file system, polled
- ``watch_limit`` (watched, folders, interval): the inotify watch limit was reached
  (``watched`` of ``folders`` folders could be watched; both None when the kernel said no
  before any was added)
- ``instance_limit`` (interval): the inotify instance limit or open files limit was reached
- ``native_unavailable`` (detail, interval): native events failed for another reason
- ``folder_missing``: not watched: the library folder is not there
- ``not_watching`` (detail): not watched, for another reason (the system's words)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Why"]


@dataclass(frozen=True)
class Why:
    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return english(self)


def _every(why: Why) -> str:
    return f"polling every {why.args.get('interval', 0):g} s"


def english(why: Why) -> str:
    """The English line, for the CLI and the log."""
    a, k = why.args, why.kind
    if k == "not_started":
        return "not started"
    if k == "native":
        return "native file-system events"
    if k == "polling_requested":
        return f"polling requested; {_every(why)}"
    if k == "remote_fs":
        kind = "FUSE" if a.get("fuse") else "network"
        return f"{kind} filesystem ({a.get('fstype')}); {_every(why)}"
    if k == "watch_limit":
        only = ""
        if a.get("folders") is not None:
            only = f" (only {a.get('watched')} of {a.get('folders')} folders could be watched)"
        return f"inotify watch limit reached (fs.inotify.max_user_watches){only}; {_every(why)}"
    if k == "instance_limit":
        return (
            "inotify instance limit reached (fs.inotify.max_user_instances) or too many open "
            f"files; {_every(why)}"
        )
    if k == "native_unavailable":
        return f"native file-system events unavailable ({a.get('detail')}); {_every(why)}"
    if k == "folder_missing":
        return "not watching: library folder not found"
    if k == "not_watching":
        return f"not watching: {a.get('detail')}"
    return k
