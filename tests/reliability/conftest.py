"""Helpers for the reliability tests: real child processes, real files, real kills."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def reelcast(data: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def install_embed_audit(db_path: Path) -> None:
    """Record every committed embedding, to prove no unchanged document is embedded twice.

    Plain SQLite triggers on the product's own table: nothing in the product is changed."""
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS embed_audit (item_id INTEGER, doc_hash TEXT);
        CREATE TRIGGER IF NOT EXISTS audit_insert AFTER INSERT ON embed_state
        BEGIN INSERT INTO embed_audit VALUES (new.item_id, new.doc_hash); END;
        CREATE TRIGGER IF NOT EXISTS audit_update AFTER UPDATE OF doc_hash ON embed_state
        BEGIN INSERT INTO embed_audit VALUES (new.item_id, new.doc_hash); END;
        """
    )
    conn.close()


def embedded_twice(db_path: Path) -> list[tuple[int, str, int]]:
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT item_id, doc_hash, count(*) FROM embed_audit GROUP BY item_id, doc_hash "
        "HAVING count(*) > 1"
    ).fetchall()
    conn.close()
    return rows


def integrity(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    conn.close()
    return rows


def cli(
    data: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `reelcast --data-dir DATA ARGS` to the end; stdout and stderr captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), *args],
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fault_env(point: str, mark: Path) -> dict[str, str]:
    """Crash at `point` (name[:N]); the dying process names the point in `mark`."""
    return {"REELCAST_FAULT": point, "REELCAST_FAULT_MARK": str(mark)}


def history_rows(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    (count,) = conn.execute("SELECT count(*) FROM history_log").fetchone()
    conn.close()
    return int(count)


def count(db_path: Path, sql: str) -> int:
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        (value,) = conn.execute(sql).fetchone()
    finally:
        conn.close()
    return int(value)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 300.0) -> None:
    """Poll a condition; the timeout only ends a hung test, it asserts nothing about speed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
