"""Generate small, real media files for tests and benchmarks.

The encoders live in engine/demo/media.py (the demo library uses them too); this module
re-exports them and adds the cheap clones benchmarks need. No pytest imports: benchmarks use
this too.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from engine.demo.media import (
    AUDIO_SUFFIXES,
    PathLike,
    _check_tags,
    _encode_audio,
    _id3_tags,
    make_audio,
    make_jpeg,
    make_png,
    make_video,
)

__all__ = [
    "AUDIO_SUFFIXES",
    "audio_template",
    "clone_with_tags",
    "make_audio",
    "make_jpeg",
    "make_png",
    "make_video",
]

# --- cheap clones for benchmarks --------------------------------------------------------------


def _strip_id3v2(data: bytes) -> bytes:
    # ID3v2 header: "ID3", version (2), flags (1), syncsafe size (4); footer adds 10 more bytes.
    while len(data) >= 10 and data[:3] == b"ID3":
        size = 0
        for b in data[6:10]:
            size = (size << 7) | (b & 0x7F)
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
    return data


def audio_template(seconds: float = 1.0, seed: int = 0) -> bytes:
    """An untagged encoded MP3, to feed `clone_with_tags`."""
    buf = io.BytesIO()
    _encode_audio(buf, "mp3", seconds, seed)
    return _strip_id3v2(buf.getvalue())


def clone_with_tags(template_bytes: bytes, path: PathLike, **tags: Any) -> Path:
    """Write `template_bytes` (an MP3) to `path` behind a fresh ID3v2.4 tag built from `tags`.

    Any ID3v2 tag already on the template is dropped, so distinct tags give distinct leading
    bytes: content hashes over the first 64 KiB differ even though the audio is the same.
    """
    _check_tags(tags)
    audio = _strip_id3v2(template_bytes)
    buf = io.BytesIO()
    # Saving into an empty buffer writes just the tag; the audio follows it.
    _id3_tags(tags).save(buf, v2_version=4, padding=lambda _info: 0)
    out = Path(path)
    out.write_bytes(buf.getvalue() + audio)
    return out


def make_episodes(folder: PathLike, episodes: list[tuple[str, str, str]]) -> list[Path]:
    """Short tagged MP3s in `folder`, one per (title, show, description)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    return [
        make_audio(out / f"{n}.mp3", seconds=0.2, title=title, show=show, description=text)
        for n, (title, show, text) in enumerate(episodes)
    ]


# --- the other formats people have (issue 13) -------------------------------------------------

# suffix -> (muxer, encoder, sample rate, layout, sample format)
_EXTRA_AUDIO: dict[str, tuple[str, str, int, str, str]] = {
    "mp2": ("mp2", "mp2", 22050, "mono", "s16"),
    "aac": ("adts", "aac", 22050, "mono", "fltp"),
    "wav": ("wav", "pcm_s16le", 22050, "mono", "s16"),
    "aiff": ("aiff", "pcm_s16be", 22050, "mono", "s16"),
    "wma": ("asf", "wmav2", 22050, "mono", "fltp"),
    "wv": ("wv", "wavpack", 22050, "mono", "s16p"),
    "mka": ("matroska", "flac", 22050, "mono", "s16"),
}
# Formats PyAV's FFmpeg cannot encode; written by hand from their specs (see _speex, _ape).
HAND_WRITTEN_AUDIO = ("spx", "ape")
EXTRA_AUDIO_SUFFIXES = (*_EXTRA_AUDIO, *HAND_WRITTEN_AUDIO)


