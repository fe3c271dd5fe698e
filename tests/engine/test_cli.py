"""`reelcast` as a script would use it: real processes, JSON on stdout, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mediagen import make_audio, make_video

ITEM_KEYS = {"id", "title", "kind", "show", "path", "state", "description"}


def reelcast(data: Path, *args: str, drop_root: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    prefix: list[str] = []
    if drop_root and os.geteuid() == 0:
        # root reads everything; without these capabilities it meets file permissions like a user.
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "engine.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "one.mp3", seconds=0.2, title="One", show="Show", description="First")
    make_video(folder / "two.mp4", seconds=0.2, title="Two")
    (folder / "broken.mp3").write_bytes(b"not audio at all")

    added = reelcast(data, "library", "add", str(folder), "--kind", "podcast")
    assert added.returncode == 0, added.stderr
    roots = json.loads(reelcast(data, "library", "list", "--json").stdout)
    assert [(r["path"], r["kind"], r["state"]) for r in roots] == [
        (str(folder), "podcast", "online")
    ]

    scan = reelcast(data, "scan", "--json")
    assert scan.returncode == 0, scan.stderr  # per-file errors are not fatal
    counts = json.loads(scan.stdout)
    assert {"added", "updated", "unchanged", "moved", "missing", "offline", "errors"} <= set(counts)
    assert (counts["added"], counts["errors"]) == (2, 1)

    items = json.loads(reelcast(data, "items", "--json").stdout)
    assert all(set(item) >= ITEM_KEYS for item in items)
    one = next(i for i in items if i["title"] == "One")
    assert (one["kind"], one["show"], one["state"], one["description"]) == (
        "podcast",
        "Show",
        "ok",
        "First",
    )
    assert len(json.loads(reelcast(data, "items", "--json", "--limit", "1").stdout)) == 1

    shown = json.loads(reelcast(data, "show", str(one["id"]), "--json").stdout)
    assert shown["id"] == one["id"] and shown["files"][0]["path"].endswith("one.mp3")

    errors = json.loads(reelcast(data, "errors", "--json").stdout)
    assert [Path(e["path"]).name for e in errors] == ["broken.mp3"]
    assert errors[0]["error"]


def test_cli_exit_codes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert reelcast(data, "library", "add", str(tmp_path), "--kind", "music").returncode == 2
    assert reelcast(data, "frobnicate").returncode == 2
    missing = reelcast(data, "library", "add", str(tmp_path / "nope"), "--kind", "video")
    assert missing.returncode == 1 and "not a folder" in missing.stderr
    unknown = reelcast(data, "show", "999", "--json")
    assert unknown.returncode == 1 and "no item 999" in unknown.stderr
    version = reelcast(data, "--version")
    assert version.returncode == 0 and version.stdout.startswith("reelcast ")


def test_unreadable_files_and_folders_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "readable.mp3", seconds=0.2, title="Readable")
    locked_file = make_audio(folder / "locked.mp3", seconds=0.2, title="Locked")
    locked_dir = folder / "locked folder"
    locked_dir.mkdir()
    make_audio(locked_dir / "inside.mp3", seconds=0.2, title="Inside")
    locked_file.chmod(0o000)
    locked_dir.chmod(0o000)
    data = tmp_path / "data"
    try:
        assert reelcast(data, "library", "add", str(folder), "--kind", "podcast").returncode == 0
        scan = reelcast(data, "scan", "--json", drop_root=True)
        assert scan.returncode == 0, scan.stderr
        counts = json.loads(scan.stdout)
        assert (counts["added"], counts["errors"]) == (1, 2)
        listed = json.loads(reelcast(data, "errors", "--json").stdout)
        errors = {Path(e["path"]).name: e["error"] for e in listed}
        assert "permission denied" in errors["locked.mp3"].lower()
        assert "permission denied" in errors["locked folder"].lower()

        # Once readable again, the folder's files join the library and the errors clear.
        locked_dir.chmod(0o755)
        locked_file.chmod(0o644)
        counts = json.loads(reelcast(data, "scan", "--json", drop_root=True).stdout)
        assert (counts["added"], counts["errors"], counts["missing"]) == (2, 0, 0)
        assert json.loads(reelcast(data, "errors", "--json").stdout) == []
    finally:
        locked_dir.chmod(0o755)
        locked_file.chmod(0o644)


@pytest.mark.parametrize("kind", ["podcast", "video", "mixed"])
def test_library_kinds_accepted(tmp_path: Path, kind: str) -> None:
    assert reelcast(tmp_path / "d", "library", "add", str(tmp_path), "--kind", kind).returncode == 0
