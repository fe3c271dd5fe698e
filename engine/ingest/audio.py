"""Read tags and stream facts from audio files with mutagen.

`read_audio` understands ID3 (MP3), MP4/M4A atoms, Ogg Vorbis, Opus and FLAC. It never decodes
audio; on top of mutagen it runs a cheap end-of-file check per format so a half-downloaded file
is reported as truncated instead of being catalogued with a wrong duration.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import logging
import re
import stat
import struct
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import mutagen
from mutagen import id3
from mutagen.flac import FLAC, Picture
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggFileType
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis

from engine.ingest.metadata import Chapter, Metadata, ReaderError
from engine.ingest.text import clean_text

log = logging.getLogger(__name__)

_DESCRIPTION_CAP = 20_000
_LYRICS_CAP = 100_000
_FRONT_COVER = 3  # picture type shared by ID3 APIC and FLAC pictures
_Picture: Any = Picture  # mutagen's partial annotations leave the constructor untyped


def read_audio(path: str) -> Metadata:
    """Metadata from one audio file's tags; raises ReaderError when the file is unusable."""
    size = regular_file_size(path, "audio")
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as exc:
        raise ReaderError(_mutagen_message(exc)) from exc
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    except Exception as exc:  # mutagen leaks struct/index errors on malformed input
        log.debug("mutagen failed on %r", path, exc_info=True)
        raise ReaderError(f"not a readable audio file: {_describe(exc)}") from exc
    if audio is None:
        raise ReaderError("not a readable audio file: unrecognised format")

    try:
        problem = _integrity_problem(path, audio, size)
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if problem:
        raise ReaderError(problem)

    md = Metadata()
    try:
        _fill(md, audio)
    except Exception as exc:  # a malformed frame must not escape as a crash
        log.debug("tag extraction failed on %r", path, exc_info=True)
        raise ReaderError(f"unreadable tags: {_describe(exc)}") from exc
    return md


# --- opening and errors -----------------------------------------------------------------------


def regular_file_size(path: str, what: str) -> int:
    """Size of a regular, non-empty file; FIFOs and devices would block a reader forever."""
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise ReaderError(f"not a readable {what} file: not a regular file")
    if st.st_size == 0:
        raise ReaderError(f"not a readable {what} file: file is empty")
    return st.st_size


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def _mutagen_message(exc: mutagen.MutagenError) -> str:
    module = type(exc).__module__
    detail = _describe(exc)
    # mutagen wraps OSError in its own error types; keep the OS reason readable.
    if isinstance(exc.__cause__, OSError) or isinstance(exc.__context__, OSError):
        return f"cannot read file: {detail}"
    if module.startswith("mutagen.mp3"):
        return f"corrupt MP3 header: {detail}"
    if module.startswith("mutagen.id3"):
        return f"corrupt ID3 tag: {detail}"
    if module.startswith(("mutagen.mp4", "mutagen.m4a")):
        return f"corrupt MP4 file: {detail}"
    if module.startswith("mutagen.flac"):
        return f"corrupt FLAC file: {detail}"
    if module.startswith("mutagen.ogg"):
        return f"corrupt Ogg file: {detail}"
    return f"not a readable audio file: {detail}"


# --- truncation checks ------------------------------------------------------------------------


def _integrity_problem(path: str, audio: Any, size: int) -> str | None:
    with Path(path).open("rb") as fh:
        info: Any = audio.info
        if isinstance(audio, MP3):
            if info.sketchy:
                return "corrupt MP3 data: no valid MPEG audio frames found"
            return _mp3_problem(fh, int(getattr(info, "frame_offset", 0)), size)
        if isinstance(audio, MP4):
            return mp4_problem(fh, size)
        if isinstance(audio, FLAC):
            return _flac_problem(fh, audio, size)
        if isinstance(audio, OggFileType):
            return _ogg_problem(fh, size)
    return None


