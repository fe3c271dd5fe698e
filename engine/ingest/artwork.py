"""Artwork next to media files, the inside-the-root check, and the thumbnail cache."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import struct
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import mutagen
from mutagen.apev2 import APENoHeaderError, APEv2
from mutagen.asf import ASF
from PIL import Image, ImageOps

from engine.ingest.metadata import DirContext, ReaderError
from engine.ingest.safe_read import read_capped

log = logging.getLogger(__name__)

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# Folder art, first wins: Kodi's and Jellyfin's names for a poster or cover, then album art.
FOLDER_NAMES = (
    "folder",
    "poster",
    "cover",
    "default",
    "movie",
    "show",
    "jacket",
    "front",
    "albumart",
    "album",
    "thumb",
)
# A wide picture behind the title (Kodi "fanart", Jellyfin "backdrop"): the detail page's
# backdrop, and an item's art only when nothing else exists.
BACKDROP_NAMES = ("fanart", "backdrop", "background", "landscape")
_SEASON_FOLDER = re.compile(
    r"^(?:season|series|staffel|saison|temporada)[ ._-]*(\d{1,3})$|^s(\d{1,3})$"
)
DEFAULT_THUMB_SIZE = 320
# What the scanner stores for cards: twice the largest card side (a 2:3 poster is 222 px tall,
# a 16:9 frame 264 px wide), so art stays sharp on HiDPI screens. The desktop crops and scales
# it to each size shown and caches that.
STORED_THUMB_SIZE = 600
MAX_SOURCE_BYTES = 64 * 1024 * 1024
# Stricter than Pillow's default (~89 Mpx); checked before decoding, so a small file that claims
# a huge canvas is refused without allocating it. Cover art is rarely over 10 Mpx.
MAX_PIXELS = 50_000_000
# Only decoders we expect for cover art: keeps Pillow's exotic plugins (EPS runs Ghostscript)
# away from untrusted bytes.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")


def inside_root(path: str, root: str) -> bool:
    """True if `path`, with symlinks and `..` resolved, lies inside `root` (or is root).

    A relative `path` is taken relative to `root`, never to the working directory.
    """
    try:
        real_root = os.path.realpath(root)
        real_path = os.path.realpath(Path(real_root, path))
        return os.path.commonpath([real_root, real_path]) == real_root
    except (OSError, ValueError):
        # ValueError: different drives on Windows, or an embedded NUL.
        return False


def find_artwork(media: str, ctx: DirContext, season: int | None = None) -> str | None:
    """The artwork for `media` among the images the scanner saw, or None.

    Precedence: `<stem>.ext`, `<stem>-poster`, `<stem>-thumb`, `<stem>-cover` in the media's
    folder; then folder art (`FOLDER_NAMES`) in the folder; then the season's poster
    (`season01-poster`, `season-specials-poster`, `season-all-poster`, in the folder or the show
    folder above); then folder art in the parent (show) folder. Names compare case-insensitively.
    A candidate whose real path leaves the root (a symlink out) is skipped. `season` defaults to
    the number in a "Season 1" / "S01" folder name. Backdrops (fanart) are `find_backdrop`'s.
    """
    stem = Path(media).stem.casefold()
    own = _by_name(ctx.images)
    if season is None:
        season = _season_of(Path(media).parent.name)
    candidates = [
        *_named(own, (stem, f"{stem}-poster", f"{stem}-thumb", f"{stem}-cover")),
        *_named(own, FOLDER_NAMES),
        *_season_art(ctx, season),
        *_named(_by_name(ctx.show_images), FOLDER_NAMES),
    ]
    return _first_inside(candidates, ctx.root)


def find_show_artwork(ctx: DirContext) -> str | None:
    """Folder-level art (`FOLDER_NAMES` in the folder, then the parent): a podcast's or
    show's own cover, as opposed to one episode's."""
    return _first_inside(_folder_art(ctx), ctx.root)


def find_backdrop(media: str, ctx: DirContext) -> str | None:
    """A wide backdrop for `media`: `<stem>-fanart`, then `BACKDROP_NAMES` in its folder, then in
    the parent (show) folder; None if there is none."""
    stem = Path(media).stem.casefold()
    candidates = [
        *_named(_by_name(ctx.images), (f"{stem}-fanart", f"{stem}-backdrop", *BACKDROP_NAMES)),
        *_named(_by_name(ctx.show_images), BACKDROP_NAMES),
    ]
    return _first_inside(candidates, ctx.root)


def backdrop_for(media: str, root: str) -> str | None:
    """`find_backdrop` for a catalogued file, listing its folder (and the parent, if inside
    `root`) now: the scanner's context is not kept. A few ms; call it in the background."""
    folder = Path(media).parent
    parent = (
        folder.parent if inside_root(str(folder.parent), root) and folder != Path(root) else None
    )
    ctx = DirContext(
        root=root,
        images=_images_in(folder),
        show_images=_images_in(parent) if parent is not None else (),
    )
    return find_backdrop(media, ctx)


