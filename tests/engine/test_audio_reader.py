"""read_audio against real files encoded by tests/mediagen.py."""

from __future__ import annotations

import os
import random
from pathlib import Path

import av
import mutagen
import pytest
from mutagen import id3
from PIL import Image

from engine.ingest.audio import NothingReadable, read_audio
from engine.ingest.integrity import DAMAGED, INCOMPLETE
from engine.ingest.metadata import Chapter, ReaderError
from engine.ingest.tagvalues import parse_tag_date
from tests import mediagen

# suffix -> (tag source, codec name, mutagen class name)
FORMATS = {
    "mp3": ("id3", "mp3", "MP3"),
    "m4a": ("mp4", "aac", "MP4"),
    "ogg": ("vorbis", "vorbis", "OggVorbis"),
    "opus": ("vorbis", "opus", "OggOpus"),
    "flac": ("flac", "flac", "FLAC"),
}
CHAPTERS = [(0.0, 0.4, "Intro"), (0.4, 1.0, "Main topic")]


@pytest.fixture(scope="module")
def cover() -> bytes:
    return mediagen.make_jpeg(size=(24, 24), color=(10, 120, 240))


def _full_tags(cover: bytes) -> dict[str, object]:
    return {
        "title": "Episode 12: Rivers",
        "show": "Water Talk",
        "artist": "Ana Lima",
        "description": "<p>All about <b>rivers</b>.</p><p>Second   paragraph.</p>",
        "date": "2021-03-04",
        "genre": "Science",
        "language": "por",
        "lyrics": "line one\nline two",
        "cover": cover,
    }


# --- the generator itself -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_mediagen_audio_is_what_it_claims(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_audio(tmp_path / f"a.{suffix}", seconds=0.5, title="Hello")
    parsed = mutagen.File(path)
    assert type(parsed).__name__ == FORMATS[suffix][2]
    assert parsed.info.length == pytest.approx(0.5, abs=0.1)
    with av.open(str(path)) as container:
        (stream,) = container.streams.audio
        assert stream.codec_context.codec.canonical_name == FORMATS[suffix][1]


def test_mediagen_seed_changes_content(tmp_path: Path) -> None:
    a = mediagen.make_audio(tmp_path / "a.flac", seed=1)
    b = mediagen.make_audio(tmp_path / "b.flac", seed=2)
    assert a.read_bytes() != b.read_bytes()


def test_mediagen_clone_with_tags(tmp_path: Path) -> None:
    template = mediagen.audio_template(seconds=0.5)
    one = mediagen.clone_with_tags(template, tmp_path / "1.mp3", title="One", show="S")
    two = mediagen.clone_with_tags(template, tmp_path / "2.mp3", title="Two", show="S")
    assert one.read_bytes()[:65536] != two.read_bytes()[:65536]
    assert read_audio(str(one)).title == "One"
    assert read_audio(str(two)).title == "Two"
    assert read_audio(str(two)).duration == pytest.approx(0.5, abs=0.1)


def test_mediagen_images(tmp_path: Path) -> None:
    data = mediagen.make_jpeg(tmp_path / "c.jpg", size=(20, 10))
    assert (tmp_path / "c.jpg").read_bytes() == data
    with Image.open(tmp_path / "c.jpg") as img:
        assert (img.format, img.size) == ("JPEG", (20, 10))
    assert mediagen.make_png().startswith(b"\x89PNG")


