"""The CLI's profile and history commands: `reelcast profile ...` and `reelcast history ...`.

`engine/cli.py` hooks them in: `add_history_commands(sub)` in `build_parser`, and
`run_history_command(library, args)` for `args.command in ("profile", "history")`.
Exit codes as in engine/cli.py: 0 success, 1 failure (message on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Protocol

from engine.cli_output import print_json
from engine.recommend.history import History, HistoryError
from engine.store.db import Database

HISTORY_COMMANDS = ("profile", "history")


class _HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...


def add_history_commands(sub: Any) -> None:
    """Add `profile` and `history` to the top-level subparsers (`add_subparsers()` result)."""
    profile = sub.add_parser("profile", help="viewing profiles")
    profile_sub = profile.add_subparsers(dest="profile_command", required=True)
    add = profile_sub.add_parser("add", help="add a profile")
    add.add_argument("name")
    add.add_argument("--interests", default="", help="free text, e.g. 'history, slow cinema'")
    add.add_argument("--languages", default="", help="ISO 639-1 codes, e.g. en,fr")
    add.add_argument("--default", action="store_true", help="make it the default profile")
    profile_sub.add_parser("list", help="list profiles").add_argument("--json", action="store_true")

    history = sub.add_parser("history", help="viewing history")
    history_sub = history.add_subparsers(dest="history_command", required=True)
    record = history_sub.add_parser("add", help="record a play, a mark or feedback for an item")
    record.add_argument("item_id", type=int)
    record.add_argument("--profile", help="profile name or id (default: the default profile)")
    how = record.add_mutually_exclusive_group()
    how.add_argument("--watched", action="store_true", help="mark as watched")
    how.add_argument("--position", type=float, help="record a play that stopped here (seconds)")
    opinion = record.add_mutually_exclusive_group()
    for flag in ("--like", "--dislike", "--not-interested"):
        opinion.add_argument(flag, action="store_true")

    imp = history_sub.add_parser("import", help="import a JSON or CSV history, or NFO values")
    imp.add_argument("file", nargs="?", help="a file from `reelcast history export`")
    imp.add_argument("--profile", help="put every event in this profile (made if new)")
    imp.add_argument("--nfo", action="store_true", help="import Kodi NFO play counts instead")
    imp.add_argument("--json", action="store_true")

    exp = history_sub.add_parser("export", help="export every profile's history")
    exp.add_argument("file")
    exp.add_argument("--format", choices=("json", "csv"), help="default: from the file suffix")


def run_history_command(target: History | _HasDatabase, args: argparse.Namespace) -> int:
    """Run a `profile` or `history` command on a `History` or anything with a `.database`."""
    history = target if isinstance(target, History) else History(target.database)
    try:
        if args.command == "profile":
            return _profile(history, args)
        return _history(history, args)
    except HistoryError as exc:
        print(f"reelcast: {exc}", file=sys.stderr)
        return 1


def _usage(message: str) -> int:
    print(f"reelcast: {message}", file=sys.stderr)
    return 2


def _profile(history: History, args: argparse.Namespace) -> int:
    if args.profile_command == "add":
        profile = history.add_profile(
            args.name,
            interests=args.interests,
            languages=args.languages.split(","),
            default=args.default,
        )
        default = " (default)" if profile.is_default else ""
        print(f"added profile {profile.id}: {profile.name}{default}")
        return 0
    profiles = [p.as_dict() for p in history.profiles()]
    if args.json:
        print_json(profiles)
    else:
        for p in profiles:
            mark = "*" if p["is_default"] else " "
            langs = ",".join(p["languages"])
            print(f"{mark}{p['id']:>3}  {p['name']:<20} {langs:<10} {p['interests']}")
    return 0


def _history(history: History, args: argparse.Namespace) -> int:
    if args.history_command == "add":
        return _add(history, args)
    if args.history_command == "import":
        return _import(history, args)
    fmt = args.format or ("csv" if args.file.lower().endswith(".csv") else "json")
    try:
        count = (history.export_csv if fmt == "csv" else history.export_json)(args.file)
    except OSError as exc:
        raise HistoryError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    print(f"exported {count} events to {args.file} ({fmt})")
    return 0


def _add(history: History, args: argparse.Namespace) -> int:
    feedback = next((k for k in ("like", "dislike", "not_interested") if getattr(args, k)), None)
    if not (args.watched or args.position is not None or feedback):
        return _usage("history add: say what to record: --watched, --position or feedback")
    profile = history.profile(args.profile)
    done = []
    if args.watched:
        history.mark_watched(profile.id, args.item_id)
        done.append("watched")
    elif args.position is not None:
        session = history.start_session(profile.id, args.item_id, 0.0)
        completed = history.end_session(session, args.position)
        done.append("watched" if completed else f"played to {args.position:g} s")
    if feedback:
        getattr(history, feedback)(profile.id, args.item_id)
        done.append(feedback.replace("_", " "))
    print(f"item {args.item_id} for {profile.name}: {', '.join(done)}")
    return 0


def _import(history: History, args: argparse.Namespace) -> int:
    if args.nfo == bool(args.file):
        return _usage("history import: give a FILE, or --nfo (not both)")
    if args.nfo:
        profile = history.profile(args.profile)
        added = history.import_nfo_history(profile.id)
        result: dict[str, Any] = {"imported": added, "profile": profile.name}
        text = f"imported {added} events from NFO values into {profile.name}"
    else:
        report = history.import_file(args.file, args.profile)
        result = report.as_dict()
        text = (
            f"imported {report.imported} events; {report.duplicates} already present, "
            f"{report.skipped_unmatched} for items not in this library"
        )
        if report.profiles_created:
            text += f"; new profiles: {', '.join(report.profiles_created)}"
    if args.json:
        print_json(result)
    else:
        print(text)
    return 0
