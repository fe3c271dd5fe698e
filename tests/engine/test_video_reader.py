"""read_video against real files encoded by tests/mediagen.py."""

from __future__ import annotations

import os
import random
from pathlib import Path

import av
import pytest

from engine.ingest.metadata import Chapter, ReaderError
from engine.ingest.video import read_video
from tests import mediagen

SUFFIXES = ["mp4", "mkv"]
CHAPTERS = [(0.0, 0.5, "Opening"), (0.5, 1.0, "Credits")]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_mediagen_video_is_what_it_claims(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_video(tmp_path / f"v.{suffix}", width=80, height=60, title="T")
    with av.open(str(path)) as container:
        assert {"mp4": "mov,mp4,m4a,3gp,3g2,mj2", "mkv": "matroska,webm"}[suffix] == (
            container.format.name
        )
        (video,) = container.streams.video
        (audio,) = container.streams.audio
        assert video.codec_context.name in ("h264", "mpeg4")
        assert (video.codec_context.width, video.codec_context.height) == (80, 60)
        assert audio.codec_context.name == "aac"
        frames = sum(1 for _ in container.decode(video=0))
        assert frames == 10


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_fields(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_video(
        tmp_path / f"film.{suffix}",
        seconds=1.0,
        width=64,
        height=48,
        title="Holiday 2020",
        comment="<p>Beach   day</p>",
        language="fra",
        chapters=CHAPTERS,
    )

    md = read_video(str(path))

    assert md.title == "Holiday 2020"
    assert md.description == "Beach day"
    assert (md.width, md.height) == (64, 48)
    assert md.video_codec in ("h264", "mpeg4")
    assert md.audio_codec == "aac"
    assert md.language == "fra"
    assert md.duration == pytest.approx(1.0, abs=0.1)
    assert md.chapters == [
        Chapter(start=0.0, title="Opening", end=0.5),
        Chapter(start=0.5, title="Credits", end=1.0),
    ]
    for name in ("title", "description", "width", "video_codec", "duration", "chapters"):
        assert md.sources[name] == "container", name


@pytest.mark.parametrize("muxer", ["mp4", "matroska"])
def test_show_season_episode_and_year_tags(tmp_path: Path, muxer: str) -> None:
    import io

    source = mediagen.make_video(tmp_path / "source.mp4", seconds=0.5).read_bytes()
    path = tmp_path / f"tagged.{'mp4' if muxer == 'mp4' else 'mkv'}"
    tags = {"title": "Pilot", "show": "Coastline", "season_number": "2", "episode_sort": "5"}
    with av.open(io.BytesIO(source)) as src, av.open(str(path), "w", format=muxer) as out:
        out.metadata.update({**tags, "date": "2019"})
        stream = src.streams.video[0]
        target = out.add_stream_from_template(stream)
        for packet in src.demux(stream):
            if packet.dts is not None:
                packet.stream = target
                out.mux(packet)

    md = read_video(str(path))

    assert (md.title, md.show, md.season, md.episode, md.year) == ("Pilot", "Coastline", 2, 5, 2019)
    assert md.sources["season"] == md.sources["episode"] == "container"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_description_preferred_over_comment(tmp_path: Path, suffix: str) -> None:
    path = mediagen.make_video(
        tmp_path / f"d.{suffix}", comment="short comment", description="long description"
    )
    assert read_video(str(path)).description == "long description"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_untagged_video_without_audio(tmp_path: Path, suffix: str) -> None:
    md = read_video(str(mediagen.make_video(tmp_path / f"n.{suffix}", audio=False)))
    assert md.title is None
    assert md.description is None
    assert md.audio_codec is None
    assert md.language is None
    assert md.chapters == []
    assert md.width == 64


def test_audio_only_file(tmp_path: Path) -> None:
    md = read_video(str(mediagen.make_audio(tmp_path / "a.m4a", title="Song")))
    assert md.audio_codec == "aac"
    assert md.video_codec is None
    assert md.width is None
    assert md.duration == pytest.approx(1.0, abs=0.1)


# --- broken files ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_zero_byte_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty.{suffix}"
    path.write_bytes(b"")
    with pytest.raises(ReaderError, match="file is empty"):
        read_video(str(path))


def _whole(tmp_path: Path, suffix: str, seconds: float = 3.0) -> bytes:
    path = tmp_path / f"whole.{suffix}"
    if suffix in ("mkv", "mp4", "m4v", "mov"):
        mediagen.make_video(path, seconds=seconds, title="Half There")
    else:
        mediagen.make_extra_video(path, seconds, title="Half There")
    return path.read_bytes()


def _cut(tmp_path: Path, suffix: str, share: float, seconds: float = 3.0) -> str:
    data = _whole(tmp_path, suffix, seconds)
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: int(len(data) * share)])
    return str(cut)


