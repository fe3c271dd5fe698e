"""Last-resort metadata from the file name and its folders, parsed with guessit.

guessit costs a few milliseconds per call (see `parse_filename`), which is fine next to reading
the file itself. Nothing is cached here: each name is parsed once per scan anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from pathlib import Path, PurePath
from typing import Any

from guessit import guessit

from engine.ingest.metadata import Metadata

log = logging.getLogger(__name__)

SOURCE = "filename"
AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".m4a", ".m4b", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav", ".wma", ".aiff"}
)
VIDEO_EXTENSIONS = frozenset(
    {".mkv", ".mp4", ".m4v", ".avi", ".mov", ".wmv", ".webm", ".mpg", ".mpeg", ".ts", ".ogv"}
)
_OPTIONS = {"single_value": True, "no_user_config": True}
_SEASON_DIR = re.compile(
    r"^(?:season|series|staffel|saison|temporada|stagione|s)[\s._-]*(\d{1,3})$", re.IGNORECASE
)
# Folders that group files inside a show without naming it.
_NEUTRAL_DIR = re.compile(
    r"^(?:specials?|extras?|bonus|subs?|featurettes|(?:disc|disk|cd|dvd)[\s._-]*\d+)$",
    re.IGNORECASE,
)


def parse_filename(media: str, root: str) -> Metadata:
    """What the name of `media` and its folders below `root` say; never raises on odd names.

    Episodes (S01E02, 1x02, dated files) fill show/season/episode/air_date; movies with a year
    or release tags fill title/year/kind "movie"; anything else at least gets its stem as title.
    Folder names fill `show` (skipping "Season N" folders) when the file name lacks it.
    """
    meta = Metadata()
    path = PurePath(media)
    name = readable(path.name)
    suffix = path.suffix.lower()
    audio = suffix in AUDIO_EXTENSIONS
    video = suffix in VIDEO_EXTENSIONS
    folders = _folders(path, root)
    guess = _guess(name)

    title = _str(guess.get("title"))
    episode_title = _str(guess.get("episode_title"))
    season = _int(guess.get("season"))
    episode = _int(guess.get("episode"))
    day = guess.get("date")
    day = day if isinstance(day, dt.date) else None
    year = _int(guess.get("year"))
    if audio and season == 0:
        season = None  # "042 Title.mp3" reads as 0x42; podcasts have no season 0

    is_episode = guess.get("type") == "episode" and (
        season is not None or episode is not None or day is not None
    )
    if is_episode:
        show: str | None = None
        if episode_title:
            show, title = title, episode_title
        elif title and _title_comes_first(guess):
            show, title = title, None  # "Show.S01E02.720p": the only title is the show
        meta.put("kind", "podcast" if audio else "episode", SOURCE)
        meta.put("show", show, SOURCE)
        meta.put("episode", episode, SOURCE)
        meta.put("air_date", day.isoformat() if day else None, SOURCE)
        meta.put("year", year or (day.year if day else None), SOURCE)
    else:
        if video and (year or guess.get("source") or guess.get("screen_size")):
            meta.put("kind", "movie", SOURCE)
        meta.put("year", year, SOURCE)

    if meta.kind != "movie":
        meta.put("show", _show_from_folders(folders), SOURCE)
        if season is None and is_episode and folders:
            season = _season_of(folders[-1])
    meta.put("season", season, SOURCE)

    if not title and is_episode and meta.show:
        title = _episode_label(meta.show, season, episode, day)
    meta.put("title", title or readable(path.stem) or name, SOURCE)
    return meta


def readable(value: str) -> str:
    """A display string from a path part: undecodable bytes read as cp1252, NFC, stripped.

    Paths carry undecodable bytes as lone surrogates, which cannot be stored or shown.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "replace")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", "replace")
    return unicodedata.normalize("NFC", value).strip()


def _guess(name: str) -> dict[str, Any]:
    try:
        result = guessit(name, dict(_OPTIONS))
    except Exception:  # guessit has its own bugs on odd names; the stem is still a title
        log.debug("guessit failed on %r", name, exc_info=True)
        return {}
    guess = dict(result)
    # Spans are rebulk internals; used only to tell "Show S01E02" from "01 - Episode title".
    guess["_matches"] = getattr(result, "matches", None)
    return guess


def _title_comes_first(guess: dict[str, Any]) -> bool:
    matches: Any = guess.get("_matches")
    try:
        title_start = min(m.span[0] for m in matches["title"])
        markers = [m.span[0] for key in ("season", "episode", "date") for m in matches.get(key, [])]
        return bool(markers) and title_start < min(markers)
    except Exception:  # internals changed: fall back on "a season marker follows a show name"
        return guess.get("season") is not None


def _folders(path: PurePath, root: str) -> list[str]:
    try:
        relative = path.parent.relative_to(Path(root))
    except ValueError:
        return []
    return [readable(part) for part in relative.parts if part not in ("", ".")]


def _show_from_folders(folders: list[str]) -> str | None:
    for folder in reversed(folders):
        if folder and not _SEASON_DIR.match(folder) and not _NEUTRAL_DIR.match(folder):
            return folder
    return None


def _season_of(folder: str) -> int | None:
    match = _SEASON_DIR.match(folder)
    return int(match.group(1)) if match else None


def _episode_label(
    show: str, season: int | None, episode: int | None, day: dt.date | None
) -> str | None:
    if episode is not None:
        number = f"S{season:02d}E{episode:02d}" if season is not None else f"Episode {episode}"
        return f"{show} {number}"
    if day is not None:
        return f"{show} {day.isoformat()}"
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _int(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
