"""Kodi / Jellyfin NFO sidecars: movie.nfo, <episode>.nfo and tvshow.nfo.

NFO files come from anywhere (scrapers, downloads, other people's libraries), so they are parsed
with defusedxml only: entity declarations are refused, never expanded, which stops both external
entities (XXE) and entity bombs. A bad NFO never fails its media file; it becomes a warning.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree as DET

from engine.ingest.metadata import DirContext, Metadata, ReaderError
from engine.ingest.safe_read import read_sidecar_bytes
from engine.ingest.subtitles import normalise_language
from engine.ingest.text import clean_text

log = logging.getLogger(__name__)

SOURCE = "nfo"
SHOW_SOURCE = "tvshow.nfo"
SEASON_SOURCE = "season.nfo"
MAX_NFO_BYTES = 5 * 1024 * 1024  # real NFOs are a few KiB; actor lists push a few hundred
_TEXT_CAP = 20_000
_MAX_PEOPLE = 200
_WRAPPER = "reelcast-nfo-root"
# Roots that only hold items: ours (several roots in one file), Kodi's old multi-episode root,
# and MediaElch's <episodes> around the <episodedetails> of a multi-episode file.
_WRAPPERS = frozenset({_WRAPPER, "xbmcmultiepisode", "episodes"})
_ID_TYPES = ("imdb", "tmdb", "tvdb")
_IMDB_ID = re.compile(r"^tt\d{5,12}$")
STREAM_SOURCE = "nfo streamdetails"

_BOM_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECL_BYTES = re.compile(rb"^\s*<\?xml\s[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
# Bounded repeats: these run over whole (possibly hostile) files, so no unbounded backtracking.
_DECL = re.compile(r"<\?xml\s[^<>]{0,300}\?>")
_DOCTYPE = re.compile(r"\s*<!DOCTYPE[^\[>]{0,1000}(?:\[[^\]]*\]\s*)?>", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


class NfoError(ReaderError):
    """An NFO was refused or could not be parsed; the message is shown to the user."""


def parse_nfo_bytes(data: bytes, notes: list[str] | None = None) -> list[Element]:
    """The item elements (<movie>, <episodedetails>, <tvshow>, ...) of an NFO, in file order.

    Concatenated items without a common root (Kodi multi-episode files) are all returned.
    Raises NfoError for refused or unparsable data. Recoverable problems, such as bytes in the
    wrong encoding read with a fallback, are appended to `notes`.
    """
    text = _decode(data, notes if notes is not None else [])
    if not text.strip():
        raise NfoError("NFO is empty")
    try:
        root = _parse(text)
    except ParseError as exc:
        # Several root elements (Kodi multi-episode files) or a scraper URL after the XML are
        # common; retry under one synthetic root, still through defusedxml.
        body = _DECL.sub("", text)
        doctype = _DOCTYPE.match(body)  # only a leading one: a DOCTYPE cannot sit inside a root
        if doctype:
            body = body[doctype.end() :]
        try:
            root = _parse(f"<{_WRAPPER}>{body}</{_WRAPPER}>")
        except ParseError:
            raise NfoError(_syntax_message(exc)) from exc
    if root.tag in _WRAPPERS:
        return [child for child in root if isinstance(child.tag, str)]
    return [root]


def find_nfo(media: str, ctx: DirContext) -> str | None:
    """`<stem>.nfo` next to the media file, else `movie.nfo` in its folder."""
    media_path = Path(media)
    folder = media_path.parent
    wanted = _fold(media_path.stem + ".nfo")
    names = [(p, Path(p).name) for p in ctx.nfo if Path(p).parent == folder]
    # Exact name first, then a case/normalisation-insensitive match, then the folder's movie.nfo.
    for path, name in names:
        if name == media_path.stem + ".nfo":
            return path
    for path, name in names:
        if _fold(name) == wanted:
            return path
    for path, name in names:
        if _fold(name) == "movie.nfo":
            return path
    return None


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def read_nfo_for(media: str, ctx: DirContext) -> Metadata:
    """Facts from the media file's NFO plus show-level facts from tvshow.nfo; never raises.

    A refused, broken or unreadable NFO adds a (path, message) warning and contributes nothing.
    """
    meta = Metadata()
    nfo_path = find_nfo(media, ctx)
    if nfo_path is not None:
        items = _load(nfo_path, meta)
        episodes = [i for i in items if i.tag == "episodedetails"]
        movies = [i for i in items if i.tag == "movie"]
        shows = [i for i in items if i.tag == "tvshow"]
        music = [i for i in items if i.tag == "musicvideo"]
        if episodes:
            _apply_episodes(episodes, nfo_path, ctx, meta)
        elif movies:
            _apply_item(movies[0], "movie", nfo_path, ctx, meta)
        elif music:
            _apply_music_video(music[0], nfo_path, ctx, meta)
        elif shows:
            _apply_show(shows[0], nfo_path, ctx, meta, SOURCE)
        elif items:
            tags = ", ".join(f"<{i.tag}>" for i in items[:3])
            meta.warnings.append(
                (
                    nfo_path,
                    "NFO has no <movie>, <episodedetails>, <musicvideo> or <tvshow> element "
                    f"({tags})",
                )
            )
    if ctx.season_nfo and meta.kind not in ("movie", "video") and ctx.season_nfo != nfo_path:
        items = _load(ctx.season_nfo, meta)
        seasons = [i for i in items if i.tag == "season"]
        if seasons:
            _apply_season(seasons[0], ctx.season_nfo, ctx, meta)
        elif items:
            meta.warnings.append((ctx.season_nfo, "season.nfo has no <season> element"))
    # A movie (or music video) that happens to sit below a show folder is not part of the show.
    if ctx.show_nfo and meta.kind not in ("movie", "video") and ctx.show_nfo != nfo_path:
        items = _load(ctx.show_nfo, meta)
        shows = [i for i in items if i.tag == "tvshow"]
        if shows:
            _apply_show(shows[0], ctx.show_nfo, ctx, meta, SHOW_SOURCE)
        elif items:
            meta.warnings.append((ctx.show_nfo, "tvshow.nfo has no <tvshow> element"))
    return meta


# --- parsing -------------------------------------------------------------------------------


def _load(path: str, meta: Metadata) -> list[Element]:
    notes: list[str] = []
    try:
        data = read_sidecar_bytes(path, MAX_NFO_BYTES, "NFO")
        items = parse_nfo_bytes(data, notes)
    except ReaderError as exc:
        items = []
        notes.append(str(exc))
    meta.warnings.extend((path, note) for note in notes)
    return items


def _decode(data: bytes, notes: list[str]) -> str:
    """Text of the NFO with its XML declaration blanked out, so expat reads it as UTF-8."""
    if data.startswith(_BOM_UTF16):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NfoError("NFO encoding error: starts as UTF-16 but is not valid UTF-16") from exc
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        declared = "utf-8"
        decl = _DECL_BYTES.match(data[:400])
        if decl:
            found = _ENCODING.search(decl.group())
            if found:
                declared = found.group(1).decode("ascii").lower()
        try:
            codecs.lookup(declared)
        except LookupError:
            notes.append(f"NFO declares an unknown encoding {declared!r}; read it as utf-8")
            declared = "utf-8"
        if declared.startswith(("utf-16", "utf16", "utf-32", "utf32")) and decl:
            # The declaration itself was readable as single bytes, so the file is not UTF-16/32.
            notes.append(f"NFO declares {declared} but is stored in 8-bit text; read it as utf-8")
            declared = "utf-8"
        try:
            text = data.decode(declared)
        except UnicodeDecodeError as exc:
            text, used = _decode_fallback(data)
            bad = data[exc.start : exc.start + 1].hex()
            notes.append(
                f"NFO encoding error: declared {declared} but byte 0x{bad} at offset {exc.start} "
                f"is not valid {declared}; read it as {used} instead"
            )
    # Blank rather than delete the declaration, so error line/column numbers stay true.
    text = text.lstrip("\ufeff")
    decl_text = _DECL.match(text)
    return " " * decl_text.end() + text[decl_text.end() :] if decl_text else text


def _decode_fallback(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _parse(text: str) -> Element:
    try:
        root: Element = DET.fromstring(
            text.encode("utf-8"), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise NfoError("NFO refused: it declares an external entity (possible XXE)") from exc
        raise NfoError(
            "NFO refused: it declares entities and entity expansion is not allowed "
            "(possible entity bomb)"
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise NfoError("NFO refused: it references an external resource (possible XXE)") from exc
    except defusedxml.DefusedXmlException as exc:
        raise NfoError(f"NFO refused: unsafe XML ({type(exc).__name__})") from exc
    return root


def _syntax_message(exc: ParseError) -> str:
    line, column = exc.position
    reason = expat.ErrorString(exc.code)
    # expat counts columns from 0; editors count from 1.
    return f"NFO is not well-formed XML: line {line}, column {column + 1}: {reason}"


# --- fields --------------------------------------------------------------------------------


def _apply_episodes(episodes: list[Element], path: str, ctx: DirContext, meta: Metadata) -> None:
    # One file holding several episodes is one item for the range (docs/library.md): the first
    # numbers it, the last ends the range, titles and plots are combined.
    if len(episodes) > 1:
        titles = [t for t in (_line(_text(e, "title")) for e in episodes) if t]
        meta.put("title", " / ".join(dict.fromkeys(titles)), SOURCE)
        plots = [p for p in (_plot(e) for e in episodes) if p]
        meta.put("description", clean_text("\n\n".join(plots), _TEXT_CAP), SOURCE)
        first_season = _int(_text(episodes[0], "season"), minimum=0)
        numbers = [
            n
            for e in episodes
            if _int(_text(e, "season"), minimum=0) == first_season
            for n in [_int(_text(e, "episode"), minimum=0)]
            if n is not None
        ]
        first = _int(_text(episodes[0], "episode"), minimum=0)
        if first is not None and numbers and max(numbers) > first:
            meta.put("episode_end", max(numbers), SOURCE)
        runtimes = [r for r in (_float(_text(e, "runtime")) for e in episodes) if r and r > 0]
        if len(runtimes) == len(episodes):
            meta.put("duration", sum(runtimes) * 60, SOURCE)
    _apply_item(episodes[0], "episode", path, ctx, meta)


def _apply_music_video(item: Element, path: str, ctx: DirContext, meta: Metadata) -> None:
    # Kodi <musicvideo>: the artist leads the people, the album groups the videos (as an album
    # groups audio tracks); the track title is the item's title.
    artists = [_line(el.text) for el in item.findall("artist")]
    people = dict.fromkeys(a for a in [*artists, *_people(item)] if a)
    meta.put("people", list(people)[:_MAX_PEOPLE], SOURCE)
    meta.put("show", _line(_text(item, "album")), SOURCE)
    _apply_item(item, "video", path, ctx, meta)


def _apply_season(item: Element, path: str, ctx: DirContext, meta: Metadata) -> None:
    # Kodi season.nfo: the season's number, and the show's title when it names one.
    meta.put("season", _int(_text(item, "seasonnumber"), minimum=0), SEASON_SOURCE)
    meta.put("show", _line(_text(item, "showtitle")), SEASON_SOURCE)
    meta.put("genres", _genres(item), SEASON_SOURCE)
    meta.put("artwork_path", _artwork(item, path, ctx, meta), SEASON_SOURCE)


def _apply_item(item: Element, kind: str, path: str, ctx: DirContext, meta: Metadata) -> None:
    meta.put("kind", kind, SOURCE)
    meta.put("title", _line(_text(item, "title")), SOURCE)
    meta.put("description", clean_text(_plot(item), _TEXT_CAP), SOURCE)
    meta.put("show", _line(_text(item, "showtitle")), SOURCE)
    meta.put("genres", _genres(item), SOURCE)
    meta.put("season", _int(_text(item, "season"), minimum=0), SOURCE)
    meta.put("episode", _int(_text(item, "episode"), minimum=0), SOURCE)

    date_tags = ("aired", "premiered") if kind == "episode" else ("premiered", "aired")
    day = next((d for d in (_date(_text(item, t)) for t in date_tags) if d), None)
    meta.put("air_date", day.isoformat() if day else None, SOURCE)
    year = _int(_text(item, "year"), minimum=1800, maximum=2200)
    meta.put("year", year or (day.year if day else None), SOURCE)

    rating, votes = _rating(item)
    meta.put("rating", rating, SOURCE)
    meta.put("votes", votes, SOURCE)
    meta.put("people", _people(item), SOURCE)
    runtime = _float(_text(item, "runtime"))
    meta.put("duration", runtime * 60 if runtime and runtime > 0 else None, SOURCE)
    meta.put("external_ids", _unique_ids(item), SOURCE)

    meta.put("nfo_playcount", _int(_text(item, "playcount"), minimum=0), SOURCE)
    meta.put("nfo_lastplayed", _datetime(_text(item, "lastplayed")), SOURCE)
    resume = item.find("resume")
    if resume is not None:
        # Kodi writes 0/0 for "never started"; that is not a resume point.
        position = _float(_text(resume, "position"))
        total = _float(_text(resume, "total"))
        meta.put("nfo_resume_position", position if position and position > 0 else None, SOURCE)
        meta.put("nfo_resume_total", total if total and total > 0 else None, SOURCE)

    meta.put("artwork_path", _artwork(item, path, ctx, meta), SOURCE)
    language = _text(item, "language")
    if language:
        meta.put("language", normalise_language(language) or _line(language)[:40], SOURCE)
    _apply_stream_details(item, meta)


def _apply_show(item: Element, path: str, ctx: DirContext, meta: Metadata, source: str) -> None:
    meta.put("show", _line(_text(item, "title")), source)
    meta.put("show_description", clean_text(_plot(item), _TEXT_CAP), source)
    meta.put("genres", _genres(item), source)  # put() keeps the episode's own genres
    meta.put("show_artwork_path", _artwork(item, path, ctx, meta), source)
    _apply_show_ids(item, meta, source)


def _apply_show_ids(item: Element, meta: Metadata, source: str) -> None:
    # The show's ids sit beside the episode's own, prefixed: "show_tvdb".
    for kind, value in _unique_ids(item).items():
        meta.external_ids.setdefault(f"show_{kind}", value)
        meta.sources.setdefault("external_ids", source)


def _unique_ids(item: Element) -> dict[str, str]:
    """Ids in other catalogues: <uniqueid type="imdb">, and the older <id>, <imdbid>, ...

    Kept only for the known types; an id is a short token, never free text.
    """
    ids: dict[str, str] = {}
    for el in item.findall("uniqueid"):
        kind = (el.get("type") or "").strip().casefold()
        value = _line(el.text)
        if kind in _ID_TYPES and value and len(value) <= 64:
            ids.setdefault(kind, value)
    for kind in _ID_TYPES:
        value = _line(_text(item, f"{kind}id"))
        if value and len(value) <= 64:
            ids.setdefault(kind, value)
    plain = _line(_text(item, "id"))
    if plain and _IMDB_ID.match(plain):
        ids.setdefault("imdb", plain)
    return ids


def _apply_stream_details(item: Element, meta: Metadata) -> None:
    """Technical facts a scraper recorded (<fileinfo><streamdetails>), under their own source:
    the extractor lets the container's own answer win over them (`stream_facts`)."""
    details = item.find("fileinfo/streamdetails")
    if details is None:
        return
    video = details.find("video")
    if video is not None:
        meta.put("video_codec", _line(_text(video, "codec"))[:40], STREAM_SOURCE)
        meta.put("width", _int(_text(video, "width"), minimum=1, maximum=100_000), STREAM_SOURCE)
        height = _int(_text(video, "height"), minimum=1, maximum=100_000)
        meta.put("height", height, STREAM_SOURCE)
        seconds = _float(_text(video, "durationinseconds"))
        meta.put("duration", seconds if seconds and seconds > 0 else None, STREAM_SOURCE)
    audio = details.find("audio")
    if audio is not None:
        meta.put("audio_codec", _line(_text(audio, "codec"))[:40], STREAM_SOURCE)
        language = _text(audio, "language")
        if language:
            meta.put("language", normalise_language(language), STREAM_SOURCE)