def _mp3_problem(fh: IO[bytes], frame_offset: int, size: int) -> str | None:
    """Compare the byte count in a Xing/Info or VBRI header with the bytes actually present."""
    fh.seek(frame_offset)
    head = fh.read(64)
    if len(head) < 4:
        return "truncated MP3 file: no complete audio frame"
    version_bits = (head[1] >> 3) & 0x3
    mono = (head[3] >> 6) == 0x3
    # Side-info length decides where the Xing header sits: MPEG-1 vs MPEG-2/2.5, mono vs not.
    side_info = (17 if mono else 32) if version_bits == 0x3 else (9 if mono else 17)
    xing_at = 4 + side_info
    expected = -1
    tag = head[xing_at : xing_at + 4]
    if tag in (b"Xing", b"Info") and len(head) >= xing_at + 16:
        flags = struct.unpack(">I", head[xing_at + 4 : xing_at + 8])[0]
        pos = xing_at + 8
        if flags & 0x1:  # frame count present, bytes follow it
            pos += 4
        if flags & 0x2:
            expected = struct.unpack(">I", head[pos : pos + 4])[0]
    elif head[36:40] == b"VBRI" and len(head) >= 50:
        expected = struct.unpack(">I", head[46:50])[0]
    if expected <= 0:
        return None  # plain CBR without a header: nothing cheap to compare against
    present = size - frame_offset
    fh.seek(max(0, size - 128))
    if fh.read(3) == b"TAG":
        present -= 128
    # A little slack: some tools rewrite tags or trim padding without updating the header.
    if present < expected * 0.98:
        return (
            f"truncated MP3 file: header promises {expected} bytes of audio, "
            f"only {max(present, 0)} present"
        )
    return None


def mp4_problem(fh: IO[bytes], size: int) -> str | None:
    """Walk the top-level MP4/MOV boxes; a box running past the end means a cut-off file."""
    offset = 0
    for _ in range(100_000):
        if offset >= size:
            return None
        if size - offset < 8:
            return "truncated MP4 file: incomplete box header at the end"
        fh.seek(offset)
        header = fh.read(16)
        box_size, box_type = struct.unpack(">I4s", header[:8])
        name = box_type.decode("latin-1")
        if box_size == 1:
            if len(header) < 16:
                return "truncated MP4 file: incomplete box header at the end"
            box_size = struct.unpack(">Q", header[8:16])[0]
        elif box_size == 0:
            return None  # "extends to end of file"
        if box_size < 8:
            return f"corrupt MP4 file: invalid size for box {name!r}"
        if offset + box_size > size:
            return (
                f"truncated MP4 file: box {name!r} needs {box_size} bytes, "
                f"only {size - offset} present"
            )
        offset += box_size
    return None


_OGG_MAX_PAGE = 27 + 255 + 255 * 255


def _ogg_problem(fh: IO[bytes], size: int) -> str | None:
    """The last Ogg page must end exactly at the end of the file."""
    window = min(size, _OGG_MAX_PAGE + 4)
    fh.seek(size - window)
    tail = fh.read(window)
    at = tail.rfind(b"OggS\x00")
    while at >= 0:
        if len(tail) - at < 27:
            return "truncated Ogg file: incomplete page header at the end"
        nsegs = tail[at + 26]
        if len(tail) - at < 27 + nsegs:
            return "truncated Ogg file: incomplete page header at the end"
        page_len = 27 + nsegs + sum(tail[at + 27 : at + 27 + nsegs])
        end = at + page_len
        if end == len(tail):
            return None
        if end > len(tail):
            return (
                f"truncated Ogg file: last page needs {page_len} bytes, "
                f"only {len(tail) - at} present"
            )
        # Page ends before the file does: a chance "OggS" inside data; look further back.
        at = tail.rfind(b"OggS\x00", 0, at)
    return "truncated Ogg file: no complete page at the end"


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _flac_audio_start(fh: IO[bytes]) -> int | None:
    fh.seek(0)
    head = fh.read(10)
    offset = 0
    if head[:3] == b"ID3" and len(head) == 10:
        offset = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
    fh.seek(offset)
    if fh.read(4) != b"fLaC":
        return None
    offset += 4
    for _ in range(1000):
        fh.seek(offset)
        block = fh.read(4)
        if len(block) < 4:
            return None
        offset += 4 + int.from_bytes(block[1:4], "big")
        if block[0] & 0x80:
            return offset
    return None


