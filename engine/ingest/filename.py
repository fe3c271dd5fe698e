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
_OPTIONS = {"no_user_config": True}  # lists kept: S01E16-E17 is episodes [16, 17]
_WORDS = re.compile(r"[^\W_]+")  # as engine.ingest.context splits names into words
_SEASON_DIR = re.compile(
    r"^(?:season|series|staffel|saison|temporada|stagione|s)[\s._-]*(\d{1,3})$", re.IGNORECASE
)
# Extras beside a film or show (Kodi, Jellyfin and Plex folder names): videos, not episodes.
_EXTRAS_DIR = re.compile(
    r"^(?:trailers?|behind[\s._-]*the[\s._-]*scenes|deleted[\s._-]*scenes|featurettes?|"
    r"interviews?|scenes|shorts|extras|others?|bonus(?:[\s._-]*features)?|samples?)$",
    re.IGNORECASE,
)
# Jellyfin/Plex extras named beside the film: "Alien (1979)-trailer.mkv".
_EXTRA_SUFFIX = re.compile(
    r"-(trailer|featurette|behindthescenes|deleted|deletedscene|interview|scene|short|"
    r"other|sample)$",
    re.IGNORECASE,
)
_EXTRA_LABELS = {
    "trailer": "Trailer",
    "featurette": "Featurette",
    "behindthescenes": "Behind the scenes",
    "deleted": "Deleted scene",
    "deletedscene": "Deleted scene",
    "interview": "Interview",
    "scene": "Scene",
    "short": "Short",
    "other": "Extra",
    "sample": "Sample",
}
# Phone and camera file names: IMG_1234.MOV, VID_20230704_181500.mp4, PXL_20230704_...
_CAMERA = re.compile(
    r"^(?:IMG|VID|MVI|MOV|DSC|DSCN|PXL|GOPR|GH\d\d|DJI|MAH|CIMG)[_-]?(?:(\d{8})[_-]?)?\d*",
    re.IGNORECASE,
)
_SEPARATORS = " ._-–—:"
_FILE_PART = re.compile(r"^(?:cd|dvd|dis[ck]|part|pt)[\s._-]*\d+$", re.IGNORECASE)
_LEAD_DATE = re.compile(r"^(\d{4})[-._ ]?(\d{2})[-._ ]?(\d{2})(?!\d)[\s._–—-]*")
_TAIL_DATE = re.compile(r"[\s._-]*[(\[]?(\d{4})-(\d{2})-(\d{2})[)\]]?\s*$")
_LEAD_NUMBER = re.compile(
    r"^(?P<marker>#|(?:e|ep|episode|no|nr|show|folge|aflevering)\.?\s*)?(?P<number>\d{1,5})"
    r"(?!\d)(?:\s*[-–—.:)]\s*|\s+|_|$)",
    re.IGNORECASE,
)
_CJK_NUMBER = re.compile(r"^(?P<marker>第)\s*(?P<number>\d{1,5})\s*[期回集话話讲講章]\s*")
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")
# An explicit season/episode marker, so guessit's reading of a bare number is not trusted.
_EPISODE_MARKER = re.compile(r"(?i)\bs\d{1,3}\s*e\d{1,4}|\bs\d{1,3}\b|\b\d{1,2}x\d{2,3}\b")
_FOLDER_YEAR = re.compile(r"\s*[(\[]\d{4}[)\]]\s*$")
# Folders that group files inside a show without naming it.
_NEUTRAL_DIR = re.compile(
    r"^(?:specials?|extras?|bonus|subs?|featurettes|(?:disc|disk|cd|dvd)[\s._-]*\d+)$",
    re.IGNORECASE,
)


