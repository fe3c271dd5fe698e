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

import pytest
from PIL import Image

from engine.ingest import artwork
from engine.ingest.artwork import find_artwork, inside_root, make_thumbnail
from engine.ingest.metadata import DirContext, ReaderError

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
