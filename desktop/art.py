"""Artwork for every view: one provider that decodes, crops, caches and generates covers.

Public API (cards, Home, the browse grid, the detail page and the now-playing bar all use it):

``Art(path, title, show="", kind=None, item_id=None)``
    What to draw for one thing. ``path`` is an image file (the engine's thumbnail, a sidecar, a
    backdrop); with ``path=None`` and an ``item_id`` the provider asks
    ``Library.artwork(item_id)`` in the background (which may grab a video frame). ``title``,
    ``show`` and ``kind`` make the generated cover when there is no art at all.

``ArtProvider.shared(library, tasks) -> ArtProvider``
    The one provider for this ``Tasks`` (it is kept as the tasks object's child, no globals).

``provider.pixmap(art, size, dpr) -> QPixmap``
    Never blocks and never returns a null pixmap: the art cropped (not letterboxed) to ``size``
    (logical px) at ``dpr``; where no art exists, the generated cover; while either is being
    made (in the background, both, through ``Tasks``), a quiet tile in the cover's colours.
    ``changed`` fires when new art is ready, so a view connects it to ``update()``.

    ``text=False`` gives the cover's gradient without its lettering where there is no art (for
    backdrops, which are blurred).

``provider.paint(painter, rect, art, radius=RADIUS["art"])``
    ``pixmap`` at ``rect``'s size and the painter's device pixel ratio, clipped to a rounded rect.

``provider.ready(art, size, dpr) -> bool``
    Whether ``pixmap`` would return the final image (art or generated cover) now.

``art_size(kind, width=None) -> QSize``
    The card art size for a kind (``theme.CARD_ART`` by ``theme.art_shape``), optionally scaled to
    a width, keeping the shape: square podcasts/audio, 2:3 films/shows, 16:9 episodes/videos.

``generated_cover(title, show, size, dpr=1.0) -> QImage``
    The cover drawn where no art exists: colours from a hash of the show (else the title), the
    title set to fit, the show name small. Deterministic; safe on any thread. The provider
    sets a square (podcast, album) cover to the show's name alone, like real podcast art.

Caches: scaled images on disk under ``<data dir>/art-cache`` keyed by the source's path, size and
mtime plus the target pixel size (so a changed file is re-read, and each size shown is decoded
once), kept under ``CACHE_BYTES`` by ``prune_cache`` (least recently used first, at start-up
in the background), and pixmaps in ``QPixmapCache``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageReader,
    QImageWriter,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPixmap,
    QPixmapCache,
    QRadialGradient,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication

from desktop.tasks import Tasks
from desktop.theme import CARD_ART, RADIUS, art_shape
from engine.library import Library

log = logging.getLogger(__name__)

__all__ = ["Art", "ArtProvider", "art_size", "cover_colors", "generated_cover", "prune_cache"]

_CACHE_DIR = "art-cache"
CACHE_BYTES = 256 * 1024 * 1024  # the disk cache's size; the least recently used go first
_PIXMAP_CACHE_KB = 96 * 1024  # ~150 cards at 2x; QPixmapCache's default (10 MB) holds ~20
_MAX_SOURCE_SIDE = 8192  # refuse absurd canvases before decoding (they would be scaled anyway)
_OBJECT_NAME = "reelcast-art-provider"


@dataclass(frozen=True)
class Art:
    """One thing to draw art for; see the module docstring."""

    path: str | None
    title: str
    show: str = ""
    kind: str | None = None
    item_id: int | None = None

    @property
    def cover_key(self) -> str:
        """What the generated cover's colours come from: the show, so a show's items match."""
        return (self.show or self.title).strip().casefold()


def art_size(kind: str | None, width: int | None = None) -> QSize:
    """The card art size for `kind`, optionally scaled to `width` with the same shape."""
    base = CARD_ART[art_shape(kind)]
    if width is None:
        return QSize(base)
    return QSize(width, round(width * base.height() / base.width()))


# --- generated covers ----------------------------------------------------------------------------


# Hand-picked gradient pairs (start, end): deep, saturated, never muddy; white text reads on all
# of them at better than 4.5:1. A hash picks one and nudges its hue a little, so shows differ.
_PALETTES = (
    ("#3a47d5", "#1b1f6b"),
    ("#7b2ff7", "#2d0b6b"),
    ("#c2185b", "#4a0f3b"),
    ("#d84315", "#5c1a0b"),
    ("#00897b", "#0b3b4a"),
    ("#1e88e5", "#0b2a5c"),
    ("#6d4c41", "#2b1a14"),
    ("#ad1457", "#3b0b5c"),
    ("#2e7d32", "#0b3b2b"),
    ("#5e35b1", "#1a237e"),
    ("#00838f", "#102a5c"),
    ("#bf360c", "#4e0b2b"),
    ("#455a64", "#1b2630"),
    ("#8e24aa", "#3b0b3b"),
    ("#c62828", "#3b0b1b"),
    ("#0277bd", "#2d0b5c"),
)


def cover_colors(key: str) -> tuple[QColor, QColor]:
    """Two colours for a gradient, fixed by `key`: deep enough that white text reads on both."""
    digest = hashlib.sha1(key.strip().casefold().encode("utf-8"), usedforsecurity=False).digest()
    start, end = _PALETTES[int.from_bytes(digest[:4], "big") % len(_PALETTES)]
    nudge = (digest[4] / 255.0 - 0.5) * 0.05  # within a palette, shows still differ a little
    return _nudged(QColor(start), nudge), _nudged(QColor(end), nudge)


def _nudged(color: QColor, hue_shift: float) -> QColor:
    hue = max(color.hslHueF(), 0.0)  # -1 for greys
    return QColor.fromHslF(
        (hue + hue_shift) % 1.0, color.hslSaturationF(), color.lightnessF(), color.alphaF()
    )


def generated_cover(title: str, show: str, size: QSize, dpr: float = 1.0) -> QImage:
    """A cover for something without art (see the module docstring)."""
    pixels = QSize(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
    image = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    first, second = cover_colors(show or title)
    w, h = float(size.width()), float(size.height())
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        gradient = QLinearGradient(QPointF(0, 0), QPointF(w, h))
        gradient.setColorAt(0.0, first)
        gradient.setColorAt(1.0, second)
        painter.fillRect(QRectF(0, 0, w, h), gradient)
        # A soft light from one corner (which, from the hash) gives depth without a pattern.
        digest = hashlib.sha1((show or title).casefold().encode(), usedforsecurity=False).digest()
        corner = QPointF(w * (0.15 + 0.7 * (digest[7] & 1)), h * 0.1)
        glow = QRadialGradient(corner, max(w, h) * 0.9)
        glow.setColorAt(0.0, QColor(255, 255, 255, 46))
        glow.setColorAt(1.0, QColor(255, 255, 255, 0))
        painter.fillRect(QRectF(0, 0, w, h), glow)
        _paint_cover_text(painter, title or show, show if title and show != title else "", w, h)
    finally:
        painter.end()
    return image


def _paint_cover_text(painter: QPainter, title: str, show: str, w: float, h: float) -> None:
    margin = round(min(w, h) * 0.09)
    # A deeper foot than the sides: a card's progress bar sits there, over the art.
    box = QRectF(margin, margin, w - 2 * margin, h - margin * 2.6)
    base = QFont(QApplication.font()) if QApplication.instance() else QFont()
    top = box.top()
    if show:
        small = QFont(base)
        small.setPixelSize(max(8, round(min(w, h) * 0.075)))
        small.setWeight(QFont.Weight.DemiBold)
        small.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        painter.setPen(QColor(255, 255, 255, 200))
        text = metrics.elidedText(show.upper(), Qt.TextElideMode.ElideRight, box.width())
        painter.drawText(QPointF(box.left(), top + metrics.ascent()), text)
        top += metrics.height() + margin * 0.5
    area = QRectF(box.left(), top, box.width(), box.bottom() - top)
    if not title or area.height() < 8:
        return
    font, lines = _fit_title(base, title, area)
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255))
    leading = metrics.height() * 1.05
    block = leading * len(lines)
    # Bottom-aligned, like a book cover's title over its foot; the show name holds the top.
    y = area.bottom() - block + metrics.ascent()
    for line in lines:
        painter.drawText(QPointF(area.left(), y), line)
        y += leading


def _fit_title(base: QFont, title: str, area: QRectF) -> tuple[QFont, list[str]]:
    """The largest size (down to a floor) at which `title` wraps into `area`, lines balanced."""
    font = QFont(base)
    font.setWeight(QFont.Weight.Bold)
    largest = max(9, round(min(area.width() * 0.2, area.height() * 0.34)))
    size = largest
    while True:
        font.setPixelSize(size)
        metrics = QFontMetricsF(font)
        max_lines = max(1, int(area.height() // (metrics.height() * 1.05)))
        lines = _wrap(font, title, area.width())
        # Whole words until the size has fallen a lot; then a very long word may break.
        words_fit = size < largest * 0.6 or all(
            metrics.horizontalAdvance(word) <= area.width() for word in _words(title)
        )
        if (len(lines) <= min(max_lines, 5) and words_fit) or size <= 9:
            break
        size = max(9, round(size * 0.9))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = metrics.elidedText(lines[-1] + "…", Qt.TextElideMode.ElideRight, area.width())
    elif len(lines) > 1:
        lines = _balanced(font, title, area.width(), len(lines))
    return font, lines


def _words(text: str) -> list[str]:
    """Words that must not break; none for scripts written without spaces (CJK, Thai)."""
    if any(ord(ch) >= 0x2E80 for ch in text):
        return []
    return text.split()


def _wrap(font: QFont, text: str, width: float) -> list[str]:
    """Lines of `text` at `width` (words kept whole; CJK and over-long words break anywhere)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].strip())
    layout.endLayout()
    return [line for line in lines if line] or [text]


