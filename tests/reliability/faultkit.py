"""Crash a real Reelcast process at a named fault point, then check what survived.

Shared by the kill tests (tests/reliability/test_fault_kills.py) and the soak benchmark
(`python -m tests.bench soak`). No pytest imports.

Each scenario builds a small real library (generated MP3s, scanned, some history), arranges
work for the point, runs the CLI with REELCAST_FAULT set, and expects exit code 86 plus a marker
naming the point: proof the process died there and not elsewhere. Then it opens the library
as the next start would, finishes the work, and checks: `reelcast doctor` clean, no history
event lost, no document hash embedded twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engine.doctor import examine
from engine.faults import EXIT_CODE, POINTS
from engine.library import Library
from engine.recommend.history_io import export_json
from tests.mediagen import audio_template, clone_with_tags
from tests.reliability.conftest import (
    REPO,
    cli,
    count,
    embedded_twice,
    fault_env,
    history_rows,
    install_embed_audit,
    integrity,
    wait_for,
)
from tests.textgen import description

FILES = 12
WATCHED = 6
__all__ = ["FILES", "POINTS", "WATCHED", "Outcome", "Scenario"]


@dataclass
class Outcome:
    point: str
    exit_code: int
    marker: str
    history_before: int
    history_after: int  # the fewest events seen after the crash and after recovery
    embedded_twice: int
    doctor_problems: list[str]
    repaired_on_open: list[str]

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == EXIT_CODE
            and self.marker.startswith(self.point.split(":")[0] + ":")
            and self.history_after >= self.history_before
            and self.embedded_twice == 0
            and not self.doctor_problems
        )


class Scenario:
    def __init__(self, base: Path, seed: int = 0) -> None:
        self.base = base
        self.rng = random.Random(seed)
        self.folder = base / "Podcasts"
        self.data = base / "data"
        self.db = self.data / "library.sqlite3"
        self.mark = base / "fault.mark"
        self.template = audio_template(seconds=0.2, seed=seed)
        self.serial = 0

    # --- building -------------------------------------------------------------------------------

    def episode(self, n: int) -> Path:
        self.serial += 1
        return clone_with_tags(
            self.template,
            self.folder / f"episode {n:03d}.mp3",
            title=f"Episode {n} take {self.serial}",
            show="Fault Lines",
            description=description(self.rng, n * 1000 + self.serial),
        )

    def build(self, files: int = FILES) -> None:
        """Files scanned (not embedded), the embed audit installed, some plays recorded."""
        self.folder.mkdir(parents=True)
        for n in range(files):
            self.episode(n)
        with Library(self.data, workers=1) as library:
            library.add_root(self.folder, "podcast")
            library.update_settings(settle_seconds=0.2)
            library.scan()
            profile = library.history.default_profile().id
            start = datetime(2025, 1, 1, tzinfo=UTC)
            for k, item_id in enumerate(library.item_ids()[:WATCHED]):
                library.history.mark_watched(profile, item_id, start + timedelta(hours=k))
        install_embed_audit(self.db)

    def history_file(self) -> Path:
        """The recorded plays again a year later: new events an import must add, all or none."""
        path = self.base / "history.json"
        with Library(self.data, workers=1) as library:
            export_json(library.database, path)
        doc = json.loads(path.read_text(encoding="utf-8"))
        for event in doc["events"]:
            at = datetime.fromisoformat(event["at"].replace("Z", "+00:00"))
            event["at"] = (at + timedelta(days=365)).isoformat()
        path.write_text(json.dumps(doc), encoding="utf-8")
        return path

    # --- crashing -------------------------------------------------------------------------------

    def crash(self, point: str) -> tuple[int, str]:
        """Arrange work for `point`, run the process that dies there; (exit code, marker)."""
        name = point.split(":")[0]
        env = fault_env(point, self.mark)
        if name == "history.mid_import":
            done = cli(self.data, "history", "import", str(self.history_file()), env=env)
        elif name == "scan.mid_transaction":
            for n in range(FILES, FILES + 4):  # new files, read in one apply transaction
                self.episode(n)
            done = cli(self.data, "scan", env=env)
        elif name == "watch.observer_event":
            return self._crash_watcher(env)
        else:  # embedding points: `reelcast index` embeds the scanned items
            done = cli(self.data, "index", env=env)
        return done.returncode, self._marker(done.stderr)

    def _crash_watcher(self, env: dict[str, str]) -> tuple[int, str]:
        child = subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "--data-dir", str(self.data), "watch"],
            env={**_env(), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stderr is not None
            for line in child.stderr:  # "watching /…/Podcasts: realtime (…)" once it is up
                if line.startswith("watching "):
                    break
            self.episode(FILES)  # the event the observer thread dies on
            code = child.wait(timeout=300)
        finally:
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                child.wait()
        return code, self._marker("")

    def _marker(self, stderr: str) -> str:
        if not self.mark.exists():
            return f"(no marker) {stderr[-500:]}"
        return self.mark.read_text(encoding="utf-8").strip()

    # --- recovering -----------------------------------------------------------------------------

    def recover(self, point: str) -> list[str]:
        """What the next start does: open (repairing), finish the interrupted work."""
        name = point.split(":")[0]
        with Library(self.data, workers=1) as library:
            repaired = list(library.model().repairs)
            if name == "watch.observer_event":
                # The watcher that comes back rescans: it finds what the dead one never queued.
                library.start_watching()
                wait_for(lambda: self._settled(library, FILES + 1), "the missed file, embedded")
                library.stop_watching()
            else:
                library.scan()
                library.index_now()
        if name == "history.mid_import":
            redo = cli(self.data, "history", "import", str(self.base / "history.json"))
            assert redo.returncode == 0, redo.stderr
        return repaired

    def _settled(self, library: Library, items: int) -> bool:
        return (
            library.item_count() == items
            and library.queued_changes() == 0
            and count(self.db, "SELECT count(*) FROM embed_state") == items
        )

    def doctor(self) -> list[str]:
        with Library(self.data, workers=1) as library:
            report = examine(library)
        return report.problems

    def run(self, point: str) -> Outcome:
        before = history_rows(self.db)
        code, marker = self.crash(point)
        assert integrity(self.db) == ["ok"]
        crashed = history_rows(self.db)
        repaired = self.recover(point)
        return Outcome(
            point=point,
            exit_code=code,
            marker=marker,
            history_before=before,
            history_after=min(crashed, history_rows(self.db)),
            embedded_twice=len(embedded_twice(self.db)),
            doctor_problems=self.doctor(),
            repaired_on_open=repaired,
        )


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}
