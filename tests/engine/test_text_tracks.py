"""Subtitle tracks inside videos: text tracks (SubRip, ASS, WebVTT, mov_text) become timed
passages and the document's excerpt as sidecar subtitles do, picture tracks are skipped with a
note, reading is bounded, a sidecar still wins, and videos read before tracks were read are
read again."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from engine.ingest import text_tracks
from engine.ingest.text_tracks import read_text_tracks
from engine.library import Library
from engine.store.db import DB_NAME
from tests.engine.test_passages import LIGHTHOUSE, QUERY
from tests.transcriptgen import filler_cues, video_with_subtitles, with_cue, write_srt

SAID_AT = 600.0
STYLED = (
    "The lighthouse keeper {\\i1}rescued{\\i0} eleven sailors\\Nwhen the storm wrecked their boat."
)


def _talk(seed: int = 1, text: str = LIGHTHOUSE) -> list[tuple[float, float, str]]:
    return with_cue(filler_cues(900, seed=seed), SAID_AT, text)


@pytest.mark.parametrize(
    ("codec", "suffix"),
    [("subrip", ".mkv"), ("ass", ".mkv"), ("webvtt", ".mkv"), ("mov_text", ".mp4")],
)
def test_a_text_track_becomes_timed_passages_and_the_excerpt(
    tmp_path: Path, codec: str, suffix: str
) -> None:
    path = video_with_subtitles(tmp_path / f"film{suffix}", [(codec, "eng", _talk(text=STYLED))])
    assert path.stat().st_size < 200_000  # small generated media
    md = read_text_tracks(str(path))
    said = next(p for p in md.passages if "lighthouse keeper" in p.text)
    # Override tags and line breaks are gone, as in sidecar subtitles.
    assert "lighthouse keeper rescued eleven sailors when the storm" in said.text
    assert "{" not in said.text and "\\N" not in said.text
    assert said.source == "subtitles"
    at = said.text.index("The lighthouse")
    assert dict(said.marks)[at] == pytest.approx(SAID_AT, abs=4.0)
    assert md.passages[0].start == pytest.approx(0.0, abs=0.01)
    assert md.subtitles is not None and "lighthouse keeper rescued" in md.subtitles
    assert md.subtitle_language == "en"
    assert md.notes == []


def test_picture_subtitles_are_skipped_with_the_reason(tmp_path: Path) -> None:
    only_pictures = video_with_subtitles(tmp_path / "bd.mkv", [], picture_track=True)
    md = read_text_tracks(str(only_pictures))
    assert md.passages == [] and md.subtitles is None
    assert md.notes == [
        (
            str(only_pictures),
            "subtitle track 1 skipped: DVD (VobSub) subtitles are pictures, not text",
        )
    ]
    both = video_with_subtitles(
        tmp_path / "both.mkv", [("subrip", "eng", _talk())], picture_track=True
    )
    md = read_text_tracks(str(both))
    assert any(LIGHTHOUSE in p.text for p in md.passages)
    assert [why for _path, why in md.notes] == [
        "subtitle track 1 skipped: DVD (VobSub) subtitles are pictures, not text"
    ]


def test_the_english_full_track_is_chosen(tmp_path: Path) -> None:
    french = [(0.0, 2.0, "Le gardien du phare a sauvé onze marins.")]
    path = video_with_subtitles(
        tmp_path / "two.mkv", [("subrip", "fre", french), ("ass", "eng", _talk())]
    )
    md = read_text_tracks(str(path))
    assert md.subtitle_language == "en"
    assert any(LIGHTHOUSE in p.text for p in md.passages)
    assert not any("phare" in p.text for p in md.passages)


def test_reading_a_track_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = video_with_subtitles(tmp_path / "long.mkv", [("subrip", "eng", _talk())])
    monkeypatch.setattr(text_tracks, "MAX_CUES", 20)
    md = read_text_tracks(str(path))
    assert sum(len(p.marks) for p in md.passages) == 20
    assert md.notes == [(str(path), "subtitle track 1 read up to 76 s: more than 20 cues")]
    monkeypatch.setattr(text_tracks, "MAX_CUES", 20_000)
    monkeypatch.setattr(text_tracks, "TRACK_SECONDS", -1.0)  # out of time at the first packet
    md = read_text_tracks(str(path))
    assert md.passages == []
    assert md.notes == [
        (str(path), "subtitle track 1 read up to 0 s: reading took longer than -1 s")
    ]


def test_not_a_container_is_a_note_not_a_failure(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(64))
    md = read_text_tracks(str(junk))
    assert md.passages == [] and len(md.notes) == 1
    assert md.notes[0][1].startswith("subtitle tracks not read:")


def test_embedded_subtitles_are_found_and_a_sidecar_wins(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    films = tmp_path / "Films"
    films.mkdir()
    video_with_subtitles(films / "Harbour (1999).mkv", [("subrip", "eng", _talk())])
    # This one has its own track and a sidecar: the sidecar is read first and wins.
    video_with_subtitles(films / "Market (2001).mkv", [("subrip", "eng", filler_cues(300, seed=9))])
    write_srt(films / "Market (2001).en.srt", _talk(seed=4))
    video_with_subtitles(films / "Silent (2003).mkv", [], picture_track=True)
    data = tmp_path / "data"
    with Library(data, workers=1) as library, caplog.at_level(logging.INFO, "engine"):
        library.add_root(films, "video")
        library.scan()
        library.index_now()
        hits = library.search_passages(QUERY, k=5)
        titles = {h["title"]: h for h in hits}
        assert {"Harbour", "Market"} <= set(titles)
        assert abs(titles["Harbour"]["start_s"] - SAID_AT) < 10.0
        assert titles["Market"]["source"] == "subtitles"
        harbour = library.item(titles["Harbour"]["item"])
        assert harbour is not None and "lighthouse keeper rescued" in harbour["subtitles"]
        market = library.item(titles["Market"]["item"])
        assert market is not None and LIGHTHOUSE in market["subtitles"]  # the sidecar's text
    assert "subtitle track 1 skipped: DVD (VobSub) subtitles are pictures, not text" in caplog.text


def test_videos_read_before_subtitle_tracks_are_read_again(tmp_path: Path) -> None:
    films = tmp_path / "Films"
    films.mkdir()
    video_with_subtitles(films / "Harbour (1999).mkv", [("subrip", "eng", _talk())])
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(films, "video")
        library.scan()
        library.index_now()
        assert library.search_passages(QUERY)
    # As the scan before subtitle tracks left it: read by version 1, no passages.
    conn = sqlite3.connect(data / DB_NAME)
    with conn:
        conn.execute("DELETE FROM passages")
        conn.execute("DELETE FROM passage_vectors")
        conn.execute("DELETE FROM passage_state")
        conn.execute("UPDATE files SET passages_read = 1")
    conn.close()
    with Library(data, workers=1) as library:
        assert library.search_passages(QUERY) == []
        scanned, counts = library.index_now()
        assert scanned.updated == 1 and counts.passages > 0
        assert abs(library.search_passages(QUERY)[0]["start_s"] - SAID_AT) < 10.0
        scanned, counts = library.index_now()
        assert scanned.updated == 0 and counts.passages == 0
