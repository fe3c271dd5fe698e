"""NFO sidecars: Kodi/Jellyfin fields, show-level facts, and hostile or broken files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.ingest.metadata import DirContext, Metadata
from engine.ingest.nfo import (
    MAX_NFO_BYTES,
    find_nfo,
    parse_nfo_bytes,
    read_nfo_for,
    stream_facts,
)

MOVIE_NFO = """<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<movie>
  <title>The Film</title>
  <outline>Short outline.</outline>
  <plot>A &lt;b&gt;long&lt;/b&gt; plot
     about   things.</plot>
  <runtime>102</runtime>
  <genre>Drama</genre>
  <genre>Comedy / Romance</genre>
  <premiered>2019-05-17</premiered>
  <year>2019</year>
  <ratings>
    <rating name="tmdb" max="10"><value>6.1</value><votes>50</votes></rating>
    <rating name="imdb" max="10" default="true"><value>7.8</value><votes>12,345</votes></rating>
  </ratings>
  <userrating>0</userrating>
  <director>Jane Director</director>
  <credits>Sam Writer</credits>
  <actor><name>Alice Actor</name><role>Hero</role></actor>
  <actor><name>Bob Actor</name></actor>
  <thumb aspect="poster">https://image.example.org/poster.jpg</thumb>
  <thumb aspect="poster">poster.jpg</thumb>
  <playcount>3</playcount>
  <lastplayed>2023-01-02 20:15:00</lastplayed>
  <resume><position>754.5</position><total>6120.0</total></resume>
  <language>English</language>
</movie>
https://www.themoviedb.org/movie/12345
"""

EPISODE_NFO = """<?xml version="1.0" encoding="utf-8"?>
<episodedetails>
  <title>Pilot</title>
  <showtitle>Great Show</showtitle>
  <season>1</season>
  <episode>2</episode>
  <aired>2010-09-20</aired>
  <plot>Things happen.</plot>
  <rating>8.5</rating>
  <votes>99</votes>
  <playcount>0</playcount>
  <resume><position>0.000000</position><total>0.000000</total></resume>
</episodedetails>
"""

MULTI_EPISODE_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Part One</title><season>2</season><episode>5</episode><plot>First half.</plot>
</episodedetails>
<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Part Two</title><season>2</season><episode>6</episode><plot>Second half.</plot>
</episodedetails>
"""

TVSHOW_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<tvshow>
  <title>Great Show</title>
  <plot>A show about great things.</plot>
  <genre>Sci-Fi</genre>
  <genre>Drama</genre>
  <thumb aspect="poster">art/show-poster.jpg</thumb>
