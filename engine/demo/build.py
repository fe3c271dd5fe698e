"""Write the demo library: tiny generated media with the texts from engine/demo/content.py.

Layout under the target folder:

    Podcasts/<show>/<nn> <title>.mp3|m4a          tagged audio, a few seconds of tone
    Videos/<TV show>/tvshow.nfo, poster.jpg
    Videos/<TV show>/Season N/<show> SxxEyy.mkv   + <same stem>.nfo
    Videos/Films/<Title> (<Year>).mkv             + <same stem>.nfo and .jpg poster

Each file is written to a hidden temporary name and renamed into place, so a file that exists
is complete. Running again skips media that exists and rewrites only text that changed, so a
rescan after a rerun finds nothing new.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw

from engine.demo.content import FILMS, PODCASTS, TV_SHOW, Film, Podcast, TvEpisode, TvShow
from engine.demo.media import make_audio, make_video

ProgressFn = Callable[[int, int], None]
_PARTIAL = ".partial-"
_VIDEO_SIZE = (160, 90)
_VIDEO_FPS = 5
_VIDEO_SECONDS = 2.0
_AUDIO_SECONDS = 3.0


class DemoCancelled(Exception):
    """`cancelled()` returned True before the demo was complete; what exists is kept."""


@dataclass(frozen=True)
class DemoLibrary:
    podcasts: Path
    videos: Path
    count: int  # media files (items once scanned)


@dataclass(frozen=True)
class _Step:
    path: Path
    write: Callable[[Path], None] | None  # media: encodes to the given (temporary) path
    text: bytes | None = None  # sidecars: the exact bytes


def make_demo_library(
    target: Path,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> DemoLibrary:
    """Generate (or complete) the demo library under `target`; idempotent.

    `progress(done, total)` is called after each file. Raises DemoCancelled when `cancelled()`
    turns true, and OSError when the target cannot be written.
    """
    target = Path(target)
    podcasts, videos = target / "Podcasts", target / "Videos"
    steps = [*_podcast_steps(podcasts), *_tv_steps(videos / TV_SHOW.name), *_film_steps(videos)]
    _remove_partials(target)
    total = len(steps)
    if progress is not None:
        progress(0, total)
    for done, step in enumerate(steps, start=1):
        if cancelled():
            raise DemoCancelled("the demo library was cancelled")
        _apply(step)
        if progress is not None:
            progress(done, total)
    count = sum(1 for s in steps if s.write is not None)
    return DemoLibrary(podcasts=podcasts, videos=videos, count=count)


# --- steps -------------------------------------------------------------------------------------


def _podcast_steps(folder: Path) -> Iterator[_Step]:
    for show_no, show in enumerate(PODCASTS):
        cover = _art(show.cover, (256, 256)) if show.cover else None
        for n, ep in enumerate(show.episodes, start=1):
            name = f"{n:02d} {_safe(ep.title)}.{show.suffix}"
            seed = show_no * 10 + n
            yield _Step(folder / show.name / name, _audio_writer(show, n - 1, seed, cover))


def _audio_writer(
    show: Podcast, index: int, seed: int, cover: bytes | None
) -> Callable[[Path], None]:
    ep = show.episodes[index]

    def write(path: Path) -> None:
        make_audio(
            path,
            seconds=_AUDIO_SECONDS,
            fmt=show.suffix,
            seed=seed,
            title=ep.title,
            show=show.name,
            album_artist=show.name,
            description=ep.description,
            comment=ep.description,
            date=ep.date,
            genre=show.genre,
            podcast=True,
            cover=cover,
        )

    return write


def _tv_steps(folder: Path) -> Iterator[_Step]:
    show = TV_SHOW
    yield _Step(folder / "tvshow.nfo", None, _tvshow_nfo(show))
    yield _Step(folder / "poster.jpg", None, _art(((30, 40, 90), (200, 120, 60)), (120, 180)))
    for n, ep in enumerate(show.episodes):
        stem = f"{show.name} S{ep.season:02d}E{ep.episode:02d}"
        season = folder / f"Season {ep.season}"
        yield _Step(season / f"{stem}.mkv", _video_writer(ep.title, ep.plot, 100 + n))
        yield _Step(season / f"{stem}.nfo", None, _episode_nfo(show, ep))


def _film_steps(videos: Path) -> Iterator[_Step]:
    folder = videos / "Films"
    for n, film in enumerate(FILMS):
        stem = f"{_safe(film.title)} ({film.year})"
        top = (40 + 40 * n, 60, 120 - 20 * n)
        yield _Step(folder / f"{stem}.mkv", _video_writer(film.title, film.plot, 200 + n))
        yield _Step(folder / f"{stem}.nfo", None, _movie_nfo(film))
        yield _Step(folder / f"{stem}.jpg", None, _art((top, (230, 220, 200)), (120, 180)))


def _video_writer(title: str, plot: str, seed: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        width, height = _VIDEO_SIZE
        make_video(
            path,
            seconds=_VIDEO_SECONDS,
            width=width,
            height=height,
            fps=_VIDEO_FPS,
            title=title,
            description=plot,
            seed=seed,
        )

    return write


# --- writing -----------------------------------------------------------------------------------


def _apply(step: _Step) -> None:
    if step.write is not None and step.path.exists():
        return  # renamed into place only when complete
    if step.text is not None:
        try:
            if step.path.read_bytes() == step.text:
                return
        except FileNotFoundError:
            pass
    step.path.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, so a scan running meanwhile skips it; the media suffix picks the encoder.
    tmp = step.path.with_name(f".{step.path.stem}{_PARTIAL}{os.getpid()}{step.path.suffix}")
    try:
        if step.write is not None:
            step.write(tmp)
        else:
            assert step.text is not None
            tmp.write_bytes(step.text)
        os.replace(tmp, step.path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_partials(target: Path) -> None:
    # Left behind by a run that was killed mid-file.
    if not target.is_dir():
        return
    for folder, _dirs, files in os.walk(target):
        for name in files:
            if name.startswith(".") and _PARTIAL in name:
                Path(folder, name).unlink(missing_ok=True)


def _safe(title: str) -> str:
    # Titles become file names; keep them portable.
    return "".join("-" if c in '<>:"/\\|?*' else c for c in title).strip(" .")


# --- sidecars ----------------------------------------------------------------------------------


def _xml(root: str, fields: list[tuple[str, str]]) -> bytes:
    body = "".join(f"  <{tag}>{escape(value)}</{tag}>\n" for tag, value in fields)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n{body}</{root}>\n'.encode()


def _tvshow_nfo(show: TvShow) -> bytes:
    fields = [("title", show.name), ("plot", show.plot), ("premiered", show.premiered)]
    fields += [("genre", g) for g in show.genres]
    return _xml("tvshow", fields)


def _episode_nfo(show: TvShow, ep: TvEpisode) -> bytes:
    return _xml(
        "episodedetails",
        [
            ("title", ep.title),
            ("showtitle", show.name),
            ("season", str(ep.season)),
            ("episode", str(ep.episode)),
            ("aired", ep.aired),
            ("plot", ep.plot),
        ],
    )


def _movie_nfo(film: Film) -> bytes:
    fields = [("title", film.title), ("year", str(film.year)), ("plot", film.plot)]
    fields += [("genre", g) for g in film.genres]
    fields += [("rating", f"{film.rating:.1f}"), ("director", film.director)]
    return _xml("movie", fields)


def _art(colors: tuple[tuple[int, int, int], tuple[int, int, int]], size: tuple[int, int]) -> bytes:
    """A vertical gradient with a soft disc: generated cover art, no third-party images."""
    width, height = size
    top, bottom = (np.array(c, dtype=np.float64) for c in colors)
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    pixels = (top * (1.0 - ramp) + bottom * ramp).repeat(width, axis=1)
    image = Image.fromarray(pixels.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    r = min(width, height) // 4
    cx, cy = width // 2, height // 3
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v) for v in bottom))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=85)
    return buf.getvalue()