def _flac_frame_header(buf: bytes, at: int, max_block: int) -> tuple[int, int, bool] | None:
    """(coded number, block size, variable?) of a valid frame header at `at`, else None."""
    if buf[at] != 0xFF or buf[at + 1] not in (0xF8, 0xF9) or len(buf) - at < 6:
        return None
    variable = buf[at + 1] == 0xF9
    bs_code, sr_code = buf[at + 2] >> 4, buf[at + 2] & 0x0F
    if bs_code == 0 or sr_code == 0x0F or buf[at + 3] & 0x01 or (buf[at + 3] >> 4) > 10:
        return None
    first = buf[at + 4]
    if first < 0x80:
        extra, number = 0, first
    elif 0xC0 <= first < 0xFE:
        extra = 1
        while first & (0x40 >> extra):
            extra += 1
        number = first & (0x3F >> extra)
    else:
        return None
    pos = at + 5
    if len(buf) < pos + extra + 3:
        return None
    for b in buf[pos : pos + extra]:
        if b & 0xC0 != 0x80:
            return None
        number = (number << 6) | (b & 0x3F)
    pos += extra
    if bs_code == 1:
        block = 192
    elif bs_code <= 5:
        block = 576 << (bs_code - 2)
    elif bs_code == 6:
        block = buf[pos] + 1
        pos += 1
    elif bs_code == 7:
        block = int.from_bytes(buf[pos : pos + 2], "big") + 1
        pos += 2
    else:
        block = 256 << (bs_code - 8)
    if sr_code == 12:
        pos += 1
    elif sr_code in (13, 14):
        pos += 2
    if len(buf) <= pos or _crc8(buf[at:pos]) != buf[pos]:
        return None
    if max_block and block > max_block:
        return None
    return number, block, variable


def _flac_problem(fh: IO[bytes], audio: Any, size: int) -> str | None:
    """Find the last frame header and check it reaches the sample count in STREAMINFO."""
    total = int(audio.info.total_samples)
    if total <= 0:
        return None  # encoder did not record the length; nothing to compare
    start = _flac_audio_start(fh)
    if start is None:
        return None
    if start >= size:
        return "truncated FLAC file: no audio frames after the metadata"
    max_block = int(getattr(audio.info, "max_blocksize", 0) or 0)
    max_frame = int(getattr(audio.info, "max_framesize", 0) or 0)
    window_start = max(start, size - max(65536, 2 * max_frame))
    fh.seek(window_start)
    tail = fh.read(size - window_start)
    at = tail.rfind(b"\xff")
    while at >= 0:
        header = _flac_frame_header(tail, at, max_block) if at + 1 < len(tail) else None
        if header is not None:
            number, block, variable = header
            first_sample = number if variable else number * (max_block or block)
            end = first_sample + block
            if end < total:
                return (
                    f"truncated FLAC file: audio stops at sample {end} of {total} "
                    f"({end / audio.info.sample_rate:.1f} s of "
                    f"{total / audio.info.sample_rate:.1f} s)"
                )
            return None
        at = tail.rfind(b"\xff", 0, at)
    if window_start == start:
        return "truncated FLAC file: no audio frames after the metadata"
    return None


# --- tag extraction ---------------------------------------------------------------------------


