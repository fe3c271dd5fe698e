"""NFO dialects: MediaElch episode wrappers, multi-episode ranges, music videos, season.nfo,
unique ids and stream details."""

from __future__ import annotations

from pathlib import Path

from engine.ingest.metadata import DirContext, Metadata
from engine.ingest.nfo import (
    find_nfo,
    parse_nfo_bytes,
    read_nfo_for,
    stream_facts,
)
from tests.engine.nfo_files import (
    EPISODE_NFO,
    MEDIAELCH_EPISODES_NFO,
    MULTI_EPISODE_NFO,
    MUSIC_VIDEO_NFO,
    SEASON_NFO,
    STREAMS_MOVIE_NFO,
    TVSHOW_NFO,
    only_warning,
    write,
)

# Written here in the shape MediaElch saves a two-episode file: one <episodes> root.


def test_mediaelch_episodes_wrapper_is_one_item_for_the_range(tmp_path: Path) -> None:
    media = write(tmp_path / "High Peaks" / "High Peaks S02E03-E04.mkv", b"")
    nfo = write(tmp_path / "High Peaks" / "High Peaks S02E03-E04.nfo", MEDIAELCH_EPISODES_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.warnings == []
    assert meta.kind == "episode"
    assert meta.show == "High Peaks"
    assert meta.title == "The Ascent / The Descent"
    assert meta.description == "They climb.\n\nThey come down."
    assert (meta.season, meta.episode, meta.episode_end) == (2, 3, 4)
    assert meta.duration == (44 + 46) * 60  # the file runs both episodes
    assert meta.external_ids == {"tvdb": "7001", "imdb": "tt7000003"}  # the first episode's


def test_kodi_multi_root_episodes_give_the_range_too(tmp_path: Path) -> None:
    media = write(tmp_path / "S02E05E06.mkv", b"")
    nfo = write(tmp_path / "S02E05E06.nfo", MULTI_EPISODE_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert (meta.season, meta.episode, meta.episode_end) == (2, 5, 6)


def test_parse_nfo_bytes_unwraps_mediaelch_episodes() -> None:
    items = parse_nfo_bytes(MEDIAELCH_EPISODES_NFO.encode())
    assert [i.tag for i in items] == ["episodedetails", "episodedetails"]
    assert [i.findtext("title") for i in items] == ["The Ascent", "The Descent"]


def test_music_video_nfo(tmp_path: Path) -> None:
    media = write(tmp_path / "Music Videos" / "The Night Owls - Paper Lanterns.mp4", b"")
    nfo = write(tmp_path / "Music Videos" / "The Night Owls - Paper Lanterns.nfo", MUSIC_VIDEO_NFO)
    tvshow = write(tmp_path / "tvshow.nfo", TVSHOW_NFO)  # a stray show above: not its show
    ctx = DirContext(root=str(tmp_path), nfo=(nfo,), show_nfo=tvshow)
    meta = read_nfo_for(media, ctx)
    assert meta.warnings == []
    assert meta.kind == "video"
    assert meta.title == "Paper Lanterns"
    assert meta.people == ["The Night Owls", "Mara Quill", "Ivo Lens"]  # artists first
    assert meta.show == "Harbour Lights"  # the album groups the videos, as for audio tracks
    assert meta.year == 2016
    assert meta.genres == ["Indie"]
    assert meta.description == "Filmed at night on the pier."


def test_season_nfo_gives_its_episodes_season_and_show(tmp_path: Path) -> None:
    season = tmp_path / "Great Show" / "Third Year"
    media = write(season / "03 - Dinner.mkv", b"")
    season_nfo = write(season / "season.nfo", SEASON_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), season_nfo=season_nfo))
    assert meta.warnings == []
    assert meta.season == 3
    assert meta.show == "Great Show"
    assert meta.genres == ["Mystery"]
    assert meta.sources["season"] == "season.nfo"