def stream_facts(meta: Metadata) -> Metadata:
    """Move the <streamdetails> facts out of `meta` into their own record, so they rank below
    what the media file itself says (the NFO may describe an older encode)."""
    facts = Metadata()
    for name, source in list(meta.sources.items()):
        if source == STREAM_SOURCE:
            facts.put(name, getattr(meta, name), STREAM_SOURCE)
            setattr(meta, name, None)
            del meta.sources[name]
    return facts


def _text(parent: Element, tag: str) -> str | None:
    child = parent.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _line(value: str | None) -> str:
    return " ".join(value.split())[:1000] if value else ""


def _plot(item: Element) -> str | None:
    return _text(item, "plot") or _text(item, "outline")


def _genres(item: Element) -> list[str]:
    genres: list[str] = []
    for el in item.findall("genre"):
        # Some scrapers put several genres in one element separated by " / ".
        for part in (el.text or "").split(" / "):
            name = _line(part)
            if name and name not in genres:
                genres.append(name)
    return genres


def _people(item: Element) -> list[str]:
    names = [_line(_text(actor, "name")) for actor in item.findall("actor")]
    names += [_line(el.text) for el in item.findall("director")]
    names += [_line(el.text) for el in item.findall("credits")]
    return list(dict.fromkeys(n for n in names if n))[:_MAX_PEOPLE]