def _balanced(font: QFont, text: str, width: float, count: int) -> list[str]:
    """The narrowest width that still needs only `count` lines: even lines, no lone last word."""
    metrics = QFontMetricsF(font)
    widest = max((metrics.horizontalAdvance(word) for word in _words(text)), default=0.0)
    low, high = max(width * 0.4, min(widest, width)), width
    best = _wrap(font, text, width)
    for _ in range(8):
        mid = (low + high) / 2
        lines = _wrap(font, text, mid)
        if len(lines) <= count:
            best, high = lines, mid
        else:
            low = mid
    return best


# --- decoding (background) -----------------------------------------------------------------------


def _cache_name(path: str, pixels: QSize) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    size = f"{pixels.width()}x{pixels.height()}"
    key = f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0{size}"
    return hashlib.sha1(key.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()


def _decode_cropped(path: str, pixels: QSize) -> QImage | None:
    """`path` scaled to cover `pixels` and centre-cropped to it; None if unreadable."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # EXIF orientation
    source = reader.size()
    if source.isValid():
        if max(source.width(), source.height()) > _MAX_SOURCE_SIDE * 4:
            log.info(
                "artwork refused, %dx%d is too large: %s", source.width(), source.height(), path
            )
            return None
        scaled = source.scaled(pixels, Qt.AspectRatioMode.KeepAspectRatioByExpanding)
        if scaled.width() < source.width():
            reader.setScaledSize(scaled)  # JPEG decodes at a fraction of the size: much cheaper
    image = reader.read()
    if image.isNull():
        log.info("artwork unreadable: %s (%s)", path, reader.errorString())
        return None
    if image.size() != pixels:
        image = image.scaled(
            pixels,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        crop = QRect(QPoint(0, 0), pixels)
        crop.moveCenter(image.rect().center())
        image = image.copy(crop)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _save_atomically(image: QImage, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".art-", suffix=".tmp")
    os.close(fd)
    try:
        writer = QImageWriter(tmp, QByteArray(b"jpg"))
        writer.setQuality(90)
        if not writer.write(image):
            raise OSError(f"cannot write {tmp}: {writer.errorString()}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def prune_cache(cache_dir: Path, max_bytes: int = CACHE_BYTES) -> int:
    """Delete the least recently used cached images until the cache fits `max_bytes`; returns
    how many were deleted. A file in use is only ever replaced atomically, so this is safe
    while other threads read and write."""
    entries = []
    for path in cache_dir.glob("*/*.jpg"):
        with contextlib.suppress(OSError):
            st = path.stat()
            entries.append((st.st_mtime_ns, st.st_size, path))
    total = sum(size for _mtime, size, _path in entries)
    removed = 0
    for _mtime, size, path in sorted(entries):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
            removed += 1
    if removed:
        log.info("art cache: removed %d least recently used images", removed)
    return removed


# --- the provider --------------------------------------------------------------------------------


class ArtProvider(QObject):
    """Loads, caches and paints art for all views; see the module docstring."""

    changed = Signal()  # some art became ready: repaint what shows art

    def __init__(self, library: Library, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.cache_dir = Path(library.data_dir, _CACHE_DIR)
        # Threads that decoded art: tests check the UI thread never does.
        self.decode_threads: set[int] = set()
        self._pending: set[str] = set()
        self._missing: set[str] = set()  # keys known to have no art: the generated cover
        self._paths: dict[int, str | None] = {}  # item id -> resolved art path
        self._resolving: set[int] = set()
        self._notify = QTimer(self)
        self._notify.setSingleShot(True)
        self._notify.setInterval(0)  # one repaint for a burst of arrivals
        self._notify.timeout.connect(self.changed)
        if QPixmapCache.cacheLimit() < _PIXMAP_CACHE_KB:
            QPixmapCache.setCacheLimit(_PIXMAP_CACHE_KB)
        cache_dir = self.cache_dir
        tasks.run(lambda: prune_cache(cache_dir))  # once per run, in the background

    @classmethod
    def shared(cls, library: Library, tasks: Tasks) -> ArtProvider:
        found = tasks.findChild(ArtProvider, _OBJECT_NAME)
        if isinstance(found, ArtProvider) and found.library is library:
            return found
        provider = cls(library, tasks, tasks)
        provider.setObjectName(_OBJECT_NAME)
        return provider

    # --- public ---------------------------------------------------------------------------------

    def pixmap(self, art: Art, size: QSize, dpr: float, *, text: bool = True) -> QPixmap:
        pixels = QSize(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
        path = self._path_for(art)
        if path is None and art.item_id is not None and art.item_id not in self._paths:
            return self._placeholder(art, size, dpr)  # still resolving the item's art
        if path:
            key = self._key(path, pixels)
            cached = QPixmap()
            if QPixmapCache.find(key, cached) and not cached.isNull():
                return cached
            if key not in self._missing:
                self._load(path, key, pixels, dpr)
                return self._placeholder(art, size, dpr)
        return self._cover(art, size, dpr) if text else self._placeholder(art, size, dpr)

    def ready(self, art: Art, size: QSize, dpr: float) -> bool:
        pixels = QSize(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
        path = self._path_for(art)
        if path is None and art.item_id is not None and art.item_id not in self._paths:
            return False
        if path:
            key = self._key(path, pixels)
            if QPixmapCache.find(key, QPixmap()):
                return True
            if key not in self._missing:
                return False
        return bool(QPixmapCache.find(self._cover_key(art, size, dpr), QPixmap()))

    def paint(
        self, painter: QPainter, rect: QRect, art: Art, radius: float = RADIUS["art"]
    ) -> None:
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        pixmap = self.pixmap(art, rect.size(), dpr)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if radius > 0:
            clip = QPainterPath()
            clip.addRoundedRect(QRectF(rect), radius, radius)
            painter.setClipPath(clip, Qt.ClipOperation.IntersectClip)
        painter.drawPixmap(rect.topLeft(), pixmap)
        painter.restore()

    # --- internals ------------------------------------------------------------------------------

    def _path_for(self, art: Art) -> str | None:
        if art.path:
            return art.path
        if art.item_id is None:
            return None
        if art.item_id in self._paths:
            return self._paths[art.item_id]
        if art.item_id not in self._resolving:
            self._resolving.add(art.item_id)
            item_id, library = art.item_id, self.library
            self.tasks.run(
                lambda: library.artwork(item_id),
                on_done=lambda path: self._resolved(item_id, path),
                on_error=lambda _exc: self._resolved(item_id, None),
            )
        return None

    def _resolved(self, item_id: int, path: object) -> None:
        self._resolving.discard(item_id)
        self._paths[item_id] = str(path) if path else None
        self._notify.start()

    @staticmethod
    def _key(path: str, pixels: QSize) -> str:
        return f"reelcast-art:{path}:{pixels.width()}x{pixels.height()}"

    def _load(self, path: str, key: str, pixels: QSize, dpr: float) -> None:
        if key in self._pending:
            return
        self._pending.add(key)
        cache_dir, threads = self.cache_dir, self.decode_threads

        def load() -> QImage | None:
            threads.add(threading.get_ident())
            name = _cache_name(path, pixels)
            if name is None:
                return None
            cached = cache_dir / name[:2] / f"{name}.jpg"
            if cached.is_file():
                image = QImageReader(str(cached)).read()
                if not image.isNull() and image.size() == pixels:
                    with contextlib.suppress(OSError):
                        os.utime(cached)  # recently used: kept by prune_cache
                    return image
            decoded = _decode_cropped(path, pixels)
            if decoded is not None:
                try:
                    _save_atomically(decoded, cached)
                except OSError as exc:  # a full or read-only disk: still show it
                    log.info("cannot cache artwork %s: %s", path, exc)
            return decoded

        self.tasks.run(
            load,
            on_done=lambda image: self._loaded(key, image, dpr),
            on_error=lambda _exc: self._loaded(key, None, dpr),
        )

    def _loaded(self, key: str, image: object, dpr: float) -> None:
        self._pending.discard(key)
        if isinstance(image, QImage) and not image.isNull():
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(dpr)
            QPixmapCache.insert(key, pixmap)
        else:
            self._missing.add(key)
        self._notify.start()

    @staticmethod
    def _cover_key(art: Art, size: QSize, dpr: float) -> str:
        shape = art_shape(art.kind)
        dims = f"{size.width()}x{size.height()}@{dpr:g}"
        return f"reelcast-cover:{shape}:{art.title}\0{art.show}:{dims}"

    def _cover(self, art: Art, size: QSize, dpr: float) -> QPixmap:
        shape = art_shape(art.kind)
        key = self._cover_key(art, size, dpr)
        cached = QPixmap()
        if QPixmapCache.find(key, cached) and not cached.isNull():
            return cached
        if key not in self._pending and key not in self._missing:
            # A square cover stands for a podcast or an album: like real podcast art it carries
            # the show's name, and the card's own line under it names the episode.
            square = shape == "square" and bool(art.show)
            title, show = (art.show, "") if square else (art.title, art.show)
            self._pending.add(key)
            # Setting text takes a few ms a cover: off the UI thread, like decoding.
            self.tasks.run(
                lambda: generated_cover(title, show, size, dpr),
                on_done=lambda image: self._loaded(key, image, dpr),
                on_error=lambda _exc: self._loaded(key, None, dpr),
            )
        return self._placeholder(art, size, dpr)  # the same colours, lettering to follow

    def _placeholder(self, art: Art, size: QSize, dpr: float) -> QPixmap:
        """The cover's gradient without text: calm while art loads, no grey flash."""
        key = f"reelcast-wait:{art.cover_key}:{size.width()}x{size.height()}@{dpr:g}"
        cached = QPixmap()
        if QPixmapCache.find(key, cached) and not cached.isNull():
            return cached
        pixmap = QPixmap(
            QSize(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
        )
        pixmap.setDevicePixelRatio(dpr)
        first, second = cover_colors(art.show or art.title)
        painter = QPainter(pixmap)
        gradient = QLinearGradient(QPointF(0, 0), QPointF(size.width(), size.height()))
        gradient.setColorAt(0.0, first.darker(130))
        gradient.setColorAt(1.0, second.darker(130))
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), gradient)
        painter.end()
        QPixmapCache.insert(key, pixmap)
        return pixmap
