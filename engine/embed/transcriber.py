"""Speech to timed text with faster-whisper (issue 17): one file, one thread, stoppable.

Whisper base, int8, greedy decoding, Silero voice-activity detection (its file ships inside the
faster-whisper wheel) so silence and music are skipped rather than hallucinated over, and word
times. Measured on this project's 2-core machine: about 0.05 of real time on one thread (two
were slower), ~450 MB while it runs.

`transcribe` hands back segments as they come, so the caller can stop between two (the player
started, the user paused, the app is quitting) and lose only the file in progress.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.embed.speech_model import MODEL_ID, model_folder

log = logging.getLogger(__name__)

THREADS = 1


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Spoken:
    """One segment of speech as the model heard it."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Transcript:
    model_id: str
    language: str
    duration: float  # seconds of audio
    segments: tuple[Spoken, ...]


class TranscriptionError(RuntimeError):
    """The file could not be transcribed; the message says why, in words a user understands."""


class Stopped(Exception):
    """Transcription was asked to stop; nothing of this file is kept."""


class Transcriber:
    """Loads the model on first use; `close` frees it."""

    def __init__(self, cache: Path, threads: int = THREADS) -> None:
        self.cache = cache
        self.threads = threads
        self.model_id = MODEL_ID
        self._model: Any = None
        self._busy = threading.Lock()  # one file at a time, whichever thread asks

    def _loaded(self) -> Any:
        if self._model is None:
            from faster_whisper import WhisperModel

            folder = model_folder(self.cache)
            self._model = WhisperModel(
                str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
            )
        return self._model

    def close(self) -> None:
        self._model = None

    def transcribe(
        self,
        path: str,
        language: str | None = None,
        *,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[float, float], None] | None = None,
    ) -> Transcript:
        """The speech in `path` (`language`: ISO 639-1, else detected). Raises Stopped when
        `stop()` turns true, TranscriptionError when the audio cannot be decoded."""
        with self._busy:
            return self._transcribe(path, language, stop, progress)

    def _transcribe(
        self,
        path: str,
        language: str | None,
        stop: Callable[[], bool],
        progress: Callable[[float, float], None] | None,
    ) -> Transcript:
        model = self._loaded()
        try:
            segments, info = model.transcribe(
                path,
                language=language,
                beam_size=1,
                word_timestamps=True,
                vad_filter=True,
                condition_on_previous_text=False,  # one misheard line cannot start a loop
            )
            heard: list[Spoken] = []
            for segment in segments:
                if stop():
                    raise Stopped
                words = tuple(
                    Word(float(w.start), float(w.end), w.word.strip())
                    for w in (segment.words or ())
                    if w.word.strip()
                )
                text = segment.text.strip()
                if text:
                    heard.append(Spoken(float(segment.start), float(segment.end), text, words))
                if progress is not None:
                    progress(float(segment.end), float(info.duration))
        except (Stopped, TranscriptionError):
            raise
        except FileNotFoundError as error:
            raise TranscriptionError("the file is gone") from error
        except (OSError, ValueError, RuntimeError) as error:
            # PyAV's errors derive from OSError/ValueError: damaged or unsupported audio.
            log.info("cannot transcribe %s: %s", path, error)
            raise TranscriptionError(f"its audio could not be decoded ({error})") from error
        return Transcript(self.model_id, str(info.language), float(info.duration), tuple(heard))
