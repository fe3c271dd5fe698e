"""Safe traversal of a library root.

Symlinks are never followed (no loops, never outside the root), folders are visited once by
(device, inode) to survive bind-mount cycles, hidden and system junk is skipped, and an
unreadable folder becomes a per-path error while the walk goes on.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

AUDIO = frozenset(
    b".mp3 .mp2 .mpa .m4a .m4b .m4r .aac .adts .ogg .oga .opus .spx .flac .wav .wave .aif .aiff "
    b".aifc .wma .mka .ape .wv .mpc .tta .ac3 .dts .caf .amr .au".split()
)
VIDEO = frozenset(
    b".mp4 .m4v .mkv .webm .avi .mov .qt .wmv .asf .ts .m2ts .mts .mpg .mpeg .m2v .vob .ogv .flv "
    b".f4v .3gp .3g2 .divx".split()
)
# Media files Reelcast cannot play: listed as problems ("unsupported format"), never silently
# skipped. RealMedia, MIDI and tracker modules (notes, not recordings), DSD, Flash.
UNSUPPORTED = frozenset(
    b".rm .rmvb .ra .ram .mid .midi .kar .mod .xm .s3m .it .dsf .dff .swf".split()
)
NFO = frozenset({b".nfo"})
SUBTITLES = frozenset({b".srt", b".vtt", b".ass", b".ssa"})
# Podcasting 2.0 transcripts saved beside episodes; grouped with subtitles as timed text.
TRANSCRIPTS = frozenset({b".json", b".html", b".htm"})
IMAGES = frozenset({b".jpg", b".jpeg", b".png", b".webp"})
FEEDS = frozenset({b".rss"})
FEED_NAMES = frozenset({b"feed.xml", b"podcast.xml", b"rss.xml"})
SEP = os.sep.encode()
SUBTITLE_DIRS = frozenset({b"subs", b"subtitles"})

# Folders and files that tools and operating systems leave behind; never media.
JUNK = frozenset(
    name.encode()
    for name in (
        "@eaDir",
        "#recycle",
        "$RECYCLE.BIN",
        "System Volume Information",
        "lost+found",
        "Thumbs.db",
        "desktop.ini",
        "__MACOSX",
    )
)


@dataclass(frozen=True)
class Entry:
    path: bytes
    size: int
    mtime_ns: int


@dataclass
class WalkResult:
    media: dict[bytes, Entry] = field(default_factory=dict)
    sidecars: dict[bytes, Entry] = field(default_factory=dict)
    errors: dict[bytes, str] = field(default_factory=dict)
    unsupported: list[bytes] = field(default_factory=list)  # media of a format we cannot read
    cancelled: bool = False


def media_type(path: bytes) -> str | None:
    ext = os.path.splitext(path)[1].lower()
    if ext in AUDIO:
        return "audio"
    if ext in VIDEO:
        return "video"
    return None


def sidecar_kind(path: bytes) -> str | None:
    name = os.path.basename(path).lower()
    ext = os.path.splitext(name)[1]
    if ext in NFO:
        return "nfo"
    if ext in SUBTITLES or ext in TRANSCRIPTS:
        return "subtitle"
    if ext in IMAGES:
        return "image"
    if ext in FEEDS or name in FEED_NAMES:
        return "feed"
    return None


def _skip(name: bytes) -> bool:
    return name.startswith(b".") or name in JUNK


def walk(
    starts: Sequence[bytes],
    on_dir: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WalkResult:
    """Every media file and sidecar under the `starts` folders, with one stat each."""
    result = WalkResult()
    seen_dirs: set[tuple[int, int]] = set()
    stack = list(starts)
    while stack:
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        folder = stack.pop()
        try:
            info = os.stat(folder, follow_symlinks=False)
            if (info.st_dev, info.st_ino) in seen_dirs:
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            result.errors[folder] = f"folder cannot be read: {exc.strerror or exc}"
            continue
        for entry in entries:
            if _skip(entry.name):
                continue
            try:
                if entry.is_symlink():
                    continue  # never followed: loops, and paths leading out of the root
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                kind = media_type(entry.name)
                side = None if kind else sidecar_kind(entry.name)
                if kind is None and side is None:
                    if os.path.splitext(entry.name)[1].lower() in UNSUPPORTED:
                        result.unsupported.append(entry.path)
                    continue
                st = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(st.st_mode):
                    continue  # fifos, sockets, devices: reading them could hang
                found = Entry(entry.path, st.st_size, st.st_mtime_ns)
                (result.media if kind else result.sidecars)[entry.path] = found
            except OSError as exc:
                result.errors[entry.path] = f"cannot be read: {exc.strerror or exc}"
        if on_dir is not None:
            on_dir(len(result.media))
    return result


def within(path: bytes, scope: Sequence[bytes]) -> bool:
    """Is `path` one of the `scope` folders or below one?"""
    return any(path == s or path.startswith(s.rstrip(SEP) + SEP) for s in scope)


def scan_scope(root: bytes, changed: Sequence[bytes] | None) -> tuple[bytes, ...]:
    """The folders a scan must walk for these changed paths: `(root,)` for a full scan.

    An existing file is re-read with its folder (its sidecars may have changed too); a path that
    is gone stands for itself, so whatever was known at or below it is found vanished.
    """
    if not changed:
        return (root,)
    scope: set[bytes] = set()
    for path in changed:
        if not within(path, (root,)) or path == root:
            return (root,)
        if os.path.isdir(path) or not os.path.lexists(path):
            scope.add(path)
        else:
            scope.add(os.path.dirname(path))
    if root in scope:
        return (root,)
    ordered = sorted(scope, key=len)
    kept: list[bytes] = []
    for path in ordered:
        if not within(path, kept):
            kept.append(path)
    return tuple(kept)