def test_episode_nfo_wins_over_season_and_tvshow_nfo(tmp_path: Path) -> None:
    show = tmp_path / "Great Show"
    season = show / "Season 03"
    media = write(season / "Great Show - S01E02.mkv", b"")
    nfo = write(season / "Great Show - S01E02.nfo", EPISODE_NFO)
    season_nfo = write(season / "season.nfo", SEASON_NFO)
    tvshow = write(show / "tvshow.nfo", TVSHOW_NFO)
    ctx = DirContext(root=str(tmp_path), nfo=(nfo,), show_nfo=tvshow, season_nfo=season_nfo)
    meta = read_nfo_for(media, ctx)
    assert (meta.season, meta.episode) == (1, 2)  # the episode's own numbers
    assert meta.sources["season"] == "nfo"
    assert meta.show_description == "A show about great things."


def test_season_nfo_without_season_element_is_reported(tmp_path: Path) -> None:
    media = write(tmp_path / "Show" / "ep.mkv", b"")
    season_nfo = write(tmp_path / "Show" / "season.nfo", "<tvshow><title>x</title></tvshow>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), season_nfo=season_nfo))
    assert only_warning(meta, season_nfo) == "season.nfo has no <season> element"


def test_unique_ids_ratings_and_stream_details(tmp_path: Path) -> None:
    media = write(tmp_path / "Wide Film (1968)" / "Wide Film (1968).mkv", b"")
    nfo = write(tmp_path / "Wide Film (1968)" / "movie.nfo", STREAMS_MOVIE_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.warnings == []
    assert meta.external_ids == {"imdb": "tt0062622", "tmdb": "62"}  # unknown types dropped
    assert (meta.rating, meta.votes) == (8.3, 700001)
    assert (meta.width, meta.height) == (3840, 1606)
    assert (meta.video_codec, meta.audio_codec) == ("hevc", "truehd")
    assert meta.duration == 8940
    assert meta.language == "en"
    assert meta.sources["width"] == "nfo streamdetails"


def test_stream_facts_rank_below_the_file(tmp_path: Path) -> None:
    media = write(tmp_path / "Wide Film (1968)" / "Wide Film (1968).mkv", b"")
    nfo = write(tmp_path / "Wide Film (1968)" / "movie.nfo", STREAMS_MOVIE_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    facts = stream_facts(meta)
    assert (meta.width, meta.height, meta.video_codec, meta.duration) == (None,) * 4
    assert meta.title == "Wide Film"  # curated facts stay
    assert (facts.width, facts.height, facts.video_codec) == (3840, 1606, "hevc")
    probed = Metadata(width=1920, height=800)  # what the container says now
    probed.merge(facts)
    assert (probed.width, probed.height, probed.video_codec) == (1920, 800, "hevc")


def test_old_style_ids_and_show_ids(tmp_path: Path) -> None:
    show = tmp_path / "Great Show"
    media = write(show / "Season 1" / "ep.mkv", b"")
    nfo = write(
        show / "Season 1" / "ep.nfo",
        "<episodedetails><title>E</title><id>tt1234567</id><tvdbid>99</tvdbid></episodedetails>",
    )
    tvshow = write(
        show / "tvshow.nfo",
        '<tvshow><title>Great Show</title><uniqueid type="tvdb">5</uniqueid>'
        '<uniqueid type="tmdb">6</uniqueid></tvshow>',
    )
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,), show_nfo=tvshow))
    assert meta.external_ids == {
        "imdb": "tt1234567",
        "tvdb": "99",
        "show_tvdb": "5",
        "show_tmdb": "6",
    }


def test_movie_nfo_in_the_films_own_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Movies" / "Wide Film (1968)"
    media = write(folder / "wide.film.1968.1080p.mkv", b"")
    nfo = write(folder / "movie.nfo", STREAMS_MOVIE_NFO)
    other = write(tmp_path / "Movies" / "movie.nfo", "<movie><title>Not this</title></movie>")
    ctx = DirContext(root=str(tmp_path), nfo=(nfo, other))
    assert find_nfo(media, ctx) == nfo
    assert read_nfo_for(media, ctx).title == "Wide Film"
