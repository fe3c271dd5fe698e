"""The façade's transcription (issue 17): which folders are listened to, and the stage itself.

`Library` inherits `SpeechFacade`. Transcribing runs without the index writer's lock (each
item's outcome is one SQLite transaction, and an hour of listening must not keep another
process from indexing); the embedding of the new passages that follows takes it, like any
indexing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.store import Database
from engine.store.speech import SpeechStore

if TYPE_CHECKING:
    from engine.embed.pipeline import EmbedCounts
    from engine.embed.transcribe_pass import TranscribeCounts, TranscribePass, TranscribeProgress
    from engine.embed.transcriber import Transcriber
    from engine.ingest.scanner import ScanCounts
    from engine.watch.service import WatchService


def available() -> bool:
    """Whether this installation can transcribe (faster-whisper and the model's packages)."""
    from engine.embed.speech_model import installed

    return installed()


def stage(database: Database, transcriber: Callable[[], Transcriber]) -> TranscribePass | None:
    """The worker's transcription stage, None when there is nothing it could do: cheap enough
    to ask at every idle look (no model is loaded until an item waits)."""
    if not SpeechStore(database.db).roots() or not available():
        return None
    if not SpeechStore(database.db).wanted(limit=1):
        return None
    from engine.embed.transcribe_pass import TranscribePass

    return TranscribePass(database, transcriber())


class SpeechFacade:
    """The façade's transcription methods."""

    database: Database
    _watch: WatchService | None
    _transcriber: Transcriber | None

    if TYPE_CHECKING:

        def index_now(
            self, *, cancelled: Callable[[], bool], wait: bool
        ) -> tuple[ScanCounts, EmbedCounts]: ...

    def set_transcribing(self, root_id: int, on: bool) -> None:
        """Listen to this folder's items that have no transcript or subtitles."""
        with self.database.write() as db:
            SpeechStore(db).set_root(root_id, on)

    def transcribing_folders(self) -> set[int]:
        return SpeechStore(self.database.db).roots()

    @staticmethod
    def transcription_available() -> bool:
        return available()

    def transcription_cost(self) -> float | None:
        """Seconds of work per second of audio, measured here; None until one was done."""
        return SpeechStore(self.database.db).cost()

    def transcribe_now(
        self,
        progress: Callable[[TranscribeProgress], None] | None = None,
        stop: Callable[[], bool] = lambda: False,
        limit: int | None = None,
    ) -> TranscribeCounts:
        """Transcribe what is waiting (`limit` items at most), then embed what was heard."""
        from engine.embed.transcribe_pass import TranscribePass

        counts = TranscribePass(self.database, self._speech()).run(stop, progress, limit)
        self.index_now(cancelled=stop, wait=True)
        return counts

    def hold_transcription(self, held: bool) -> None:
        """Pause the worker's transcription while the player plays (then resume it)."""
        if self._watch is not None:
            self._watch.worker.hold_transcription(held)

    def _speech(self) -> Transcriber:
        if self._transcriber is None:
            from engine.embed.onnx_cache import cache_root
            from engine.embed.transcriber import Transcriber

            self._transcriber = Transcriber(cache_root())
        return self._transcriber
