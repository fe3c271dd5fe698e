"""NFO dialects and real-world names through a real scan: real media, real SQLite."""

from __future__ import annotations

import re
from pathlib import Path

from engine.ingest.context import SidecarIndex, shared_words
from engine.library import Library
from tests.engine.nfo_files import (
    MEDIAELCH_EPISODES_NFO,
    MUSIC_VIDEO_NFO,
    SEASON_NFO,
    STREAMS_MOVIE_NFO,
)
from tests.mediagen import make_video

_WORDS = re.compile(r"[^\W_]+")


def _by_title(library: Library) -> dict[str, dict[str, object]]:
    return {str(item["title"]): item for item in library.items()}


def test_dialects_land_in_the_catalogue(library: Library, videos: Path) -> None:
    show = videos / "High Peaks" / "Season 02"
    show.mkdir(parents=True)
    make_video(show / "High Peaks S02E03-E04.mkv", seconds=0.4)
    (show / "High Peaks S02E03-E04.nfo").write_text(MEDIAELCH_EPISODES_NFO, encoding="utf-8")
    music = videos / "Music Videos"
    music.mkdir()
    make_video(music / "The Night Owls - Paper Lanterns.mp4", seconds=0.4)
    (music / "The Night Owls - Paper Lanterns.nfo").write_text(MUSIC_VIDEO_NFO, encoding="utf-8")
    film = videos / "Wide Film (1968)"
    film.mkdir()
    make_video(film / "Wide Film (1968).mkv", seconds=0.4, width=64, height=48)
    (film / "movie.nfo").write_text(STREAMS_MOVIE_NFO, encoding="utf-8")
    third = videos / "Great Show" / "Third Year"
    third.mkdir(parents=True)
    make_video(third / "07 - Dinner.mkv", seconds=0.4)
    (third / "season.nfo").write_text(SEASON_NFO, encoding="utf-8")

    library.add_root(videos, "video")
    counts = library.scan()
    assert counts.errors == 0

    items = _by_title(library)
    pair = items["The Ascent / The Descent"]
    assert (pair["kind"], pair["show"], pair["season"]) == ("episode", "High Peaks", 2)
    assert (pair["episode"], pair["episode_end"]) == (3, 4)  # one item for the file's range
    assert pair["external_ids"] == {"tvdb": "7001", "imdb": "tt7000003"}

    clip = items["Paper Lanterns"]
    assert clip["kind"] == "video"  # not a film, though it sits in a video folder
    assert clip["people"] == ["The Night Owls", "Mara Quill", "Ivo Lens"]

    wide = items["Wide Film"]
    assert wide["kind"] == "movie"
    assert wide["external_ids"] == {"imdb": "tt0062622", "tmdb": "62"}
    assert (wide["rating"], wide["votes"]) == (8.3, 700001)
    # The file's own picture size wins over what the NFO recorded; the NFO fills the rest.
    assert (wide["width"], wide["height"]) == (64, 48)
    assert wide["audio_codec"]

    dinner = items["Dinner"]
    assert (dinner["show"], dinner["season"], dinner["episode"]) == ("Great Show", 3, 7)


def test_no_title_is_a_word_every_file_in_its_folder_shares(library: Library, videos: Path) -> None:
    folder = videos / "samples"
    folder.mkdir()
    names = [
        "kodi-h264-aac.mkv",
        "kodi-3d-sbs.mkv",
        "kodi-vp9-opus.mp4",
        "kodi-subs-ass.mkv",
        "kodi_sample_dts.mkv",
        "kodi-test-hevc-10bit.mkv",
    ]
    for name in names:
        make_video(folder / name, seconds=0.3)
    other = videos / "Two Films"
    other.mkdir()
    make_video(other / "Alien (1979).mkv", seconds=0.3)
    make_video(other / "Aliens (1986).mkv", seconds=0.3)

    library.add_root(videos, "video")
    library.scan()

    titles = {str(item["title"]) for item in library.items()}
    assert len(titles) == len(names) + 2  # every file its own title
    shared = {"kodi"}
    for title in titles:
        assert not set(_WORDS.findall(title.casefold())) <= shared, title
    assert {"Alien", "Aliens"} <= titles  # no shared prefix there: guessit's titles stay


def test_extras_are_videos_not_episodes(library: Library, videos: Path) -> None:
    film = videos / "Alien (1979)"
    (film / "Trailers").mkdir(parents=True)
    make_video(film / "Alien (1979).mkv", seconds=0.3)
    make_video(film / "Trailers" / "Alien trailer.mkv", seconds=0.3)
    make_video(film / "Alien (1979)-featurette.mkv", seconds=0.3)
    season = videos / "Show" / "Season 01" / "Behind The Scenes"
    season.mkdir(parents=True)
    make_video(season / "S01E01 making of.mkv", seconds=0.3)

    library.add_root(videos, "video")
    library.scan()
    kinds = {str(i["title"]): (i["kind"], i["show"], i["episode"]) for i in library.items()}
    assert kinds == {
        "Alien": ("movie", None, None),
        "Alien trailer": ("video", None, None),
        "Alien - Featurette": ("video", None, None),
        "S01E01 making of": ("video", None, None),
    }


def test_sidecar_index_gives_season_nfo_and_shared_words(tmp_path: Path) -> None:
    root = bytes(tmp_path)
    folder = root + b"/Show/Season 1"
    media = [folder + b"/kodi-a.mkv", folder + b"/kodi-b.mkv", root + b"/alone.mkv"]
    index = SidecarIndex(root, [folder + b"/season.nfo", folder + b"/kodi-a.nfo"], media)
    ctx = index.context(media[0])
    assert ctx.season_nfo == str(tmp_path / "Show" / "Season 1" / "season.nfo")
    assert ctx.nfo == (str(tmp_path / "Show" / "Season 1" / "kodi-a.nfo"),)
    assert ctx.name_prefix == ("kodi",)
    assert index.context(media[2]).name_prefix == ()  # one file shares nothing with others


def test_shared_words() -> None:
    assert shared_words([b"kodi-a.mkv", b"Kodi_b.mkv", b"kodi c.mkv"]) == ("kodi",)
    assert shared_words([b"Show S01E01.mkv", b"Show S01E02.mkv"]) == ("show",)
    assert shared_words([b"Alien (1979).mkv", b"Aliens (1986).mkv"]) == ()
    assert shared_words([b"only.mkv"]) == ()
    assert shared_words([b"film.mkv", b"film.avi"]) == ("film",)
