"""Video frames as artwork: grabbing, caching, failures, and the façade's artwork choice."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image

from engine.ingest.artwork import DEFAULT_THUMB_SIZE
from engine.ingest.frames import grab_frame
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg, make_video

KEY = "5a1e-0123456789abcdef0123456789abcdef"


def test_frame_is_a_jpeg_of_the_right_size(tmp_path: Path) -> None:
    video = make_video(tmp_path / "clip.mkv", seconds=2.0, width=64, height=48)
    cache = tmp_path / "frames"

    small = grab_frame(str(video), str(cache), KEY, 32)
    full = grab_frame(str(video), str(cache), KEY, DEFAULT_THUMB_SIZE)

    assert small is not None and full is not None and small != full
    with Image.open(small) as img:
        assert (img.format, img.size) == ("JPEG", (32, 24))
    with Image.open(full) as img:
        img.load()
        assert (img.format, img.size) == ("JPEG", (64, 48))  # never enlarged
        # mediagen paints frame i with green (i * 20) % 256: a frame after the start was used.
        assert img.getpixel((32, 24))[1] > 10  # type: ignore[index]
    assert KEY in small and Path(small).is_relative_to(cache)


def test_second_call_reuses_the_file_even_after_a_rename(tmp_path: Path) -> None:
    video = make_video(tmp_path / "clip.mp4", seconds=2.0)
    cache = str(tmp_path / "frames")
    first = grab_frame(str(video), cache, KEY, 48)
    assert first is not None
    mtime = Path(first).stat().st_mtime_ns

    renamed = video.rename(tmp_path / "renamed.mp4")
    again = grab_frame(str(renamed), cache, KEY, 48)
    assert again == first
    assert Path(first).stat().st_mtime_ns == mtime


def test_corrupt_video_returns_none_and_is_not_retried(tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.mkv"
    # Seeded: some random bytes happen to probe as a bare video stream; these do not.
    bad.write_bytes(random.Random(7).randbytes(4096))
    cache = tmp_path / "frames"

    assert grab_frame(str(bad), str(cache), "bad-key", 64) is None
    markers = list(cache.glob("*.fail"))
    assert [m.name for m in markers] == ["bad-key.fail"]

    # The marker short-cuts the next call: even a now-valid file under that key is not read.
    make_video(bad, seconds=1.0)
    assert grab_frame(str(bad), str(cache), "bad-key", 64) is None
    assert grab_frame(str(bad), str(cache), "new-key", 64) is not None


def test_no_video_stream_gives_none(tmp_path: Path) -> None:
    cache = str(tmp_path / "frames")
    audio_only = make_audio(tmp_path / "talk.mp3", seconds=0.5, cover=make_jpeg())
    assert grab_frame(str(audio_only), cache, "mp3-with-cover", 64) is None  # cover art skipped
    silent = make_video(tmp_path / "silent.mkv", seconds=0.5, audio=False)
    assert grab_frame(str(silent), cache, "ok", 64) is not None
    assert grab_frame(str(tmp_path / "absent.mkv"), cache, "absent", 64) is None
    # A missing file may come back (an unmounted drive): no failure marker for it.
    assert not (tmp_path / "frames" / "absent.fail").exists()


def test_library_artwork_prefers_real_art_then_a_frame(tmp_path: Path) -> None:
    media = tmp_path / "Media"
    media.mkdir()
    make_audio(media / "with cover.mp3", seconds=0.3, title="Covered", cover=make_jpeg())
    make_audio(media / "plain.mp3", seconds=0.3, title="Plain")
    make_video(media / "A Film (1999).mkv", seconds=2.0)
    lib = Library(tmp_path / "data", workers=1)
    try:
        lib.add_root(media, "mixed")
        lib.scan()
        by_title = {str(i["title"]): i for i in lib.items()}
        covered, plain, film = by_title["Covered"], by_title["Plain"], by_title["A Film"]

        assert covered["artwork"] and lib.artwork(int(covered["id"])) == covered["artwork"]
        assert lib.artwork(int(plain["id"])) is None  # audio without art: no frame to grab
        frame = lib.artwork(int(film["id"]))
        assert frame is not None
        assert Path(frame).is_relative_to(lib.thumbs_dir / "frames")
        with Image.open(frame) as img:
            assert img.format == "JPEG"
        assert lib.artwork(int(film["id"])) == frame
        assert lib.artwork(10_000) is None

        (media / "A Film (1999).mkv").unlink()
        lib.scan()
        assert lib.artwork(int(film["id"])) is None  # a missing file grabs nothing new
    finally:
        lib.close()
