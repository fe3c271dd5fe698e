"""Kill tests that prove where the kill landed: REELCAST_FAULT crashes a real Reelcast process
(os._exit, no cleanup) at a named point, the test checks the exit code and the marker the
process wrote at that point, then the next start must repair everything: doctor clean, no
history event lost, no document embedded twice. The soak (`python -m tests.bench soak`)
runs these 50 times."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.faults import EXIT_CODE
from tests.reliability.conftest import history_rows
from tests.reliability.faultkit import FILES, WATCHED, Scenario


@pytest.mark.parametrize(
    ("point", "repair"),
    [
        # Vectors committed, index never published: the next open builds it from SQLite.
        ("embed.after_batch", "no index yet"),
        ("index.after_vectors_saved", "no index yet"),
        # Half a segment file on disk: the next open deletes it and builds the index.
        ("index.mid_save", "deleted leftover index file"),
    ],
)
def test_a_kill_while_embedding_is_repaired_without_embedding_twice(
    tmp_path: Path, point: str, repair: str
) -> None:
    scenario = Scenario(tmp_path)
    scenario.build()
    outcome = scenario.run(point)
    assert outcome.exit_code == EXIT_CODE
    assert outcome.marker.startswith(f"{point}:1 ")
    assert any(repair in message for message in outcome.repaired_on_open), outcome
    assert outcome.embedded_twice == 0
    assert outcome.history_after == outcome.history_before == WATCHED
    assert outcome.doctor_problems == []
    assert not list((scenario.data / "index").glob("*.tmp"))


def test_a_kill_mid_history_import_keeps_every_event(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    scenario.build()
    outcome = scenario.run("history.mid_import:3")
    assert outcome.exit_code == EXIT_CODE
    assert outcome.marker.startswith("history.mid_import:3 ")  # three events in, uncommitted
    # All or nothing: the crash kept the old events and added none; the redo adds them all.
    assert outcome.history_after == outcome.history_before == WATCHED
    assert history_rows(scenario.db) == 2 * WATCHED
    assert outcome.embedded_twice == 0
    assert outcome.doctor_problems == []


def test_a_kill_mid_scan_transaction_loses_nothing(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    scenario.build()
    outcome = scenario.run("scan.mid_transaction:2")
    assert outcome.exit_code == EXIT_CODE
    assert outcome.marker.startswith("scan.mid_transaction:2 ")
    assert outcome.history_after == outcome.history_before == WATCHED
    assert outcome.embedded_twice == 0
    assert outcome.doctor_problems == []


def test_a_watcher_killed_in_its_observer_thread_misses_nothing(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    scenario.build()
    outcome = scenario.run("watch.observer_event")
    assert outcome.exit_code == EXIT_CODE
    assert outcome.marker.startswith("watch.observer_event:1 ")
    # The file whose event killed it was found by the next watcher's first rescan.
    assert outcome.history_after == outcome.history_before == WATCHED
    assert outcome.embedded_twice == 0
    assert outcome.doctor_problems == []
    assert len(list(scenario.folder.glob("*.mp3"))) == FILES + 1