def _fill(md: Metadata, audio: Any) -> None:
    tags = audio.tags
    if isinstance(tags, id3.ID3):
        _fill_id3(md, tags)
    elif isinstance(audio, MP4):
        _fill_mp4(md, audio)
    elif isinstance(audio, FLAC):
        _fill_vorbis(md, tags, "flac", list(audio.pictures))
    elif tags is not None and hasattr(tags, "as_dict"):  # Ogg Vorbis/Opus/Speex/FLAC comments
        _fill_vorbis(md, tags, "vorbis", [])

    length = getattr(audio.info, "length", None)
    if isinstance(length, int | float) and length > 0:
        md.put("duration", float(length), _source_of(audio))
    md.put("audio_codec", _codec_name(audio), _source_of(audio))


def _source_of(audio: Any) -> str:
    if isinstance(audio.tags, id3.ID3):
        return "id3"
    if isinstance(audio, MP4):
        return "mp4"
    if isinstance(audio, FLAC):
        return "flac"
    if isinstance(audio, OggFileType):
        return "vorbis"
    return "mutagen"


_CLASS_CODECS: tuple[tuple[type[Any], str], ...] = (
    (FLAC, "flac"),
    (OggFLAC, "flac"),
    (OggOpus, "opus"),
    (OggVorbis, "vorbis"),
    (OggSpeex, "speex"),
)


def _codec_name(audio: Any) -> str | None:
    """An FFmpeg-style codec name, so audio and video readers agree."""
    if isinstance(audio, MP3):
        layer = getattr(audio.info, "layer", 3)
        return "mp3" if layer == 3 else f"mp{layer}"
    if isinstance(audio, MP4):
        codec = str(getattr(audio.info, "codec", "") or "").lower()
        if codec.startswith("mp4a.40"):
            return "aac"
        if codec in ("mp4a.69", "mp4a.6b"):
            return "mp3"
        return {"ac-3": "ac3", "ec-3": "eac3"}.get(codec, codec or None)
    for cls, name in _CLASS_CODECS:
        if isinstance(audio, cls):
            return name
    return None


