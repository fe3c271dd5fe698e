"""The transcription stage (issue 17): items of opted-in folders that came without a transcript
or subtitles are listened to, one at a time, and what was heard becomes their passages.

Each item ends in one recorded outcome (done, no speech, or failed with a reason), so the queue
never sticks on a bad file. Nothing is written until an item is finished: stopping (the player
started, the user paused, the app quits) loses at most the item in progress, which is simply
still waiting next time. The next embedding pass embeds the new passages (the item's revision
is bumped), as it does for a transcript file that appears later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.embed.transcriber import Stopped, Transcriber, Transcript, TranscriptionError
from engine.ingest.transcripts import Passage, machine_passages, with_machine
from engine.paths import from_bytes
from engine.store import Database
from engine.store.passages import PassageStore
from engine.store.speech import Heard, SpeechStore, Wanted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranscribeProgress:
    done: int  # items finished this pass
    total: int  # items waiting when the pass began
    item_id: int
    title: str
    heard_s: float  # how far into the current item
    duration_s: float
    waiting_s: float  # audio still waiting after the current item (its length when known)


@dataclass
class TranscribeCounts:
    done: int = 0
    no_speech: int = 0
    failed: int = 0
    stopped: bool = False
    items: list[int] = field(default_factory=list)  # the items given an outcome


class TranscribePass:
    def __init__(self, database: Database, transcriber: Transcriber) -> None:
        self.database = database
        self.transcriber = transcriber

    def run(
        self,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[TranscribeProgress], None] | None = None,
        limit: int | None = None,
    ) -> TranscribeCounts:
        """Transcribe waiting items until none is left, `limit` are done, or `stop()`."""
        counts = TranscribeCounts()
        total, audio = SpeechStore(self.database.db).backlog()
        finished = 0
        while limit is None or finished < limit:
            if stop():
                counts.stopped = True
                break
            wanted = SpeechStore(self.database.db).wanted(limit=1)
            if not wanted:
                break
            item = wanted[0]

            audio = max(0.0, audio - item.duration)

            def heard(
                at: float,
                duration: float,
                wanted: Wanted = item,
                done: int = finished,
                rest: float = audio,
            ) -> None:
                if progress is not None:
                    progress(
                        TranscribeProgress(
                            done, total, wanted.item_id, wanted.title, at, duration, rest
                        )
                    )

            path = from_bytes(item.path)
            began = time.monotonic()
            try:
                transcript = self.transcriber.transcribe(
                    path, _language(item.language), stop=stop, progress=heard
                )
            except Stopped:
                counts.stopped = True
                break
            except TranscriptionError as error:
                reason = "gone" if not Path(path).exists() else "undecodable"
                self._fail(item.item_id, reason, str(error))
                counts.failed += 1
            except Exception as error:  # a bug in a decoder or the model: this file only
                log.exception("transcribing %s failed", path)
                self._fail(item.item_id, "error", f"{type(error).__name__}: {error}")
                counts.failed += 1
            else:
                segments = [
                    Heard(s.start, s.end, s.text, tuple((w.start, w.end, w.text) for w in s.words))
                    for s in transcript.segments
                ]
                took = time.monotonic() - began
                self._save(item.item_id, transcript, segments, took)
                if segments:
                    counts.done += 1
                else:
                    counts.no_speech += 1
            finished += 1
            counts.items.append(item.item_id)
        return counts

    def _fail(self, item_id: int, reason: str, detail: str) -> None:
        with self.database.write() as db:
            SpeechStore(db).save(
                item_id, "failed", self.transcriber.model_id, reason=reason, detail=detail
            )

    def _save(self, item_id: int, transcript: Transcript, heard: list[Heard], took: float) -> None:
        with self.database.write() as db:
            outcome = "done" if heard else "no-speech"
            SpeechStore(db).save(
                item_id,
                outcome,
                self.transcriber.model_id,
                language=transcript.language,
                duration=transcript.duration,
                segments=heard,
                took_s=took,
            )
            store = PassageStore(db)
            kept = [
                Passage(p.start_s, p.end_s, p.text, p.source, p.marks)
                for p in store.of_item(item_id)
            ]
            if store.replace(item_id, with_machine(kept, machine_passages(heard))):
                # The embedding pass visits items by revision: it embeds the new passages.
                db.execute("UPDATE items SET revision = revision + 1 WHERE id = ?", [item_id])


def _language(tag: str | None) -> str | None:
    """An item's language tag as Whisper takes it ("en-GB" → "en"); None: let it detect."""
    if not tag:
        return None
    base = tag.split("-")[0].split("_")[0].lower()
    return base if len(base) == 2 else None
