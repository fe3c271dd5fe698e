"""Artwork discovery, the inside-the-root check, and the thumbnail cache."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import struct
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from engine.ingest import artwork
from engine.ingest.artwork import find_artwork, inside_root, make_thumbnail
from engine.ingest.metadata import DirContext, ReaderError
from engine.library import Library
from tests.mediagen import make_audio, make_jpeg, make_png, make_video

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")


def _image_bytes(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    color: tuple[int, ...] = (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30)
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, fmt)
    return buf.getvalue()


def _touch(folder: Path, *names: str) -> tuple[str, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"img")
    return tuple(str(folder / n) for n in names)


# --- find_artwork ------------------------------------------------------------------------------


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """root/Show/Season 1/ holds the episodes; root/Show/ holds the show-level art."""
    season = tmp_path / "root" / "Show" / "Season 1"
    season.mkdir(parents=True)
    return season


def _ctx(season: Path, images: tuple[str, ...], show_images: tuple[str, ...] = ()) -> DirContext:
    return DirContext(root=str(season.parent.parent), images=images, show_images=show_images)


PRECEDENCE = [
    "Show.S01E01.jpg",
    "Show.S01E01.png",
    "Show.S01E01.webp",
    "Show.S01E01-poster.jpg",
    "Show.S01E01-thumb.png",
    "folder.jpg",
    "poster.png",
    "cover.webp",
]


@pytest.mark.parametrize("winner", range(len(PRECEDENCE)))
def test_precedence_in_the_media_folder(show: Path, winner: int) -> None:
    # Everything from the winner down is present, plus a stray image that never wins.
    present = _touch(show, *PRECEDENCE[winner:], "Show.S01E02.jpg", "fanart.jpg")
    show_art = _touch(show.parent, "folder.jpg")
    found = find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, present, show_art))
    assert found == str(show / PRECEDENCE[winner])


def test_show_folder_is_the_last_resort(show: Path) -> None:
    own = _touch(show, "Show.S01E02.jpg", "fanart.jpg")
    show_art = _touch(show.parent, "cover.png", "poster.jpg")
    found = find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, own, show_art))
    assert found == str(show.parent / "poster.jpg")  # poster before cover


def test_names_compare_case_insensitively(show: Path) -> None:
    own = _touch(show, "SHOW.s01e01-POSTER.JPG", "Folder.PNG")
    found = find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, own))
    assert found == str(show / "SHOW.s01e01-POSTER.JPG")

    only_folder = _touch(show, "FOLDER.Jpg")
    found = find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, only_folder))
    assert found == str(show / "FOLDER.Jpg")


def test_no_artwork(show: Path) -> None:
    own = _touch(show, "fanart.jpg", "Show.S01E01.txt", "banner.png")
    assert find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, own)) is None


@needs_symlinks
def test_symlink_pointing_outside_the_root_is_refused(show: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "private.jpg"
    outside.parent.mkdir()
    outside.write_bytes(b"private")
    link = show / "Show.S01E01.jpg"
    link.symlink_to(outside)

    ctx = _ctx(show, (str(link),))
    assert find_artwork(str(show / "Show.S01E01.mkv"), ctx) is None

    # The refused link does not hide lower-precedence art that is inside the root.
    with_folder = _ctx(show, (str(link), *_touch(show, "folder.jpg")))
    assert find_artwork(str(show / "Show.S01E01.mkv"), with_folder) == str(show / "folder.jpg")


@needs_symlinks
def test_symlink_inside_the_root_is_fine(show: Path) -> None:
    real = show.parent / "art" / "ep1.jpg"
    real.parent.mkdir()
    real.write_bytes(b"img")
    link = show / "Show.S01E01.jpg"
    link.symlink_to(real)
    assert find_artwork(str(show / "Show.S01E01.mkv"), _ctx(show, (str(link),))) == str(link)


# --- inside_root -------------------------------------------------------------------------------


def test_inside_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    r = str(root)
    assert inside_root(str(root / "sub" / "a.jpg"), r)
    assert inside_root(str(root / "sub" / ".." / "a.jpg"), r)
    assert inside_root(r, r)
    assert inside_root("sub/poster.jpg", r)  # relative paths are taken from the root
    assert not inside_root(str(root / "sub" / ".." / ".." / "x.jpg"), r)
    assert not inside_root("../x.jpg", r)
    assert not inside_root(str(tmp_path / "root-sibling" / "a.jpg"), r)  # prefix is not enough
    assert not inside_root("/etc/passwd", r)


@needs_symlinks
def test_inside_root_follows_symlinks(tmp_path: Path) -> None:
    real_root = tmp_path / "disk" / "media"
    real_root.mkdir(parents=True)
    (tmp_path / "outside.jpg").write_bytes(b"x")
    linked_root = tmp_path / "library"
    linked_root.symlink_to(real_root)
    (real_root / "escape.jpg").symlink_to(tmp_path / "outside.jpg")
    (real_root / "ok.jpg").write_bytes(b"x")

    assert inside_root(str(linked_root / "ok.jpg"), str(linked_root))
    assert inside_root(str(real_root / "ok.jpg"), str(linked_root))
    assert not inside_root(str(linked_root / "escape.jpg"), str(linked_root))


# --- make_thumbnail ----------------------------------------------------------------------------


def _files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def test_thumbnail_from_bytes(tmp_path: Path) -> None:
    data = _image_bytes("JPEG", (1000, 500))
    cache = tmp_path / "thumbs"
    out = make_thumbnail(data, str(cache))

    digest = hashlib.sha1(data).hexdigest()
    assert out == str(cache / digest[:2] / f"{digest}.jpg")
    with Image.open(out) as img:
        assert img.format == "JPEG"
        assert img.mode == "RGB"
        assert img.size == (320, 160)
    assert _files(cache) == [Path(out)]


def test_thumbnail_from_path_keeps_small_images_small(tmp_path: Path) -> None:
    src = tmp_path / "cover.png"
    src.write_bytes(_image_bytes("PNG", (200, 100), mode="RGBA"))
    out = make_thumbnail(str(src), str(tmp_path / "thumbs"), max_size=64)

    digest = hashlib.sha1(src.read_bytes()).hexdigest()
    assert Path(out).name == f"{digest}_64.jpg"
    with Image.open(out) as img:
        assert img.format == "JPEG"
        assert img.size == (64, 32)
        # Fully transparent pixels become white, not black.
        pixel = img.convert("RGB").getpixel((32, 16))
        assert isinstance(pixel, tuple)
        assert min(pixel) > 240


def test_tall_image_fits_max_size(tmp_path: Path) -> None:
    out = make_thumbnail(_image_bytes("WEBP", (300, 900)), str(tmp_path / "t"), max_size=120)
    with Image.open(out) as img:
        assert max(img.size) <= 120
        assert img.size == (40, 120)


@pytest.mark.parametrize(
    "data",
    [
        b"not an image at all",
        _image_bytes("JPEG", (400, 400))[:300],  # truncated JPEG
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # PNG signature, garbage after
    ],
)
def test_corrupt_image_is_a_reader_error(tmp_path: Path, data: bytes) -> None:
    cache = tmp_path / "thumbs"
    with pytest.raises(ReaderError):
        make_thumbnail(data, str(cache))
    assert not cache.exists() or _files(cache) == []


def test_unsupported_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError):
        make_thumbnail(_image_bytes("TIFF", (50, 50)), str(tmp_path / "thumbs"))


def test_empty_and_missing_sources(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="empty"):
        make_thumbnail(b"", str(tmp_path / "thumbs"))
    with pytest.raises(ReaderError, match="cannot read image"):
        make_thumbnail(str(tmp_path / "missing.jpg"), str(tmp_path / "thumbs"))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's calling card."""
    real = _image_bytes("PNG", (1, 1))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    start = 8  # after the signature
    end = start + 4 + 4 + 13 + 4
    return real[:start] + patched + real[end:]


