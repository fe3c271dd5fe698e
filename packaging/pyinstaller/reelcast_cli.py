"""Frozen entry point of `reelcast` (the engine CLI).

freeze_support first: the scanner's reader pool and the embedding child start new processes
through this very executable (multiprocessing "spawn"), and a child must run its task, not the CLI.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from engine.cli import main

    sys.exit(main())
