"""`make bench` entry point: run every benchmark, or those named on the command line."""

from __future__ import annotations

import argparse
import sys

from tests.bench import scan_bench


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--audio", type=int, default=10_000, help="tagged audio files")
    parser.add_argument("--videos", type=int, default=1_000, help="videos with NFO files")
    parser.add_argument("--runs", type=int, default=3, help="first-scan repetitions")
    parser.add_argument("--rescans", type=int, default=5, help="no-change rescan repetitions")
    parser.add_argument("--keep", help="generate the library here and keep it for later runs")
    args = parser.parse_args()
    print(scan_bench.run(args.audio, args.videos, args.runs, args.rescans, args.keep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