@pytest.mark.parametrize("size", [(8000, 8000), (30000, 30000)])
def test_decompression_bomb_is_refused(tmp_path: Path, size: tuple[int, int]) -> None:
    # 64 Mpx trips our own limit; 900 Mpx trips Pillow's DecompressionBombError at open().
    with pytest.raises(ReaderError, match=r"too large|decompression bomb"):
        make_thumbnail(_png_claiming(*size), str(tmp_path / "thumbs"))


def test_cache_hit_returns_same_path_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _image_bytes("JPEG", (640, 480))
    cache = tmp_path / "thumbs"
    first = make_thumbnail(data, str(cache))
    before = Path(first).stat().st_mtime_ns

    def must_not_decode(*args: object) -> None:
        raise AssertionError("decoded a cached thumbnail again")

    monkeypatch.setattr(artwork, "_render", must_not_decode)
    second = make_thumbnail(data, str(cache))
    assert second == first
    assert Path(second).stat().st_mtime_ns == before
    assert _files(cache) == [Path(first)]


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", disk_full)
    cache = tmp_path / "thumbs"
    with pytest.raises(OSError, match="No space"):
        make_thumbnail(_image_bytes("JPEG", (100, 100)), str(cache))
    assert _files(cache) == []


def test_concurrent_makers_agree_and_leave_no_temp_files(tmp_path: Path) -> None:
    data = _image_bytes("PNG", (900, 900))
    cache = tmp_path / "thumbs"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: make_thumbnail(data, str(cache)), range(16)))

    assert len(set(results)) == 1
    assert _files(cache) == [Path(results[0])]  # exactly one file, no .tmp leftovers
    with Image.open(results[0]) as img:
        img.load()
        assert img.size == (320, 320)


