"""Helpers for the reliability tests: real child processes, real files, real kills."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
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