@pytest.mark.parametrize("suffix", ["mkv", "webm", "avi"])
@pytest.mark.parametrize("share", [0.5, 0.9])
def test_a_cut_off_video_keeps_its_tags_with_where_it_stops(
    tmp_path: Path, suffix: str, share: float
) -> None:
    md = read_video(_cut(tmp_path, suffix, share))  # before: ReaderError "truncated ..."

    assert md.title == "Half There"
    assert md.video_codec and md.width == 64
    finding = md.integrity
    assert finding is not None and finding.kind == "incomplete"
    present, expected = finding.args["present"], finding.args["expected"]
    assert expected == pytest.approx(3.0, abs=0.1)  # what the header declares
    assert 0.2 < present < expected  # what is there: the last packet's end
    assert md.duration == present and md.sources["duration"] == "integrity"
    assert "the video stops at" in finding.message


@pytest.mark.parametrize("suffix", ["mp4", "mov", "m4v"])
@pytest.mark.parametrize("share", [0.1, 0.5])
def test_an_mp4_cut_before_its_moov_box_is_listed_as_damaged(
    tmp_path: Path, suffix: str, share: float
) -> None:
    # FFmpeg writes the index (moov) last: cut before it, nothing in the file can be read.
    md = read_video(_cut(tmp_path, suffix, share))
    assert md.title is None and md.duration is None  # the scan names it from the file name
    assert md.integrity is not None and md.integrity.kind == "damaged"
    assert "truncated MP4 file" in md.integrity.message


@pytest.mark.parametrize("suffix", ["ts", "m2ts"])
def test_an_mpeg_ts_cut_inside_a_packet_is_incomplete(tmp_path: Path, suffix: str) -> None:
    data = _whole(tmp_path, suffix)
    cut = tmp_path / f"cut.{suffix}"
    end = len(data) // 2
    cut.write_bytes(data[: end - 1 if end % 188 == 0 or end % 192 == 0 else end])
    md = read_video(str(cut))
    assert md.integrity is not None and md.integrity.kind == "incomplete"
    assert md.duration == pytest.approx(1.5, abs=0.5)
    assert "last packet" in md.integrity.message


def test_past_the_demux_budget_the_end_is_extrapolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.ingest import video

    path = _cut(tmp_path, "mkv", 0.8, seconds=4.0)
    exact = read_video(path).duration
    monkeypatch.setattr(video, "DEMUX_BUDGET", 4000)  # stop reading a quarter of the way in
    estimated = read_video(path).duration
    assert exact is not None and estimated is not None
    assert estimated == pytest.approx(exact, rel=0.35)


@pytest.mark.parametrize("suffix", [*SUFFIXES, "webm"])
def test_a_zeroed_header_is_still_an_error(tmp_path: Path, suffix: str) -> None:
    # No container signature left: nothing says this is a video at all.
    data = _whole(tmp_path, suffix)
    path = tmp_path / f"zeroed.{suffix}"
    path.write_bytes(b"\x00" * 64 + data[64:])
    with pytest.raises(ReaderError, match="corrupt or unsupported"):
        read_video(str(path))


def test_whole_files_have_no_finding(tmp_path: Path) -> None:
    for suffix in ("mkv", "mp4", "webm", "avi", "ts", "m2ts"):
        sub = tmp_path / suffix
        sub.mkdir()
        _whole(sub, suffix)
        md = read_video(str(sub / f"whole.{suffix}"))
        assert md.integrity is None, (suffix, md.integrity)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"noise.{suffix}"
    path.write_bytes(random.Random(suffix).randbytes(20_000))
    with pytest.raises(ReaderError):
        read_video(str(path))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_text_file_with_video_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"readme.{suffix}"
    path.write_text("not a video at all\n" * 40)
    with pytest.raises(ReaderError, match="corrupt or unsupported"):
        read_video(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        read_video(str(tmp_path / "nope.mkv"))
    with pytest.raises(ReaderError, match="not a regular file"):
        read_video(str(tmp_path))


# --- awkward names --------------------------------------------------------------------------


def test_name_starting_with_dash(tmp_path: Path) -> None:
    path = mediagen.make_video(tmp_path / "-i.mkv", title="Dash")
    assert read_video(str(path)).title == "Dash"


def test_name_that_looks_like_a_protocol(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative, so FFmpeg would read "concat:" as its concat protocol without the file: prefix.
    mediagen.make_video(tmp_path / "concat:part.mp4", title="Not a protocol")
    monkeypatch.chdir(tmp_path)
    assert read_video("concat:part.mp4").title == "Not a protocol"


def test_non_utf8_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.mkv")
    try:
        mediagen.make_video(tmp_path / name, title="Caf\u00e9")
    except (OSError, UnicodeEncodeError):
        pytest.skip("filesystem refuses undecodable names")
    md = read_video(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.mkv"))
    assert md.title == "Caf\u00e9"


def test_mp3_codec_uses_canonical_name(tmp_path: Path) -> None:
    md = read_video(str(mediagen.make_audio(tmp_path / "a.mp3")))
    assert md.audio_codec == "mp3"  # not the decoder name "mp3float"


def test_many_random_files_never_pass(tmp_path: Path) -> None:
    rng = random.Random(7)
    for i in range(40):
        path = tmp_path / f"noise{i}.{rng.choice(SUFFIXES)}"
        path.write_bytes(rng.randbytes(rng.randint(100, 30_000)))
        with pytest.raises(ReaderError):
            read_video(str(path))
