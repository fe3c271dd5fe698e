"""Tags read straight from the bytes of files mutagen refuses: an ID3v2 tag the file's end
cuts short, the comment packet of an Ogg stream whose later pages are cut or damaged, a FLAC
file's VORBIS_COMMENT block, WAV LIST/INFO and AIFF text chunks. Each reader returns what it
found or None (an empty dict for the chunk tags); none raises for bad content."""

from __future__ import annotations

import io
import struct
from typing import Any, Literal

import mutagen
from mutagen import id3
from mutagen.flac import VCFLACDict

# mutagen's partial annotations leave these constructors untyped
_ID3: Any = id3.ID3
_VCFLACDict: Any = VCFLACDict

# RIFF LIST/INFO and AIFF text chunks, by the Vorbis comment names they stand for.
_INFO_KEYS = {
    b"INAM": "title",
    b"NAME": "title",
    b"IART": "artist",
    b"AUTH": "artist",
    b"IPRD": "album",
    b"ICMT": "comment",
    b"ANNO": "comment",
    b"ICRD": "date",
    b"IGNR": "genre",
}
_CHUNK_CAP = 1 << 20


def chunk_tags(path: str) -> dict[str, list[str]]:
    """Text from a WAV file's LIST/INFO chunk or an AIFF file's NAME/AUTH/ANNO chunks: the tags
    such files carry when they have no ID3 chunk. Empty when there are none."""
    out: dict[str, list[str]] = {}
    with open(path, "rb") as fh:
        head = fh.read(12)
        order: Literal["little", "big"]
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            order = "little"
        elif head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
            order = "big"
        else:
            return out
        for _ in range(64):
            chunk = fh.read(8)
            if len(chunk) < 8:
                break
            size = int.from_bytes(chunk[4:8], order)
            ident = chunk[:4]
            if ident == b"LIST" and size <= _CHUNK_CAP:
                _info_entries(fh.read(size), out)
            elif ident in _INFO_KEYS and size <= _CHUNK_CAP:
                _put_chunk_text(out, ident, fh.read(size))
            else:
                fh.seek(size, 1)
            if size % 2:
                fh.seek(1, 1)  # chunks are padded to an even length
    return out


def _info_entries(data: bytes, out: dict[str, list[str]]) -> None:
    if data[:4] != b"INFO":
        return
    pos = 4
    while pos + 8 <= len(data):
        ident, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if ident in _INFO_KEYS:
            _put_chunk_text(out, ident, data[pos + 8 : pos + 8 + size])
        pos += 8 + size + (size % 2)


def _put_chunk_text(out: dict[str, list[str]], ident: bytes, raw: bytes) -> None:
    raw = raw.split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if text.strip():
        out.setdefault(_INFO_KEYS[ident], []).append(text.strip())


def partial_id3(path: str) -> Any:
    """The frames of an ID3v2 tag that the file's end cuts short: the tag's size is set to
    what is there, and the frames that fit are read."""
    with open(path, "rb") as fh:
        head = fh.read(10)
        if len(head) < 10 or head[:3] != b"ID3":
            return None
        declared = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
        body = fh.read(min(declared, _PARTIAL_TAG_CAP))
    if len(body) >= declared:
        return None  # the tag is whole: its failure is something else
    n = len(body)
    size = bytes(((n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F))
    try:
        return _ID3(io.BytesIO(head[:6] + size + body))
    except (mutagen.MutagenError, struct.error, ValueError, EOFError):
        return None


_PARTIAL_TAG_CAP = 16 << 20  # a cover image can make a tag large; never read more than this


def ogg_comments(path: str) -> Any:
    """The comment header (a stream's second packet: Vorbis, Opus, Speex) of an Ogg file whose
    later headers or pages are cut off or damaged."""
    packets, cut = _first_ogg_packets(path, 2)
    if len(packets) < 2:
        # The comments come first in their packet, padding and the framing bit last: a packet
        # the file's end cuts into may still hold all of them.
        if len(packets) < 1 or not cut:
            return None
        packets.append(cut)
    packet = packets[1]
    complete = len(packets) == 2 and packet is not cut
    try:
        for prefix, framing in ((b"\x03vorbis", True), (b"OpusTags", False)):
            if packet.startswith(prefix):
                return _VCFLACDict(packet[len(prefix) :], framing=framing and complete)
        if packets[0].startswith(b"Speex   "):
            return _VCFLACDict(packet, framing=False)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError, UnicodeError):
        return None
    return None


def _first_ogg_packets(path: str, wanted: int) -> tuple[list[bytes], bytes]:
    """The first complete packets of the file's first logical stream, read page by page from
    the raw bytes so that a page cut short still gives up the packets that end inside it; and
    the start of the packet the file's end cuts into (empty if none)."""
    packets: list[bytes] = []
    partial = b""
    serial = None
    with open(path, "rb") as fh:
        for _ in range(256):
            header = fh.read(27)
            if len(header) < 27 or header[:4] != b"OggS":
                break
            lacing = fh.read(header[26])
            body = fh.read(sum(lacing))
            if serial is None:
                serial = header[14:18]
            if header[14:18] != serial:
                continue  # another logical stream interleaved
            pos = 0
            for lace in lacing:
                if pos + lace > len(body):
                    return packets, partial + body[pos:]  # the file ends inside this packet
                partial += body[pos : pos + lace]
                pos += lace
                if lace < 255:
                    packets.append(partial)
                    partial = b""
                    if len(packets) >= wanted:
                        return packets, b""
    return packets, b""


def flac_comments(path: str) -> Any:
    """The VORBIS_COMMENT block of a FLAC file whose later blocks or frames are cut off."""
    with open(path, "rb") as fh:
        head = fh.read(10)
        offset = 0
        if head[:3] == b"ID3" and len(head) == 10:
            offset = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
        fh.seek(offset)
        if fh.read(4) != b"fLaC":
            return None
        for _ in range(64):
            block = fh.read(4)
            if len(block) < 4:
                return None
            length = int.from_bytes(block[1:4], "big")
            if block[0] & 0x7F == 4:  # VORBIS_COMMENT
                data = fh.read(length)
                if len(data) < length:
                    return None
                comments: Any = _VCFLACDict(data, framing=False)
                return comments
            if block[0] & 0x80:
                return None
            fh.seek(length, 1)
    return None
