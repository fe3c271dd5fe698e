"""The façade's transcription (issue 17): which folders are listened to, and the stage itself.

`Library` inherits `SpeechFacade`. Transcribing runs without the index writer's lock (each
item's outcome is one SQLite transaction, and an hour of listening must not keep another
process from indexing); the embedding of the new passages that follows takes it, like any
indexing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.library_errors import IndexingElsewhere
from engine.store import Database
from engine.store.changes import ChangeQueue
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


FORMATS = ("srt", "vtt")


def export_beside(database: Database, item_id: int, fmt: str) -> Path:
    import pysubs2

    from engine.library_errors import LibraryError

    if fmt not in FORMATS:
        raise LibraryError(f"no transcript format {fmt!r} (use srt or vtt)", "bad_format", fmt=fmt)
    heard = SpeechStore(database.db).heard(item_id)
    if not heard:
        raise LibraryError(
            "this item has no machine transcript: transcribe it first", "no_transcript"
        )
    row = database.db.conn.execute(
        "SELECT path FROM files WHERE item_id = ? AND missing = 0 AND offline = 0 "
        "ORDER BY id LIMIT 1",
        (item_id,),
    ).fetchone()
    if row is None:
        raise LibraryError("the item's file is not available", "file_missing")
    media = Path(str(row[0]))
    target = media.with_suffix(f".{fmt}")
    subs = pysubs2.SSAFile()
    for segment in heard:
        start, end = int(segment.start * 1000), int(max(segment.end, segment.start) * 1000)
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=segment.text))
    data = subs.to_string("srt" if fmt == "srt" else "vtt").encode("utf-8")
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # A link never replaces an existing file: a real transcript of that name stays.
        try:
            os.link(temp, target)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, exFAT, some network shares)
            if target.exists():
                raise FileExistsError(target) from None
            os.replace(temp, target)
    except FileExistsError:
        raise LibraryError(
            f"{target} exists already; nothing was overwritten", "exists", path=str(target)
        ) from None
    except OSError as error:
        raise LibraryError(
            f"cannot write {target}: {error}", "unwritable", path=str(target)
        ) from error
    finally:
        temp.unlink(missing_ok=True)
    return target


def queue_files(database: Database, item_ids: list[int]) -> None:
    """Hand the items' files to the index writer's queue (a rescan there embeds their passages)."""
    if not item_ids:
        return
    marks = ", ".join("?" for _ in item_ids)
    with database.write() as db:
        rows = db.execute(
            f"SELECT root_id, path_bytes, size, mtime_ns FROM files WHERE item_id IN ({marks})",
            item_ids,
        ).fetchall()
        queue = ChangeQueue(db)
        for root_id, path, size, mtime in rows:
            queue.record(int(root_id), bytes(path), size, mtime, time.time())


class SpeechFacade:
    """The façade's transcription methods."""

    database: Database
    _watch: WatchService | None
    _transcriber: Transcriber | None

    if TYPE_CHECKING:

        def index_now(self, *, cancelled: Callable[[], bool]) -> tuple[ScanCounts, EmbedCounts]: ...

    def set_transcribing(self, root_id: int, on: bool) -> None:
        """Listen to this folder's items that have no transcript or subtitles."""
        with self.database.write() as db:
            SpeechStore(db).set_root(root_id, on)
        if on and self._watch is not None:
            self._watch.worker.request_transcription()

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
        try:
            self.index_now(cancelled=stop)
        except IndexingElsewhere:
            # Another process is the index writer (the app, a `reelcast watch`): its worker
            # embeds the new passages once these files are in the queue it drains.
            queue_files(self.database, counts.items)
        return counts

    def transcript(self, item_id: int) -> dict[str, Any] | None:
        """The item's transcription outcome and what was heard (segments with start, end,
        text), None when it was never transcribed."""
        store = SpeechStore(self.database.db)
        facts = store.outcome(item_id)
        if facts is None:
            return None
        facts["segments"] = [
            {"start": s.start, "end": s.end, "text": s.text} for s in store.heard(item_id)
        ]
        return facts

    def export_transcript(self, item_id: int, fmt: str = "srt") -> Path:
        """Write the item's machine transcript as SRT or VTT beside its file (`<name>.srt`)
        and return where. Never overwrites a file: a transcript or subtitles of that name are
        real ones. Raises LibraryError with a reason code otherwise."""
        return export_beside(self.database, item_id, fmt)

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
