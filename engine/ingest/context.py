"""Which sidecars belong to which media file, and which folders changed since the last scan."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from engine.ingest.metadata import DirContext
from engine.ingest.walk import SUBTITLE_DIRS, Entry, sidecar_kind
from engine.paths import from_bytes

_TVSHOW = b"tvshow.nfo"
_SEASON = b"season.nfo"
_FOLDER_NFOS = (_TVSHOW, _SEASON)
# What separates the words of a file name: "kodi-sample_a.mkv" is kodi, sample, a.
_NAME_WORDS = re.compile(r"[^\W_]+")


class SidecarIndex:
    """Sidecars grouped by folder, answering `context(media)` without touching the disk."""

    def __init__(self, root: bytes, sidecars: Iterable[bytes], media: Iterable[bytes] = ()) -> None:
        self.root = root
        self._media = media
        self._prefixes: dict[bytes, tuple[str, ...]] | None = None
        self._by_dir: dict[bytes, dict[str, list[bytes]]] = defaultdict(lambda: defaultdict(list))
        for path in sidecars:
            kind = sidecar_kind(path)
            if kind is not None:
                self._by_dir[os.path.dirname(path)][kind].append(path)
        for kinds in self._by_dir.values():
            for paths in kinds.values():
                paths.sort()
        # Subs/ and Subtitles/ folders, by the folder that holds them.
        self._sub_dirs: dict[bytes, list[bytes]] = defaultdict(list)
        for folder in self._by_dir:
            if os.path.basename(folder).lower() in SUBTITLE_DIRS:
                self._sub_dirs[os.path.dirname(folder)].append(folder)

    def _get(self, folder: bytes, kind: str) -> list[bytes]:
        kinds = self._by_dir.get(folder)
        return kinds.get(kind, []) if kinds else []

    def _ancestors(self, folder: bytes, levels: int) -> list[bytes]:
        """`folder` and up to `levels` parents, never above the root."""
        out = [folder]
        while len(out) <= levels and out[-1] != self.root:
            parent = os.path.dirname(out[-1])
            if parent == out[-1] or not parent.startswith(self.root):
                break
            out.append(parent)
        return out

    def context(self, media: bytes) -> DirContext:
        folder = os.path.dirname(media)
        subs = list(self._get(folder, "subtitle"))
        for sub_dir in self._sub_dirs.get(folder, ()):
            subs.extend(self._get(sub_dir, "subtitle"))
        show_nfo = None
        for up in self._ancestors(folder, 2):
            hit = [p for p in self._get(up, "nfo") if os.path.basename(p).lower() == _TVSHOW]
            if hit:
                show_nfo = hit[0]
                break
        feeds: list[bytes] = []
        for up in self._ancestors(folder, 64):
            feeds = self._get(up, "feed")
            if feeds:
                break
        parent = os.path.dirname(folder)
        show_images = self._get(parent, "image") if folder != self.root else []
        nfos = self._get(folder, "nfo")
        season_nfo = next((p for p in nfos if os.path.basename(p).lower() == _SEASON), None)
        return DirContext(
            root=from_bytes(self.root),
            nfo=_strs(p for p in nfos if os.path.basename(p).lower() not in _FOLDER_NFOS),
            season_nfo=from_bytes(season_nfo) if season_nfo else None,
            name_prefix=self._name_prefix(folder),
            subtitles=_strs(subs),
            images=_strs(self._get(folder, "image")),
            show_nfo=from_bytes(show_nfo) if show_nfo else None,
            show_images=_strs(show_images),
            feeds=_strs(feeds),
        )

    def _name_prefix(self, folder: bytes) -> tuple[str, ...]:
        if self._prefixes is None:  # once, on the first file read: a no-change rescan skips it
            by_dir: dict[bytes, list[bytes]] = defaultdict(list)
            for path in self._media:
                by_dir[os.path.dirname(path)].append(os.path.basename(path))
            self._prefixes = {d: shared_words(names) for d, names in by_dir.items()}
        return self._prefixes.get(folder, ())


def shared_words(names: Iterable[bytes]) -> tuple[str, ...]:
    """The leading words (casefolded) every one of two or more file names starts with."""
    common: list[str] | None = None
    count = 0
    for name in names:
        count += 1
        stem = os.path.splitext(from_bytes(name))[0]
        words = _NAME_WORDS.findall(stem.casefold())
        if common is None:
            common = words
            continue
        keep = 0
        for a, b in zip(common, words, strict=False):
            if a != b:
                break
            keep += 1
        del common[keep:]
        if not common:
            return ()
    return tuple(common) if common and count > 1 else ()


def _strs(paths: Iterable[bytes]) -> tuple[str, ...]:
    return tuple(from_bytes(p) for p in paths)


def changed_folders(old: Mapping[bytes, tuple[int, int]], new: Mapping[bytes, Entry]) -> set[bytes]:
    """Folders where a sidecar appeared, vanished or changed."""
    dirty: set[bytes] = set()
    for path, entry in new.items():
        if old.get(path) != (entry.size, entry.mtime_ns):
            dirty.add(os.path.dirname(path))
    for path in old.keys() - new.keys():
        dirty.add(os.path.dirname(path))
    return dirty


def is_affected(media: bytes, dirty: set[bytes], root: bytes) -> bool:
    """A media file re-reads when its folder, or a folder up to the root, changed sidecars.

    Show-level sidecars (tvshow.nfo, feeds, posters) sit above Season folders, so a change
    there reaches the episodes below it.
    """
    if not dirty:
        return False
    folder = os.path.dirname(media)
    while True:
        if folder in dirty:
            return True
        if folder == root or len(folder) <= len(root):
            return False
        folder = os.path.dirname(folder)