</tvshow>
"""


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def only_warning(meta: Metadata, path: str) -> str:
    assert len(meta.warnings) == 1, meta.warnings
    warned_path, message = meta.warnings[0]
    assert warned_path == path
    return message


def test_movie_nfo_fields(tmp_path: Path) -> None:
    folder = tmp_path / "Movies" / "The Film (2019)"
    media = write(folder / "The.Film.2019.mkv", b"")
    nfo = write(folder / "movie.nfo", MOVIE_NFO)
    poster = write(folder / "poster.jpg", b"\xff\xd8")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))

    assert meta.warnings == []
    assert meta.kind == "movie"
    assert meta.title == "The Film"
    assert meta.description == "A long plot\nabout things."  # HTML stripped, spaces folded
    assert meta.genres == ["Drama", "Comedy", "Romance"]
    assert meta.year == 2019
    assert meta.air_date == "2019-05-17"
    assert meta.duration == 102 * 60
    assert meta.rating == 7.8  # the default rating, not the first
    assert meta.votes == 12345
    assert meta.people == ["Alice Actor", "Bob Actor", "Jane Director", "Sam Writer"]
    assert meta.artwork_path == poster  # the URL is skipped, the local file taken
    assert meta.nfo_playcount == 3
    assert meta.nfo_lastplayed == "2023-01-02T20:15:00"
    assert meta.nfo_resume_position == 754.5
    assert meta.nfo_resume_total == 6120.0
    assert meta.language == "en"
    assert meta.show is None
    assert set(meta.sources.values()) == {"nfo"}


def test_episode_nfo_with_tvshow_nfo_two_levels_up(tmp_path: Path) -> None:
    show = tmp_path / "Great Show"
    season = show / "Season 01"
    media = write(season / "Great Show - S01E02.mkv", b"")
    nfo = write(season / "Great Show - S01E02.nfo", EPISODE_NFO)
    other = write(season / "Great Show - S01E03.nfo", "<episodedetails><title>No</title>")
    tvshow = write(show / "tvshow.nfo", TVSHOW_NFO)
    show_poster = write(show / "art" / "show-poster.jpg", b"\xff\xd8")
    ctx = DirContext(root=str(tmp_path), nfo=(other, nfo), show_nfo=tvshow)

    assert find_nfo(media, ctx) == nfo
    meta = read_nfo_for(media, ctx)
    assert meta.warnings == []
    assert meta.kind == "episode"
    assert meta.title == "Pilot"
    assert (meta.season, meta.episode) == (1, 2)
    assert meta.air_date == "2010-09-20"
    assert meta.year == 2010
    assert meta.rating == 8.5
    assert meta.votes == 99
    assert meta.nfo_playcount == 0
    assert meta.nfo_resume_position is None  # Kodi's 0/0 means "never started"
    assert meta.show == "Great Show"
    assert meta.sources["show"] == "nfo"  # the episode's own showtitle comes first
    assert meta.show_description == "A show about great things."
    assert meta.sources["show_description"] == "tvshow.nfo"
    assert meta.genres == ["Sci-Fi", "Drama"]  # the episode has none of its own
    assert meta.sources["genres"] == "tvshow.nfo"
    assert meta.show_artwork_path == show_poster
    assert meta.description == "Things happen."


def test_tvshow_nfo_alone_names_the_show(tmp_path: Path) -> None:
    media = write(tmp_path / "Great Show" / "Season 2" / "ep.mkv", b"")
    tvshow = write(tmp_path / "Great Show" / "tvshow.nfo", TVSHOW_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), show_nfo=tvshow))
    assert meta.show == "Great Show"
    assert meta.sources["show"] == "tvshow.nfo"
    assert meta.title is None
    assert meta.kind is None
    assert meta.show_artwork_path is None  # the poster named in it does not exist


def test_movie_does_not_take_show_facts(tmp_path: Path) -> None:
    media = write(tmp_path / "Show" / "Film.mkv", b"")
    nfo = write(tmp_path / "Show" / "Film.nfo", "<movie><title>Film</title></movie>")
    tvshow = write(tmp_path / "Show" / "tvshow.nfo", TVSHOW_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,), show_nfo=tvshow))
    assert meta.title == "Film"
    assert meta.show is None


def test_multi_episode_nfo(tmp_path: Path) -> None:
    media = write(tmp_path / "S02E05E06.mkv", b"")
    nfo = write(tmp_path / "S02E05E06.nfo", MULTI_EPISODE_NFO)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.warnings == []
    assert meta.title == "Part One / Part Two"
    assert meta.description == "First half.\n\nSecond half."
    assert (meta.season, meta.episode) == (2, 5)
    assert meta.kind == "episode"


def test_parse_nfo_bytes_returns_every_item() -> None:
    items = parse_nfo_bytes(MULTI_EPISODE_NFO.encode())
    assert [i.findtext("title") for i in items] == ["Part One", "Part Two"]
    wrapped = parse_nfo_bytes(
        b"<xbmcmultiepisode><episodedetails><title>A</title></episodedetails>"
        b"<episodedetails><title>B</title></episodedetails></xbmcmultiepisode>"
    )
    assert [i.findtext("title") for i in wrapped] == ["A", "B"]


def test_old_style_rating_scaled_ratings_and_zero_rating(tmp_path: Path) -> None:
    media = write(tmp_path / "a.mkv", b"")
    nfo = write(
        tmp_path / "a.nfo",
        '<movie><ratings><rating name="x" max="100"><value>78</value></rating></ratings>'
        "<votes>10</votes></movie>",
    )
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.rating == 7.8
    assert meta.votes == 10

    write(tmp_path / "a.nfo", "<movie><rating>0.000000</rating><votes>0</votes></movie>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.rating is None  # Kodi's "not rated"

    write(tmp_path / "a.nfo", "<movie><rating>42</rating><year>0</year></movie>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.rating is None  # out of the 0..10 range
    assert meta.year is None


def test_xxe_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-CONTENT-42")
    media = write(tmp_path / "lib" / "Film.mkv", b"")
    nfo = write(
        tmp_path / "lib" / "Film.nfo",
        f"""<?xml version="1.0"?>
