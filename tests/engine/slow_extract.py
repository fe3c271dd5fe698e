"""A reader stand-in for the per-file time limit test: it hangs on files named *hang*.

It must live in an importable module because reader workers are spawned processes.
"""

from __future__ import annotations

import os
import time

from engine.ingest.extract import extract
from engine.ingest.metadata import DirContext, Extracted


def extract_or_hang(path: str, ctx: DirContext, thumbs_dir: str) -> Extracted:
    if os.path.basename(path).startswith("hang"):
        time.sleep(3600)
    return extract(path, ctx, thumbs_dir)
