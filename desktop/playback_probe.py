"""Opt-in playback probe: `reelcast-desktop --playback-probe FILE` plays FILE with the player's
classes (QMediaPlayer, QAudioOutput, QVideoWidget) and prints one JSON line to stdout:

    {"playback": bool, "position_ms": int, "duration_ms": int, "media_status": str,
     "error": str, "backend": str}

`backend` is the multimedia plugin found loaded in this process ("ffmpeg" for Qt's FFmpeg
plugin), omitted where that cannot be read. Exit code 0 once the position passed 200 ms (or
the media ended with a known duration), 1 on a player error or after a 20 s timeout.
`make package-test` uses it to prove a frozen bundle can play media; no library is opened.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QApplication

ADVANCED_MS = 200
TIMEOUT_MS = 20_000


def loaded_backend() -> str | None:
    """Name of the QtMultimedia plugin mapped into this process (Linux), e.g. "ffmpeg"."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        name = line.rsplit("/", 1)[-1]
        if "/multimedia/" in line and name.endswith("mediaplugin.so"):
            return name.removeprefix("lib").removesuffix("mediaplugin.so")
    return None


class _Probe(QObject):
    def __init__(self, app: QApplication, path: str) -> None:
        super().__init__(app)
        self.app = app
        self.code = 1
        self.position = 0
        self.done = False
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.audio.setVolume(0.0)  # a diagnostic: nothing to hear
        self.player.setAudioOutput(self.audio)
        self.video = QVideoWidget()
        self.player.setVideoOutput(self.video)
        self.player.positionChanged.connect(self._on_position)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)
        self._timer = QTimer(self, singleShot=True, interval=TIMEOUT_MS)
        self._timer.timeout.connect(self._on_timeout)
        self._timer.start()
        # Start once the event loop runs: app.exit() before exec() would be lost.
        QTimer.singleShot(0, lambda: self._start(path))

    def _start(self, path: str) -> None:
        if not Path(path).is_file():
            # QMediaPlayer reports a missing file differently per backend: say it plainly.
            self._finish(False, f"no such file: {path}")
            return
        self.player.setSource(QUrl.fromLocalFile(str(Path(path).resolve())))
        self.player.play()

    def _on_position(self, ms: int) -> None:
        self.position = max(self.position, ms)
        if ms > ADVANCED_MS:
            self._finish(True)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._finish(self.player.duration() > 0, "" if self.player.duration() > 0 else "empty")
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            # errorOccurred usually follows with the reason; wait for it on the event loop.
            QTimer.singleShot(0, lambda: self._finish(False, "invalid media"))

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            self._finish(False, text or error.name)

    def _on_timeout(self) -> None:
        self._finish(False, f"timed out after {TIMEOUT_MS / 1000:g} s")

    def _finish(self, ok: bool, error: str = "") -> None:
        if self.done:
            return
        self.done = True
        self._timer.stop()
        self.position = max(self.position, self.player.position())
        line: dict[str, Any] = {
            "playback": ok,
            "position_ms": self.position,
            "duration_ms": self.player.duration(),
            "media_status": self.player.mediaStatus().name,
            "error": error,
        }
        backend = loaded_backend()
        if backend is not None:
            line["backend"] = backend
        print(json.dumps(line), flush=True)
        self.code = 0 if ok else 1
        # Not stop(): it keeps the GIL while it waits for FFmpeg's audio thread, which may need
        # the GIL (see desktop/player/player_widget.py); setSource releases it.
        self.player.setSource(QUrl())
        self.app.exit(self.code)


def run(path: str, qt_args: list[str] | None = None) -> int:
    """Play `path` on the Qt event loop; print the JSON line; return the exit code."""
    app = QApplication.instance() or QApplication([sys.argv[0], *(qt_args or [])])
    assert isinstance(app, QApplication)
    probe = _Probe(app, path)
    app.exec()
    return probe.code
