"""Encode small, real media files with PyAV and tag them with mutagen.

Used by the demo library and, through tests/mediagen.py, by the tests and benchmarks, so the
readers are exercised against the same bytes real encoders produce. Everything is tiny (mono,
low rate, short) so one file takes a few milliseconds. No ffmpeg subprocess.
"""

from __future__ import annotations

import base64
import io
import os
import zlib
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from mutagen import flac, mp4, oggopus, oggvorbis
from mutagen import id3 as _id3
from PIL import Image

# mutagen's partial annotations leave constructors untyped; strict mypy sees them as Any.
id3: Any = _id3
FLAC: Any = flac.FLAC
Picture: Any = flac.Picture
MP4: Any = mp4.MP4
MP4Cover: Any = mp4.MP4Cover
OggOpus: Any = oggopus.OggOpus
OggVorbis: Any = oggvorbis.OggVorbis

__all__ = [
    "AUDIO_SUFFIXES",
    "make_audio",
    "make_jpeg",
    "make_png",
    "make_video",
]

PathLike = str | os.PathLike[str]
ChapterSpec = Sequence[tuple[float, float, str]]

# suffix -> (muxer, encoder, sample rate, channel layout, sample format, encoder options)
_AUDIO_FORMATS: dict[str, tuple[str, str, int, str, str, dict[str, str]]] = {
    "mp3": ("mp3", "libmp3lame", 22050, "mono", "s16p", {}),
    "m4a": ("ipod", "aac", 22050, "mono", "fltp", {}),
    # FFmpeg's native Vorbis encoder is "experimental" and only does stereo.
    "ogg": ("ogg", "vorbis", 22050, "stereo", "fltp", {"strict": "experimental"}),
    # libopus only takes 8/12/16/24/48 kHz.
    "opus": ("ogg", "libopus", 24000, "mono", "s16", {}),
    "flac": ("flac", "flac", 22050, "mono", "s16", {}),
}
AUDIO_SUFFIXES = tuple(_AUDIO_FORMATS)

_KNOWN_TAGS = frozenset(
    {
        "title",
        "show",
        "artist",
        "album_artist",
        "comment",
        "description",
        "date",
        "release_date",
        "genre",
        "language",
        "lyrics",
        "chapters",
        "podcast",
        "guid",
        "feed_url",
        "category",
        "cover",
    }
)


# --- images -----------------------------------------------------------------------------------


