"""Opt-in start-up probe: REELCAST_STARTUP_PROBE=1 makes the app print one JSON line to stdout
with the seconds from process start to the first paint of the main window with its item list
populated, then quit. docs/startup.md describes the method; tests/bench/startup.py uses it.
With REELCAST_STARTUP_PROBE_UNTIL=model it waits on after the paint until the embedding model is
loaded (in its child process) and adds when that happened, and which heavy modules the window's
own process holds then (none: `make package-test` checks the frozen app this way).

The clock starts when the kernel created the process (/proc/self/stat), so interpreter start-up
and every import count, not only the time after main() was entered.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

ENV = "REELCAST_STARTUP_PROBE"
TIMEOUT_ENV = "REELCAST_STARTUP_PROBE_TIMEOUT"  # seconds; default 60
UNTIL_ENV = "REELCAST_STARTUP_PROBE_UNTIL"  # "paint" (default) or "model"
HEAVY_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime", "openvino")
# REELCAST_STARTUP_PROBE_MODULES=1 adds the names of the modules loaded at the paint.
MODULES_ENV = "REELCAST_STARTUP_PROBE_MODULES"


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def seconds_since_process_start() -> float:
    """Seconds since this process was created, interpreter start-up included.

    Linux: /proc/self/stat field 22 (start time in clock ticks since boot, 10 ms resolution)
    against CLOCK_BOOTTIME. Elsewhere psutil's create_time when installed, else the time since
    this module was imported (which misses interpreter start-up; the JSON line says which).
    """
    return _clock()[0]


def _clock() -> tuple[float, str]:
    try:
        with open("/proc/self/stat", "rb") as fh:
            stat = fh.read()
        # The command name (field 2) may contain spaces and brackets; fields resume after ")".
        fields = stat[stat.rindex(b")") + 2 :].split()
        ticks = int(fields[19])  # field 22 overall
        start = ticks / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start, "proc"
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import psutil  # type: ignore[import-untyped]

        return time.time() - psutil.Process().create_time(), "psutil"
    except ImportError:
        return time.perf_counter() - _IMPORTED, "import"


_IMPORTED = time.perf_counter()


def _heavy_now() -> list[str]:
    return sorted(m for m in HEAVY_MODULES if m in sys.modules)


class _Probe(QObject):
    """Watches paint events of `window` and its children until the populated window paints."""

    def __init__(
        self, app: QCoreApplication, window: QWidget, populated: SignalInstance | None
    ) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.populated = False
        self.painted_at: float | None = None
        self.done = False
        self._heavy: list[str] | None = None
        self._modules: list[str] | None = None
        self._cpu: float | None = None
        self._use_signal = populated is not None
        if populated is not None:
            populated.connect(self._on_populated)
        app.installEventFilter(self)
        self._timeout = float(os.environ.get(TIMEOUT_ENV, "60"))
        self._line: dict[str, Any] = {}
        self._model_timer: QTimer | None = None
        self._reported = False
        QTimer.singleShot(round(self._timeout * 1000), self._timed_out)

    def _on_populated(self, *_args: Any) -> None:
        self.populated = True

    def _rows(self) -> int | None:
        """Rows in the window's item model, when it has one (the older MainWindow)."""
        model = getattr(self.window, "model", None)
        try:
            return int(model.rowCount()) if model is not None else None
        except (RuntimeError, AttributeError, TypeError):  # deleted, or not an item model
            return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            self.painted_at is None
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window() is self.window
        ):
            if not self._use_signal:
                # Until MainWindow has a `populated` signal: a non-empty model counts.
                self.populated = (self._rows() or 0) > 0
            if self.populated:
                self.painted_at = seconds_since_process_start()
                times = os.times()
                self._cpu = times.user + times.system
                self._heavy = _heavy_now()
                if os.environ.get(MODULES_ENV) == "1":
                    self._modules = sorted(sys.modules)
                # Runs after this paint pass (and the rest of the window's) has completed.
                QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self.app.removeEventFilter(self)
        seconds, clock = _clock()
        heavy = self._heavy if self._heavy is not None else _heavy_now()
        self._line = {
            "seconds": round(seconds, 4),
            "paint_started": round(self.painted_at, 4) if self.painted_at is not None else None,
            "populated": self.painted_at is not None,
            # CPU time of all threads up to the paint: less sensitive to a busy machine.
            "cpu_seconds": round(self._cpu, 3) if self._cpu is not None else None,
            "rows": self._rows(),
            "torch_imported": "torch" in heavy,
            "heavy_imported": bool(heavy),
            "heavy_modules": heavy,
            "modules": len(sys.modules),
            "clock": clock,
        }
        if self._modules is not None:
            self._line["module_names"] = self._modules
        if os.environ.get(UNTIL_ENV) == "model" and self.painted_at is not None:
            self._line["model_ready"] = False
            self._model_timer = QTimer(self)
            self._model_timer.timeout.connect(self._check_model)
            self._model_timer.start(100)
            QTimer.singleShot(round(self._timeout * 1000), self._report)
        else:
            self._report()

    def _check_model(self) -> None:
        library = getattr(self.window, "library", None)
        if library is not None and getattr(library, "model_ready", False):
            self._line["model_ready"] = True
            self._line["model_seconds"] = round(_clock()[0], 4)
            self._line["heavy_modules_with_model"] = _heavy_now()
            self._report()

    def _report(self) -> None:
        if self._model_timer is not None:
            self._model_timer.stop()
        if self._reported:
            return
        self._reported = True
        print(json.dumps(self._line), flush=True)
        self.app.quit()

    def _timed_out(self) -> None:
        if self.painted_at is None:
            self._finish()


def install_probe(
    app: QCoreApplication, window: QWidget, populated_signal: SignalInstance | None = None
) -> QObject:
    """Report the first paint of `window` once populated, then quit `app`.

    `populated_signal` is emitted by the window once its item list holds the engine's rows;
    without it, a non-empty `window.model` at paint time counts as populated.
    """
    return _Probe(app, window, populated_signal)