def parse_filename(media: str, root: str, name_prefix: tuple[str, ...] = ()) -> Metadata:
    """What the name of `media` and its folders below `root` say; never raises on odd names.

    Episodes (S01E02, 1x02, dated files) fill show/season/episode/air_date; movies with a year
    or release tags fill title/year/kind "movie"; anything else at least gets its stem as title.
    Folder names fill `show` (skipping "Season N" folders) when the file name lacks it. Files in
    extras folders (Trailers, Behind The Scenes, ...) or named `<film>-trailer` are plain videos,
    never episodes. Audio names follow podcatchers (gPodder, AntennaPod, podcast-dl): a leading
    date or episode number, the show's name repeated in front.
    `name_prefix` holds the words every file name in the folder starts with (`DirContext`):
    a title made only of those is noise, and the rest of the name is the title instead.
    """
    path = PurePath(media)
    name = readable(path.name)
    stem = readable(path.stem)
    suffix = path.suffix.lower()
    folders = _folders(path, root)
    if suffix in AUDIO_EXTENSIONS:
        meta = _parse_audio(stem, folders)
    elif suffix in VIDEO_EXTENSIONS and (_in_extras(folders) or _EXTRA_SUFFIX.search(stem)):
        meta = _parse_extra(stem)
    elif suffix in VIDEO_EXTENSIONS and _CAMERA.match(stem):
        meta = Metadata()  # IMG_1234.MOV: a camera's counter, not a season and episode
        day = _compact_date(_CAMERA.match(stem))
        meta.put("air_date", day.isoformat() if day else None, SOURCE)
    else:
        meta = _parse_guessed(name, folders, suffix in VIDEO_EXTENSIONS)
    title = meta.title or stem or name
    if name_prefix and _only_words_of(title, name_prefix):
        title = _after_prefix(stem, name_prefix) or title
    meta.title = None
    meta.put("title", title, SOURCE)
    return meta


def _parse_guessed(name: str, folders: list[str], video: bool) -> Metadata:
    meta = Metadata()
    guess = _guess(name)
    title = _str(guess.get("title"))
    episode_title = _str(guess.get("episode_title"))
    alternative = _str(guess.get("alternative_title"))
    season = _int(guess.get("season"))
    episodes = _ints(guess.get("episode"))
    episode = episodes[0] if episodes else None
    day = _first(guess.get("date"))
    day = day if isinstance(day, dt.date) else None
    year = _int(guess.get("year"))

    is_episode = guess.get("type") == "episode" and (
        season is not None or episode is not None or day is not None
    )
    if is_episode:
        show: str | None = None
        if episode_title:
            show, title = title, episode_title
        elif title and _title_comes_first(guess):
            show, title = title, alternative  # "Show.S01E02.720p": the only title is the show
        if title is None and guess.get("part") is not None:
            title = f"Part {_int(guess.get('part'))}"
        meta.put("kind", "episode", SOURCE)
        meta.put("show", _folder_spelling(show, folders), SOURCE)
        meta.put("episode", episode, SOURCE)
        if len(episodes) > 1 and max(episodes) > episodes[0]:
            meta.put("episode_end", max(episodes), SOURCE)
        meta.put("air_date", day.isoformat() if day else None, SOURCE)
        meta.put("year", year or (day.year if day else None), SOURCE)
    else:
        title = _with_title_part(title, guess, name)
        if title and alternative and not _FILE_PART.match(alternative):
            # "Mission Impossible - Fallout": both halves are the title.
            title = f"{title} - {alternative}"
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
    meta.put("title", title, SOURCE)
    return meta


def _with_title_part(title: str | None, guess: dict[str, Any], name: str) -> str | None:
    """ "Back to the Future Part II (1989)": a part named before the year belongs to the title;
    "Film (1990) cd1" / "part2" after it is one file of several."""
    matches: Any = guess.get("_matches")
    if not title or guess.get("part") is None:
        return title
    try:
        part = matches["part"][0]
        years = matches.get("year", [])
        if not years or part.span[0] > min(y.span[0] for y in years):
            return title
        raw = str(part.raw).strip(" ._-")
        before = name[: part.span[0]].rstrip(" ._-")
    except Exception:  # rebulk internals changed: keep guessit's title
        return title
    return f"{title} Part {raw}" if before.casefold().endswith("part") else title


def _parse_extra(stem: str) -> Metadata:
    meta = Metadata()
    meta.put("kind", "video", SOURCE)
    suffix = _EXTRA_SUFFIX.search(stem)
    if suffix is None:
        meta.put("title", stem, SOURCE)
        return meta
    guess = _guess(stem[: suffix.start()] + ".mkv")
    base = _str(guess.get("title")) or stem[: suffix.start()].strip(" ._-")
    label = _EXTRA_LABELS[suffix.group(1).lower()]
    meta.put("title", f"{base} - {label}" if base else label, SOURCE)
    meta.put("year", _int(guess.get("year")), SOURCE)
    return meta


