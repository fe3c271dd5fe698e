"""The CLI's indexing commands: index, watch, search, doctor."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from engine.cli_output import print_json
from engine.library import IndexingElsewhere, Library
from engine.store.search_sql import SearchFilters


def run_index_command(library: Library, args: argparse.Namespace) -> int:
    if args.command == "index":
        return _index(library, args.json, args.wait)
    if args.command == "watch":
        return _watch(library, args.polling)
    if args.command == "search":
        return _search(library, args)
    return _doctor(library, args.json, args.repair)


def _index(library: Library, as_json: bool, wait: bool = False) -> int:
    """Exit 1 without indexing while another process is the library's index writer (its
    worker drains the queue, so nothing is lost), unless --wait: then wait for it to finish."""
    progress = _progress if sys.stderr.isatty() else None
    if wait and (pid := library.indexing_elsewhere()) is not None:
        print(f"waiting: {_elsewhere(pid)}", file=sys.stderr, flush=True)
    try:
        scanned, embedded = library.index_now(progress=progress, wait=wait)
    except IndexingElsewhere as exc:
        if as_json:
            print_json({"indexed": False, "indexing_elsewhere": exc.pid or 0})
        print(f"reelcast: {exc}; its watcher will index the changes", file=sys.stderr)
        return 1
    result = {
        "scanned": scanned.as_dict(),
        "embedded": embedded.embedded,
        "unchanged": embedded.unchanged,
        "chunks": embedded.chunks,
        "queued": library.queued_changes(),
    }
    if as_json:
        print_json({"indexed": True, **result})
    else:
        print(
            f"embedded {embedded.embedded} items ({embedded.chunks} chunks), "
            f"{embedded.unchanged} unchanged; {result['queued']} changes still queued"
        )
    return 0


def _elsewhere(pid: int) -> str:
    return f"Reelcast is indexing this library in {f'process {pid}' if pid else 'another process'}"


def _progress(p: Any) -> None:
    eta = f", about {p.eta:.0f} s left" if p.eta else ""
    sys.stderr.write(f"\rembedding {p.done}/{p.total} ({p.rate:.0f} items/s{eta})   ")
    sys.stderr.flush()


def _watch(library: Library, polling: bool) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    last: list[str] = []

    def show(status: Any) -> None:
        line = f"{status.state}: {status.queued} queued"
        if status.state == "standby":  # another process is the writer: we only queue changes
            line = f"{_elsewhere(status.writer_pid)}; queueing changes for it"
        if status.state in ("scanning", "embedding") and status.total:
            line += f", {status.done}/{status.total} ({status.rate:.0f}/s)"
        if line != (last[-1] if last else None):
            last.append(line)
            print(line, file=sys.stderr, flush=True)

    library.start_watching(show, force_polling=polling)
    told: set[tuple[int, str]] = set()
    while not stop.wait(0.5):
        # Say how each folder is watched once its watcher is up (and again if that changes).
        status = library.indexing_status()
        for watcher in status.watchers if status else []:
            if watcher.alive and (watcher.root_id, watcher.mode) not in told:
                told.add((watcher.root_id, watcher.mode))
                print(
                    f"watching {watcher.path}: {watcher.mode} ({watcher.reason})", file=sys.stderr
                )
    library.stop_watching()
    return 0


def _search(library: Library, args: argparse.Namespace) -> int:
    library.model()
    filters = SearchFilters(
        kinds=tuple(args.kind), show=args.show, language=args.language, unwatched=args.unwatched
    )
    # Matches (at most k), then up to three closest matches (`match` false); --all: k results
    # whatever their score.
    results = library.search(args.text, args.k, filters, more=args.all)
    rows = [
        {
            "id": r["id"],
            "title": r["title"],
            "score": r["score"],
            "match": r["match"],
            "kind": r["kind"],
            "show": r["show"],
            "similarity": r["similarity"],
            "keyword": r["keyword"],
        }
        for r in results
    ]
    _add_passages(rows, library.search_passages(args.text, args.k, filters))
    if args.json:
        print_json(rows)
    else:
        if not any(row["match"] for row in rows if row["via"] == "item"):
            print(f"no results for {args.text!r}", file=sys.stderr)
        closest = False
        for row in rows:
            if row["via"] == "item" and not row["match"] and not closest:
                print("closest matches:")
                closest = True
            show = f"{row['show']} — " if row["show"] else ""
            score = f"{row['score']:.4f}" if row["score"] is not None else "  said"
            print(f"{row['id']:>6}  {score}  {show}{row['title']}")
            if row["passage"]:
                print(f"        at {_clock(row['start_s'])}: {row['passage'][:160]}")
    return 0


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _add_passages(rows: list[dict[str, Any]], said: list[dict[str, Any]]) -> None:
    """Every row gets `item`, `passage` and `start_s` (null when nothing said matched); items
    found only by what was said in them follow, as rows whose `via` is "passage"."""
    by_item = {hit["item"]: hit for hit in said}
    for row in rows:
        hit = by_item.pop(row["id"], None)
        row.update(
            via="item",
            item=row["id"],
            passage=hit["passage"] if hit else None,
            start_s=hit["start_s"] if hit else None,
        )
    shape = dict.fromkeys(rows[0], None) if rows else {}
    for hit in said:
        if hit["item"] in by_item:
            row = dict(shape)
            row.update(
                id=hit["item"],
                title=hit["title"],
                score=None,
                kind=hit["kind"],
                show=hit["show"],
                similarity=hit["similarity"],
                via="passage",
                item=hit["item"],
                passage=hit["passage"],
                start_s=hit["start_s"],
            )
            rows.append(row)


def _doctor(library: Library, as_json: bool, repair: bool) -> int:
    from engine.doctor import examine

    report = examine(library, repair)
    if as_json:
        print_json(report.as_dict())
    else:
        for line in report.repaired:
            print(f"repaired: {line}")
        for line in report.problems:
            print(f"problem: {line}")
        for line in report.notes:
            print(f"note: {line}")
        print("ok" if report.ok else f"{len(report.problems)} problems")
    return 0 if report.ok else 1
