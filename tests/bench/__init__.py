"""Benchmarks: `make bench`. Not tests; they print medians and ratios against a baseline."""

from pathlib import Path


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, to print beside timings on a shared machine."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"