def _encode_extra(path: Path, suffix: str, seconds: float, seed: int) -> None:
    import av
    import numpy as np

    muxer, codec, rate, layout, sample_fmt = _EXTRA_AUDIO[suffix]
    with av.open(str(path), mode="w", format=muxer) as container:
        stream: Any = container.add_stream(codec, rate=rate)
        stream.codec_context.layout = layout
        stream.codec_context.format = sample_fmt
        if codec in ("mp2", "aac", "wmav2"):
            stream.codec_context.bit_rate = 64000
        stream.codec_context.open()
        frame_size = stream.codec_context.frame_size or 1024
        total = max(1, round(seconds * rate))
        tone = np.sin(np.arange(total) * (2 * np.pi * (220 + seed % 200) / rate)) * 0.3
        pts = 0
        while pts < total:
            count = min(frame_size, total - pts)
            chunk = tone[pts : pts + count].reshape(1, -1)
            if sample_fmt.startswith("s16"):
                data = (chunk * 32767).astype(np.int16)
            else:
                data = chunk.astype(np.float32)
            frame = av.AudioFrame.from_ndarray(data, format=sample_fmt, layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            container.mux(stream.encode(frame))
            pts += count
        container.mux(stream.encode(None))


def _speex(path: Path, seconds: float, comments: dict[str, str]) -> None:
    """Ogg Speex by the spec: the 80-byte Speex header, a Vorbis comment packet, then audio
    packets. FFmpeg here has no Speex encoder, so the audio packets are silence-sized filler:
    the container and its tags are real, the sound is not."""
    import struct

    from mutagen.ogg import OggPage

    rate = 16000
    header = (
        b"Speex   "
        + b"1.2.1".ljust(20, b"\x00")
        + struct.pack("<11i", 1, 80, rate, 1, 4, 1, -1, 320, 0, 1, 0)
        + struct.pack("<2i", 0, 0)
    )
    vendor = b"reelcast tests"
    fields = [f"{k.upper()}={v}".encode() for k, v in comments.items()]
    comment = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(fields))
    for item in fields:
        comment += struct.pack("<I", len(item)) + item
    frames = max(1, round(seconds * rate / 320))
    pages = []
    for sequence, (packets, granule) in enumerate(
        [([header], 0), ([comment], 0), ([b"\x00" * 38] * frames, frames * 320)]
    ):
        page = OggPage()
        page.serial, page.sequence, page.position = 0x5EED, sequence, granule
        page.packets = packets
        page.first = sequence == 0
        page.last = sequence == 2
        pages.append(page)
    path.write_bytes(b"".join(p.write() for p in pages))


def _ape(path: Path, seconds: float, tags: dict[str, str]) -> None:
    """Monkey's Audio by its header layout (version 3.99: a 52-byte descriptor, a 24-byte
    header) with an APEv2 tag. No encoder is at hand, so there are no real audio frames: the
    header and the tags are what a tag reader sees."""
    import struct

    from mutagen.apev2 import APEv2

    rate, blocks_per_frame = 44100, 73728
    blocks = max(1, round(seconds * rate))
    frames = (blocks + blocks_per_frame - 1) // blocks_per_frame
    final = blocks - (frames - 1) * blocks_per_frame
    audio = b"\x00" * 256
    descriptor = (
        b"MAC "
        + struct.pack("<HH", 3990, 0)
        + struct.pack("<7I", 52, 24, 0, 0, len(audio), 0, 0)
        + b"\x00" * 16
    )
    head = struct.pack("<HHIIIHHI", 2000, 0, blocks_per_frame, final, frames, 16, 1, rate)
    path.write_bytes(descriptor + head + audio)
    tag: Any = APEv2()
    for key, value in tags.items():
        tag[key] = value
    tag.save(str(path))


