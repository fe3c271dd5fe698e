"""The library folders (roots) behind the façade's folder methods: add (or bring back), find a
moved folder, move, remove, forget and change kind. `Library` (engine/library.py) delegates
here and drops its cached recommendations after a change."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass

from engine.library_errors import LibraryError
from engine.paths import display, to_bytes
from engine.store import Catalog, Database
from engine.store.catalog import ForgetCounts, Root

log = logging.getLogger(__name__)

KINDS = ("podcast", "video", "mixed")

MOVE_SAMPLE = 200  # files of a known folder looked for under a new one


@dataclass(frozen=True)
class MovedRoot:
    """A folder that looks moved to a path being added: its id and old path and state
    ("offline" or "removed"), and how many of the `checked` files were found there."""

    root_id: int
    path: str
    state: str
    matched: int
    checked: int


def _folder_bytes(path: str | os.PathLike[str]) -> bytes:
    absolute = os.path.abspath(os.fspath(path))
    if not os.path.isdir(absolute):
        raise LibraryError(
            f"{display(absolute)} is not a folder", "not_a_folder", path=display(absolute)
        )
    return to_bytes(os.path.realpath(absolute))


def _check_overlap(cat: Catalog, raw: bytes, ignore: int | None = None) -> None:
    """Live folders may not be the same as or contain each other (removed ones may)."""
    for root in cat.roots():
        if root.id == ignore:
            continue
        if root.path_bytes == raw:
            raise LibraryError(
                f"{root.path} is already in the library", "already_in_library", path=root.path
            )
        inner, outer = sorted((root.path_bytes, raw), key=len)
        if outer.startswith(inner.rstrip(b"/") + b"/"):
            raise LibraryError(
                f"{display(raw)} overlaps the library folder {root.path}; "
                "add folders that do not contain each other",
                "overlaps",
                path=display(raw),
                other=root.path,
            )


def _same_size(path: bytes, size: int) -> bool:
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def add_root(database: Database, path: str | os.PathLike[str], kind: str) -> Root:
    """Add a folder. A removed folder added again at the same path comes back as it was
    (same folder, items and history); files the library knew elsewhere are reattached to
    their items by the scan. See `moved_root_candidate` for a folder that moved."""
    if kind not in KINDS:
        raise LibraryError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    raw = _folder_bytes(path)
    with database.write() as db:
        cat = Catalog(db)
        _check_overlap(cat, raw)
        previous = cat.root_by_path(raw)
        if previous is not None:  # removed before (live ones were refused above)
            cat.reactivate_root(previous.id)
            if previous.kind != kind:
                cat.set_root_kind(previous.id, kind)
            root = cat.root(previous.id)
            assert root is not None
            log.info("added library folder %s again (%s)", root.path, kind)
            return root
        root = cat.add_root(raw, kind)
    log.info("added library folder %s (%s)", root.path, kind)
    return root


def moved_root_candidate(database: Database, path: str | os.PathLike[str]) -> MovedRoot | None:
    """A known folder that is unavailable or removed and whose files are found, at the same
    places and sizes, under `path`: probably that folder moved (a drive mounted elsewhere),
    so offer `move_root` rather than a new folder. Checks a sample of files (stat only)."""
    raw = _folder_bytes(path)
    best: MovedRoot | None = None
    cat = Catalog(database.db)
    for root in cat.roots(include_removed=True):
        if root.path_bytes == raw:
            continue
        if root.state == "online" and os.path.isdir(root.path_bytes):
            continue
        sample = cat.relative_sample(root.id, MOVE_SAMPLE)
        matched = sum(_same_size(os.path.join(raw, rel), size) for rel, size in sample)
        if matched and 2 * matched >= len(sample) and (best is None or matched > best.matched):
            best = MovedRoot(root.id, root.path, root.state, matched, len(sample))
    return best


def move_root(database: Database, root_id: int, new_path: str | os.PathLike[str]) -> Root:
    """This folder moved: rewrite its path and every file path under it in one step; the
    next scan reads each file and confirms it by fingerprint (same items, same history).
    A folder just added at `new_path` and never scanned is folded into it."""
    raw = _folder_bytes(new_path)
    with database.write() as db:
        cat = Catalog(db)
        root = cat.root(root_id)
        if root is None:
            raise LibraryError(f"no library folder {root_id}", "no_folder", root_id=root_id)
        there = cat.root_by_path(raw)
        if there is not None and there.id != root_id:
            if not cat.is_empty_root(there.id):
                raise LibraryError(
                    f"{there.path} is already library folder {there.id}; remove it with "
                    f"`reelcast library remove {there.id} --forget` first",
                    "already_a_folder",
                    path=there.path,
                    root_id=there.id,
                )
            cat.delete_empty_root(there.id)
        _check_overlap(cat, raw, ignore=root_id)
        try:
            cat.move_root(root_id, raw)
        except sqlite3.IntegrityError as exc:  # a removed folder's files at those paths
            raise LibraryError(
                f"files under {display(raw)} belong to a removed library folder; forget "
                "it first (`reelcast library list --all`, then `library remove ID --forget`)",
                "removed_files",
                path=display(raw),
            ) from exc
        moved = cat.root(root_id)
        assert moved is not None
    log.info("moved library folder %s to %s", root.path, moved.path)
    return moved


def remove_root(database: Database, root_id: int) -> None:
    """Stop scanning a folder and hide its items. Items, history and fingerprints stay:
    adding the folder again, at this path or another, brings them back."""
    with database.write() as db:
        cat = Catalog(db)
        if cat.root(root_id) is None:
            raise LibraryError(f"no library folder {root_id}", "no_folder", root_id=root_id)
        cat.remove_root(root_id)


def forget_counts(database: Database, root_id: int) -> ForgetCounts:
    """What `forget_root` would delete: items only in this folder, and their history."""
    cat = Catalog(database.db)
    if cat.root(root_id) is None:
        raise LibraryError(f"no library folder {root_id}", "no_folder", root_id=root_id)
    return cat.forget_counts(root_id)


def forget_root(database: Database, root_id: int) -> ForgetCounts:
    """Delete a folder for good, with the items that are only in it and their history."""
    with database.write() as db:
        cat = Catalog(db)
        if cat.root(root_id) is None:
            raise LibraryError(f"no library folder {root_id}", "no_folder", root_id=root_id)
        counts = cat.forget_root(root_id)
    log.info("forgot library folder %s: %s", root_id, counts)
    return counts


def set_root_kind(database: Database, root_id: int, kind: str) -> None:
    """Change what a folder holds; the next scan reads its files with the new kind."""
    if kind not in KINDS:
        raise LibraryError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    with database.write() as db:
        cat = Catalog(db)
        if not any(r.id == root_id for r in cat.roots()):
            raise LibraryError(f"no library folder {root_id}", "no_folder", root_id=root_id)
        cat.set_root_kind(root_id, kind)


def import_opml(database: Database, path: str | os.PathLike[str]) -> int:
    """Record the podcasts an OPML file subscribes to; returns how many were new or updated."""
    from engine.ingest import opml

    subscriptions = opml.read_opml(os.fspath(path))
    with database.write() as db:
        cat = Catalog(db)
        for sub in subscriptions:
            cat.upsert_show(
                "podcast",
                sub.title or sub.url,
                {"feed_url": sub.url, "sources": {"title": "opml", "feed_url": "opml"}},
            )
    return len(subscriptions)
