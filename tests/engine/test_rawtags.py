"""Tags from files mutagen refuses or only half reads (engine/ingest/rawtags.py), and the
identity rules for a cut-off file: generated files, damaged the way downloads and tools do."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from engine.ingest.audio import read_audio
from engine.ingest.identity import Identity, agrees, same_encode
from engine.ingest.integrity import INCOMPLETE
from tests.mediagen import make_audio, make_extra_audio, make_jpeg


def _riff_info(title: str, artist: str) -> bytes:
    def entry(ident: bytes, text: str) -> bytes:
        raw = text.encode() + b"\x00"
        return ident + struct.pack("<I", len(raw)) + raw + (b"\x00" if len(raw) % 2 else b"")

    body = b"INFO" + entry(b"INAM", title) + entry(b"IART", artist)
    return b"LIST" + struct.pack("<I", len(body)) + body


def test_wav_title_from_its_info_chunk(tmp_path: Path) -> None:
    plain = make_extra_audio(tmp_path / "plain.wav", 0.5, title="unused")
    data = plain.read_bytes()
    # Rebuild the file without its ID3 chunk, with a LIST/INFO chunk as many tools write.
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        ident, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if ident.lower() != b"id3 ":
            chunks.append(data[pos : pos + 8 + size + size % 2])
        pos += 8 + size + size % 2
    body = b"WAVE" + _riff_info("Field Recording 3", "Ana") + b"".join(chunks)
    wav = tmp_path / "info.wav"
    wav.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    md = read_audio(str(wav))
    assert (md.title, md.people) == ("Field Recording 3", ["Ana"])  # before: no title
    assert md.sources["title"] == "riff"


def test_aiff_title_from_its_name_chunk(tmp_path: Path) -> None:
    plain = make_extra_audio(tmp_path / "plain.aiff", 0.5, title="unused")
    data = plain.read_bytes()
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        ident, size = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        if ident != b"ID3 ":
            chunks.append(data[pos : pos + 8 + size + size % 2])
        pos += 8 + size + size % 2
    name = b"Harbour Sounds"
    body = b"AIFF" + b"NAME" + struct.pack(">I", len(name)) + name + b"".join(chunks)
    aiff = tmp_path / "named.aiff"
    aiff.write_bytes(b"FORM" + struct.pack(">I", len(body)) + body)
    assert read_audio(str(aiff)).title == "Harbour Sounds"


def test_mp3_cut_inside_its_id3_tag_keeps_the_frames_before_the_cut(tmp_path: Path) -> None:
    cover = make_jpeg(size=(64, 64), color=(200, 30, 30))
    whole = make_audio(tmp_path / "w.mp3", seconds=1.0, title="Before the picture", cover=cover)
    data = whole.read_bytes()
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(data[: data.find(b"APIC") + 40])  # inside the cover frame
    md = read_audio(str(cut))
    assert md.title == "Before the picture"  # before: "cannot read file: error"-like refusal
    assert md.integrity is not None and md.integrity.kind == INCOMPLETE


@pytest.mark.parametrize("suffix", ["ogg", "opus"])
def test_ogg_cut_inside_its_headers_keeps_the_comments(tmp_path: Path, suffix: str) -> None:
    whole = make_audio(tmp_path / f"w.{suffix}", seconds=1.0, title="Early Ogg cut")
    data = whole.read_bytes()
    at = data.find(b"Early Ogg cut")
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: at + 200])  # past the comments, inside their packet's padding
    md = read_audio(str(cut))
    assert md.title == "Early Ogg cut"
    assert md.integrity is not None and md.integrity.kind == INCOMPLETE


def _id(**fields: object) -> Identity:
    base: dict[str, object] = dict(
        title="the long night",
        title_from_name=False,
        show="northern lights",
        season=None,
        episode=None,
        year=None,
        duration=3840.0,
    )
    base.update(fields)
    return Identity(**base)  # type: ignore[arg-type]


def test_identity_lets_a_cut_off_file_be_shorter_but_not_longer() -> None:
    cut = _id(duration=7.0, incomplete=True)
    assert same_encode(cut, _id())  # the complete download of a cut-off one
    assert agrees(_id(), cut, 0.05)  # a re-download in progress over the complete one
    assert same_encode(_id(duration=None, incomplete=True), _id())
    assert not same_encode(_id(duration=4000.0, incomplete=True), _id())  # longer: not a part
    assert not same_encode(_id(duration=7.0), _id())  # two complete files: 2 % applies
    assert not same_encode(cut, _id(title="the short day"))


def test_identity_feed_guid_decides_when_both_have_one() -> None:
    assert same_encode(_id(guid="ep-7", duration=10.0), _id(guid="ep-7", title="renamed"))
    assert not agrees(_id(guid="ep-7"), _id(guid="ep-8"), 0.05)
