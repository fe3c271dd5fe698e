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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.speech_model import MODEL_ID, model_folder

log = logging.getLogger(__name__)

THREADS = 1
RATE = 16_000  # Whisper's sample rate
# Audio is decoded and transcribed in windows of this length: memory stays bounded on a
# six-hour file, and a stop loses less.
WINDOW_S = 10 * 60.0
CUT_SEARCH_S = 30.0


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

    def __init__(self, cache: Path, threads: int = THREADS, window_s: float = WINDOW_S) -> None:
        self.cache = cache
        self.threads = threads
        self.window_s = window_s
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
        heard: list[Spoken] = []
        duration = 0.0
        try:
            for offset, samples, total in audio_windows(path, self.window_s):
                duration = max(total, offset + len(samples) / RATE)
                segments, info = model.transcribe(
                    samples,
                    language=language,
                    beam_size=1,
                    word_timestamps=True,
                    vad_filter=True,
                    condition_on_previous_text=False,  # one misheard line cannot start a loop
                )
                language = language or str(info.language)  # the first window's, for the rest
                for segment in segments:
                    if stop():
                        raise Stopped
                    words = tuple(
                        Word(offset + float(w.start), offset + float(w.end), w.word.strip())
                        for w in (segment.words or ())
                        if w.word.strip()
                    )
                    text = segment.text.strip()
                    if text:
                        start, end = offset + float(segment.start), offset + float(segment.end)
                        heard.append(Spoken(start, end, text, words))
                    if progress is not None:
                        progress(offset + float(segment.end), duration)
                if stop():
                    raise Stopped
        except (Stopped, TranscriptionError):
            raise
        except FileNotFoundError as error:
            raise TranscriptionError("the file is gone") from error
        except (OSError, ValueError, RuntimeError) as error:
            # PyAV's errors derive from OSError/ValueError: damaged or unsupported audio.
            log.info("cannot transcribe %s: %s", path, error)
            raise TranscriptionError(f"its audio could not be decoded ({error})") from error
        return Transcript(self.model_id, language or "", duration, tuple(heard))


def audio_windows(path: str, window_s: float) -> Iterator[tuple[float, np.ndarray, float]]:
    """(start s, 16 kHz mono float32 samples, the file's declared length s) of consecutive
    windows of about `window_s`, each cut at the quietest quarter second of its last
    `CUT_SEARCH_S` so a word is rarely split. Memory stays at one window whatever the length
    (faster-whisper decodes a whole file at once: 3.4 GB for six hours). A packet that does
    not decode is skipped: what can be read is transcribed."""
    import av

    want = int(window_s * RATE)
    search = int(min(CUT_SEARCH_S, window_s / 4) * RATE)
    with av.open(path) as container:
        if not container.streams.audio:
            raise TranscriptionError("it has no sound")
        stream = container.streams.audio[0]
        total = float(container.duration or 0) / 1_000_000
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        buffer: list[np.ndarray] = []
        held = 0
        offset = 0
        decoded = False
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.FFmpegError as error:  # a damaged stretch: skip it
                log.debug("%s: skipped a packet: %s", path, error)
                continue
            for frame in frames:
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    buffer.append(chunk)
                    held += len(chunk)
                    decoded = True
            if held >= want + search:
                samples = np.concatenate(buffer)
                cut = _quiet_cut(samples, want, search)
                yield offset / RATE, samples[:cut], total
                offset += cut
                buffer, held = [samples[cut:]], len(samples) - cut
        for out in resampler.resample(None):
            buffer.append(out.to_ndarray().reshape(-1))
        if not decoded:
            raise TranscriptionError("its audio could not be decoded")
        rest = np.concatenate(buffer) if buffer else np.zeros(0, dtype=np.float32)
        if len(rest):
            yield offset / RATE, rest, total


def _quiet_cut(samples: np.ndarray, want: int, search: int) -> int:
    """Where to end a window: the quietest quarter second between `want` and `want + search`."""
    block = RATE // 4
    region = samples[want : want + search]
    blocks = len(region) // block
    if blocks < 2:
        return want + search
    energy = (region[: blocks * block].reshape(blocks, block) ** 2).mean(axis=1)
    return want + int(np.argmin(energy)) * block + block // 2