def _image_bytes(fmt: str, size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


def make_jpeg(
    path: PathLike | None = None,
    size: tuple[int, int] = (32, 32),
    color: tuple[int, int, int] = (200, 30, 30),
) -> bytes:
    """A solid-colour JPEG; written to `path` when one is given. Returns the bytes."""
    data = _image_bytes("JPEG", size, color)
    if path is not None:
        Path(path).write_bytes(data)
    return data


def make_png(
    path: PathLike | None = None,
    size: tuple[int, int] = (32, 32),
    color: tuple[int, int, int] = (30, 30, 200),
) -> bytes:
    """A solid-colour PNG; written to `path` when one is given. Returns the bytes."""
    data = _image_bytes("PNG", size, color)
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _mime(data: bytes) -> str:
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


# --- audio encoding ---------------------------------------------------------------------------


def _seed_for(path: Path, seed: int | None) -> int:
    # Default seed from the file name, so two files in one test differ in content too.
    if seed is not None:
        return seed
    return zlib.crc32(os.fsencode(path.name))


def _tone(seed: int, rate: int, start: int, count: int, channels: int) -> np.ndarray[Any, Any]:
    freq = 200.0 + (seed % 97) * 13.0
    t = (np.arange(start, start + count, dtype=np.float64)) / rate
    mono = (0.3 * np.sin(2.0 * np.pi * freq * t)).astype(np.float32)
    return np.tile(mono, (channels, 1))


def _to_format(samples: np.ndarray[Any, Any], sample_fmt: str) -> np.ndarray[Any, Any]:
    if sample_fmt.startswith("s16"):
        ints = (samples * 32767.0).astype(np.int16)
        # Packed formats want one row of interleaved samples.
        return ints if sample_fmt.endswith("p") else ints.T.reshape(1, -1)
    return samples if sample_fmt.endswith("p") else samples.T.reshape(1, -1)


def _encode_audio(target: Path | io.BytesIO, suffix: str, seconds: float, seed: int) -> None:
    muxer, codec, rate, layout, sample_fmt, options = _AUDIO_FORMATS[suffix]
    channels = 2 if layout == "stereo" else 1
    with av.open(target, mode="w", format=muxer) as container:
        # PyAV's stubs type streams as a union; these are audio streams.
        stream: Any = container.add_stream(codec, rate=rate, options=options)
        stream.codec_context.layout = layout
        stream.codec_context.format = sample_fmt
        if codec in ("libmp3lame", "aac"):
            stream.codec_context.bit_rate = 32000
        stream.codec_context.open()
        frame_size = stream.codec_context.frame_size or 1024
        total = max(1, round(seconds * rate))
        pts = 0
        while pts < total:
            count = min(frame_size, total - pts)
            data = _to_format(_tone(seed, rate, pts, count, channels), sample_fmt)
            frame = av.AudioFrame.from_ndarray(data, format=sample_fmt, layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            container.mux(stream.encode(frame))
            pts += count
        container.mux(stream.encode(None))


# --- tagging ----------------------------------------------------------------------------------


def _check_tags(tags: dict[str, Any]) -> None:
    unknown = set(tags) - _KNOWN_TAGS
    if unknown:
        raise TypeError(f"unknown tag kwargs: {sorted(unknown)}")


def _id3_tags(tags: dict[str, Any], base: Any = None) -> Any:
    t = base if base is not None else id3.ID3()
    enc = id3.Encoding.UTF8

    def text(frame: Any, key: str) -> None:
        if tags.get(key) is not None:
            t.add(frame(encoding=enc, text=[str(tags[key])]))

    text(id3.TIT2, "title")
    text(id3.TALB, "show")
    text(id3.TPE1, "artist")
    text(id3.TPE2, "album_artist")
    text(id3.TDRC, "date")
    text(id3.TDRL, "release_date")
    text(id3.TCON, "genre")
    text(id3.TLAN, "language")
    text(id3.TDES, "description")
    text(id3.TGID, "guid")
    text(id3.TCAT, "category")
    if tags.get("comment") is not None:
        t.add(id3.COMM(encoding=enc, lang="eng", desc="", text=[tags["comment"]]))
    if tags.get("lyrics") is not None:
        t.add(id3.USLT(encoding=enc, lang="eng", desc="", text=tags["lyrics"]))
    if tags.get("podcast"):
        # iTunes writes PCST with value 0 or 1; its presence marks a podcast.
        t.add(id3.PCST(value=1))
    if tags.get("feed_url") is not None:
        t.add(id3.WFED(url=tags["feed_url"]))
    if tags.get("cover") is not None:
        cover: bytes = tags["cover"]
        t.add(
            id3.APIC(
                encoding=enc,
                mime=_mime(cover),
                type=id3.PictureType.COVER_FRONT,
                desc="cover",
                data=cover,
            )
        )
    chapters: ChapterSpec | None = tags.get("chapters")
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        t.add(
            id3.CTOC(
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[id3.TIT2(encoding=enc, text=["Contents"])],
            )
        )
        for cid, (start, end, title) in zip(ids, chapters, strict=True):
            t.add(
                id3.CHAP(
                    element_id=cid,
                    start_time=round(start * 1000),
                    end_time=round(end * 1000),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[id3.TIT2(encoding=enc, text=[title])],
                )
            )
    return t


def _tag_mp4(path: Path, tags: dict[str, Any]) -> None:
    f = MP4(path)
    if f.tags is None:
        f.add_tags()
    t = f.tags
    assert t is not None
    mapping = {
        "title": "\xa9nam",
        "show": "\xa9alb",
        "artist": "\xa9ART",
        "album_artist": "aART",
        "comment": "\xa9cmt",
        "description": "desc",
        "date": "\xa9day",
        "genre": "\xa9gen",
        "lyrics": "\xa9lyr",
        "guid": "egid",
        "feed_url": "purl",
        "category": "catg",
    }
    for key, atom in mapping.items():
        if tags.get(key) is not None:
            t[atom] = [str(tags[key])]
    if tags.get("podcast"):
        t["pcst"] = True
    if tags.get("cover") is not None:
        cover: bytes = tags["cover"]
        fmt = MP4Cover.FORMAT_PNG if _mime(cover) == "image/png" else MP4Cover.FORMAT_JPEG
        t["covr"] = [MP4Cover(cover, imageformat=fmt)]
    f.save()


def _vorbis_comments(tags: dict[str, Any]) -> dict[str, list[str]]:
    mapping = {
        "title": "TITLE",
        "show": "ALBUM",
        "artist": "ARTIST",
        "album_artist": "ALBUMARTIST",
        "comment": "COMMENT",
        "description": "DESCRIPTION",
        "date": "DATE",
        "genre": "GENRE",
        "language": "LANGUAGE",
        "lyrics": "LYRICS",
    }
    out = {name: [str(tags[key])] for key, name in mapping.items() if tags.get(key) is not None}
    chapters: ChapterSpec | None = tags.get("chapters")
    # The Vorbis chapter extension: CHAPTERnnn=HH:MM:SS.mmm and CHAPTERnnnNAME=title.
    for i, (start, _end, title) in enumerate(chapters or (), start=1):
        ms = round(start * 1000)
        h, rem = divmod(ms, 3_600_000)
        m, rem = divmod(rem, 60_000)
        s, ms = divmod(rem, 1000)
        out[f"CHAPTER{i:03d}"] = [f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"]
        out[f"CHAPTER{i:03d}NAME"] = [title]
    return out


def _picture(cover: bytes) -> Any:
    pic = Picture()
    pic.type = 3  # front cover
    pic.mime = _mime(cover)
    pic.desc = "cover"
    pic.data = cover
    return pic


def _tag_ogg(path: Path, tags: dict[str, Any], cls: Any) -> None:
    f = cls(path)
    assert f.tags is not None
    for name, values in _vorbis_comments(tags).items():
        f.tags[name] = values
    if tags.get("cover") is not None:
        block = base64.b64encode(_picture(tags["cover"]).write()).decode("ascii")
        f.tags["METADATA_BLOCK_PICTURE"] = [block]
    f.save()


def _tag_flac(path: Path, tags: dict[str, Any]) -> None:
    f = FLAC(path)
    if f.tags is None:
        f.add_tags()
    assert f.tags is not None
    for name, values in _vorbis_comments(tags).items():
        f.tags[name] = values
    if tags.get("cover") is not None:
        f.add_picture(_picture(tags["cover"]))
    f.save()


def make_audio(
    path: PathLike,
    seconds: float = 1.0,
    fmt: str | None = None,
    *,
    seed: int | None = None,
    **tags: Any,
) -> Path:
    """Encode a short tone to `path` and tag it. Format comes from the suffix unless `fmt`.

    Tags: title, show, artist, album_artist, comment, description, date, release_date, genre,
    language, lyrics, chapters [(start_s, end_s, title)], podcast (bool), guid, feed_url,
    category, cover (JPEG/PNG bytes). Not every format stores every tag: chapters go to ID3
    CHAP/CTOC or Vorbis CHAPTERnnn; podcast/guid/feed_url to ID3 or MP4 atoms.
    """
    _check_tags(tags)
    out = Path(path)
    suffix = (fmt or out.suffix.lstrip(".")).lower()
    if suffix not in _AUDIO_FORMATS:
        raise ValueError(f"unsupported audio format {suffix!r}; use one of {AUDIO_SUFFIXES}")
    _encode_audio(out, suffix, seconds, _seed_for(out, seed))
    if suffix == "mp3":
        # The muxer already wrote an ID3v2 tag (TSSE); add our frames to it.
        _id3_tags(tags, id3.ID3(out)).save(out, v2_version=4)
    elif suffix == "m4a":
        _tag_mp4(out, tags)
    elif suffix == "ogg":
        _tag_ogg(out, tags, OggVorbis)
    elif suffix == "opus":
        _tag_ogg(out, tags, OggOpus)
    else:
        _tag_flac(out, tags)
    return out


# --- video ------------------------------------------------------------------------------------


def _video_encoder() -> str:
    return "libx264" if "libx264" in av.codecs_available else "mpeg4"


def make_video(
    path: PathLike,
    seconds: float = 1.0,
    width: int = 64,
    height: int = 48,
    title: str | None = None,
    comment: str | None = None,
    fps: int = 10,
    *,
    description: str | None = None,
    language: str | None = None,
    chapters: ChapterSpec | None = None,
    seed: int | None = None,
    audio: bool = True,
) -> Path:
    """Encode a tiny .mp4 or .mkv (h264 or mpeg4 video + AAC audio) with container tags.

    `language` tags the audio stream (ISO 639-2, e.g. "eng"); `chapters` become container
    chapters [(start_s, end_s, title)].
    """
    out = Path(path)
    suffix = out.suffix.lower().lstrip(".")
    muxer = {"mp4": "mp4", "m4v": "mp4", "mov": "mov", "mkv": "matroska"}.get(suffix)
    if muxer is None:
        raise ValueError(f"unsupported video format {suffix!r}; use .mp4 or .mkv")
    seed_value = _seed_for(out, seed)
    rate = 22050
    with av.open(out, mode="w", format=muxer) as container:
        if title is not None:
            container.metadata["title"] = title
        if comment is not None:
            container.metadata["comment"] = comment
        if description is not None:
            container.metadata["description"] = description
        vcodec = _video_encoder()
        options = {"preset": "ultrafast", "tune": "zerolatency"} if vcodec == "libx264" else {}
        vstream: Any = container.add_stream(vcodec, rate=fps, options=options)
        vstream.width = width
        vstream.height = height
        vstream.pix_fmt = "yuv420p"
        astream: Any = None
        if audio:
            astream = container.add_stream("aac", rate=rate)
            astream.codec_context.layout = "mono"
            astream.codec_context.bit_rate = 32000
            if language is not None:
                astream.metadata["language"] = language
        if chapters:
            container.set_chapters(
                [
                    {
                        "id": i + 1,
                        "start": round(start * 1000),
                        "end": round(end * 1000),
                        "time_base": Fraction(1, 1000),
                        "metadata": {"title": name},
                    }
                    for i, (start, end, name) in enumerate(chapters)
                ]
            )
        shade = seed_value % 200
        frames = max(1, round(seconds * fps))
        for i in range(frames):
            img = np.full((height, width, 3), (shade, (i * 20) % 256, 80), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            container.mux(vstream.encode(frame))
        container.mux(vstream.encode(None))
        if astream is not None:
            # The first mux wrote the header, which opened every stream's encoder.
            frame_size = astream.codec_context.frame_size or 1024
            total = round(seconds * rate)
            pts = 0
            while pts < total:
                count = min(frame_size, total - pts)
                data = _tone(seed_value, rate, pts, count, 1)
                aframe = av.AudioFrame.from_ndarray(data, format="fltp", layout="mono")
                aframe.sample_rate = rate
                aframe.pts = pts
                aframe.time_base = Fraction(1, rate)
                container.mux(astream.encode(aframe))
                pts += count
            container.mux(astream.encode(None))
    return out
