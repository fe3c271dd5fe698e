"""Filename fallback: guessit plus folder names below the library root."""

from __future__ import annotations

import os
import unicodedata

import pytest

from engine.ingest.filename import parse_filename, readable

ROOT = "/library"


def parse(relative: str) -> dict[str, object]:
    meta = parse_filename(f"{ROOT}/{relative}", ROOT)
    assert set(meta.sources.values()) <= {"filename"}
    assert meta.warnings == []
    return {
        k: getattr(meta, k)
        for k in ("kind", "title", "show", "season", "episode", "year", "air_date")
    }


def test_show_dash_sxxexx_dash_title() -> None:
    assert parse("TV/Show - S01E02 - Title.mkv") == {
        "kind": "episode",
        "title": "Title",
        "show": "Show",
        "season": 1,
        "episode": 2,
        "year": None,
        "air_date": None,
    }


def test_dotted_release_name_without_episode_title() -> None:
    got = parse("Show.S01E02.720p.mkv")
    assert got["kind"] == "episode"
    assert got["show"] == "Show"
    assert (got["season"], got["episode"]) == (1, 2)
    assert got["title"] == "Show S01E02"


def test_season_folder_and_nxmm_name() -> None:
    got = parse("Show/Season 1/Show - 1x02.mkv")
    assert got["show"] == "Show"
    assert (got["season"], got["episode"]) == (1, 2)
    assert got["kind"] == "episode"


def test_show_and_season_from_folders_when_name_lacks_them() -> None:
    got = parse("Great Show/Season 02/03 - Pilot.mkv")
    assert got["show"] == "Great Show"
    assert got["season"] == 2
    assert got["episode"] == 3
    assert got["title"] == "Pilot"


def test_movie_with_year_and_release_tags() -> None:
    got = parse("Movies/Film.2019.1080p.BluRay.mkv")
    assert got["kind"] == "movie"
    assert got["title"] == "Film"
    assert got["year"] == 2019
    assert got["show"] is None  # a movie's folder is not a show


def test_dated_podcast_episode() -> None:
    got = parse("My Podcast/2021-03-04 Episode name.mp3")
    assert got["air_date"] == "2021-03-04"
    assert got["year"] == 2021
    assert got["title"] == "Episode name"
    assert got["show"] == "My Podcast"
    assert got["kind"] == "podcast"


def test_podcast_folder_names_the_show() -> None:
    got = parse("Podcast Name/episode.mp3")
    assert got["show"] == "Podcast Name"
    assert got["title"] == "episode"
    assert got["kind"] is None  # nothing in the name says what it is


def test_numbered_podcast_has_no_season_zero() -> None:
    got = parse("Pod/042 The Thing.mp3")
    assert got["episode"] == 42
    assert got["season"] is None
    assert got["title"] == "The Thing"


def test_file_directly_in_root_has_no_show() -> None:
    assert parse("Lecture.mp4")["show"] is None
    assert parse("Lecture.mp4")["title"] == "Lecture"


@pytest.mark.parametrize(
    ("relative", "title"),
    [
        ("-Film.mkv", "Film"),
        ("-", "-"),
        ("No extension at all", "No extension at all"),
        ("...", "..."),
    ],
)
def test_odd_names_never_raise_and_get_a_title(relative: str, title: str) -> None:
    assert parse(relative)["title"] == title


def test_non_utf8_name_becomes_readable_text() -> None:
    name = os.fsdecode(b"caf\xe9.mkv")
    meta = parse_filename(f"{ROOT}/{name}", ROOT)
    assert meta.title == "café"
    assert meta.title is not None
    meta.title.encode("utf-8")  # no lone surrogates left


def test_nfd_name_is_normalised_to_nfc() -> None:
    name = unicodedata.normalize("NFD", "Café Noir.mp3")
    meta = parse_filename(f"{ROOT}/Pod/{name}", ROOT)
    assert meta.title == unicodedata.normalize("NFC", "Café Noir")


def test_media_outside_root_ignores_folders() -> None:
    meta = parse_filename("/elsewhere/Some Show/episode.mp3", ROOT)
    assert meta.show is None
    assert meta.title == "episode"


def test_readable_keeps_valid_text() -> None:
    assert readable("  Plain  ") == "Plain"
    assert readable(os.fsdecode(b"\xff\xfe")) == "ÿþ"
