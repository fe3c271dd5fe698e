"""`reelcast`: the engine from the command line, with stable JSON for scripts.

Exit codes: 0 success (per-file errors are reported, not fatal), 1 failure, 2 usage error,
141 stdout closed early (`reelcast items --json | head`: quiet, as a shell tool ends on SIGPIPE).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.cli_history import add_history_commands, run_history_command
from engine.cli_index import run_index_command
from engine.cli_library import add_library_commands, run_library_command
from engine.cli_output import print_json
from engine.cli_recommend import (
    RECOMMEND_COMMANDS,
    add_recommend_parsers,
    run_eval_command,
    run_recommend_command,
)
from engine.cli_speech import SPEECH_COMMANDS, add_speech_commands, run_speech_command
from engine.ingest.metadata import ReaderError
from engine.library import Library, LibraryError, ScanProgress
from engine.store import StoreError
from engine.version import app_version

ITEM_FIELDS = ("id", "title", "kind", "show", "path", "state", "description")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reelcast", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"reelcast {app_version()}")
    parser.add_argument("--data-dir", help="where the library lives (default: per-user data dir)")
    sub = parser.add_subparsers(dest="command", required=True)

    add_library_commands(sub)

    scan = sub.add_parser("scan", help="scan every library folder")
    scan.add_argument("--json", action="store_true")

    items = sub.add_parser("items", help="list catalogued items")
    items.add_argument("--json", action="store_true")
    items.add_argument("--limit", type=int)

    show = sub.add_parser("show", help="one item in full")
    show.add_argument("item_id", type=int)
    show.add_argument("--json", action="store_true")

    sub.add_parser("errors", help="per-file errors").add_argument("--json", action="store_true")

    imp = sub.add_parser("import-opml", help="record podcast subscriptions from an OPML file")
    imp.add_argument("path")

    index = sub.add_parser("index", help="process queued changes and embed what changed")
    index.add_argument("--json", action="store_true")
    index.add_argument(
        "--wait",
        action="store_true",
        help="when another Reelcast process is indexing this library, wait for it to finish "
        "instead of exiting with status 1",
    )
    watch = sub.add_parser("watch", help="watch the library folders and index until Ctrl-C")
    watch.add_argument("--polling", action="store_true", help="poll instead of native events")

    search = sub.add_parser("search", help="search the library")
    search.add_argument("text")
    search.add_argument("--json", action="store_true")
    search.add_argument("-k", type=int, default=10, help="how many results (default 10)")
    search.add_argument("--kind", action="append", default=[], help="podcast, movie, episode...")
    search.add_argument("--show")
    search.add_argument("--language")
    search.add_argument("--unwatched", action="store_true")
    search.add_argument(
        "--all", action="store_true", help="k results however loosely they match (no cut-off)"
    )

    add_history_commands(sub)
    add_recommend_parsers(sub)

    add_speech_commands(sub)

    doctor = sub.add_parser("doctor", help="check the database, index and queue")
    doctor.add_argument("--json", action="store_true")
    doctor.add_argument("--repair", action="store_true", help="mend what can be mended")

    selftest = sub.add_parser(
        "selftest", help="check this installation end to end in a temporary library, offline"
    )
    selftest.add_argument("--json", action="store_true")
    selftest.add_argument(
        "--speech", type=Path, metavar="FILE", help="a spoken clip to transcribe (default: none)"
    )
    selftest.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="WORD",
        help="a word the clip must be heard to say (repeatable)",
    )
    return parser


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `cat` or `git log` report when the reader goes


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build starts its reader and model processes by running this executable again;
    # this makes such a child run its task instead of the CLI (a no-op when not frozen).
    multiprocessing.freeze_support()
    try:
        code = _main(argv)
        sys.stdout.flush()  # buffered output meets a closed pipe here, not at interpreter exit
    except BrokenPipeError:
        # The reader (`head`) went away: stop quietly. Point stdout at /dev/null so the flush
        # at exit does not raise again ("Exception ignored ... BrokenPipeError").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE
    return code


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "eval":  # builds its own temporary library
        return run_eval_command(args)
    if args.command == "selftest":  # likewise, and ignores --data-dir
        return _selftest(args)
    try:
        with Library(args.data_dir) as library:
            return _run(library, args)
    except (LibraryError, StoreError, ReaderError) as exc:
        print(f"reelcast: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(library: Library, args: argparse.Namespace) -> int:
    command = args.command
    if command == "library":
        return run_library_command(library, args)
    if command == "scan":
        counts = library.scan(progress=_progress_printer() if sys.stderr.isatty() else None)
        if args.json:
            print_json(counts.as_dict())
        else:
            print(", ".join(f"{k} {v}" for k, v in counts.as_dict().items() if k != "cancelled"))
        return 0
    if command == "items":
        rows = [{k: item[k] for k in ITEM_FIELDS} for item in library.items(args.limit)]
        if args.json:
            print_json(rows)
        else:
            for row in rows:
                show = f"{row['show']} — " if row["show"] else ""
                print(f"{row['id']:>6}  {row['kind']:<8} {row['state']:<8} {show}{row['title']}")
        return 0
    if command == "show":
        item = library.item(args.item_id)
        if item is None:
            print(f"reelcast: no item {args.item_id}", file=sys.stderr)
            return 1
        if args.json:
            print_json(item)
        else:
            for key, value in item.items():
                if value not in (None, "", [], {}):
                    print(f"{key}: {value}")
        return 0
    if command == "errors":
        errors = library.errors()
        if args.json:
            print_json(errors)
        else:
            for err in errors:
                print(f"{err['path']}: {err['error']}")
        return 0
    if command in RECOMMEND_COMMANDS:
        return run_recommend_command(library, args)
    if command in ("profile", "history"):
        return run_history_command(library, args)
    if command in ("index", "watch", "search", "doctor"):
        return run_index_command(library, args)
    if command in SPEECH_COMMANDS:
        return run_speech_command(library, args)
    if command == "import-opml":
        count = library.import_opml(args.path)
        print(f"{count} podcast subscriptions recorded")
        return 0
    raise AssertionError(command)  # argparse only lets known commands through


def _selftest(args: argparse.Namespace) -> int:
    from engine.selftest import run_selftest

    def progress(step: str) -> None:
        sys.stderr.write(f"self-test: {step}\n")
        sys.stderr.flush()

    if args.expect and args.speech is None:
        print("reelcast: --expect needs --speech FILE", file=sys.stderr)
        return 2
    report = run_selftest(
        progress if sys.stderr.isatty() and not args.json else None, args.speech, args.expect
    )
    if args.json:
        print_json(report.as_dict())
    else:
        for step in report.steps:
            mark = "ok  " if step.ok else "FAIL"
            problem = step.detail.get("error") or step.detail.get("skipped") or ""
            print(f"{mark} {step.name:<10} {step.seconds:7.2f} s  {problem}".rstrip())
        facts = report.facts
        # The runtime that embedded: OpenVINO or ONNX Runtime; torch only when asked for.
        names = ("openvino", "onnxruntime", "torch")
        runtimes = [f"{name} {facts[name]}" for name in names if facts.get(name)]
        print(
            f"reelcast {facts.get('version')}, Python {facts.get('python')}, "
            f"{' + '.join(runtimes) or 'no model runtime loaded'} ({facts.get('device')}), "
            f"model {facts.get('model_id')}{', frozen' if facts.get('frozen') else ''}"
        )
        print("self-test passed" if report.ok else "self-test FAILED")
    return 0 if report.ok else 1


def _progress_printer() -> Any:
    def show(p: ScanProgress) -> None:
        if p.phase == "read":
            sys.stderr.write(f"\rreading {p.done}/{p.total} ({p.rate:.0f} files/s)   ")
        elif p.phase == "done":
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


if __name__ == "__main__":
    sys.exit(main())