<!DOCTYPE movie [<!ENTITY xxe SYSTEM "file://{secret}">]>
<movie><title>&xxe;</title><plot>&xxe;</plot></movie>""",
    )
    meta = read_nfo_for(media, DirContext(root=str(tmp_path / "lib"), nfo=(nfo,)))
    assert "TOP-SECRET" not in repr(meta)
    assert meta.title is None
    message = only_warning(meta, nfo)
    assert "refused" in message
    assert "external entity" in message
    assert "XXE" in message


def test_parameter_entity_xxe_is_refused(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(
        tmp_path / "Film.nfo",
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'
        "<movie><title>x</title></movie>",
    )
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert "XXE" in only_warning(meta, nfo)
    assert meta.title is None


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE movie [\n'
        + "\n".join(entities)
        + "\n]>\n<movie><title>&lol9;</title></movie>"
    )
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(tmp_path / "Film.nfo", bomb)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title is None
    message = only_warning(meta, nfo)
    assert message.startswith("NFO refused")
    assert "entity bomb" in message


def test_broken_xml_names_line_and_column(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(tmp_path / "Film.nfo", "<movie>\n  <title>Film</title>\n  <plot>x</plt>\n</movie>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title is None
    assert only_warning(meta, nfo) == (
        "NFO is not well-formed XML: line 3, column 12: mismatched tag"
    )


@pytest.mark.parametrize("content", [b"", b"   \n\t"])
def test_empty_nfo(tmp_path: Path, content: bytes) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(tmp_path / "Film.nfo", content)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert only_warning(meta, nfo) == "NFO is empty"


def test_latin1_bytes_declared_utf8_are_recovered_with_a_warning(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<movie><title>Café Noir</title></movie>'
    nfo = write(tmp_path / "Film.nfo", data.encode("latin-1"))
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title == "Café Noir"
    message = only_warning(meta, nfo)
    assert message.startswith("NFO encoding error: declared utf-8 but byte 0xe9")
    assert "cp1252" in message


def test_declared_latin1_and_utf16_are_read(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><movie><title>Ærø</title></movie>'
    nfo = write(tmp_path / "Film.nfo", data.encode("latin-1"))
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert (meta.title, meta.warnings) == ("Ærø", [])

    data = '<?xml version="1.0" encoding="UTF-16"?><movie><title>Ærø 2</title></movie>'
    write(tmp_path / "Film.nfo", data.encode("utf-16"))
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert (meta.title, meta.warnings) == ("Ærø 2", [])


def test_huge_nfo_is_refused_without_parsing(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = tmp_path / "Film.nfo"
    with nfo.open("wb") as fh:
        fh.write(b"<movie><title>x</title><plot>")
        fh.truncate(MAX_NFO_BYTES + 10)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(str(nfo),)))
    assert meta.title is None
    assert only_warning(meta, str(nfo)).startswith("NFO is too large")


def test_unreadable_nfo(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    missing = str(tmp_path / "Film.nfo")  # listed by the scanner, deleted since
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(missing,)))
    assert only_warning(meta, missing).startswith("NFO could not be read:")


def test_thumb_escaping_the_root_is_dropped(tmp_path: Path) -> None:
    root = tmp_path / "library"
    write(tmp_path / "outside.jpg", b"\xff\xd8")
    media = write(root / "Film" / "Film.mkv", b"")
    nfo = write(
        root / "Film" / "Film.nfo",
        "<movie><title>Film</title><thumb>../../outside.jpg</thumb></movie>",
    )
    meta = read_nfo_for(media, DirContext(root=str(root), nfo=(nfo,)))
    assert meta.title == "Film"
    assert meta.artwork_path is None
    assert "outside the library" in only_warning(meta, nfo)


def test_symlinked_thumb_escaping_the_root_is_dropped(tmp_path: Path) -> None:
    root = tmp_path / "library"
    target = write(tmp_path / "outside.jpg", b"\xff\xd8")
    media = write(root / "Film.mkv", b"")
    (root / "poster.jpg").symlink_to(target)
    nfo = write(root / "Film.nfo", "<movie><art><poster>poster.jpg</poster></art></movie>")
    meta = read_nfo_for(media, DirContext(root=str(root), nfo=(nfo,)))
    assert meta.artwork_path is None
    assert "outside the library" in only_warning(meta, nfo)


def test_tvshow_poster_escaping_the_root_is_dropped(tmp_path: Path) -> None:
    root = tmp_path / "library"
    write(tmp_path / "x.jpg", b"\xff\xd8")
    media = write(root / "Show" / "ep.mkv", b"")
    tvshow = write(root / "Show" / "tvshow.nfo", "<tvshow><thumb>../../x.jpg</thumb></tvshow>")
    meta = read_nfo_for(media, DirContext(root=str(root), show_nfo=tvshow))
    assert meta.show_artwork_path is None
    assert "outside the library" in only_warning(meta, tvshow)


def test_bad_tvshow_nfo_keeps_episode_facts(tmp_path: Path) -> None:
    media = write(tmp_path / "Show" / "ep.mkv", b"")
    nfo = write(tmp_path / "Show" / "ep.nfo", EPISODE_NFO)
    tvshow = write(tmp_path / "Show" / "tvshow.nfo", "<tvshow><title>oops</tvshow>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,), show_nfo=tvshow))
    assert meta.title == "Pilot"
    assert "not well-formed" in only_warning(meta, tvshow)


def test_leading_dash_file_name(tmp_path: Path) -> None:
    media = write(tmp_path / "-Film.mkv", b"")
    nfo = write(tmp_path / "-Film.nfo", "<movie><title>Dash</title></movie>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title == "Dash"


def test_non_utf8_file_name(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    try:
        with open(folder + b"/caf\xe9.nfo", "wb") as fh:
            fh.write(b"<movie><title>Caf\xc3\xa9</title></movie>")
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    media = os.fsdecode(folder + b"/caf\xe9.mkv")
    nfo = os.fsdecode(folder + b"/caf\xe9.nfo")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title == "Café"
    assert meta.warnings == []


def test_no_nfo_gives_empty_metadata(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    other = write(tmp_path / "Other.nfo", "<movie><title>Other</title></movie>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(other,)))
    assert meta == Metadata()


def test_unknown_root_element_is_reported(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(tmp_path / "Film.nfo", "<something><title>x</title></something>")
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title is None
    assert "<something>" in only_warning(meta, nfo)


def test_hostile_junk_is_rejected_quickly(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(tmp_path / "Film.nfo", "<movie/>" + "<?xml <!DOCTYPE [" * 250_000)
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert only_warning(meta, nfo).startswith("NFO is not well-formed XML: line 1, column 9")


def test_utf16_declared_but_stored_as_8_bit(tmp_path: Path) -> None:
    media = write(tmp_path / "Film.mkv", b"")
    nfo = write(
        tmp_path / "Film.nfo",
        b'<?xml version="1.0" encoding="UTF-16"?><movie><title>T</title></movie>',
    )
    meta = read_nfo_for(media, DirContext(root=str(tmp_path), nfo=(nfo,)))
    assert meta.title == "T"
    assert "8-bit" in only_warning(meta, nfo)


# --- dialects: MediaElch, multi-episode ranges, music videos, season.nfo, ids, streams ------

# Written here in the shape MediaElch saves a two-episode file: one <episodes> root.
MEDIAELCH_EPISODES_NFO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<episodes>
  <episodedetails>
    <title>The Ascent</title><showtitle>High Peaks</showtitle>
    <season>2</season><episode>3</episode><runtime>44</runtime>
    <plot>They climb.</plot>
    <uniqueid type="tvdb" default="true">7001</uniqueid>
    <uniqueid type="imdb">tt7000003</uniqueid>
  </episodedetails>
  <episodedetails>
    <title>The Descent</title><showtitle>High Peaks</showtitle>
    <season>2</season><episode>4</episode><runtime>46</runtime>
    <plot>They come down.</plot>
    <uniqueid type="tvdb" default="true">7002</uniqueid>
  </episodedetails>
</episodes>
"""

