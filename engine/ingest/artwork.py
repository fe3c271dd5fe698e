"""Artwork next to media files, the inside-the-root check, and the thumbnail cache."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

from engine.ingest.metadata import DirContext, ReaderError
from engine.ingest.safe_read import read_capped

log = logging.getLogger(__name__)

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
FOLDER_NAMES = ("folder", "poster", "cover")
DEFAULT_THUMB_SIZE = 320
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


def find_artwork(media: str, ctx: DirContext) -> str | None:
    """The artwork for `media` among the images the scanner saw, or None.

    Precedence: `<stem>.ext`, `<stem>-poster.ext`, `<stem>-thumb.ext` in the media's folder; then
    folder/poster/cover in the folder; then the same in the parent (show) folder. Names compare
    case-insensitively. A candidate whose real path leaves the root (a symlink out) is skipped.
    """
    stem = Path(media).stem.casefold()
    own = _by_name(ctx.images)
    candidates = [*_named(own, (stem, f"{stem}-poster", f"{stem}-thumb")), *_folder_art(ctx)]
    return _first_inside(candidates, ctx.root)


def find_show_artwork(ctx: DirContext) -> str | None:
    """Folder-level art (folder/poster/cover in the folder, then the parent): a podcast's or
    show's own cover, as opposed to one episode's."""
    return _first_inside(_folder_art(ctx), ctx.root)


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
