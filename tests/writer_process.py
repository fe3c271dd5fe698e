"""Another process that is a library's index writer until told to stop, as a running app or
`reelcast watch` would be (engine/embed/writer_lock.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

_SCRIPT = """
import sys
from pathlib import Path

from engine.embed.writer_lock import writer_lock

lock = writer_lock(Path(sys.argv[1]))
assert lock.acquire()  # this process is the library's index writer until it is told to stop
print("ready", flush=True)
sys.stdin.readline()
lock.release()
"""


class OtherWriter:
    """`with OtherWriter(library.index_dir) as writer:` holds the lock from another process
    until `writer.release()` (or the end of the block, which kills it if still running)."""

    def __init__(self, index_dir: Path) -> None:
        repo = Path(__file__).resolve().parents[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SCRIPT, str(index_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(repo)},
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    @property
    def pid(self) -> int:
        return self.process.pid

    def release(self) -> int:
        """Let it release the lock and exit; its exit code."""
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return self.process.wait(timeout=60)

    def __enter__(self) -> OtherWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
