"""Guard against the PySide6 6.12.0 bug that drops a reference to True on every signal emit.

On Python 3.11 True is not immortal, so a long-running app (each background task emits) aborts
with "bool_dealloc: deallocating True or False" after some tens of thousands of emits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_true_alive(qapp: object) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for n in range(1_000):
        emitter.fired.emit(n)
    after = sys.getrefcount(True)
    assert len(received) == 1_000
    # Unrelated code may take or drop a few references meanwhile; the bug drops one per emit.
    assert abs(before - after) < 50
