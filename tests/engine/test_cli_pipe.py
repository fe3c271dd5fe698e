"""`reelcast items --json | head`: the reader closes the pipe early and the CLI stops quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.mediagen import audio_template, clone_with_tags

ROOT = Path(__file__).resolve().parents[2]


def test_closed_stdout_ends_quietly_with_141(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    template = audio_template(0.2)
    # 40 items with 5 KB descriptions: about 200 KB of JSON, more than a pipe buffer holds, so
    # the CLI is still writing when the reader goes away.
    for n in range(40):
        words = " ".join(f"word{n}-{w}" for w in range(600))
        clone_with_tags(template, folder / f"e{n}.mp3", title=f"Episode {n}", description=words)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = [sys.executable, "-m", "engine.cli", "--data-dir", str(tmp_path / "data")]
    for args in (["library", "add", str(folder), "--kind", "podcast"], ["scan"]):
        subprocess.run([*base, *args], env=env, check=True, capture_output=True, timeout=300)

    proc = subprocess.Popen(
        [*base, "items", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # what `head -n 1` does: read a little, then close
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert first.startswith(b"[")
    assert err == ""  # no BrokenPipeError traceback, no "Exception ignored" line
