"""Garbage cycles holding Qt objects are collected on the UI thread, never in a background
task's thread (a QObject destroyed there crashed the suite, in ~QObject or in the model load)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from desktop.ui_thread_gc import UiThreadGc


class _Cyclic(QObject):
    def __init__(self, died_in: list[int]) -> None:
        super().__init__()
        self.me = self  # a reference cycle: only the cyclic collector frees it
        self.died_in = died_in

    def __del__(self) -> None:
        self.died_in.append(threading.get_ident())


def test_a_qt_object_in_a_garbage_cycle_dies_on_the_ui_thread(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()  # off under the session's own collector (conftest.py)
    collector = UiThreadGc()
    collector.start()
    try:
        died_in: list[int] = []
        gc.collect()  # start from empty young generations
        _Cyclic(died_in)  # garbage at once, but only a collection can tell
        kept: list[list[int]] = []

        def allocate() -> None:  # what a background task does: far past gc's thresholds
            kept.extend([n] for n in range(200_000))

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert died_in == []  # the worker did not collect it
        qtbot.waitUntil(lambda: bool(died_in), timeout=30_000)
        assert died_in == [threading.get_ident()]
        assert not gc.isenabled()  # automatic collection stays off while the collector runs
    finally:
        collector.stop()
        collector.deleteLater()
    assert gc.isenabled() == was_enabled
