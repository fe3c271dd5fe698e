"""`reelcast selftest`: run as a user would (bare environment, installed script) and in-process."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine import cli, selftest
from engine.embed import speech_model
from engine.library import Library

STEPS = [
    "data_dir",
    "generate",
    "scan",
    "embed",
    "recommend",
    "search",
    "similar",
    "multilingual",
    "transcribe",
    "offline",
]


def test_selftest_passes_in_an_empty_environment() -> None:
    # Not resolved: the venv's bin/python may be a symlink out of the venv.
    script = Path(sys.executable).parent / "reelcast"
    assert script.is_file(), f"install the project into the venv first ({script} is missing)"
    # No HOME, no XDG, no HF variables: the app must set up everything it needs itself.
    done = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", str(script), "selftest", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert [s["name"] for s in report["steps"]] == STEPS
    assert all(s["ok"] for s in report["steps"]), report["steps"]
    by_name = {s["name"]: s for s in report["steps"]}
    assert by_name["search"]["detail"]["top"][0] == selftest.SEARCH_EXPECTED
    # A Chinese query finds the same English item with the multilingual model.
    assert by_name["multilingual"]["detail"]["top"][0] == selftest.SEARCH_EXPECTED
    assert by_name["scan"]["detail"]["counts"]["errors"] == 0
    kinds = {r["kind"]: r["count"] for r in by_name["recommend"]["detail"]["rows"]}
    assert kinds.get("for-you", 0) > 0
    facts = report["facts"]
    assert facts["network_blocked"] is True
    assert facts["network_attempts"] == []
    assert facts["device"] == "cpu"
    # A source install embeds with ONNX Runtime, as the installers do (issue 15): torch only
    # exports the model at `make setup`, so the self-test's process never loads it.
    assert facts["onnxruntime"]
    assert facts["torch"] is None
    assert facts["frozen"] is False
    assert all(v == "1" for v in facts["hf_offline"].values())
    data_dir = Path(facts["data_dir"])
    assert data_dir.name == "data"
    assert not data_dir.parent.exists(), "the temporary folder was left behind"


def test_failing_step_makes_the_report_and_the_cli_fail(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def nothing(self: Library, text: str, k: int = 10, filters: Any = None) -> list[Any]:
        return []

    monkeypatch.setattr(Library, "search", nothing)
    assert cli.main(["selftest", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    by_name = {s["name"]: s for s in report["steps"]}
    assert by_name["search"]["ok"] is False
    assert by_name["search"]["detail"]["top"] == []
    # One failing step does not hide the others' results.
    assert all(by_name[name]["ok"] for name in ("scan", "embed", "recommend", "similar"))
    assert not Path(report["facts"]["data_dir"]).parent.exists()


def test_failed_required_step_skips_the_rest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: Library, *args: Any, **kwargs: Any) -> Any:
        raise OSError("disk on fire")

    monkeypatch.setattr(Library, "scan", broken)
    assert cli.main(["selftest"]) == 1
    out = capsys.readouterr().out
    assert "FAIL scan" in out and "disk on fire" in out
    assert "FAIL embed" in out and "scan failed" in out
    assert "self-test FAILED" in out


@pytest.mark.skipif(not speech_model.installed(), reason="the speech model is not installed")
def test_a_spoken_clip_is_transcribed_and_every_expected_word_must_be_heard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.speechgen import make_spoken_episode

    clip = make_spoken_episode(
        tmp_path / "clip.mp3",
        ["The lighthouse keeper rowed out to the island every morning."],
        title="Self-test speech",
        show="Self-test",
    ).path
    args = ["selftest", "--json", "--speech", str(clip), "--expect", "lighthouse"]
    assert cli.main([*args, "--expect", "zebra"]) == 1
    report = json.loads(capsys.readouterr().out)
    step = {s["name"]: s for s in report["steps"]}["transcribe"]
    assert step["ok"] is False and step["detail"]["error"] == "not heard: zebra"
    assert "lighthouse" in step["detail"]["heard"].lower()
    assert step["detail"]["clip"] == str(clip)
    assert report["facts"]["faster_whisper"] and report["facts"]["ctranslate2"]
    # Without --speech a word to expect makes no sense.
    assert cli.main(["selftest", "--expect", "lighthouse"]) == 2


def test_network_is_blocked_only_during_the_run() -> None:
    original = socket.socket.connect
    with selftest._no_network() as tried, socket.socket() as sock:
        # 192.0.2.0/24 is reserved for documentation: refused before any packet is sent.
        with pytest.raises(OSError, match="blocked"):
            sock.connect(("192.0.2.1", 80))
        with pytest.raises(OSError, match="blocked"):
            socket.create_connection(("example.invalid", 443), timeout=0.1)
        assert selftest._is_local(("127.0.0.1", 9)) and selftest._is_local(("::1", 9, 0, 0))
        assert selftest._is_local("/run/some.sock")
    assert len(tried) == 2
    assert socket.socket.connect is original