def _in_extras(folders: list[str]) -> bool:
    return any(_EXTRAS_DIR.match(folder) for folder in folders[-2:])


def _parse_audio(stem: str, folders: list[str]) -> Metadata:
    """Podcast downloads: "2023-03-14 Title", "20230314-Title" (podcast-dl), "042 - Title",
    "#400 Title", "Ep. 43 - Title", "第1期 Title", "Show - Title" where Show is the folder;
    S01E02 and 1x02 through guessit; anything else is its own title."""
    meta = Metadata()
    show = _show_from_folders(folders)
    rest = stem
    if show:
        folded = show.casefold()
        if rest.casefold().startswith(folded) and len(rest) > len(show):
            after = rest[len(show) :]
            if after[:1] in _SEPARATORS:
                rest = after.lstrip(_SEPARATORS)
    day: dt.date | None = None
    episode: int | None = None
    lead_date = _LEAD_DATE.match(rest)
    if lead_date and (day := _date_of(*lead_date.group(1, 2, 3))):
        rest = rest[lead_date.end() :]
    numbered = _CJK_NUMBER.match(rest) or _LEAD_NUMBER.match(rest)
    if numbered and not (
        numbered.group("marker") is None and _YEARLIKE.match(numbered.group("number"))
    ):
        episode = int(numbered.group("number"))
        rest = rest[numbered.end() :]
    tail = _TAIL_DATE.search(rest) if day is None else None
    if tail and (day := _date_of(*tail.group(1, 2, 3))):
        rest = rest[: tail.start()]
    season = None
    if day is None and episode is None and _EPISODE_MARKER.search(stem):
        guessed = _parse_guessed(stem, folders, video=False)
        if guessed.episode is not None or guessed.air_date is not None:
            guessed.kind = "podcast"
            if guessed.season == 0:
                guessed.season = None  # "042 Title" reads as 0x42; podcasts have no season 0
            return guessed
    if episode is not None and folders:
        season = _season_of(folders[-1])
    rest = _readable_words(rest.strip(_SEPARATORS))
    if day is not None or episode is not None:
        meta.put("kind", "podcast", SOURCE)
    meta.put("show", show, SOURCE)
    meta.put("season", season, SOURCE)
    meta.put("episode", episode, SOURCE)
    meta.put("air_date", day.isoformat() if day else None, SOURCE)
    meta.put("year", day.year if day else None, SOURCE)
    if not rest and show:
        rest = _episode_label(show, season, episode, day) or ""
    meta.put("title", rest or stem, SOURCE)
    return meta


def _readable_words(text: str) -> str:
    """ "my_episode_title" reads "my episode title"; names with spaces stay as they are."""
    if " " not in text and ("_" in text or "." in text.strip(".")):
        return " ".join(text.replace("_", " ").replace(".", " ").split())
    return text


def _date_of(year: str, month: str, day: str) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def _compact_date(match: re.Match[str] | None) -> dt.date | None:
    if match is None or match.group(1) is None:
        return None
    digits = match.group(1)
    return _date_of(digits[:4], digits[4:6], digits[6:8])


def _folder_spelling(show: str | None, folders: list[str]) -> str | None:
    """The show folder's spelling of a guessed show: "Mr. Robot" for "Mr Robot", "The Office
    (US)" for "The Office"; the guess when the folder names something else."""
    folder = _show_from_folders(folders)
    if not show or not folder:
        return show
    bare = _FOLDER_YEAR.sub("", folder).strip()
    if _alnum(bare) == _alnum(show) or bare.casefold().startswith(show.casefold() + " ("):
        return bare
    return show


def _only_words_of(title: str, prefix: tuple[str, ...]) -> bool:
    words = _WORDS.findall(title.casefold())
    return bool(words) and set(words) <= set(prefix)


def _after_prefix(stem: str, prefix: tuple[str, ...]) -> str | None:
    """The stem without its first len(prefix) words, as a title: guessit's, else the words."""
    matches = list(_WORDS.finditer(stem))
    if len(matches) <= len(prefix):
        return None
    rest = stem[matches[len(prefix)].start() :]
    guessed = _str(_guess(rest).get("title"))
    if guessed and not _only_words_of(guessed, prefix):
        return guessed
    return " ".join(m.group() for m in matches[len(prefix) :])


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


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
    value = _first(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ints(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value
