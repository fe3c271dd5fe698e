"""`reelcast-desktop --playback-probe FILE` (desktop/playback_probe.py): plays a file offscreen
and prints one JSON line; `make package-test` runs it on the frozen bundle."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.mediagen import make_audio, make_video

ROOT = Path(__file__).resolve().parents[2]


def _probe(path: Path) -> tuple[int, dict[str, Any], list[str]]:
    """Run the probe in its own process; return its exit code, its JSON line, all JSON lines."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "desktop.app", "--playback-probe", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,  # the probe gives up after 20 s by itself
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1]) if lines else {}
    return result.returncode, report, lines


def _assert_played(code: int, report: dict[str, Any], lines: list[str]) -> None:
    assert len(lines) == 1, lines
    assert report["playback"] is True, report
    assert report["position_ms"] > 200 or report["media_status"] == "EndOfMedia", report
    assert report["duration_ms"] > 1500, report  # about 2 s of media
    assert report["error"] == "", report
    if sys.platform.startswith("linux"):
        assert report["backend"] == "ffmpeg", report
    assert code == 0


@pytest.mark.parametrize("name", ["A Film (1999).mkv", "clip.mp4"])
def test_the_probe_plays_a_video(tmp_path: Path, name: str) -> None:
    video = make_video(tmp_path / name, 2.0)
    _assert_played(*_probe(video))


def test_the_probe_plays_an_mp3(tmp_path: Path) -> None:
    audio = make_audio(tmp_path / "episode.mp3", 2.0, title="Probe episode")
    _assert_played(*_probe(audio))


def test_a_corrupt_file_fails_with_an_error_and_no_crash(tmp_path: Path) -> None:
    corrupt = tmp_path / "Broken (2001).mkv"
    corrupt.write_bytes(random.Random(6).randbytes(64 * 1024))
    code, report, lines = _probe(corrupt)
    assert len(lines) == 1, lines
    assert report["playback"] is False, report
    assert report["position_ms"] == 0, report
    assert isinstance(report["error"], str) and report["error"].strip(), report
    assert code == 1  # not a negative signal number: the probe exited, it did not crash


def test_a_missing_file_fails_with_an_error(tmp_path: Path) -> None:
    code, report, _lines = _probe(tmp_path / "nowhere.mkv")
    assert report["playback"] is False, report
    assert "nowhere.mkv" in report["error"], report
    assert code == 1


def test_start_up_does_not_import_qtmultimedia() -> None:
    # QtMultimedia costs start-up time: only the player and the probe path may import it.
    code = (
        "import sys, desktop.app\n"
        "print(sorted(m for m in sys.modules if 'QtMultimedia' in m or 'playback_probe' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