def _texts(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        text = str(value).replace("\x00", "").strip()
        if text and text not in out:
            out.append(text)
    return out


def _first(values: Iterable[Any]) -> str | None:
    found = _texts(values)
    return found[0] if found else None


_DATE = re.compile(
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)


def parse_tag_date(value: str | None) -> tuple[str | None, int | None]:
    """(ISO date or datetime, year) from a tag date; ("2021-03-04", 2021), (None, 2021), ...

    A bare year or year-month gives only the year: air_date promises a full date.
    """
    if not value:
        return None, None
    match = _DATE.match(value)
    if match is None:
        try:  # RSS-style dates copied into tags by podcast tools
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, None
        return parsed.date().isoformat(), parsed.year
    year = int(match.group(1))
    if not 1000 <= year <= 9999:
        return None, None
    if match.group(3) is None:
        return None, year
    try:
        day = date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, year
    if match.group(4) is None:
        return day.isoformat(), year
    try:
        moment = datetime(
            year,
            day.month,
            day.day,
            int(match.group(4)),
            int(match.group(5)),
            int(match.group(6) or 0),
        )
    except ValueError:
        return day.isoformat(), year
    return moment.isoformat(), year


def _put_date(md: Metadata, value: str | None, source: str) -> None:
    iso, year = parse_tag_date(value)
    md.put("air_date", iso, source)
    md.put("year", year, source)


def _mark_podcast_genre(md: Metadata, source: str) -> None:
    # Podcast apps and feed tools tag episodes with the genre "Podcast".
    if any(g.casefold() == "podcast" for g in md.genres):
        md.put("kind", "podcast", source)


# ID3 COMM frames that hold player bookkeeping rather than a comment.
_JUNK_COMMENT_PREFIXES = ("itun", "itunes_cddb", "musicmatch", "songs-db")


def _fill_id3(md: Metadata, tags: Any) -> None:
    src = "id3"

    def text(frame_id: str) -> str | None:
        return _first(v for f in tags.getall(frame_id) for v in f.text)

    md.put("title", text("TIT2"), src)
    md.put("show", text("TALB"), src)
    people = _texts(v for fid in ("TPE1", "TPE2") for f in tags.getall(fid) for v in f.text)
    md.put("people", people, src)

    # TDES is the podcast's own episode description, richer than a free-form comment.
    description = clean_text(text("TDES"), _DESCRIPTION_CAP)
    if description is None:
        comments = [
            f
            for f in tags.getall("COMM")
            if not f.desc.casefold().startswith(_JUNK_COMMENT_PREFIXES)
        ]
        comments.sort(key=lambda f: f.desc != "")  # the untitled comment is the main one
        for frame in comments:
            description = clean_text("\n".join(str(t) for t in frame.text), _DESCRIPTION_CAP)
            if description:
                break
    md.put("description", description, src)

    for frame in tags.getall("USLT"):
        md.put("lyrics", clean_text(str(frame.text), _LYRICS_CAP), src)

    # Release date first: recording dates of re-published episodes are older.
    for frame_id in ("TDRL", "TDRC", "TDOR"):
        for frame in tags.getall(frame_id):
            for stamp in frame.text:
                _put_date(md, getattr(stamp, "text", str(stamp)), src)

    md.put("genres", _texts(g for f in tags.getall("TCON") for g in f.genres), src)
    md.put("language", text("TLAN"), src)
    if tags.getall("PCST"):
        md.put("kind", "podcast", src)
    _mark_podcast_genre(md, src)
    md.put("guid", text("TGID"), src)
    md.put("show_feed_url", _first(f.url for f in tags.getall("WFED")), src)
    md.put("chapters", _id3_chapters(tags), src)
    md.put("artwork_data", _id3_cover(tags), src)


def _id3_chapters(tags: Any) -> list[Chapter]:
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    if not chaps:
        return []
    order: list[str] = []
    tocs = tags.getall("CTOC")
    tocs.sort(key=lambda f: not (f.flags & id3.CTOCFlags.TOP_LEVEL))
    for toc in tocs:
        order.extend(c for c in toc.child_element_ids if c in chaps and c not in order)
    if not order:
        order = sorted(chaps, key=lambda c: chaps[c].start_time)
    out: list[Chapter] = []
    for n, cid in enumerate(order, start=1):
        frame = chaps[cid]
        title = None
        for sub_id in ("TIT2", "TIT3"):
            title = _first(v for f in frame.sub_frames.getall(sub_id) for v in f.text)
            if title:
                break
        start = frame.start_time / 1000.0
        end = frame.end_time / 1000.0 if frame.end_time > frame.start_time else None
        out.append(Chapter(start=start, title=title or f"Chapter {n}", end=end))
    return out


def _id3_cover(tags: Any) -> bytes | None:
    pictures = [f for f in tags.getall("APIC") if f.data]
    pictures.sort(key=lambda f: f.type != _FRONT_COVER)
    return bytes(pictures[0].data) if pictures else None


def _fill_mp4(md: Metadata, audio: Any) -> None:
    src = "mp4"
    tags: Any = audio.tags or {}

    def text(key: str) -> str | None:
        return _first(tags.get(key, []))

    md.put("title", text("\xa9nam"), src)
    md.put("show", text("tvsh") or text("\xa9alb"), src)
    md.put("people", _texts([*tags.get("\xa9ART", []), *tags.get("aART", [])]), src)
    for key in ("ldes", "desc", "\xa9cmt"):
        md.put("description", clean_text(text(key), _DESCRIPTION_CAP), src)
    md.put("lyrics", clean_text(text("\xa9lyr"), _LYRICS_CAP), src)
    _put_date(md, text("\xa9day"), src)
    md.put("genres", _texts([*tags.get("\xa9gen", []), *tags.get("catg", [])]), src)
    md.put("season", _first_int(tags.get("tvsn")), src)
    md.put("episode", _first_int(tags.get("tves")), src)
    if any(bool(v) for v in _as_list(tags.get("pcst"))):
        md.put("kind", "podcast", src)
    # iTunes media kind: 9 movie, 10 TV show, 21 podcast.
    md.put(
        "kind",
        {9: "movie", 10: "episode", 21: "podcast"}.get(_first_int(tags.get("stik")) or 0),
        src,
    )
    _mark_podcast_genre(md, src)
    md.put("guid", text("egid"), src)
    md.put("show_feed_url", text("purl"), src)
    covers = [bytes(c) for c in tags.get("covr", []) if bytes(c)]
    md.put("artwork_data", covers[0] if covers else None, src)
    chapters = getattr(audio, "chapters", None)
    if chapters:
        starts = [float(c.start) for c in chapters]
        ends: list[float | None] = [*starts[1:], _positive(audio.info.length)]
        md.put(
            "chapters",
            [
                Chapter(start=s, title=str(c.title).strip() or f"Chapter {n}", end=e)
                for n, (c, s, e) in enumerate(zip(chapters, starts, ends, strict=True), start=1)
            ],
            src,
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _first_int(value: Any) -> int | None:
    for item in _as_list(value):
        if isinstance(item, tuple):
            item = item[0] if item else None
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            return item
    return None


def _positive(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _fill_vorbis(md: Metadata, tags: Any, src: str, pictures: Sequence[Any]) -> None:
    if tags is None:
        comments: dict[str, list[str]] = {}
    else:
        comments = {k.lower(): list(v) for k, v in tags.as_dict().items()}

    def text(*keys: str) -> str | None:
        for key in keys:
            found = _first(comments.get(key, []))
            if found:
                return found
        return None

    md.put("title", text("title"), src)
    md.put("show", text("album"), src)
    people = _texts(
        v
        for k in ("artist", "albumartist", "album artist", "performer")
        for v in comments.get(k, [])
    )
    md.put("people", people, src)
    for key in ("description", "comment", "summary"):
        md.put("description", clean_text(text(key), _DESCRIPTION_CAP), src)
    md.put("lyrics", clean_text(text("lyrics", "unsyncedlyrics"), _LYRICS_CAP), src)
    _put_date(md, text("date", "originaldate", "year"), src)
    md.put("genres", _texts(comments.get("genre", [])), src)
    _mark_podcast_genre(md, src)
    md.put("language", text("language"), src)
    md.put("chapters", _vorbis_chapters(comments), src)

    pics = list(pictures)
    for block in comments.get("metadata_block_picture", []):
        try:
            pics.append(_Picture(base64.b64decode(block)))
        except (binascii.Error, ValueError, mutagen.MutagenError, struct.error):
            log.debug("skipping an undecodable METADATA_BLOCK_PICTURE")
    pics = [p for p in pics if p.data]
    pics.sort(key=lambda p: p.type != _FRONT_COVER)
    cover = bytes(pics[0].data) if pics else None
    if cover is None:
        for block in comments.get("coverart", []):  # the pre-standard raw base64 image
            try:
                cover = base64.b64decode(block) or None
            except (binascii.Error, ValueError):
                continue
            break
    md.put("artwork_data", cover, src)


_CHAPTER_KEY = re.compile(r"^chapter(\d{1,3})$")
_CHAPTER_TIME = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def _vorbis_chapters(comments: dict[str, list[str]]) -> list[Chapter]:
    """The Vorbis chapter extension: CHAPTERnnn=HH:MM:SS.sss, CHAPTERnnnNAME=title."""
    found: list[tuple[float, str]] = []
    for key, values in comments.items():
        match = _CHAPTER_KEY.match(key)
        if match is None or not values:
            continue
        when = _CHAPTER_TIME.match(values[0].strip())
        if when is None:
            continue
        start = int(when.group(1)) * 3600 + int(when.group(2)) * 60 + float(when.group(3))
        name = _first(comments.get(f"{key}name", [])) or f"Chapter {int(match.group(1))}"
        found.append((start, name))
    found.sort()
    return [
        Chapter(start=start, title=name, end=found[i + 1][0] if i + 1 < len(found) else None)
        for i, (start, name) in enumerate(found)
    ]
