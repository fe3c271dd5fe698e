"""Local podcast feeds: parsing, hostile XML, caching, and matching media files to episodes."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.ingest import feeds
from engine.ingest.feeds import Feed, match_episode, read_feed
from engine.ingest.metadata import Chapter, DirContext, Metadata, ReaderError

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:psc="http://podlove.org/simple-chapters">
  <channel>
    <title>The Reelcast Show</title>
    <link>https://show.example.com/</link>
    <atom:link href="https://show.example.com/feed.rss" rel="self" type="application/rss+xml"/>
    <language>en-gb</language>
    <description><![CDATA[<p>A show about <em>catalogues</em>.</p>]]></description>
    <itunes:author>Reel Cast</itunes:author>
    <itunes:image href="https://show.example.com/cover.jpg"/>
    <item>
      <title>Episode 1: Hello, World!</title>
      <guid isPermaLink="false">rc-ep-0001</guid>
      <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
      <itunes:duration>00:42:10</itunes:duration>
      <description><![CDATA[<p>First <b>episode</b>.</p><p>Second   paragraph.</p>]]></description>
      <enclosure url="https://cdn.example.com/audio/Episode%201%20-%20Hello.mp3?src=rss"
                 length="1234567" type="audio/mpeg"/>
      <psc:chapters version="1.2">
        <psc:chapter start="00:00:00" title="Intro"/>
        <psc:chapter start="00:05:00" title="Main part"/>
      </psc:chapters>
    </item>
    <item>
      <title>Episode 2: The Sequel</title>
      <guid>https://show.example.com/episodes/2</guid>
      <pubDate>Mon, 08 Jan 2024 10:00:00 +0000</pubDate>
      <itunes:duration>3600</itunes:duration>
      <description>Plain text &amp; no markup.</description>
      <content:encoded><![CDATA[<p>The <i>sequel</i> notes.</p>]]></content:encoded>
      <enclosure url="https://cdn.example.com/audio/ep2.mp3" length="2000000" type="audio/mpeg"/>
    </item>
    <item>
      <title>Episode 3: Finale</title>
      <guid isPermaLink="false">rc-ep-0003</guid>
      <pubDate>Mon, 15 Jan 2024 10:00:00 +0000</pubDate>
      <itunes:duration>25:30</itunes:duration>
      <description><![CDATA[<p>The end.</p>]]></description>
      <enclosure url="https://cdn.example.com/audio/final.m4a" length="3000000" type="audio/mp4"/>
    </item>
  </channel>
</rss>
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    feeds.clear_cache()
    yield
    feeds.clear_cache()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "library" / "The Reelcast Show"
    folder.mkdir(parents=True)
    (folder / "feed.xml").write_text(FEED, encoding="utf-8")
    return tmp_path / "library"


def _ctx(root: Path, *feed_names: str) -> DirContext:
    folder = root / "The Reelcast Show"
    return DirContext(root=str(root), feeds=tuple(str(folder / n) for n in feed_names))


def _media(root: Path, name: str) -> str:
    return str(root / "The Reelcast Show" / name)


# --- read_feed ---------------------------------------------------------------------------------


def test_read_feed_parses_channel_and_items(root: Path) -> None:
    feed = read_feed(str(root / "The Reelcast Show" / "feed.xml"))

    assert feed.title == "The Reelcast Show"
    assert feed.link == "https://show.example.com/"
    assert feed.url == "https://show.example.com/feed.rss"
    assert feed.artwork == "https://show.example.com/cover.jpg"
    assert feed.language == "en-gb"
    assert feed.description is not None and "catalogues" in feed.description
    # podcastparser orders episodes newest first.
    assert [e.title for e in feed.episodes] == [
        "Episode 3: Finale",
        "Episode 2: The Sequel",
        "Episode 1: Hello, World!",
    ]
    third, second, first = feed.episodes
    assert first.guid == "rc-ep-0001"
    assert first.enclosure_filename == "Episode 1 - Hello.mp3"
    assert first.enclosure_url == (
        "https://cdn.example.com/audio/Episode%201%20-%20Hello.mp3?src=rss"
    )
    assert first.published == "2024-01-01T10:00:00+00:00"
    assert first.duration == 42 * 60 + 10
    assert first.chapters == (
        Chapter(start=0.0, title="Intro", end=300.0),
        Chapter(start=300.0, title="Main part", end=2530.0),
    )
    # A permalink GUID stays exactly as written, so it can match an ID3 TGID tag.
    assert second.guid == "https://show.example.com/episodes/2"
    assert second.duration == 3600.0
    assert second.description is not None and "sequel" in second.description
    assert third.enclosure_filename == "final.m4a"
    assert third.duration == 25 * 60 + 30
    assert third.chapters == ()


def test_read_feed_is_cached_until_the_file_changes(root: Path) -> None:
    path = root / "The Reelcast Show" / "feed.xml"
    first = read_feed(str(path))
    assert read_feed(str(path)) is first

    path.write_text(FEED.replace("The Reelcast Show", "Renamed Show"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    second = read_feed(str(path))
    assert second is not first
    assert second.title == "Renamed Show"


def test_read_feed_cache_is_bounded(tmp_path: Path) -> None:
    paths = []
    for i in range(feeds._CACHE_SIZE + 5):
        p = tmp_path / f"f{i}.rss"
        p.write_text(FEED.replace("The Reelcast Show", f"Show {i}"), encoding="utf-8")
        paths.append(p)
        assert read_feed(str(p)).title == f"Show {i}"
    assert len(feeds._cache) == feeds._CACHE_SIZE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (FEED[: len(FEED) // 2], "not well-formed"),
        ("", "empty"),
        ("<html><body><p>hello</p></body></html>", "not a podcast feed"),
        ("<?xml version='1.0'?><opml version='2.0'><body/></opml>", "not a podcast feed"),
        ("just some text", "not well-formed"),
    ],
)
def test_read_feed_rejects_broken_or_non_feed_files(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReaderError, match=message):
        read_feed(str(path))
    # The failure is cached too, and still reported on the next call.
    with pytest.raises(ReaderError, match=message):
        read_feed(str(path))


def test_read_feed_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read feed file"):
        read_feed(str(tmp_path / "nope.rss"))


def test_read_feed_refuses_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 1000)
    path = tmp_path / "big.rss"
    path.write_text(FEED, encoding="utf-8")
    with pytest.raises(ReaderError, match="too large"):
        read_feed(str(path))


def test_xxe_does_not_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4242", encoding="utf-8")
    hostile = FEED.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
    ).replace("<title>Episode 2: The Sequel</title>", "<title>&xxe;</title>")
    path = tmp_path / "feed.xml"
    path.write_text(hostile, encoding="utf-8")

    with pytest.raises(ReaderError, match="entities") as err:
        read_feed(str(path))
    assert "TOP-SECRET-4242" not in str(err.value)

    md = match_episode(
        str(tmp_path / "ep2.mp3"), Metadata(), DirContext(str(tmp_path), feeds=(str(path),))
    )
    assert "TOP-SECRET-4242" not in repr(md)
    assert md.title is None
    assert [p for p, _ in md.warnings] == [str(path)]


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    secret_dtd = tmp_path / "evil.dtd"
    secret_dtd.write_text('<!ENTITY leak "TOP-SECRET-DTD">', encoding="utf-8")
    hostile = FEED.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{secret_dtd.as_uri()}">',
    ).replace("<title>Episode 3: Finale</title>", "<title>Finale &leak;</title>")
    path = tmp_path / "feed.xml"
    path.write_text(hostile, encoding="utf-8")

    # The DOCTYPE is allowed (old feeds carry one) but the DTD is never loaded, so the entity
    # it would define is simply skipped.
    feed = read_feed(str(path))
    assert "TOP-SECRET-DTD" not in repr(feed)
    assert feed.episodes[0].title == "Finale"


def test_rss_091_doctype_is_accepted_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    old = FEED.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">',
    )
    path = tmp_path / "old.rss"
    path.write_text(old, encoding="utf-8")
    assert read_feed(str(path)).title == "The Reelcast Show"


def test_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['<!ENTITY e0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [' + "".join(levels) + "]>\n"
        "<rss version='2.0'><channel><title>&e9;</title></channel></rss>"
    )
    path = tmp_path / "bomb.rss"
    path.write_text(bomb, encoding="utf-8")
    # Refused before expansion; the suite's per-test timeout catches a parser that expands.
    with pytest.raises(ReaderError, match="entities"):
        read_feed(str(path))


# --- match_episode -----------------------------------------------------------------------------


def test_match_by_exact_enclosure_name(root: Path) -> None:
    md = match_episode(_media(root, "Episode 1 - Hello.mp3"), Metadata(), _ctx(root, "feed.xml"))

    assert md.kind == "podcast"
    assert md.title == "Episode 1: Hello, World!"
    assert md.description == "First episode.\n\nSecond paragraph."
    assert md.air_date == "2024-01-01T10:00:00+00:00"
    assert md.duration == 2530.0
    assert md.guid == "rc-ep-0001"
    assert md.show == "The Reelcast Show"
    assert md.show_description == "A show about catalogues."
    assert md.show_feed_url == "https://show.example.com/feed.rss"
    assert md.language == "en-gb"
    assert [c.title for c in md.chapters] == ["Intro", "Main part"]
    assert set(md.sources.values()) == {"feed"}
    assert md.warnings == []


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("episode_1_-_hello.MP3", "Episode 1: Hello, World!"),  # gPodder-sanitised, other case
        ("Episode 1 - Hello.mp3?src=rss", "Episode 1: Hello, World!"),  # query kept in name
        ("ep2.m4a", "Episode 2: The Sequel"),  # extension changed on download
        ("FINAL.m4a", "Episode 3: Finale"),
    ],
)
def test_match_by_sanitised_enclosure_name(root: Path, name: str, title: str) -> None:
    md = match_episode(_media(root, name), Metadata(), _ctx(root, "feed.xml"))
    assert md.title == title


def test_match_by_guid(root: Path) -> None:
    tags = Metadata(guid="rc-ep-0003")
    md = match_episode(_media(root, "downloaded-file-123.mp3"), tags, _ctx(root, "feed.xml"))
    assert md.title == "Episode 3: Finale"
    assert md.description == "The end."
    assert md.guid == "rc-ep-0003"


def test_match_by_title_and_date(root: Path) -> None:
    ctx = _ctx(root, "feed.xml")
    media = _media(root, "unknown.mp3")

    close = match_episode(
        media, Metadata(title="episode 2 - the sequel", air_date="2024-01-09"), ctx
    )
    assert close.title == "Episode 2: The Sequel"
    assert close.description == "The sequel notes."

    far = match_episode(media, Metadata(title="Episode 2: The Sequel", air_date="2024-03-01"), ctx)
    assert far == Metadata()

    undated = match_episode(media, Metadata(title="EPISODE 2 THE SEQUEL"), ctx)
    assert undated.title == "Episode 2: The Sequel"


def test_unmatched_file_gives_empty_metadata(root: Path) -> None:
    md = match_episode(
        _media(root, "something else.mp3"),
        Metadata(title="Not in the feed", guid="other-guid"),
        _ctx(root, "feed.xml"),
    )
    assert md == Metadata()


def test_no_feeds_gives_empty_metadata(root: Path) -> None:
    md = match_episode(_media(root, "Episode 1 - Hello.mp3"), Metadata(), _ctx(root))
    assert md == Metadata()


def test_ambiguous_enclosure_names_fall_through_to_guid(tmp_path: Path) -> None:
    generic = FEED.replace("Episode%201%20-%20Hello.mp3?src=rss", "x/audio.mp3").replace(
        "audio/ep2.mp3", "audio/y/audio.mp3"
    )
    path = tmp_path / "feed.rss"
    path.write_text(generic, encoding="utf-8")
    ctx = DirContext(str(tmp_path), feeds=(str(path),))
    media = str(tmp_path / "audio.mp3")

    assert match_episode(media, Metadata(), ctx) == Metadata()
    by_guid = match_episode(media, Metadata(guid="https://show.example.com/episodes/2"), ctx)
    assert by_guid.title == "Episode 2: The Sequel"


def test_broken_feed_is_a_warning_and_other_feeds_still_match(root: Path) -> None:
    broken = root / "The Reelcast Show" / "old.rss"
    broken.write_text("<rss><channel><title>oops", encoding="utf-8")
    ctx = _ctx(root, "old.rss", "feed.xml")

    md = match_episode(_media(root, "ep2.mp3"), Metadata(), ctx)

    assert md.title == "Episode 2: The Sequel"
    assert len(md.warnings) == 1
    path, message = md.warnings[0]
    assert path == str(broken)
    assert "not well-formed" in message


def test_feed_chapters_are_returned_as_list(root: Path) -> None:
    md = match_episode(_media(root, "Episode 1 - Hello.mp3"), Metadata(), _ctx(root, "feed.xml"))
    assert isinstance(md.chapters, list)
    assert md.chapters[0] == Chapter(start=0.0, title="Intro", end=300.0)


def test_feed_dataclasses_are_immutable(root: Path) -> None:
    feed: Feed = read_feed(str(root / "The Reelcast Show" / "feed.xml"))
    with pytest.raises(AttributeError):
        feed.title = "changed"  # type: ignore[misc]
