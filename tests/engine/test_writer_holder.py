"""Who a refused index run names as the writer: never a process that has exited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.embed.writer_lock import STATE_NAME, WriterLock


def test_a_writer_that_has_exited_is_not_named(tmp_path: Path) -> None:
    # A new writer records itself just after taking the lock; until then the state file still
    # names the last writer. A refused run used to name that process although it had exited.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock = WriterLock(tmp_path)
    (tmp_path / STATE_NAME).write_text(json.dumps({"pid": gone.pid, "clean": True}))
    assert lock.holder() is None
    (tmp_path / STATE_NAME).write_text(json.dumps({"pid": os.getpid(), "clean": True}))
    assert lock.holder() == os.getpid()
