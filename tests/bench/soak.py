"""Crash soak: many fault-injected kills across every fault point, each proved and checked.

`python -m tests.bench soak` (or `python -m tests.bench.soak --runs 50`). Each run builds a
small real library, crashes a real Reelcast process at one fault point (REELCAST_FAULT=name:N,
N varying per run), then opens the library again and checks what the kill tests check
(tests/reliability/faultkit.py): exit code 86 and the marker written at that point, `doctor`
clean, no history event lost, no document embedded twice. Prints one row per point.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tests.reliability.faultkit import POINTS, Outcome, Scenario

# The arrivals each point reaches in a scenario's crash run (see faultkit.Scenario.crash).
ARRIVALS = {
    "embed.after_batch": [1],
    "index.after_vectors_saved": [1, 2],
    "index.mid_save": [1, 2],
    "history.mid_import": [1, 2, 3, 4, 5, 6],
    "scan.mid_transaction": [1, 2, 3, 4],
    "watch.observer_event": [1],
}


def plan(runs: int) -> list[str]:
    """`runs` fault specs, round-robin over the points, cycling through each one's arrivals."""
    specs, turn = [], defaultdict(int)
    for n in range(runs):
        point = POINTS[n % len(POINTS)]
        arrivals = ARRIVALS[point]
        specs.append(f"{point}:{arrivals[turn[point] % len(arrivals)]}")
        turn[point] += 1
    return specs


def run(runs: int = 50) -> str:
    outcomes: dict[str, list[tuple[Outcome, float]]] = defaultdict(list)
    for n, spec in enumerate(plan(runs)):
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="reelcast-soak-") as tmp:
            scenario = Scenario(Path(tmp), seed=n)
            scenario.build()
            outcome = scenario.run(spec)
        elapsed = time.monotonic() - started
        outcomes[spec.split(":")[0]].append((outcome, elapsed))
        verdict = "ok" if outcome.ok else f"FAILED {outcome}"
        print(f"run {n + 1}/{runs} {spec}: {verdict} ({elapsed:.0f} s)", file=sys.stderr)
    lines = [
        "| fault point | runs | died there (exit 86 + marker) | doctor clean | history events "
        "lost | doc hashes embedded twice | repaired on next open | median s/run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for point in POINTS:
        rows = outcomes.get(point, [])
        if not rows:
            continue
        landed = sum(o.exit_code == 86 and o.marker.startswith(point + ":") for o, _ in rows)
        clean = sum(not o.doctor_problems for o, _ in rows)
        lost = sum(max(0, o.history_before - o.history_after) for o, _ in rows)
        twice = sum(o.embedded_twice for o, _ in rows)
        repaired = sum(bool(o.repaired_on_open) for o, _ in rows)
        median = statistics.median(t for _, t in rows)
        lines.append(
            f"| `{point}` | {len(rows)} | {landed} | {clean} | {lost} | {twice} | {repaired} "
            f"| {median:.0f} |"
        )
    total = sum(len(r) for r in outcomes.values())
    good = sum(o.ok for r in outcomes.values() for o, _ in r)
    lines.append(f"\n{good} of {total} runs proved the kill and recovered fully.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.soak")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(run(args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