def _rating(item: Element) -> tuple[float | None, int | None]:
    value: float | None = None
    votes: int | None = None
    ratings = item.find("ratings")
    if ratings is not None:
        entries = ratings.findall("rating")
        chosen = next((r for r in entries if r.get("default", "").lower() == "true"), None)
        chosen = chosen if chosen is not None else (entries[0] if entries else None)
        if chosen is not None:
            value = _float(_text(chosen, "value"))
            votes = _int(_text(chosen, "votes"), minimum=0)
            scale = _float(chosen.get("max")) or 10.0
            if value is not None:
                value = value * 10.0 / scale if scale > 0 else None
    if value is None:  # old style: <rating> and <votes> directly under the item
        value = _float(_text(item, "rating"))
    if votes is None:
        votes = _int(_text(item, "votes"), minimum=0)
    if value is not None and not 0 <= value <= 10:
        value = None
    # Kodi writes rating 0 with no votes for "not rated".
    if value == 0 and not votes:
        value = None
    return (round(value, 3) if value is not None else None), votes


def _artwork(item: Element, path: str, ctx: DirContext, meta: Metadata) -> str | None:
    candidates: list[str] = []
    art = item.find("art")
    if art is not None:
        candidates += [el.text for el in art.findall("poster") if el.text]
    thumbs = item.findall("thumb")
    candidates += [t.text for t in thumbs if t.text and t.get("aspect") == "poster"]
    candidates += [t.text for t in thumbs if t.text and t.get("aspect") != "poster"]
    if art is not None:
        candidates += [el.text for el in art.findall("thumb") if el.text]
    for candidate in candidates:
        local = _local_image(candidate.strip(), path, ctx, meta)
        if local:
            return local
    return None


