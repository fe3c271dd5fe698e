"""Reading one media file: fingerprint, tags or probe, sidecars, filename, artwork.

This runs in a worker process (see `pool.py`), so it must not touch the database: it returns
an `Extracted` record and the scanner applies it.
"""

from __future__ import annotations

import logging
import os

from engine.ingest import artwork, audio, feeds, filename, nfo, subtitles, video
from engine.ingest.fingerprint import fingerprint
from engine.ingest.integrity import INCOMPLETE, NO_CONTENT, Finding, incomplete
from engine.ingest.metadata import DirContext, Extracted, Metadata, ReaderError
from engine.ingest.walk import media_type

log = logging.getLogger(__name__)

# Audio that mutagen does not parse; FFmpeg's probe (the video reader) reads it instead.
_FFMPEG_AUDIO = (".mka", ".ac3", ".dts", ".caf", ".amr", ".au")


def extract(path: str, ctx: DirContext, thumbs_dir: str) -> Extracted:
    """Everything we can learn about one file. Never raises for a bad file: sets `error`."""
    kind = media_type(os.fsencode(path)) or "audio"
    out = Extracted(path=path, media_type=kind)
    try:
        out.fingerprint = fingerprint(path)
    except OSError as exc:
        out.error = f"cannot be read: {exc.strerror or exc}"
        out.error_stage = "access"
        return out
    unreadable: ReaderError | None = None
    try:
        tags = (
            audio.read_audio(path)
            if kind == "audio" and not path.lower().endswith(_FFMPEG_AUDIO)
            else video.read_video(path)
        )
    except ReaderError as exc:
        if not _content_problem(path, exc):
            out.error = str(exc)
            return out
        # Nothing in the file could be read, but its NFO or feed entry may say what it is.
        tags, unreadable = Metadata(), exc

    # Precedence, first wins: a curated NFO, then the podcast's own feed, then embedded tags,
    # subtitles, and last the guesses from the file name.
    md = Metadata()
    from_nfo = nfo.read_nfo_for(path, ctx)
    stream = nfo.stream_facts(from_nfo)  # the NFO's <streamdetails> rank below the file's own
    md.merge(from_nfo)
    if ctx.feeds:
        md.merge(feeds.match_episode(path, tags, ctx))
    md.merge(tags)
    md.merge(stream)
    if unreadable is not None:
        if not (md.title or md.guid):
            out.error = str(unreadable)
            return out
        if "truncated" in str(unreadable):
            md.integrity = incomplete(None, None, str(unreadable))
        else:
            md.integrity = Finding(NO_CONTENT, f"listed from its companion files: {unreadable}")
    _settle_duration(md)
    if ctx.subtitles:
        md.merge(subtitles.read_subtitles_for(path, ctx))
        md.merge(subtitles.read_passages_for(path, ctx))
    if kind == "video" and not md.passages and unreadable is None:
        # No sidecar said anything: the container's own text subtitle track, if it has one.
        from engine.ingest.text_tracks import read_text_tracks

        md.merge(read_text_tracks(path))
    if _needs_filename(md, kind):
        md.merge(filename.parse_filename(path, ctx.root, ctx.name_prefix))
    out.metadata = md
    out.thumbnail = _thumbnail(md, path, ctx, thumbs_dir)
    # The show's own cover beside it first; then what the NFO or the feed named.
    show_art = (artwork.find_show_artwork(ctx) if md.show else None) or md.show_artwork_path
    if show_art:
        out.show_thumbnail = _thumb_or_warn(show_art, thumbs_dir, md)
    return out


def _content_problem(path: str, exc: ReaderError) -> bool:
    """Is the file there, readable and not empty, only its content not understood?"""
    if isinstance(exc, audio.NothingReadable):
        return True
    message = str(exc)
    if message.startswith(("cannot read file", "not a readable video file: not a regular")):
        return False
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def _settle_duration(md: Metadata) -> None:
    """A cut-off file lasts as long as what is present, whatever a feed or NFO says; what they
    say is how long the whole episode is ("audio stops at 0:00:07 of 1:04:00")."""
    finding = md.integrity
    if not isinstance(finding, Finding) or finding.kind != INCOMPLETE:
        return
    said = md.duration if md.sources.get("duration") != "integrity" else None
    expected = finding.args.get("expected") or said
    present = finding.present
    if present is not None:
        md.duration = present
        md.sources["duration"] = "integrity"
    if expected and "expected" not in finding.args:
        md.integrity = incomplete(present, expected, finding.message)


def _needs_filename(md: Metadata, kind: str) -> bool:
    """Guessing from the file name costs a few ms; skip it when the tags already said enough."""
    if not (md.title and md.show) and md.kind != "movie":
        return True
    if not md.title:
        return True
    return kind == "video" and md.kind != "movie" and md.season is None and md.air_date is None


def _thumbnail(md: Metadata, path: str, ctx: DirContext, thumbs_dir: str) -> str | None:
    if not md.artwork_data:
        md.artwork_data = artwork.embedded_picture(path)  # WMA and APEv2 pictures
    if md.artwork_data:
        thumb = _thumb_or_warn(md.artwork_data, thumbs_dir, md, path)
        md.artwork_data = None  # the bytes stay in the file; don't ship them between processes
        if thumb:
            return thumb
    # Sidecars, then the NFO's <thumb> or the feed's episode image, then a backdrop; a frame
    # from the video is the façade's last resort (`Library.artwork`).
    source = (
        artwork.find_artwork(path, ctx, md.season)
        or md.artwork_path
        or artwork.find_backdrop(path, ctx)
    )
    return _thumb_or_warn(source, thumbs_dir, md) if source else None


def _thumb_or_warn(
    source: bytes | str, thumbs_dir: str, md: Metadata, owner: str | None = None
) -> str | None:
    try:
        return artwork.make_thumbnail(source, thumbs_dir, artwork.STORED_THUMB_SIZE)
    except (ReaderError, OSError) as exc:
        where = owner if isinstance(source, bytes) and owner else str(source)
        md.warnings.append((where, f"artwork unusable: {exc}"))
        return None