def test_concurrent_processes_agree(tmp_path: Path) -> None:
    data = _image_bytes("JPEG", (700, 350))
    cache = str(tmp_path / "thumbs")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        results = pool.starmap(make_thumbnail, [(data, cache)] * 6)

    assert len(set(results)) == 1
    assert _files(Path(cache)) == [Path(results[0])]
    with Image.open(results[0]) as img:
        assert img.size == (320, 160)


def test_show_artwork_is_folder_art_only(tmp_path: Path) -> None:
    from engine.ingest.artwork import find_show_artwork

    show = tmp_path / "Podcast"
    show.mkdir()
    episode_art = show / "episode 1.jpg"
    cover = show / "Cover.PNG"
    for path in (episode_art, cover):
        path.write_bytes(b"x")
    ctx = DirContext(root=str(tmp_path), images=(str(episode_art), str(cover)))
    assert find_show_artwork(ctx) == str(cover)
    assert find_show_artwork(DirContext(root=str(tmp_path), images=(str(episode_art),))) is None


# --- every source, through a real scan ---------------------------------------------------------


def _colour_of(path: str | None) -> tuple[int, int, int]:
    """The centre colour of an image file (generated art is one solid colour)."""
    assert path is not None
    with Image.open(path) as img:
        rgb = img.convert("RGB")
        r, g, b = rgb.getpixel((rgb.width // 2, rgb.height // 2))  # type: ignore[misc]
    return int(r), int(g), int(b)


def _near(found: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(found, wanted, strict=True))  # JPEG rounding


def _scanned(tmp_path: Path, folder: Path, kind: str) -> Library:
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(folder, kind)
    lib.scan()
    return lib


def _one(lib: Library, title: str | None = None) -> dict[str, Any]:
    items = [i for i in lib.items() if title is None or i["title"] == title]
    assert len(items) == 1, [i["title"] for i in lib.items()]
    return items[0]


SEASON_POSTER = (20, 140, 60)
FANART = (200, 120, 10)
SHOW_POSTER = (30, 60, 200)


def test_season_poster_in_the_show_folder_is_the_episode_art(tmp_path: Path) -> None:
    # Kodi keeps season posters in the show folder; the episode has no art of its own.
    show = tmp_path / "TV" / "Harbour Lights"
    season = show / "Season 2"
    season.mkdir(parents=True)
    make_video(season / "Harbour Lights S02E01.mkv", seconds=0.5, seed=1)
    make_jpeg(show / "season02-poster.jpg", (40, 60), SEASON_POSTER)
    make_jpeg(show / "season01-poster.jpg", (40, 60), (250, 250, 250))  # another season's
    make_jpeg(show / "poster.jpg", (40, 60), SHOW_POSTER)
    lib = _scanned(tmp_path, tmp_path / "TV", "video")
    try:
        item = _one(lib)
        assert _near(_colour_of(lib.artwork(int(item["id"]))), SEASON_POSTER)
    finally:
        lib.close()


@pytest.mark.parametrize("name", ["default.jpg", "movie.png", "jacket.jpg", "albumart.jpg"])
def test_kodi_and_jellyfin_folder_names(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "Films" / "Tidewater (1999)"
    folder.mkdir(parents=True)
    make_video(folder / "Tidewater (1999).mkv", seconds=0.5, seed=2)
    (make_png if name.endswith(".png") else make_jpeg)(folder / name, (40, 60), SHOW_POSTER)
    lib = _scanned(tmp_path, tmp_path / "Films", "video")
    try:
        assert _near(_colour_of(lib.artwork(int(_one(lib)["id"]))), SHOW_POSTER)
    finally:
        lib.close()


def test_fanart_is_the_backdrop_and_the_art_of_last_resort(tmp_path: Path) -> None:
    films = tmp_path / "Films"
    with_poster, fanart_only = films / "Kestrel (2004)", films / "Shoals (2010)"
    for folder in (with_poster, fanart_only):
        folder.mkdir(parents=True)
        make_video(folder / f"{folder.name}.mkv", seconds=0.5, seed=len(folder.name))
        make_jpeg(folder / "fanart.jpg", (96, 54), FANART)
    make_jpeg(with_poster / "poster.jpg", (40, 60), SHOW_POSTER)
    lib = _scanned(tmp_path, films, "video")
    try:
        poster_item = int(_one(lib, "Kestrel")["id"])
        fanart_item = int(_one(lib, "Shoals")["id"])
        assert _near(_colour_of(lib.artwork(poster_item)), SHOW_POSTER)  # the poster wins
        assert lib.backdrop(poster_item) == str(with_poster / "fanart.jpg")
        # Only a backdrop: it stands in as the art, rather than a frame of the video.
        assert _near(_colour_of(lib.artwork(fanart_item)), FANART)
        assert lib.backdrop(fanart_item) == str(fanart_only / "fanart.jpg")
    finally:
        lib.close()


def test_no_backdrop(tmp_path: Path) -> None:
    folder = tmp_path / "Films" / "Plain (2001)"
    folder.mkdir(parents=True)
    make_video(folder / "Plain (2001).mkv", seconds=0.5, seed=3)
    make_jpeg(folder / "poster.jpg", (40, 60), SHOW_POSTER)
    lib = _scanned(tmp_path, tmp_path / "Films", "video")
    try:
        assert lib.backdrop(int(_one(lib)["id"])) is None
    finally:
        lib.close()


FEED_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>Quiet Rooms</title>
    <itunes:image href="https://quiet.example.org/art/Quiet%20Rooms%20Cover.png?v=3"/>
    <item>
      <title>The Reading Room</title>
      <guid>qr-1</guid>
      <enclosure url="https://quiet.example.org/ep1.mp3" type="audio/mpeg" length="1"/>
      <itunes:image href="https://quiet.example.org/art/ep1-square.jpg"/>
    </item>
    <item>
      <title>The Boiler Room</title>
      <guid>qr-2</guid>
      <enclosure url="https://quiet.example.org/ep2.mp3" type="audio/mpeg" length="1"/>
    </item>
  </channel>
</rss>
"""
CHANNEL = (120, 30, 160)
EPISODE = (10, 150, 150)


def test_feed_images_saved_beside_the_feed_are_used(tmp_path: Path) -> None:
    show = tmp_path / "Podcasts" / "Quiet Rooms"
    show.mkdir(parents=True)
    (show / "feed.xml").write_text(FEED_XML, encoding="utf-8")
    make_audio(show / "ep1.mp3", seconds=0.2, seed=1)
    make_audio(show / "ep2.mp3", seconds=0.2, seed=2)
    # Saved under the names in the feed's URLs (not folder/cover), as podcatchers do.
    make_png(show / "Quiet Rooms Cover.png", (50, 50), CHANNEL)
    make_jpeg(show / "ep1-square.jpg", (50, 50), EPISODE)
    lib = _scanned(tmp_path, tmp_path / "Podcasts", "podcast")
    try:
        first, second = _one(lib, "The Reading Room"), _one(lib, "The Boiler Room")
        assert _near(_colour_of(lib.artwork(int(first["id"]))), EPISODE)
        assert _near(_colour_of(lib.artwork(int(second["id"]))), CHANNEL)  # the show's cover
        (show_row,) = lib.shows("podcast")
        assert _near(_colour_of(show_row["artwork"]), CHANNEL)
    finally:
        lib.close()


def test_feed_image_that_is_not_on_disk_is_not_fetched(tmp_path: Path) -> None:
    show = tmp_path / "Podcasts" / "Quiet Rooms"
    show.mkdir(parents=True)
    (show / "feed.xml").write_text(FEED_XML, encoding="utf-8")
    make_audio(show / "ep2.mp3", seconds=0.2, seed=2)
    lib = _scanned(tmp_path, tmp_path / "Podcasts", "podcast")
    try:
        assert lib.artwork(int(_one(lib)["id"])) is None  # audio: no frame, and no download
    finally:
        lib.close()


def test_season_folder_names() -> None:
    assert artwork._season_of("Season 1") == 1
    assert artwork._season_of("season_03") == 3
    assert artwork._season_of("S04") == 4
    assert artwork._season_of("Specials") == 0
    assert artwork._season_of("Extras") is None


def test_stored_art_is_large_enough_for_sharp_cards_on_hidpi(tmp_path: Path) -> None:
    # A 2:3 poster card is 222 px tall: at 2x it needs 444 px, so 320 px thumbnails blur.
    folder = tmp_path / "Films" / "Tidewater (1999)"
    folder.mkdir(parents=True)
    make_video(folder / "Tidewater (1999).mkv", seconds=0.5, seed=2)
    make_jpeg(folder / "poster.jpg", (1000, 1500), SHOW_POSTER)
    lib = _scanned(tmp_path, tmp_path / "Films", "video")
    try:
        thumb = lib.artwork(int(_one(lib)["id"]))
        assert thumb is not None
        with Image.open(thumb) as img:
            assert img.size == (400, 600)
    finally:
        lib.close()


# --- pictures inside WMA and APEv2-tagged files (WavPack) -----------------------------------


def _encode_tone(path: Path, container: str, codec: str) -> Path:
    import av
    import numpy as np

    out = av.open(str(path), "w", format=container)
    stream: Any = out.add_stream(codec, rate=44100, layout="stereo")
    stream.format = "fltp"
    if codec == "wmav2":
        stream.bit_rate = 128_000
    size = stream.codec_context.frame_size or 1024
    tone = (np.sin(np.arange(size) / 10) * 0.3).astype("float32")
    for n in range(10):
        frame = av.AudioFrame.from_ndarray(np.stack([tone, tone]), format="fltp", layout="stereo")
        frame.sample_rate = 44100
        frame.pts = n * size
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()
    return path


def _wm_picture(kind: int, data: bytes) -> bytes:
    mime = "image/jpeg".encode("utf-16-le") + b"\x00\x00"
    description = "cover".encode("utf-16-le") + b"\x00\x00"
    return bytes([kind]) + struct.pack("<I", len(data)) + mime + description + data


def test_wma_picture_front_cover_first(tmp_path: Path) -> None:
    from mutagen.asf import ASF, ASFByteArrayAttribute

    path = _encode_tone(tmp_path / "episode.wma", "asf", "wmav2")
    back = make_jpeg(size=(8, 8), color=(0, 0, 255))
    front = make_jpeg(size=(16, 16), color=(0, 255, 0))
    audio: Any = ASF(str(path))
    audio["WM/Picture"] = [
        ASFByteArrayAttribute(_wm_picture(4, back)),
        ASFByteArrayAttribute(_wm_picture(3, front)),
    ]
    audio.save()
    assert artwork.embedded_picture(str(path)) == front


def test_wavpack_ape_cover_art(tmp_path: Path) -> None:
    from mutagen.apev2 import BINARY, APEv2, APEValue

    path = _encode_tone(tmp_path / "talk.wv", "wv", "wavpack")
    cover = make_jpeg(size=(12, 12))
    tags: Any = APEv2(str(path))
    tags["Cover Art (Front)"] = APEValue(b"cover.jpg\x00" + cover, BINARY)
    tags["Title"] = "Talk"
    tags.save(str(path))
    assert artwork.embedded_picture(str(path)) == cover


def test_no_embedded_picture(tmp_path: Path) -> None:
    bare = _encode_tone(tmp_path / "bare.wv", "wv", "wavpack")
    assert artwork.embedded_picture(str(bare)) is None
    junk = tmp_path / "junk.wma"
    junk.write_bytes(b"not an asf file at all")
    assert artwork.embedded_picture(str(junk)) is None
    mp3 = make_audio(tmp_path / "x.mp3", seconds=0.2, title="x")
    assert artwork.embedded_picture(str(mp3)) is None  # the tag reader's business


def test_scan_takes_a_wma_cover(library: Library, podcasts: Path) -> None:
    from mutagen.asf import ASF, ASFByteArrayAttribute

    show = podcasts / "Radio Hour"
    show.mkdir()
    path = _encode_tone(show / "first.wma", "asf", "wmav2")
    audio: Any = ASF(str(path))
    audio["Title"] = ["First"]
    audio["WM/Picture"] = [ASFByteArrayAttribute(_wm_picture(3, make_jpeg(size=(20, 20))))]
    audio.save()
    library.add_root(podcasts, "podcast")
    library.scan()
    (item,) = library.items()
    assert item["title"] == "First"
    assert item["artwork"] and Path(str(item["artwork"])).is_file()


def test_banner_and_clearlogo_are_not_art_landscape_is_a_backdrop(tmp_path: Path) -> None:
    show = tmp_path / "Show"
    season = show / "Season 02"
    season.mkdir(parents=True)
    media = str(season / "Show S02E01.mkv")
    banner = str(show / "banner.jpg")
    logo = str(show / "clearlogo.png")
    landscape = str(show / "landscape.jpg")
    special = str(show / "season-specials-poster.jpg")
    second = str(show / "season02-poster.jpg")
    ctx = DirContext(root=str(tmp_path), show_images=(banner, logo, landscape))
    assert artwork.find_artwork(media, ctx) is None
    assert artwork.find_backdrop(media, ctx) == landscape
    ctx = DirContext(root=str(tmp_path), show_images=(banner, logo, special, second))
    assert artwork.find_artwork(media, ctx) == second
    assert artwork.find_artwork(str(show / "Specials" / "x.mkv"), ctx) == special
