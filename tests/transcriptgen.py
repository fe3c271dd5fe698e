"""Long, varied, made-up transcripts (WebVTT, SRT, Podcasting 2.0 JSON and HTML) for tests and
benchmarks. No pytest imports: benchmarks use this too."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


# --- subtitle tracks inside videos ------------------------------------------------------------

# The style header FFmpeg's text subtitle encoders convert from (their input is ASS events).
_ASS_HEADER = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0"
    "\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
    "Text\n"
)

Track = tuple[str, str | None, Sequence[Cue]]  # codec, language (ISO 639-2), cues


def video_with_subtitles(
    path: Path,
    tracks: Sequence[Track],
    *,
    picture_track: bool = False,
    title: str | None = None,
) -> Path:
    """A tiny video (.mkv, or .mp4 for mov_text) with text subtitle tracks written by FFmpeg's
    own subtitle encoders through PyAV (codec: subrip, ass, webvtt, mov_text; cue text may hold
    ASS override tags such as {\\i1}). `picture_track` adds a DVD subtitle track first: one
    packet of bitmap data, never decoded by the reader, which skips picture subtitles."""
    from fractions import Fraction

    import av
    import numpy as np

    muxer = "mp4" if path.suffix.lower() == ".mp4" else "matroska"
    with av.open(str(path), "w", format=muxer) as out:
        if title is not None:
            out.metadata["title"] = title
        video: Any = out.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        picture: Any = out.add_stream("dvd_subtitle") if picture_track else None
        streams: list[Any] = []
        for codec, language, _cues in tracks:
            stream: Any = out.add_stream(codec)
            stream.codec_context.subtitle_header = _ASS_HEADER.encode()
            if language is not None:
                stream.metadata["language"] = language
            streams.append(stream)
        for i in range(5):
            img = np.full((48, 64, 3), 60 + i * 20, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if picture is not None:
            packet = av.Packet(b"\x00\x10" + bytes(14))
            packet.stream, packet.time_base = picture, Fraction(1, 1000)
            packet.pts = packet.dts = 0
            packet.duration = 1000
            out.mux(packet)
        for stream, (_codec, _language, cues) in zip(streams, tracks, strict=True):
            base = stream.time_base
            for n, (start, end, text) in enumerate(cues):
                pts, length = int(start / base), int((end - start) / base)
                event = f"{n},0,Default,,0,0,0,,{text}".encode()
                subtitle = av.subtitles.subtitle.SubtitleSet.create(event, 0, length, pts)
                packet = stream.codec_context.encode_subtitle(subtitle)
                packet.stream = stream
                packet.pts = packet.dts = pts
                packet.duration = length
                out.mux(packet)
    return path
