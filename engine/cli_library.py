"""`reelcast library ...`: add, list, remove (or forget) and move library folders."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from engine.cli_output import print_json
from engine.library import KINDS, Library


def add_library_commands(sub: Any) -> None:
    lib = sub.add_parser("library", help="manage library folders")
    lib_sub = lib.add_subparsers(dest="library_command", required=True)
    add = lib_sub.add_parser("add", help="add a folder (a removed one comes back as it was)")
    add.add_argument("path")
    add.add_argument("--kind", choices=KINDS, required=True)
    listing = lib_sub.add_parser("list", help="list folders")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--all", action="store_true", help="include removed folders")
    remove = lib_sub.add_parser(
        "remove",
        help="stop scanning a folder and hide its items (items, history and fingerprints stay, "
        "so adding it again brings them back)",
    )
    remove.add_argument("root_id", type=int)
    remove.add_argument(
        "--forget",
        action="store_true",
        help="delete the folder's items that are in no other folder, with their history; "
        "without --yes, only says how much would go",
    )
    remove.add_argument("--yes", action="store_true", help="confirm --forget")
    move = lib_sub.add_parser(
        "move", help="this folder moved: point it at its new path and rescan (ids stay)"
    )
    move.add_argument("root_id", type=int)
    move.add_argument("new_path")


def run_library_command(library: Library, args: argparse.Namespace) -> int:
    command = args.library_command
    if command == "add":
        return _add(library, args)
    if command == "remove":
        return _remove(library, args)
    if command == "move":
        return _move(library, args)
    roots = [
        {"id": r.id, "path": r.path, "kind": r.kind, "state": r.state, "last_scan": r.last_scan_at}
        for r in library.roots(include_removed=args.all)
    ]
    if args.json:
        print_json(roots)
    else:
        for r in roots:
            print(f"{r['id']:>3}  {r['kind']:<8} {r['state']:<8} {r['path']}")
    return 0


def _add(library: Library, args: argparse.Namespace) -> int:
    moved = library.moved_root_candidate(args.path)  # asked first: it skips the folder added
    root = library.add_root(args.path, args.kind)
    print(f"added {root.path} ({root.kind}) as folder {root.id}; run `reelcast scan`")
    if moved is not None:
        print(
            f"note: this looks like folder {moved.root_id} ({moved.path}, {moved.state}), which "
            f"moved: {moved.matched} of {moved.checked} of its files checked are here. To keep "
            f"it as one folder, run `reelcast library move {moved.root_id} {root.path}`; "
            "a scan reattaches its items either way"
        )
    return 0


def _remove(library: Library, args: argparse.Namespace) -> int:
    if not args.forget:
        library.remove_root(args.root_id)
        print(
            f"removed folder {args.root_id}: its items are hidden, their history is kept; "
            "adding the folder again brings them back"
        )
        return 0
    counts = library.forget_counts(args.root_id)
    what = f"{counts.items} items and {counts.history_events} history events"
    if not args.yes:
        print(
            f"reelcast: forgetting folder {args.root_id} would delete {what} (items in no "
            "other folder); nothing was changed. Run again with --yes to delete them",
            file=sys.stderr,
        )
        return 1
    done = library.forget_root(args.root_id)
    print(
        f"forgot folder {args.root_id}: deleted {done.items} items and "
        f"{done.history_events} history events"
    )
    return 0


def _move(library: Library, args: argparse.Namespace) -> int:
    root = library.move_root(args.root_id, args.new_path)
    counts = library.scan()
    print(
        f"moved folder {root.id} to {root.path}; scan: "
        + ", ".join(f"{k} {v}" for k, v in counts.as_dict().items() if k != "cancelled")
    )
    return 0