def make_extra_audio(
    path: PathLike, seconds: float = 1.0, *, title: str, show: str | None = None, seed: int = 0
) -> Path:
    """A short file in one of `EXTRA_AUDIO_SUFFIXES` with a title (and album) tag in the
    format's own tag kind: ID3 (MP2, AAC, WAV, AIFF), ASF (WMA), APEv2 (WavPack, APE), Vorbis
    comments (Speex), Matroska tags (MKA)."""
    from mutagen import id3
    from mutagen.aiff import AIFF
    from mutagen.asf import ASF
    from mutagen.wave import WAVE
    from mutagen.wavpack import WavPack

    out = Path(path)
    suffix = out.suffix.lower().lstrip(".")
    if suffix == "spx":
        _speex(out, seconds, {"title": title, **({"album": show} if show else {})})
        return out
    if suffix == "ape":
        _ape(out, seconds, {"Title": title, **({"Album": show} if show else {})})
        return out
    if suffix == "mka":
        _encode_extra(out, suffix, seconds, seed)
        _retag_matroska(out, title, show)
        return out
    _encode_extra(out, suffix, seconds, seed)
    frames = [id3.TIT2(encoding=3, text=[title])]
    if show:
        frames.append(id3.TALB(encoding=3, text=[show]))
    if suffix in ("mp2", "aac"):
        buf = io.BytesIO()
        tag: Any = id3.ID3()
        for frame in frames:
            tag.add(frame)
        tag.save(buf, v2_version=4, padding=lambda _info: 0)
        out.write_bytes(buf.getvalue() + _strip_id3v2(out.read_bytes()))
    elif suffix in ("wav", "aiff"):
        audio: Any = (WAVE if suffix == "wav" else AIFF)(str(out))
        audio.add_tags()
        for frame in frames:
            audio.tags.add(frame)
        audio.save()
    elif suffix == "wma":
        asf: Any = ASF(str(out))
        asf["Title"] = [title]
        if show:
            asf["WM/AlbumTitle"] = [show]
        asf.save()
    elif suffix == "wv":
        wv: Any = WavPack(str(out))
        if wv.tags is None:  # FFmpeg's muxer may have written an APEv2 tag already
            wv.add_tags()
        wv.tags["Title"] = title
        if show:
            wv.tags["Album"] = show
        wv.save()
    return out


def _retag_matroska(path: Path, title: str, show: str | None) -> None:
    """Matroska's tags live in the container: remux with them set."""
    import av

    data = path.read_bytes()
    with av.open(io.BytesIO(data)) as source, av.open(str(path), "w", format="matroska") as out:
        out.metadata["title"] = title
        if show:
            out.metadata["album"] = show
        stream: Any = source.streams.audio[0]
        target: Any = out.add_stream_from_template(stream)
        for packet in source.demux(stream):
            if packet.dts is None:
                continue
            packet.stream = target
            out.mux(packet)


# suffix -> (muxer, video encoder, audio encoder, audio sample format)
_EXTRA_VIDEO: dict[str, tuple[str, str, str, str]] = {
    "avi": ("avi", "mpeg4", "mp2", "s16"),
    "webm": ("webm", "libvpx", "libopus", "s16"),
    "ts": ("mpegts", "mpeg2video", "mp2", "s16"),
    "m2ts": ("mpegts", "mpeg2video", "mp2", "s16"),
    "mpg": ("mpeg", "mpeg1video", "mp2", "s16"),
}
EXTRA_VIDEO_SUFFIXES = tuple(_EXTRA_VIDEO)


def make_extra_video(path: PathLike, seconds: float = 1.0, *, title: str | None = None) -> Path:
    """A tiny video in a container `make_video` does not write (AVI, WebM, MPEG-TS, MPEG-PS),
    with a title tag where the container has one (AVI INFO, WebM; TS and PS have none)."""
    import av
    import numpy as np

    out = Path(path)
    muxer, vcodec, acodec, sample_fmt = _EXTRA_VIDEO[out.suffix.lower().lstrip(".")]
    rate, fps, width, height = 48000, 25, 64, 48
    with av.open(str(out), mode="w", format=muxer) as container:
        if title is not None:
            container.metadata["title"] = title
        vstream: Any = container.add_stream(vcodec, rate=fps)
        vstream.width, vstream.height, vstream.pix_fmt = width, height, "yuv420p"
        astream: Any = container.add_stream(acodec, rate=rate)
        astream.codec_context.layout = "mono"
        astream.codec_context.format = sample_fmt
        astream.codec_context.bit_rate = 64000
        for i in range(max(1, round(seconds * fps))):
            img = np.full((height, width, 3), (40, (i * 9) % 256, 90), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            container.mux(vstream.encode(frame))
        container.mux(vstream.encode(None))
        step = astream.codec_context.frame_size or 1152
        total = round(seconds * rate)
        for pts in range(0, total, step):
            count = min(step, total - pts)
            data = np.zeros((1, count), dtype=np.int16)
            audio_frame = av.AudioFrame.from_ndarray(data, format=sample_fmt, layout="mono")
            audio_frame.sample_rate = rate
            audio_frame.pts = pts
            container.mux(astream.encode(audio_frame))
        container.mux(astream.encode(None))
    return out
