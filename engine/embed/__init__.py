"""Embeddings and the vector index derived from them (always rebuildable from SQLite)."""

import contextlib
import sys
from pathlib import Path

# ONNX Runtime's extension module crashes the process (SIGSEGV) when it is imported after
# usearch's (onnxruntime 1.32 with usearch 2.26: `import usearch.compiled; import onnxruntime`).
# Every path to usearch in the engine passes through this package, so loading ONNX Runtime here
# first makes any process that opens an index and embeds in-process (the CLI, evaluation, tests)
# safe. The desktop app's window process embeds in a child (embedder_process.py) and never
# loads the model's runtime, so it skips this.
if not Path(sys.argv[0] if sys.argv else "").name.startswith("reelcast-desktop"):
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401
