"""Generated speech for tests: sentences spoken by eSpeak NG, into a tagged MP3 episode.

eSpeak NG comes as a library with its voice data inside the `espeakng-loader` wheel (a test
dependency; the app never uses it), driven here through its C API with ctypes. Each sentence is
synthesised alone and the episode is the sentences with a pause between them, so the moment
each sentence starts is known exactly: what a transcription's times are checked against.
"""

from __future__ import annotations

import ctypes
import functools
import io
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

from tests.mediagen import clone_with_tags

# espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS hands the samples to the callback, no device.
_SYNCHRONOUS = 2
_UTF8 = 1  # espeakCHARS_UTF8
_RATE = 1  # espeakRATE, words per minute
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
PAUSE_S = 0.7


@dataclass(frozen=True)
class Spoken:
    path: Path
    starts: tuple[float, ...]  # when each sentence begins, in seconds
    duration: float


class _Voice:
    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.data_parent = str(Path(espeakng_loader.get_data_path()).parent).encode()
        self.rate = int(self.lib.espeak_Initialize(_SYNCHRONOUS, 0, self.data_parent, 0))
        if self.rate <= 0:
            raise RuntimeError("eSpeak NG did not start")
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept alive as long as the library uses it
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def say(self, text: str, voice: str, words_per_minute: int) -> np.ndarray:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"eSpeak NG has no voice {voice!r}")
        self.lib.espeak_SetParameter(_RATE, words_per_minute, 0)
        data = text.encode("utf-8")
        self._chunks = []
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _UTF8, None, None)
        self.lib.espeak_Synchronize()
        return np.frombuffer(b"".join(self._chunks), dtype=np.int16)


@functools.cache
def _voice() -> _Voice:
    return _Voice()  # eSpeak NG is loaded once per process


def _synthesise(sentences: list[str], voice: str, words_per_minute: int) -> tuple[int, list[Any]]:
    """Each sentence's samples, made in a process of its own: eSpeak NG carries state from one
    text to the next that nothing resets (the same sentence comes out a little different each
    time), so a fresh process makes the same episode the same file, whatever ran before."""
    with tempfile.TemporaryDirectory(prefix="reelcast-speech-") as folder:
        out = Path(folder) / "speech.npz"
        job = json.dumps({"sentences": sentences, "voice": voice, "wpm": words_per_minute})
        subprocess.run(
            [sys.executable, "-c", "from tests.speechgen import _child; _child()", str(out)],
            input=job,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
            timeout=300,
        )
        with np.load(out) as saved:
            return int(saved["rate"]), [saved[f"s{n}"] for n in range(len(sentences))]


def _child() -> None:
    job = json.loads(sys.stdin.read())
    engine = _voice()
    said = {
        f"s{n}": engine.say(text, job["voice"], job["wpm"])
        for n, text in enumerate(job["sentences"])
    }
    np.savez(sys.argv[1], rate=engine.rate, **said)


def make_spoken_episode(
    path: Path,
    sentences: list[str],
    *,
    title: str,
    show: str,
    # American English a little slow: Whisper base heard it best in trials of this voice
    # (with "en" at 150 words a minute it heard "volunteer" as "modern deer").
    voice: str = "en-us",
    words_per_minute: int = 130,
    lead_s: float = 1.0,
) -> Spoken:
    """An MP3 at `path` saying `sentences` in turn, tagged as an episode of `show`."""
    rate, said = _synthesise(sentences, voice, words_per_minute)
    pause = np.zeros(int(PAUSE_S * rate), dtype=np.int16)
    parts = [np.zeros(int(lead_s * rate), dtype=np.int16)]
    starts = []
    at = len(parts[0])
    for samples in said:
        starts.append(at / rate)
        parts += [samples, pause]
        at += len(samples) + len(pause)
    audio = np.concatenate(parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    clone_with_tags(_mp3(audio, rate), path, title=title, show=show)
    return Spoken(path, tuple(starts), len(audio) / rate)


def _mp3(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout="mono")
        stream.bit_rate = 64_000
        frame_size = 1152
        for start in range(0, len(samples), frame_size):
            block = samples[start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()