def local_image(url: str | None, ctx: DirContext) -> str | None:
    """The image a feed names by URL, if a file of that name lies beside the feed (podcatchers
    save the channel image under its own name); never fetched."""
    if not url:
        return None
    name = unquote(urlsplit(url.strip()).path.rsplit("/", 1)[-1]).casefold()
    if not name or not name.endswith(IMAGE_EXTENSIONS):
        return None
    for images in (ctx.images, ctx.show_images):
        hit = _by_name(images).get(name)
        if hit is not None:
            return _first_inside([hit], ctx.root)
    return None


# Formats whose pictures the tag reader (ingest/audio.py) does not take: ASF (WMA) keeps them
# in WM/Picture, Monkey's Audio, WavPack and Musepack in APEv2 "Cover Art (...)" items.
_ASF_SUFFIXES = (".wma", ".asf")
_APE_SUFFIXES = (".ape", ".wv", ".mpc", ".tak", ".ofr")
_FRONT_COVER = 3
# mutagen's partial annotations leave these constructors untyped
_ASF: Any = ASF
_APE: Any = APEv2


def embedded_picture(path: str) -> bytes | None:
    """The cover embedded in a WMA or APEv2-tagged file (front cover first); None for other
    formats, for none, or for a picture that cannot be parsed. Never decodes audio."""
    lower = path.lower()
    try:
        if lower.endswith(_ASF_SUFFIXES):
            return _asf_picture(_ASF(path))
        if lower.endswith(_APE_SUFFIXES):
            return _ape_picture(_APE(path))
    except APENoHeaderError:
        return None
    except (mutagen.MutagenError, OSError, ValueError, struct.error, IndexError) as exc:
        log.debug("no embedded picture read from %s: %s", path, exc)
    return None


def _asf_picture(audio: Any) -> bytes | None:
    pictures: list[tuple[int, bytes]] = []
    for value in audio.tags.get("WM/Picture", []) if audio.tags else []:
        raw = bytes(value.value)
        # WM/Picture: type (1 byte), data size (uint32 LE), MIME and description (UTF-16LE,
        # NUL-terminated), then the image.
        size = struct.unpack_from("<I", raw, 1)[0]
        start = _after_utf16_string(raw, _after_utf16_string(raw, 5))
        data = raw[start : start + size]
        if data:
            pictures.append((raw[0], data))
    pictures.sort(key=lambda p: p[0] != _FRONT_COVER)
    return pictures[0][1] if pictures else None


def _after_utf16_string(raw: bytes, pos: int) -> int:
    while pos + 1 < len(raw):
        if raw[pos : pos + 2] == b"\x00\x00":
            return pos + 2
        pos += 2
    raise ValueError("unterminated string in WM/Picture")


def _ape_picture(tags: Any) -> bytes | None:
    keys = sorted(
        (k for k in tags if k.casefold().startswith("cover art")),
        key=lambda k: k.casefold() != "cover art (front)",
    )
    for key in keys:
        raw = bytes(tags[key].value)
        _name, sep, data = raw.partition(b"\x00")  # "cover.jpg\0" then the image
        if sep and data:
            return data
    return None


def _images_in(folder: Path) -> tuple[str, ...]:
    try:
        with os.scandir(folder) as entries:
            return tuple(
                e.path
                for e in entries
                if e.name.casefold().endswith(IMAGE_EXTENSIONS) and e.is_file(follow_symlinks=False)
            )
    except OSError:
        return ()


def _season_of(folder_name: str) -> int | None:
    match = _SEASON_FOLDER.match(folder_name.strip().casefold())
    if match is None:
        return 0 if folder_name.strip().casefold() == "specials" else None
    return int(match.group(1) or match.group(2))


