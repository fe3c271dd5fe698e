"""What runs an exported model: OpenVINO's CPU plugin where it is installed, else ONNX Runtime.

Both read the same ONNX file and get the same token batches (engine/embed/onnx_embedder.py).
OpenVINO computes in bfloat16 on CPUs that do it natively (Intel AMX or AVX512-BF16): measured
3.2x ONNX Runtime fp32 on the film overviews at recall@10 0.9926 against fp32 exact search, and
in f32 elsewhere (1.13x, recall 1.0000); docs/benchmarks.md, "OpenVINO". Other reduced
precisions are refused on purpose: fp16 (ARM) and int8 were not shown to keep recall >= 0.99.

`REELCAST_ONNX_RUNTIME=onnxruntime` (or `openvino`) chooses the runtime; `REELCAST_PRECISION=f32`
keeps OpenVINO in f32 on a bf16 machine.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

RUNTIME_ENV = "REELCAST_ONNX_RUNTIME"
PRECISION_ENV = "REELCAST_PRECISION"
OPENVINO = "openvino"
ONNXRUNTIME = "onnxruntime"
F32 = "f32"
BF16 = "bf16"

Feed = Mapping[str, npt.NDArray[np.int64]]


@dataclass(frozen=True)
class LoadedModel:
    """A compiled model: `run(feed)` gives the token vectors (batch, tokens, dim)."""

    run: Callable[[Feed], npt.NDArray[np.float32]]
    inputs: frozenset[str]
    runtime: str  # OPENVINO or ONNXRUNTIME
    precision: str  # F32 or BF16


def openvino_installed() -> bool:
    try:
        return importlib.util.find_spec(OPENVINO) is not None
    except (ImportError, ValueError):
        return False


def chosen_runtime() -> str:
    wanted = os.environ.get(RUNTIME_ENV, "").strip().lower()
    if wanted in (OPENVINO, ONNXRUNTIME):
        return wanted
    return OPENVINO if openvino_installed() else ONNXRUNTIME


def load_model(
    path: Path, threads: int, runtime: str | None = None, precision: str | None = None
) -> LoadedModel:
    """The ONNX file at `path` compiled for this CPU with `threads` intra-op threads.

    `precision` None: bf16 where the CPU computes it natively (OpenVINO only), else f32.
    An OpenVINO that fails to load the model falls back to ONNX Runtime, saying so in the log."""
    runtime = runtime or chosen_runtime()
    if runtime == OPENVINO:
        try:
            return _openvino(path, threads, precision)
        except Exception as error:  # a broken install or an op it lacks: ONNX Runtime runs it
            log.warning(
                "OpenVINO could not load %s (%s: %s); using ONNX Runtime",
                path,
                type(error).__name__,
                error,
            )
    return _onnxruntime(path, threads)


def native_bf16(core: Any) -> bool:
    """Whether OpenVINO's CPU plugin computes bf16 in hardware here (AMX, AVX512-BF16)."""
    try:
        capabilities = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except Exception:
        return False
    return "BF16" in capabilities


# One Core per process (it owns the CPU plugin and its thread pools), and one compile at a
# time: two would only fight over the same cores.
_OPENVINO_LOCK = threading.Lock()
_openvino_core: Any = None


def _openvino(path: Path, threads: int, precision: str | None) -> LoadedModel:
    global _openvino_core
    import openvino

    with _OPENVINO_LOCK:
        if _openvino_core is None:
            _openvino_core = openvino.Core()
        core = _openvino_core
        native = native_bf16(core)
        if precision is None:
            forced = os.environ.get(PRECISION_ENV, "").strip().lower()
            precision = forced if forced in (F32, BF16) else (BF16 if native else F32)
        if precision == BF16 and not native:
            precision = F32  # emulated bf16 is slower than f32 and no more exact
        config = {
            # Set explicitly: the plugin's own default is bf16 on AMX and f16 on ARM.
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",  # one request at a time; measured against THROUGHPUT
            "INFERENCE_NUM_THREADS": str(threads),  # this model only, not the process
        }
        compiled = core.compile_model(core.read_model(str(path)), "CPU", config)
    request = compiled.create_infer_request()  # callers embed one batch at a time

    def run(feed: Feed) -> npt.NDArray[np.float32]:
        request.infer(dict(feed))
        # A copy: the request's output buffer is overwritten by the next batch.
        return np.array(request.get_output_tensor(0).data, dtype=np.float32)

    inputs = frozenset(i.get_any_name() for i in compiled.inputs)
    return LoadedModel(run, inputs, OPENVINO, precision)


def _onnxruntime(path: Path, threads: int) -> LoadedModel:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: warnings go to stderr, not our log
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(feed: Feed) -> npt.NDArray[np.float32]:
        return np.asarray(session.run(None, dict(feed))[0], dtype=np.float32)

    inputs = frozenset(i.name for i in session.get_inputs())
    return LoadedModel(run, inputs, ONNXRUNTIME, F32)