MUSIC_VIDEO_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<musicvideo>
  <title>Paper Lanterns</title>
  <artist>The Night Owls</artist>
  <artist>Mara Quill</artist>
  <album>Harbour Lights</album>
  <year>2016</year>
  <genre>Indie</genre>
  <director>Ivo Lens</director>
  <plot>Filmed at night on the pier.</plot>
</musicvideo>
"""

SEASON_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<season>
  <seasonnumber>3</seasonnumber>
  <title>Season Three</title>
  <showtitle>Great Show</showtitle>
  <genre>Mystery</genre>
</season>
"""

STREAMS_MOVIE_NFO = """<movie>
  <title>Wide Film</title>
  <uniqueid type="imdb" default="true">tt0062622</uniqueid>
  <uniqueid type="tmdb">62</uniqueid>
  <uniqueid type="homepage">https://example.org/not-an-id</uniqueid>
  <ratings><rating name="imdb" max="10" default="true"><value>8.3</value><votes>700,001</votes>
  </rating></ratings>
  <fileinfo><streamdetails>
    <video><codec>hevc</codec><width>3840</width><height>1606</height>
      <durationinseconds>8940</durationinseconds></video>
    <audio><codec>truehd</codec><language>eng</language><channels>8</channels></audio>
    <subtitle><language>fre</language></subtitle>
  </streamdetails></fileinfo>
</movie>
"""


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