def _season_art(ctx: DirContext, season: int | None) -> list[str]:
    if season is None:
        return []
    names = ("season-specials-poster",) if season == 0 else ()
    names = (*names, f"season{season:02d}-poster", f"season{season:02d}", "season-all-poster")
    return [*_named(_by_name(ctx.images), names), *_named(_by_name(ctx.show_images), names)]


def _folder_art(ctx: DirContext) -> list[str]:
    return [
        *_named(_by_name(ctx.images), FOLDER_NAMES),
        *_named(_by_name(ctx.show_images), FOLDER_NAMES),
    ]


def _first_inside(candidates: list[str], root: str) -> str | None:
    for candidate in candidates:
        if inside_root(candidate, root):
            return os.path.abspath(candidate)
        log.info("ignoring artwork outside the library root: %s", candidate)
    return None


def _by_name(paths: tuple[str, ...]) -> dict[str, str]:
    by_name: dict[str, str] = {}
    for p in sorted(paths):  # sorted so "Cover.jpg" vs "cover.JPG" resolves the same every run
        by_name.setdefault(Path(p).name.casefold(), p)
    return by_name


def _named(by_name: dict[str, str], stems: tuple[str, ...]) -> list[str]:
    found = []
    for stem in stems:
        for ext in IMAGE_EXTENSIONS:
            hit = by_name.get(f"{stem}{ext}")
            if hit is not None:
                found.append(hit)
    return found


def make_thumbnail(source: bytes | str, cache_dir: str, max_size: int = DEFAULT_THUMB_SIZE) -> str:
    """A JPEG thumbnail of `source` (image bytes or a path) no larger than max_size px a side.

    Cached by content at `cache_dir/<sha1[:2]>/<sha1>.jpg` (a non-default max_size adds
    `_<max_size>` to the name); an existing thumbnail is returned without decoding anything.
    The file appears atomically, so concurrent threads or processes making the same thumbnail
    each write a private temp file and the last rename wins with identical content.
    Raises ReaderError for unreadable, corrupt, oversized or unsupported images.
    """
    if max_size < 1:
        raise ValueError("max_size must be positive")
    data = _source_bytes(source)
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    suffix = "" if max_size == DEFAULT_THUMB_SIZE else f"_{max_size}"
    out_dir = Path(cache_dir, digest[:2])
    out = out_dir / f"{digest}{suffix}.jpg"
    if out.is_file():
        return str(out)
    image = _render(data, max_size)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(image, out)
    return str(out)


def _source_bytes(source: bytes | str) -> bytes:
    if isinstance(source, bytes):
        data = source
        if len(data) > MAX_SOURCE_BYTES:
            raise ReaderError(f"image is too large (over {MAX_SOURCE_BYTES} bytes)")
    else:
        data = read_capped(source, MAX_SOURCE_BYTES, "image")
    if not data:
        raise ReaderError("image is empty")
    return data


def _render(data: bytes, max_size: int) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as img:
            width, height = img.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise ReaderError(f"image refused: {width}x{height} pixels is too large")
            # JPEG can decode at 1/2..1/8 scale directly, which is much cheaper for big covers.
            img.draft("RGB", (max_size, max_size))
            img.load()
            thumb = ImageOps.exif_transpose(img)
            thumb.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
            return _to_rgb(thumb)
    except ReaderError:
        raise
    except Image.DecompressionBombError as exc:
        raise ReaderError(f"image refused as a decompression bomb: {exc}") from exc
    except Exception as exc:
        # Pillow raises many types (OSError, SyntaxError, ValueError, struct.error, ...) on
        # corrupt input; for untrusted bytes every one of them means "unreadable image".
        raise ReaderError(f"cannot decode image: {exc}") from exc


def _to_rgb(img: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent areas become white rather than black."""
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA"):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def _write_atomically(image: Image.Image, out: Path) -> None:
    # A private temp file in the same directory, so the final rename cannot cross filesystems
    # and readers only ever see a missing or a complete thumbnail.
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=".thumb-", suffix=".tmp")
    tmp = Path(tmp_name)
    renamed = False
    try:
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, "JPEG", quality=85, optimize=True)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            tmp.replace(out)  # os.replace: atomic, overwrites a concurrent writer's result
            renamed = True
        except OSError:
            # Windows refuses to replace a file another process holds open; that process
            # already wrote the same thumbnail, so theirs is as good as ours.
            if not out.is_file():
                raise
    finally:
        if not renamed:
            with contextlib.suppress(OSError):
                tmp.unlink()
    _fsync_dir(out.parent)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable; POSIX only, and best effort."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
