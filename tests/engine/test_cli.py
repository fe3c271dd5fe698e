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


def test_library_remove_forget_and_move(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = tmp_path / "usb0"
    old.mkdir()
    make_audio(old / "one.mp3", seconds=0.2, title="One", show="Show")
    make_audio(old / "two.mp3", seconds=0.3, title="Two", show="Show")
    assert reelcast(data, "library", "add", str(old), "--kind", "podcast").returncode == 0
    assert reelcast(data, "scan").returncode == 0
    items = json.loads(reelcast(data, "items", "--json").stdout)
    ids = {i["title"]: i["id"] for i in items}
    watched = reelcast(data, "history", "add", str(ids["One"]), "--watched")
    assert watched.returncode == 0, watched.stderr

    # The folder moved (a drive mounted elsewhere): one command relocates it, ids stay.
    new = tmp_path / "usb1"
    os.rename(old, new)
    moved = reelcast(data, "library", "move", "1", str(new))
    assert moved.returncode == 0, moved.stderr
    assert f"moved folder 1 to {new}" in moved.stdout and "added 0" in moved.stdout
    after = json.loads(reelcast(data, "items", "--json").stdout)
    assert {i["title"]: i["id"] for i in after} == ids
    assert all(i["path"].startswith(str(new)) and i["state"] == "ok" for i in after)

    # Remove hides and keeps; adding it again brings the same items back.
    removed = reelcast(data, "library", "remove", "1")
    assert removed.returncode == 0 and "history is kept" in removed.stdout
    assert json.loads(reelcast(data, "library", "list", "--json").stdout) == []
    listed = json.loads(reelcast(data, "library", "list", "--all", "--json").stdout)
    assert [(r["id"], r["state"]) for r in listed] == [(1, "removed")]
    assert reelcast(data, "library", "add", str(new), "--kind", "podcast").returncode == 0
    assert json.loads(reelcast(data, "scan", "--json").stdout)["added"] == 0
    assert {
        i["title"]: i["id"] for i in json.loads(reelcast(data, "items", "--json").stdout)
    } == ids

    # --forget says what would go and refuses without --yes; with it, deletes and reports.
    refused = reelcast(data, "library", "remove", "1", "--forget")
    assert refused.returncode == 1
    assert "would delete 2 items and" in refused.stderr and "--yes" in refused.stderr
    assert len(json.loads(reelcast(data, "items", "--json").stdout)) == 2
    forgot = reelcast(data, "library", "remove", "1", "--forget", "--yes")
    assert forgot.returncode == 0, forgot.stderr
    events = refused.stderr.split("items and ")[1].split(" history")[0]
    assert int(events) >= 1
    assert f"deleted 2 items and {events} history events" in forgot.stdout
    assert json.loads(reelcast(data, "items", "--json").stdout) == []
    assert json.loads(reelcast(data, "library", "list", "--all", "--json").stdout) == []
    missing = reelcast(data, "library", "remove", "7")
    assert missing.returncode == 1 and "no library folder 7" in missing.stderr


def test_library_add_notes_a_moved_offline_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = tmp_path / "usb0"
    old.mkdir()
    make_audio(old / "one.mp3", seconds=0.2, title="One", show="Show")
    reelcast(data, "library", "add", str(old), "--kind", "podcast")
    reelcast(data, "scan")
    new = tmp_path / "usb1"
    os.rename(old, new)
    assert json.loads(reelcast(data, "scan", "--json").stdout)["offline"] == 1
    added = reelcast(data, "library", "add", str(new), "--kind", "podcast")
    assert added.returncode == 0, added.stderr
    assert f"looks like folder 1 ({old}, offline)" in added.stdout
    assert f"reelcast library move 1 {new}" in added.stdout
    moved = reelcast(data, "library", "move", "1", str(new))  # folds in the folder just added
    assert moved.returncode == 0, moved.stderr
    roots = json.loads(reelcast(data, "library", "list", "--all", "--json").stdout)
    assert [(r["id"], r["path"], r["state"]) for r in roots] == [(1, str(new), "online")]