# --- fields per format ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_common_fields(tmp_path: Path, suffix: str, cover: bytes) -> None:
    source, codec, _ = FORMATS[suffix]
    path = mediagen.make_audio(tmp_path / f"ep.{suffix}", **_full_tags(cover))

    md = read_audio(str(path))

    assert md.title == "Episode 12: Rivers"
    assert md.show == "Water Talk"
    assert md.people == ["Ana Lima"]
    assert md.description == "All about rivers.\n\nSecond paragraph."
    assert md.air_date == "2021-03-04"
    assert md.year == 2021
    assert md.genres == ["Science"]
    assert md.lyrics == "line one\nline two"
    assert md.artwork_data == cover
    assert md.audio_codec == codec
    assert md.duration == pytest.approx(1.0, abs=0.1)
    if suffix != "m4a":  # MP4 has no standard language atom
        assert md.language == "por"
    for name in ("title", "show", "people", "description", "air_date", "year", "artwork_data"):
        assert md.sources[name] == source, name
    assert md.sources["duration"] == source
    assert md.kind is None  # nothing says podcast


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_comment_used_when_no_description(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_audio(tmp_path / f"c.{suffix}", comment="Just a <i>comment</i>")
    assert read_audio(str(path)).description == "Just a comment"


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_untagged_file_still_has_duration(tmp_path: Path, suffix: str) -> None:
    md = read_audio(str(mediagen.make_audio(tmp_path / f"bare.{suffix}", seconds=0.6)))
    assert md.title is None
    assert md.duration == pytest.approx(0.6, abs=0.1)


def test_mp3_podcast_frames(tmp_path: Path) -> None:
    path = mediagen.make_audio(
        tmp_path / "pod.mp3",
        title="Ep 1",
        podcast=True,
        description="The <b>TDES</b> text",
        comment="The COMM text",
        guid="urn:uuid:1234",
        feed_url="https://example.org/feed.xml",
    )
    md = read_audio(str(path))
    assert md.kind == "podcast"
    assert md.sources["kind"] == "id3"
    assert md.description == "The TDES text"  # preferred over COMM
    assert md.guid == "urn:uuid:1234"
    assert md.show_feed_url == "https://example.org/feed.xml"


def test_mp3_chapters_follow_ctoc_order(tmp_path: Path) -> None:
    path = mediagen.make_audio(tmp_path / "ch.mp3", chapters=CHAPTERS)
    md = read_audio(str(path))
    assert md.chapters == [
        Chapter(start=0.0, title="Intro", end=0.4),
        Chapter(start=0.4, title="Main topic", end=1.0),
    ]
    assert md.sources["chapters"] == "id3"


def test_mp3_chapters_without_ctoc_sorted_by_start(tmp_path: Path) -> None:
    path = mediagen.make_audio(tmp_path / "ch.mp3", chapters=CHAPTERS)
    tags = id3.ID3(path)
    tags.delall("CTOC")
    # Re-add the CHAP frames in reverse so file order differs from time order.
    chaps = tags.getall("CHAP")
    tags.delall("CHAP")
    for frame in reversed(chaps):
        tags.add(frame)
    tags.save(path)
    assert [c.title for c in read_audio(str(path)).chapters] == ["Intro", "Main topic"]


def test_mp3_release_date_preferred_and_front_cover_chosen(tmp_path: Path, cover: bytes) -> None:
    path = mediagen.make_audio(tmp_path / "d.mp3", date="2019-01-01", release_date="2020-05-06")
    tags = id3.ID3(path)
    back = mediagen.make_png(color=(1, 2, 3))
    tags.add(id3.APIC(encoding=3, mime="image/png", type=4, desc="back", data=back))
    tags.add(id3.APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=cover))
    tags.save(path)
    md = read_audio(str(path))
    assert (md.air_date, md.year) == ("2020-05-06", 2020)
    assert md.artwork_data == cover


def test_mp3_itunes_bookkeeping_comment_ignored(tmp_path: Path) -> None:
    path = mediagen.make_audio(tmp_path / "n.mp3")
    tags = id3.ID3(path)
    tags.add(id3.COMM(encoding=3, lang="eng", desc="iTunNORM", text=[" 0000044E 00000000"]))
    tags.add(id3.COMM(encoding=3, lang="eng", desc="", text=["Real comment"]))
    tags.save(path)
    assert read_audio(str(path)).description == "Real comment"


def test_m4a_podcast_atoms(tmp_path: Path) -> None:
    path = mediagen.make_audio(
        tmp_path / "pod.m4a",
        podcast=True,
        guid="guid-9",
        feed_url="https://example.org/rss",
        category="Technology",
        genre="Podcast",
    )
    md = read_audio(str(path))
    assert md.kind == "podcast"
    assert md.guid == "guid-9"
    assert md.show_feed_url == "https://example.org/rss"
    assert md.genres == ["Podcast", "Technology"]
    assert md.sources["guid"] == "mp4"


def test_podcast_genre_marks_kind(tmp_path: Path) -> None:
    path = mediagen.make_audio(tmp_path / "g.ogg", genre="Podcast")
    assert read_audio(str(path)).kind == "podcast"


