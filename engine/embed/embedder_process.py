"""The embedding model in a child process, for the desktop app.

Loading torch holds the interpreter lock for up to a quarter of a second at a time (extension
modules initialise under it), which froze the window while the model loaded. In a child process
torch never enters the app's process at all; texts go over a pipe and vectors come back. A
child that dies (a crash in native code, the OOM killer) is started again on the next call.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embed.embedder import load_embedder, model_dim_from_config
from engine.ingest.pool import lower_priority
from engine.logs import configure_child_logging

log = logging.getLogger(__name__)

_START_TIMEOUT = 300.0  # seconds for the child to import its runtime and load the model
# A first start that exports the model to ONNX (once per model, see onnx_cache) traces it with
# torch: under a heavy load that has taken over 15 minutes on 2 cores.
_EXPORT_TIMEOUT = 3600.0
_RETRIES = 1  # a request is retried once in a fresh child after the child died


class EmbedderProcessError(RuntimeError):
    pass


def _exit_with_parent() -> None:
    """End this child the moment its parent dies (kill -9 of the app), even mid-request.

    The parent's sentinel becomes ready when the parent is gone; os._exit skips the cleanup a
    half-done torch call could trip over and prints nothing.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="reelcast-parent-watch", daemon=True).start()


def _serve(conn: Connection, folder: str, model_id: str) -> None:
    """The child: one model, one request at a time, until the pipe closes or the parent dies."""
    lower_priority()
    configure_child_logging()
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when the child
    # stops (a closed pipe, a "stop" request or its death), so no KeyboardInterrupt traceback.
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    embedder: Any = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        op = request[0]
        try:
            if embedder is None and op != "stop":
                embedder = load_embedder(folder, model_id)
            if op == "load":
                embedder.load()
                reply: Any = embedder.dim
            elif op == "embed":
                reply = embedder.embed(request[1], request[2])
            elif op == "stop":
                return
            else:
                raise ValueError(f"unknown request {op!r}")
        except Exception as exc:  # sent back: the parent raises it where the caller is
            answer: tuple[str, Any] = ("error", f"{type(exc).__name__}: {exc}")
        else:
            answer = ("ok", reply)
        try:
            conn.send(answer)
        except OSError:  # BrokenPipeError: the parent went while we worked; nobody to answer
            return


class ProcessEmbedder:
    """An `Embedder` whose model runs in a child process; same answers as in-process."""

    def __init__(self, folder: str | os.PathLike[str], model_id: str) -> None:
        self.folder = Path(folder)
        self._model_id = model_id
        self._dim = model_dim_from_config(self.folder)
        self._lock = threading.Lock()  # one request on the pipe at a time
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.starts = 0  # children started; tests check restarts with it
        self._closed = False

    def __repr__(self) -> str:
        return f"ProcessEmbedder({str(self.folder)!r}, model_id={self._model_id!r})"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.load()
            assert self._dim is not None
        return self._dim

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def load(self) -> None:
        with self._lock:
            if self._closed:
                raise EmbedderProcessError("the embedding model was closed")
            if self._conn is None:
                self._start()

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out: npt.NDArray[np.float32] = self._request(("embed", list(texts), batch_size))
        return out

    def close(self) -> None:
        """Stop the child. A call waiting on it (a model still loading at quit) fails rather
        than holding the app open."""
        self._closed = True
        if self._lock.acquire(timeout=1.0):
            try:
                self._stop()
            finally:
                self._lock.release()
            return
        process = self._process
        if process is not None:
            process.kill()  # the waiting call gets EOFError and, closed, does not restart it

    # --- the child ---------------------------------------------------------------------------

    def _start(self) -> None:
        # spawn, not fork: a forked copy of a threaded parent (Qt, SQLite) is not safe.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child, str(self.folder), self._model_id),
            name="reelcast-embedder",
            daemon=True,  # never outlives the app
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self.starts += 1
        log.info("embedding model %s: child process %s", self._model_id, process.pid)
        from engine.embed.onnx_cache import export_pending

        timeout = _EXPORT_TIMEOUT if export_pending(self.folder, self._model_id) else _START_TIMEOUT
        try:
            dim = self._call(("load",), timeout)
        except Exception:
            self._stop()
            raise
        self._dim = int(dim)

    def _request(self, request: tuple[Any, ...]) -> Any:
        for attempt in range(_RETRIES + 1):
            if self._closed:
                raise EmbedderProcessError("the embedding model was closed")
            if self._conn is None:
                self._start()
            try:
                return self._call(request, None)
            except (EOFError, OSError, BrokenPipeError) as exc:
                log.warning("embedding process died (%s); starting a new one", exc)
                self._stop()
                if attempt == _RETRIES or self._closed:
                    raise EmbedderProcessError(f"the embedding process keeps dying: {exc}") from exc
        raise AssertionError("unreachable")

    def _call(self, request: tuple[Any, ...], timeout: float | None) -> Any:
        conn = self._conn
        assert conn is not None
        conn.send(request)
        if timeout is not None and not conn.poll(timeout):
            raise EmbedderProcessError(f"the embedding process did not answer in {timeout:.0f} s")
        status, value = conn.recv()
        if status == "error":
            raise EmbedderProcessError(str(value))
        return value

    def _stop(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):  # the child may be gone already
                conn.send(("stop",))
            conn.close()
        if process is not None:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
