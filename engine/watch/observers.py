"""One watchdog observer per library root, native where it can be, polling where it must.

Native events (inotify on Linux) are cheap and immediate but not always available: the kernel
limits watches per user (fs.inotify.max_user_watches) and instances (max_user_instances), and
on network or FUSE file systems the kernel only sees changes made through this machine. In
those cases the root is polled instead, and `why` says why (engine.watch.why: a kind and its
arguments, worded by the desktop; `reason` is its English line), so a user can act on it.

Symlinks are never followed, matching the scanner: inotify watches get IN_DONT_FOLLOW and
watchdog skips linked folders when it adds watches; the polling snapshot uses lstat, so a
linked folder is an entry, not a subtree.
"""

from __future__ import annotations

import errno
import logging
import os
from typing import Literal

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from engine.store.catalog import Root
from engine.watch.events import ChangeHandler, Sink
from engine.watch.why import Why

log = logging.getLogger(__name__)

Mode = Literal["realtime", "polling"]

MOUNTINFO = "/proc/self/mountinfo"

# File systems whose changes may come from elsewhere (another machine, the host of a VM), which
# inotify never hears about.
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "davfs",
        "sshfs",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ncpfs",
        "virtiofs",
        "vboxsf",
        "vmhgfs",
    }
)


def _unescape(field: bytes) -> bytes:
    # mountinfo writes space, tab, newline and backslash in mount points as \ooo octal.
    out = bytearray()
    i = 0
    while i < len(field):
        if field[i : i + 1] == b"\\" and field[i + 1 : i + 4].isdigit():
            out.append(int(field[i + 1 : i + 4], 8))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return bytes(out)