@pytest.mark.parametrize("suffix", ["ogg", "opus", "flac"])
def test_vorbis_chapters(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_audio(tmp_path / f"ch.{suffix}", chapters=CHAPTERS)
    md = read_audio(str(path))
    assert [(c.start, c.title) for c in md.chapters] == [(0.0, "Intro"), (0.4, "Main topic")]
    assert md.chapters[0].end == 0.4


@pytest.mark.parametrize("suffix", ["m4a", "ogg", "opus", "flac"])
def test_png_cover(tmp_path: Path, suffix: str) -> None:
    png = mediagen.make_png(size=(8, 8))
    md = read_audio(str(mediagen.make_audio(tmp_path / f"p.{suffix}", cover=png)))
    assert md.artwork_data == png


def test_parse_tag_date() -> None:
    assert parse_tag_date("2021-03-04") == ("2021-03-04", 2021)
    assert parse_tag_date("2021-03-04T10:20:30") == ("2021-03-04T10:20:30", 2021)
    assert parse_tag_date("2021") == (None, 2021)
    assert parse_tag_date("2021-02-30") == (None, 2021)
    assert parse_tag_date("Thu, 04 Mar 2021 10:00:00 +0000") == ("2021-03-04", 2021)
    assert parse_tag_date("someday") == (None, None)
    assert parse_tag_date(None) == (None, None)


# --- broken files ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_zero_byte_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty.{suffix}"
    path.write_bytes(b"")
    with pytest.raises(ReaderError, match="file is empty"):
        read_audio(str(path))


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_truncated_file_keeps_its_tags_with_a_warning(
    tmp_path: Path, suffix: str, cover: bytes
) -> None:
    whole = mediagen.make_audio(tmp_path / f"whole.{suffix}", seconds=2.0, title="Half an episode")
    data = whole.read_bytes()
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: len(data) // 2])
    intact = read_audio(str(whole))
    assert intact.integrity is None
    if suffix == "m4a":
        # FFmpeg's muxer writes the moov box (tags and index) last: half a file has none.
        with pytest.raises(NothingReadable, match=r"(?i)MP4.*no readable tags"):
            read_audio(str(cut))
        return
    md = read_audio(str(cut))
    assert md.title == "Half an episode"
    assert md.integrity is not None and md.integrity.kind == INCOMPLETE
    assert "incomplete download" in md.integrity.message
    assert md.duration is None or md.duration < intact.duration * 0.8  # what is present


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_nearly_complete_file_is_incomplete(tmp_path: Path, suffix: str) -> None:
    data = mediagen.make_audio(tmp_path / f"w.{suffix}", seconds=1.0, title="t").read_bytes()
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: int(len(data) * 0.85)])
    # An MP4 cut inside its moov box (written last) keeps what of it is there: the tags here.
    md = read_audio(str(cut))
    assert md.title == "t"
    assert md.integrity is not None and md.integrity.kind == INCOMPLETE, md.integrity


def test_mp3_header_promising_more_audio_gives_the_present_duration(tmp_path: Path) -> None:
    whole = mediagen.make_audio(tmp_path / "w.mp3", seconds=4.0, title="Long one")
    data = whole.read_bytes()
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(data[: len(data) // 4])
    md = read_audio(str(cut))
    full = read_audio(str(whole)).duration
    assert full is not None and md.duration is not None
    assert md.duration == pytest.approx(full / 4, abs=0.5)
    assert md.integrity is not None
    assert md.integrity.args["expected"] == pytest.approx(full, abs=0.01)
    assert md.integrity.args["present"] == pytest.approx(md.duration, abs=0.01)
    assert md.sources["duration"] == "integrity"


def test_mp3_without_frames_but_with_id3_is_damaged_not_refused(tmp_path: Path) -> None:
    # The ID3 tag is fine; after it, nothing mutagen can sync to ("can't sync to MPEG frame").
    whole = mediagen.make_audio(tmp_path / "w.mp3", seconds=1.0, title="广播 第一集", show="节目")
    tag = id3.ID3(whole)
    broken = tmp_path / "broken.mp3"
    tag.save(broken, v2_version=3, v23_sep="/")  # UTF-16 text frames
    broken.write_bytes(broken.read_bytes() + b"\x00" * 50_000)
    md = read_audio(str(broken))
    assert (md.title, md.show) == ("广播 第一集", "节目")
    assert md.integrity is not None and md.integrity.kind in (DAMAGED, INCOMPLETE)
    assert md.integrity.message and md.integrity.message != "error"


def test_flac_cut_inside_its_metadata_keeps_the_comments(tmp_path: Path, cover: bytes) -> None:
    whole = mediagen.make_audio(tmp_path / "w.flac", seconds=1.0, title="Early cut", cover=cover)
    data = whole.read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[: 200 + len(cover)])  # inside the picture or padding block
    md = read_audio(str(cut))
    assert md.title == "Early cut"
    assert md.integrity is not None and md.integrity.kind == INCOMPLETE


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_random_bytes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"noise.{suffix}"
    path.write_bytes(random.Random(suffix).randbytes(20_000))
    with pytest.raises(ReaderError):
        read_audio(str(path))


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_text_file_with_audio_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"notes.{suffix}"
    path.write_text("these are my notes, not a podcast\n" * 50)
    with pytest.raises(ReaderError) as info:
        read_audio(str(path))
    assert str(info.value)  # a message for the user


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "thing.xyz"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(NothingReadable, match="not an audio format"):
        read_audio(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        read_audio(str(tmp_path / "nope.mp3"))
    with pytest.raises(ReaderError, match="not a regular file"):
        read_audio(str(tmp_path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.timeout(10)
def test_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    with pytest.raises(ReaderError, match="not a regular file"):
        read_audio(str(fifo))


# --- awkward names --------------------------------------------------------------------------


def test_name_starting_with_dash(tmp_path: Path) -> None:
    path = mediagen.make_audio(tmp_path / "-rf.mp3", title="Dash")
    assert read_audio(str(path)).title == "Dash"


def test_non_utf8_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.mp3")
    target = tmp_path / name
    try:
        mediagen.make_audio(target, title="Caf\u00e9")
    except (OSError, UnicodeEncodeError):
        pytest.skip("filesystem refuses undecodable names")
    md = read_audio(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.mp3"))
    assert md.title == "Caf\u00e9"
