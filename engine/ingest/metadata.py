"""The metadata record every reader fills in, and how records from several readers merge.

Each reader (tags, probe, NFO, subtitles, feeds, filename) returns a partial `Metadata`. The
extractor merges them in precedence order: the first reader to supply a field wins, and the field
remembers its source so the UI and later issues can say where a value came from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.ingest.transcripts import Passage


@dataclass(frozen=True)
class DirContext:
    """The sidecar files the scanner saw around one media file, so readers never list folders.

    All paths are absolute `str` (undecodable bytes kept as surrogate escapes), and inside `root`.
    """

    root: str
    nfo: tuple[str, ...] = ()  # .nfo files in the media file's folder
    subtitles: tuple[str, ...] = ()  # .srt/.vtt/.ass in the folder and its Subs/ subfolder
    images: tuple[str, ...] = ()  # images in the folder
    show_nfo: str | None = None  # nearest tvshow.nfo: this folder, parent or grandparent
    season_nfo: str | None = None  # season.nfo in the media file's folder
    show_images: tuple[str, ...] = ()  # images in the parent folder (a show above Season folders)
    feeds: tuple[str, ...] = ()  # feed files (*.rss, feed.xml) in the nearest folder that has one
    # Words every media file name in the folder starts with ("kodi-" in kodi-a.mkv, kodi-b.mkv),
    # when the folder holds two or more: noise for a title, never the title itself.
    name_prefix: tuple[str, ...] = ()


class ReaderError(Exception):
    """A file could not be read. The message is shown to the user, so it names the problem."""


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    title: str
    end: float | None = None


@dataclass
class Metadata:
    """Everything we may learn about one media file. None / empty means "unknown"."""

    # What kind of item this is, when a reader can tell: movie, episode, podcast, video, audio.
    kind: str | None = None
    title: str | None = None
    show: str | None = None  # series, podcast or album
    season: int | None = None
    episode: int | None = None
    episode_end: int | None = None  # last episode of a file holding several (S02E03-E04)
    air_date: str | None = None  # ISO 8601 date or datetime
    year: int | None = None
    duration: float | None = None  # seconds
    description: str | None = None
    language: str | None = None
    genres: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    rating: float | None = None  # 0..10
    votes: int | None = None
    chapters: list[Chapter] = field(default_factory=list)
    lyrics: str | None = None  # USLT or an embedded transcript
    subtitles: str | None = None  # plain text from sidecar subtitles, capped
    subtitle_language: str | None = None
    # Every word of a transcript or subtitle sidecar, as timed passages (engine/ingest/transcripts)
    passages: list[Passage] = field(default_factory=list)
    guid: str | None = None  # podcast episode GUID
    # Ids in other catalogues, by type: {"imdb": "tt0062622", "tmdb": "62", "tvdb": "..."}.
    external_ids: dict[str, str] = field(default_factory=dict)
    # Artwork: a path inside the root, or image bytes embedded in the file.
    artwork_path: str | None = None
    artwork_data: bytes | None = None
    # Technical facts from the container.
    width: int | None = None
    height: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    # Kodi history found in NFO files, kept for the history import that comes later.
    nfo_playcount: int | None = None
    nfo_lastplayed: str | None = None
    nfo_resume_position: float | None = None
    nfo_resume_total: float | None = None
    # Show-level facts (tvshow.nfo, feed channel).
    show_description: str | None = None
    show_artwork_path: str | None = None
    show_feed_url: str | None = None
    # field name -> source, e.g. {"title": "id3", "description": "nfo"}
    sources: dict[str, str] = field(default_factory=dict)
    # Non-fatal problems as (path, message): a broken sidecar next to a good file. The scanner
    # records each as a per-file error on that path, and the media file is still catalogued.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # Facts worth a line in the log, not a problem, as (path, message): a picture subtitle
    # track skipped. Readers run in other processes, so the scanner logs them.
    notes: list[tuple[str, str]] = field(default_factory=list)
    # What is wrong with the media file itself though it is listed (cut off, damaged audio,
    # unknown duration): an `engine.ingest.integrity.Finding`, or None.
    integrity: Any = None

    def put(self, name: str, value: Any, source: str) -> None:
        """Set a field unless it already holds a value; empty values are ignored."""
        if name in _META_FIELDS:
            raise ValueError(f"{name} is not a metadata field")
        if _is_empty(value) or not _is_empty(getattr(self, name)):
            return
        setattr(self, name, value)
        self.sources[name] = source

    def merge(self, other: Metadata) -> None:
        """Fill the fields still empty here from `other`, keeping other's sources."""
        for f in dataclasses.fields(self):
            if f.name in _META_FIELDS:
                continue
            value = getattr(other, f.name)
            if _is_empty(value) or not _is_empty(getattr(self, f.name)):
                continue
            setattr(self, f.name, value)
            self.sources[f.name] = other.sources.get(f.name, "unknown")
        self.warnings.extend(other.warnings)
        self.notes.extend(other.notes)
        if self.integrity is None:
            self.integrity = other.integrity


_META_FIELDS = frozenset({"sources", "warnings", "notes", "integrity"})


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == b"" or value == {}


@dataclass
class Extracted:
    """What a reader worker sends back for one file; the scanner applies it."""

    path: str
    media_type: str  # audio or video
    fingerprint: str | None = None
    metadata: Metadata | None = None
    error: str | None = None  # the file itself could not be read
    # access (permissions, I/O: retried every scan), read (bad content: retried once it
    # changes), timeout (retried once it changes, so one bad file cannot slow every scan)
    error_stage: str = "read"
    thumbnail: str | None = None
    show_thumbnail: str | None = None