def parse_mounts(text: bytes) -> list[tuple[bytes, str]]:
    """(mount point, file system type) pairs from /proc/self/mountinfo or /proc/mounts text."""
    mounts: list[tuple[bytes, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if b"-" in fields[6:]:  # mountinfo: optional fields end at a lone "-"
            sep = fields.index(b"-", 6)
            if len(fields) > sep + 1:
                mounts.append((_unescape(fields[4]), fields[sep + 1].decode(errors="replace")))
        elif len(fields) >= 3:  # /proc/mounts: source, mount point, type, ...
            mounts.append((_unescape(fields[1]), fields[2].decode(errors="replace")))
    return mounts


def filesystem_type(path: bytes, mountinfo: str = MOUNTINFO) -> str | None:
    """The type of the file system holding `path`, or None when the mount table is unreadable."""
    text = b""
    for candidate in (mountinfo, "/proc/mounts"):
        try:
            with open(candidate, "rb") as fh:
                text = fh.read()
            break
        except OSError:
            continue
    real = os.path.realpath(path)
    best: tuple[int, str] | None = None
    for point, fstype in parse_mounts(text):
        inside = real == point or real.startswith(point.rstrip(b"/") + b"/")
        # The longest mount point wins; at equal length the later one is mounted on top.
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


def is_remote(fstype: str) -> bool:
    # fuseblk is a local disk behind FUSE (ntfs-3g, exfat): its changes all pass through here.
    return fstype in NETWORK_FS or fstype == "fuse" or fstype.startswith("fuse.")


def _folders(root: bytes) -> int:
    """How many folders under `root` (itself included) can be opened, links not followed."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                continue
            with os.scandir(folder) as it:
                subdirs = [e.path for e in it if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        seen.add((info.st_dev, info.st_ino))
        stack.extend(subdirs)
    return len(seen)


def _inotify_watches(observer: BaseObserver) -> int | None:
    """Watches held by this observer's own inotify instance (Linux), from /proc fdinfo.

    watchdog raises only when the root itself cannot be watched; a limit hit deeper in the
    tree is swallowed, leaving folders silently unwatched. Counting is how we find out.
    """
    holder = getattr(observer, "_inotify_fd", None)
    fd = getattr(holder, "_inotify_fd", None)
    if not isinstance(fd, int):
        return None  # not inotify, or watchdog's internals moved: skip the check
    try:
        with open(f"/proc/self/fdinfo/{fd}", "rb") as fh:
            return sum(1 for line in fh if line.startswith(b"inotify wd:"))
    except OSError:
        return None


class RootWatcher:
    """Watches one root and hands its changes to `sink`; see the module docstring."""

    def __init__(
        self,
        root: Root,
        sink: Sink,
        *,
        force_polling: bool = False,
        polling_interval: float = 2.0,
        mountinfo: str = MOUNTINFO,
    ) -> None:
        self.root = root
        self.sink = sink
        self.force_polling = force_polling
        self.polling_interval = polling_interval
        self.mountinfo = mountinfo
        self.mode: Mode = "realtime"
        self.why = Why("not_started")
        self._observer: BaseObserver | None = None
        self._handler: ChangeHandler | None = None

    def start(self) -> None:
        """Start watching; raises OSError when the root cannot be watched at all (gone)."""
        if self._observer is not None:
            return
        root = self.root.path_bytes
        if not os.path.isdir(root):
            raise FileNotFoundError(errno.ENOENT, "library folder not found", self.root.path)
        # inotify with IN_DONT_FOLLOW would watch a symlinked root's link, not its folder.
        watch_path = os.path.realpath(root) if os.path.islink(root) else root
        handler = ChangeHandler(self.root.id, root, self.sink, watch_path)
        self._handler = handler
        reason = self._polling_reason(watch_path)
        if reason is None:
            try:
                self._observer = self._start_native(handler, watch_path)
            except OSError as exc:
                reason = _explain(exc, self.polling_interval)
        if reason is None:
            self.mode, self.why = "realtime", Why("native")
            log.info("watching %s with native events", self.root.path)
            return
        self._observer = self._start_polling(handler, watch_path)
        self.mode, self.why = "polling", reason
        log.warning("watching %s by polling: %s", self.root.path, reason)

    @property
    def reason(self) -> str:
        """`why` in English, for the CLI and the log."""
        return str(self.why)

    def _polling_reason(self, watch_path: bytes) -> Why | None:
        every = self.polling_interval
        if self.force_polling:
            return Why("polling_requested", {"interval": every})
        fstype = filesystem_type(watch_path, self.mountinfo)
        if fstype is not None and is_remote(fstype):
            fuse = fstype.startswith("fuse")
            return Why("remote_fs", {"fstype": fstype, "fuse": fuse, "interval": every})
        return None

    def _start_native(self, handler: ChangeHandler, watch_path: bytes) -> BaseObserver:
        observer = Observer()  # on Linux this already opens an inotify instance (EMFILE)
        try:
            observer.schedule(
                handler, os.fsdecode(watch_path), recursive=True, follow_symlink=False
            )
            observer.start()  # adds the watches (ENOSPC on the root)
        except BaseException:
            observer.stop()  # closes the inotify instance and its reader thread
            if observer.is_alive():
                observer.join()
            raise
        watches = _inotify_watches(observer)
        if watches is not None:
            folders = _folders(watch_path)
            if watches < folders and (_inotify_watches(observer) or 0) < _folders(watch_path):
                _stop(observer)
                raise _PartialWatch(watches, folders)
        return observer

    def _start_polling(self, handler: ChangeHandler, watch_path: bytes) -> BaseObserver:
        # lstat: a symlinked folder is an entry, not a subtree to walk into.
        observer = PollingObserverVFS(
            stat=os.lstat, listdir=os.scandir, polling_interval=self.polling_interval
        )
        observer.schedule(handler, os.fsdecode(watch_path), recursive=True)
        observer.start()  # takes the first snapshot: a full walk of the root
        return observer

    def is_alive(self) -> bool:
        observer = self._observer
        if observer is None or not observer.is_alive():
            return False
        # The observer thread outlives an emitter that stopped (its root was deleted).
        return all(emitter.is_alive() for emitter in observer.emitters)

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            _stop(observer)

    def crash_for_test(self) -> None:
        """Make the observer thread die of an exception at its next event (a test hook)."""
        if self._handler is not None:
            self._handler.crash_next = True

    def kill_for_test(self) -> None:
        """Stop the observer behind the watcher's back, as a crash would (a test hook)."""
        if self._observer is not None:
            _stop(self._observer)


def _stop(observer: BaseObserver) -> None:
    observer.stop()
    if observer.is_alive():
        observer.join(timeout=10)
        if observer.is_alive():
            log.warning("a file-system observer did not stop within 10 s")


class _PartialWatch(OSError):
    """The kernel took watches for only some of the root's folders (the watch limit)."""

    def __init__(self, watched: int, folders: int) -> None:
        super().__init__(errno.ENOSPC, f"only {watched} of {folders} folders could be watched")
        self.watched = watched
        self.folders = folders


def _explain(exc: OSError, interval: float) -> Why:
    if exc.errno == errno.ENOSPC:
        watched = exc.watched if isinstance(exc, _PartialWatch) else None
        folders = exc.folders if isinstance(exc, _PartialWatch) else None
        return Why("watch_limit", {"watched": watched, "folders": folders, "interval": interval})
    if exc.errno == errno.EMFILE:
        return Why("instance_limit", {"interval": interval})
    detail = str(exc.strerror or exc)
    return Why("native_unavailable", {"detail": detail, "interval": interval})
