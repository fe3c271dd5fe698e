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
)
from tests.engine.nfo_files import (
    EPISODE_NFO,
    MOVIE_NFO,
    MULTI_EPISODE_NFO,
    TVSHOW_NFO,
    only_warning,
    write,
)


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