def _local_image(value: str, nfo_path: str, ctx: DirContext, meta: Metadata) -> str | None:
    """An image path from the NFO, only if it exists and stays inside the library root."""
    if not value or "\x00" in value:
        return None
    if value.lower().startswith("file://"):
        value = unquote(urlparse(value).path)
    elif "://" in value:
        return None  # a scraper URL; we never fetch anything
    if os.sep == "/":
        value = value.replace("\\", "/")  # NFO written on Windows
    joined = Path(nfo_path).parent / value
    normal = os.path.normpath(joined)
    root = os.path.realpath(ctx.root)
    real = os.path.realpath(normal)
    if os.path.commonpath([root, real]) != root:
        meta.warnings.append(
            (nfo_path, f"NFO image path {value[:200]!r} points outside the library; ignored")
        )
        return None
    if not Path(real).is_file():
        log.debug("NFO image %r does not exist", normal)
        return None
    return normal


def _int(value: str | None, minimum: int | None = None, maximum: int | None = None) -> int | None:
    number = _float(value.replace(",", "") if value else None)
    if number is None:
        return None
    result = int(number)
    if (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        return None
    return result


def _float(value: str | None) -> float | None:
    if not value:
        return None
    match = _NUMBER.match(value.strip())
    return float(match.group()) if match else None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _datetime(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip()).isoformat()
    except ValueError:
        day = _date(value)
        return day.isoformat() if day else None
