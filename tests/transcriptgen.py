"""Long, varied, made-up transcripts (WebVTT, SRT, Podcasting 2.0 JSON and HTML) for tests and
benchmarks. No pytest imports: benchmarks use this too."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

from tests.textgen import TOPICS

_OPENERS = (
    "Let's talk for a moment about",
    "Our guest has spent years studying",
    "The surprising history of",
    "Most listeners never think about",
    "A quick story about",
    "People often misunderstand",
)
_MIDDLES = (
    "and how it changed the way towns were built",
    "which turns out to depend on the weather",
    "and the families who made a living from it",
    "and why the old textbooks got it wrong",
    "from the first records to the present day",
    "and the quarrels it caused between neighbours",
)

Cue = tuple[float, float, str]


def filler_cues(
    seconds: float, seed: int = 0, cue_s: float = 4.0, avoid: Sequence[str] = ()
) -> list[Cue]:
    """Cues of chatty made-up speech every `cue_s` seconds up to `seconds`, never naming a
    word of `avoid`."""
    rng = random.Random(seed)
    topics = [t for t in TOPICS if t not in {a.casefold() for a in avoid}]
    cues: list[Cue] = []
    t = 0.0
    while t + cue_s <= seconds:
        text = f"{rng.choice(_OPENERS)} {rng.choice(topics)}, {rng.choice(_MIDDLES)}."
        cues.append((t, t + cue_s - 0.2, text))
        t += cue_s
    return cues


def with_cue(cues: list[Cue], at: float, text: str) -> list[Cue]:
    """`cues` with the cue covering `at` replaced by `text` (same times)."""
    out = []
    for start, end, said in cues:
        out.append((start, end, text) if start <= at < end + 0.2 else (start, end, said))
    return out


def _clock(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def write_vtt(path: Path, cues: Sequence[Cue]) -> Path:
    lines = ["WEBVTT", ""]
    for start, end, text in cues:
        lines += [f"{_clock(start, '.')} --> {_clock(end, '.')}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_srt(path: Path, cues: Sequence[Cue]) -> Path:
    lines = []
    for n, (start, end, text) in enumerate(cues, 1):
        lines += [str(n), f"{_clock(start, ',')} --> {_clock(end, ',')}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_json(path: Path, cues: Sequence[Cue]) -> Path:
    doc = {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Host", "startTime": s, "endTime": e, "body": t} for s, e, t in cues
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def write_html(path: Path, cues: Sequence[Cue]) -> Path:
    body = "".join(
        f"<cite>Host:</cite><time>{_clock(s, '.')[:8]}</time><p>{t}</p>\n" for s, _e, t in cues
    )
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


# --- long audio, cheaply ----------------------------------------------------------------------

_BITRATES = {  # MPEG-1 / MPEG-2(.5) Layer III, kbit/s by index
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _first_frame_length(data: bytes) -> int:
    b1, b2 = data[1], data[2]
    version = (b1 >> 3) & 3
    bitrate = _BITRATES[3 if version == 3 else 2][b2 >> 4] * 1000
    rate = _RATES[version][(b2 >> 2) & 3]
    per_frame = 144 if version == 3 else 72
    return per_frame * bitrate // rate + ((b2 >> 1) & 1)


def long_mp3(path: Path, seconds: float, **tags: object) -> Path:
    """A tagged MP3 of about `seconds` (a few seconds more), made by repeating the frames of a
    short encoded clip: encoding 45 minutes takes minutes on a busy machine, this a second. The
    clip's Xing/Info frame (which would state its own short length) is left out, so players
    measure the whole file."""
    from tests.mediagen import audio_template, clone_with_tags

    clip_s = 10.0
    clip = audio_template(seconds=clip_s)
    head = _first_frame_length(clip)
    if b"Xing" in clip[:head] or b"Info" in clip[:head]:
        clip = clip[head:]
    repeats = max(1, int(-(-seconds // clip_s)))
    return clone_with_tags(clip * repeats, path, **tags)
