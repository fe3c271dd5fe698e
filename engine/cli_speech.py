"""The CLI's transcription commands (issue 17): transcribe, transcript."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.cli_output import print_json
from engine.library import Library, LibraryError

SPEECH_COMMANDS = ("transcribe", "transcript")


def add_speech_commands(sub: Any) -> None:
    transcribe = sub.add_parser(
        "transcribe", help="transcribe episodes that have no transcript or subtitles"
    )
    transcribe.add_argument(
        "--folder", action="append", default=[], help="a library folder to transcribe from now on"
    )
    transcribe.add_argument("--off", action="store_true", help="stop transcribing those folders")
    transcribe.add_argument("--limit", type=int, help="at most this many episodes now")
    transcribe.add_argument("--json", action="store_true")
    transcript = sub.add_parser("transcript", help="an item's machine transcript")
    transcript.add_argument("item_id", type=int)
    transcript.add_argument("--export", choices=("srt", "vtt"), help="write it beside the file")
    transcript.add_argument("--json", action="store_true")


def run_speech_command(library: Library, args: argparse.Namespace) -> int:
    if args.command == "transcribe":
        return _transcribe(library, args)
    return _transcript(library, args)


def _transcribe(library: Library, args: argparse.Namespace) -> int:
    if not library.transcription_available():
        print("reelcast: transcription is not available in this installation", file=sys.stderr)
        return 1
    roots = {Path(r.path).resolve(): r.id for r in library.roots()}
    for folder in args.folder:
        root_id = roots.get(Path(folder).resolve())
        if root_id is None:
            raise LibraryError(f"{folder} is not a library folder", "no_folder", path=folder)
        library.set_transcribing(root_id, not args.off)
    if args.off:
        return 0

    def progress(p: Any) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\rtranscribing {p.done + 1}/{p.total}: {p.title[:40]}   ")
            sys.stderr.flush()

    counts = library.transcribe_now(progress, limit=args.limit)
    result = {"done": counts.done, "no_speech": counts.no_speech, "failed": counts.failed}
    if args.json:
        print_json(result)
    else:
        print(f"transcribed {counts.done}, no speech in {counts.no_speech}, failed {counts.failed}")
    return 0


def _transcript(library: Library, args: argparse.Namespace) -> int:
    if args.export:
        path = library.export_transcript(args.item_id, args.export)
        print(str(path))
        return 0
    facts = library.transcript(args.item_id)
    if args.json:
        print_json(facts)
        return 0
    if facts is None:
        print("no machine transcript (not transcribed yet)", file=sys.stderr)
        return 1
    print(f"{facts['outcome']} by {facts['model_id']}, language {facts['language']}")
    for segment in facts["segments"]:
        minutes, seconds = divmod(int(segment["start"]), 60)
        print(f"{minutes:>3}:{seconds:02d}  {segment['text']}")
    return 0
