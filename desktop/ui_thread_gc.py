"""Python's cyclic garbage collection, on the UI thread only.

Left automatic, a collection runs in whichever thread happens to allocate past a threshold:
often a background task (loading the model, a query). A Qt object caught in a garbage cycle is
then destroyed in that thread while the UI thread may be using or deleting it, and the process
crashes (a segfault in ~QObject or in whatever the task was doing). So automatic collection is
off and a timer on the UI thread collects, generation by generation, as Python's own
thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000  # a young-generation pass costs well under a millisecond


class UiThreadGc(QObject):
    """Owns the timer; create it on the UI thread and `start` it once start-up is over."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collection as it was before `start` (when the event loop is over)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold; what gc would do."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for n in range(3):
            if thresholds[n] and counts[n] > thresholds[n]:
                generation = n
        return gc.collect(generation) if generation >= 0 else 0
