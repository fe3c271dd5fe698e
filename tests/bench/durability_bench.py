"""History durability: what `PRAGMA synchronous=FULL` costs over NORMAL under WAL.

Under WAL, NORMAL does not fsync at commit: a committed transaction survives a killed process
but not a power cut (the last ones roll back). FULL fsyncs the WAL at every commit. Measured
on the history write path through the real API, in fresh databases on the same disk, with the
two settings alternating so that load from elsewhere hits both alike; NORMAL is the same-run
baseline. A scan-shaped write (a batch of file rows per transaction) shows what FULL would cost
the writes that are not history.

    python -m tests.bench durability
    python -m tests.bench.durability_bench --dir /path/on/the/disk/to/measure
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from engine.recommend.history import History
from engine.recommend.history_io import import_file
from engine.store import Catalog, Database
from engine.store.db import DB_NAME

ITEMS = 500
MODES = ("NORMAL", "FULL")


def _database(folder: Path, mode: str) -> Database:
    database = Database(folder / DB_NAME)
    # Per connection: this thread's, which every write below uses.
    database.db.execute(f"PRAGMA synchronous={mode}")
    with database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(str(folder / "films").encode(), "video")
        for n in range(ITEMS):
            item = cat.insert_item({"kind": "movie", "title": f"Film {n}", "year": 2000 + n % 20})
            cat.insert_file(root.id, f"/films/{n}.mkv".encode(), 1, 0, None, item, None)
    return database


def _import_file(folder: Path, events: int) -> Path:
    rows: list[dict[str, Any]] = []
    kinds = ("play", "watched", "like", "not_interested", "unwatched")
    for n in range(events):
        film = n % ITEMS
        row: dict[str, Any] = {
            "profile": "Default",
            "event": kinds[n % len(kinds)],
            "at": f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}T20:{n % 60:02d}:00Z",
            "item": {"kind": "movie", "title": f"Film {film}", "year": 2000 + film % 20},
        }
        if row["event"] == "play":
            row.update(position=600.0, duration=5400.0)
        rows.append(row)
    path = folder / "history.json"
    doc = {"format": "reelcast-history", "version": 1, "profiles": [], "events": rows}
    path.write_text(json.dumps(doc))
    return path


def _progress(database: Database, reports: int) -> list[float]:
    """The player's periodic report: one write transaction each."""
    history = History(database)
    profile = history.default_profile().id
    session = history.start_session(profile, 1)
    times = []
    for n in range(reports):
        started = time.perf_counter()
        history.update_progress(session, 5.0 * (n + 1), 5400.0)
        times.append(time.perf_counter() - started)
    history.end_session(session, 5.0 * reports, 5400.0)
    return times


def _scan_batches(database: Database, batches: int, rows: int) -> list[float]:
    """Not history: a scan batch's shape (one transaction updating `rows` file rows)."""
    times = []
    for b in range(batches):
        started = time.perf_counter()
        with database.write() as db:
            db.execute(
                "UPDATE files SET mtime_ns = ? WHERE id IN "
                "(SELECT id FROM files ORDER BY id LIMIT ? OFFSET ?)",
                [b + 1, rows, (b * rows) % ITEMS],
            )
        times.append(time.perf_counter() - started)
    return times


def run(rounds: int = 3, reports: int = 100, events: int = 10_000, where: str | None = None) -> str:
    results: dict[str, dict[str, list[float]]] = {m: {} for m in MODES}
    base = Path(where) if where else None
    with tempfile.TemporaryDirectory(prefix="reelcast-durability-", dir=base) as tmp:
        source = _import_file(Path(tmp), events)
        for r in range(rounds):
            for mode in MODES if r % 2 == 0 else MODES[::-1]:
                folder = Path(tmp) / f"{mode}-{r}"
                folder.mkdir()
                database = _database(folder, mode)
                try:
                    got = database.db.execute("PRAGMA synchronous").fetchone()[0]
                    assert got == {"NORMAL": 1, "FULL": 2}[mode], got
                    out = results[mode]
                    out.setdefault("progress", []).extend(_progress(database, reports))
                    started = time.perf_counter()
                    report = import_file(database, source)
                    out.setdefault("import", []).append(time.perf_counter() - started)
                    assert report.as_dict()["imported"] == events, report.as_dict()
                    out.setdefault("scan", []).extend(_scan_batches(database, 50, 200))
                finally:
                    database.close()
        disk = Path(tmp).resolve()
    med = statistics.median

    def line(label: str, key: str, unit: float, fmt: str) -> str:
        normal, full = med(results["NORMAL"][key]), med(results["FULL"][key])
        return (
            f"| {label} | {normal * unit:{fmt}} | {full * unit:{fmt}} | "
            f"{full / normal:.2f}× | {(full - normal) * unit:+{fmt}} |"
        )

    return "\n".join(
        [
            f"database on {disk.parent} (WAL); {rounds} rounds alternating NORMAL and FULL; "
            f"{ITEMS} items; progress: {reports} reports per round; import: {events} events; "
            "scan-shaped: 50 transactions × 200 file rows per round",
            "",
            "| write | NORMAL (baseline) | FULL | ratio | FULL costs |",
            "| --- | --- | --- | --- | --- |",
            line("progress report (1 transaction), ms", "progress", 1000, ".2f"),
            line(f"history import, {events} events (1 transaction), s", "import", 1, ".2f"),
            line("scan-shaped batch (1 transaction, 200 rows), ms", "scan", 1000, ".2f"),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.durability_bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--dir", help="measure on this disk (default: the temp folder)")
    args = parser.parse_args()
    print(run(args.rounds, args.reports, args.events, args.dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
