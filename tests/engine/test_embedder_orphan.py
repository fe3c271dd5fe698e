"""The embedding child exits quietly when the app is killed (kill -9: no goodbye on the pipe).

The parent here is a real process using the public API (`ProcessEmbedder`). It is killed while
its child is busy with a request, the case that left a traceback on the terminal: the child
finished the work, wrote the answer into a pipe nobody read, and died of BrokenPipeError.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 300.0  # generous: only a child that never exits fails the test

PARENT = """
import sys
from engine.embed.embedder import bundled_model_id, bundled_model_path
from engine.embed.embedder_process import ProcessEmbedder

child = ProcessEmbedder(bundled_model_path(), bundled_model_id())
child.load()
print(child.pid, flush=True)
# Many long texts: the child works on them for many CPU-seconds.
child.embed([f"text {n} " + "words of a long description " * 40 for n in range(256)])
print("done", flush=True)
"""


def _cpu_ticks(pid: int) -> int:
    """User + system CPU time of `pid` in clock ticks (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_child_exits_quietly_when_the_parent_is_killed(tmp_path: Path) -> None:
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        # The child inherits these: its own output lands in the same file.
        parent = subprocess.Popen(
            [sys.executable, "-c", PARENT],
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            text=True,
        )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line.strip().isdigit(), stderr_path.read_text()
    child = int(line)
    idle = _cpu_ticks(child)
    ticks = os.sysconf("SC_CLK_TCK")
    # The request is being worked on once the child has spent half a CPU-second on it.
    _wait(lambda: _cpu_ticks(child) - idle >= ticks // 2, "the child to start on the request")
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert parent.stdout.read() == ""  # the kill landed before the answer came back

    def gone() -> bool:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        return state == "Z"  # exited; the reaper (init) has not collected it yet

    _wait(gone, "the orphaned child to exit")
    err = stderr_path.read_text()
    assert "Traceback" not in err, err
    assert "Error" not in err, err
