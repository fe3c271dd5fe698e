"""The browse queries behind the Videos and Podcasts pages, on a real scanned library."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.library import Library, LibraryError
from engine.store.browse_sql import BrowseQuery
from tests.mediagen import make_audio, make_video


@pytest.fixture
def scanned(library: Library, podcasts: Path, videos: Path) -> Library:
    for n, (title, date) in enumerate([("Rivers", "2024-01-05"), ("Bees", "2024-03-01")]):
        make_audio(podcasts / f"nature{n}.mp3", 0.2, title=title, show="Nature Hour", date=date)
    make_audio(podcasts / "talk.mp3", 0.2, title="Only One", show="Talk Time")
    for name in (
        "Harbor Lights S01E02.mkv",
        "Harbor Lights S01E01.mkv",
        "Harbor Lights S02E01.mkv",
    ):
        make_video(videos / name, 0.3)
    make_video(videos / "A Quiet Film (1999).mkv", 0.3)
    library.add_root(podcasts, "podcast")
    library.add_root(videos, "video")
    library.scan()
    return library


def titles(library: Library, ids: list[int]) -> list[str]:
    rows = library.item_rows(ids)
    return [rows[i]["title"] for i in ids]


def test_shows_seasons_and_episode_order(scanned: Library) -> None:
    pods = scanned.shows("podcast")
    assert [s["title"] for s in pods] == ["Nature Hour", "Talk Time"]
    assert [(s["episodes"], s["unplayed"]) for s in pods] == [(2, 2), (1, 1)]
    (tv,) = scanned.shows("tv")
    assert tv["title"] == "Harbor Lights" and tv["episodes"] == 3
    assert scanned.seasons(tv["id"]) == [(1, 2), (2, 1)]
    ids = scanned.browse(BrowseQuery("show", tv["id"], sort="episode"))
    rows = scanned.item_rows(ids)
    assert [(rows[i]["season"], rows[i]["episode"]) for i in ids] == [(1, 1), (1, 2), (2, 1)]
    season2 = scanned.browse(BrowseQuery("show", tv["id"], season=2))
    assert [rows[i]["season"] for i in season2] == [2]
    films = scanned.browse(BrowseQuery("films"))
    assert titles(scanned, films) == ["A Quiet Film"]


def test_podcasts_newest_first_and_played_state(scanned: Library) -> None:
    nature = scanned.shows("podcast")[0]["id"]
    ids = scanned.browse(BrowseQuery("show", nature, sort="newest"))
    assert titles(scanned, ids) == ["Bees", "Rivers"]
    profile = scanned.history.default_profile().id
    scanned.history.mark_watched(profile, ids[0])
    assert scanned.item_rows(ids)[ids[0]]["completed"] == 1
    unplayed = scanned.browse(BrowseQuery("show", nature, state="unplayed"))
    played = scanned.browse(BrowseQuery("show", nature, state="played"))
    assert (unplayed, played) == ([ids[1]], [ids[0]])
    assert scanned.shows("podcast")[0]["unplayed"] == 1
    # Another profile has its own played state.
    other = scanned.history.add_profile("Sam").id
    assert scanned.item_rows(ids, other)[ids[0]]["completed"] == 0


def test_text_filter_is_literal(scanned: Library) -> None:
    assert titles(scanned, scanned.browse(BrowseQuery(text="BEE"))) == ["Bees"]
    assert scanned.browse(BrowseQuery(text="%")) == []
    assert [s["title"] for s in scanned.shows("podcast", text="talk")] == ["Talk Time"]


def test_bad_queries_are_clear_errors(scanned: Library) -> None:
    with pytest.raises(LibraryError, match="sort must be one of"):
        scanned.browse(BrowseQuery(sort="sideways"))
    with pytest.raises(LibraryError, match="needs a show id"):
        scanned.browse(BrowseQuery("show"))
    with pytest.raises(LibraryError, match="show kind"):
        scanned.shows("radio")


def test_item_timeline(scanned: Library) -> None:
    profile = scanned.history.default_profile().id
    a, b = scanned.item_ids()[:2]
    scanned.history.mark_watched(profile, a)
    scanned.history.like(profile, b)
    events = scanned.history.timeline(profile, item_id=a)
    assert [e["item_id"] for e in events] == [a]


def test_changing_a_folder_kind_rereads_its_files(library: Library, videos: Path) -> None:
    make_video(videos / "Harbor Lights S01E01.mkv", 0.3)
    root = library.add_root(videos, "video")
    library.scan()
    library.set_root_kind(root.id, "mixed")
    assert library.roots()[0].kind == "mixed"
    assert library.scan().updated == 1
    with pytest.raises(LibraryError, match="unknown kind"):
        library.set_root_kind(root.id, "books")
    with pytest.raises(LibraryError, match="no library folder"):
        library.set_root_kind(999, "video")


def test_chinese_titles_sort_by_pinyin_among_latin_ones(
    library: Library, podcasts: Path, videos: Path
) -> None:
    """Code-point order puts 卧虎藏龙 (U+5367) before 大红灯笼高高挂 (U+5927) and both after
    every Latin title; a Chinese reader looks them up by pinyin: da…, hua…, wo…."""
    for title in ("卧虎藏龙", "Amélie", "花样年华", "大红灯笼高高挂", "Zodiac", "Heat"):
        make_video(videos / f"{title}.mkv", 0.2, title=title)
    for show in ("城市漫谈", "Bird Notes", "Zoo Talk"):
        make_audio(podcasts / f"{show}.mp3", 0.2, title="One", show=show)
    library.add_root(videos, "video")
    library.add_root(podcasts, "podcast")
    library.scan()
    films = library.browse(BrowseQuery("films", sort="title"))
    assert titles(library, films) == [
        "Amélie",
        "大红灯笼高高挂",  # da hong deng long
        "Heat",
        "花样年华",  # hua yang nian hua
        "卧虎藏龙",  # wo hu cang long
        "Zodiac",
    ]
    shows = [s["title"] for s in library.shows("podcast")]
    assert shows == ["Bird Notes", "城市漫谈", "Zoo Talk"]  # cheng shi man tan
    # A retitled film moves to its new place.
    (heat,) = [i for i in films if titles(library, [i]) == ["Heat"]]
    with library.database.write() as db:
        from engine.store import Catalog

        Catalog(db).update_item(heat, {"title": "阿飞正传"})  # a fei zheng zhuan
    films = library.browse(BrowseQuery("films", sort="title"))
    assert titles(library, films)[:2] == ["阿飞正传", "Amélie"]


def test_an_older_librarys_chinese_titles_get_their_sort_keys(
    library: Library, videos: Path
) -> None:
    import sqlite3

    from engine.store.db import DB_NAME
    from engine.store.plain import MIGRATIONS_TABLE

    for title in ("卧虎藏龙", "花样年华", "Heat"):
        make_video(videos / f"{title}.mkv", 0.2, title=title)
    library.add_root(videos, "video")
    library.scan()
    data = library.data_dir
    library.close()
    conn = sqlite3.connect(Path(data) / DB_NAME)  # as the database was before 0012
    with conn:
        conn.execute("ALTER TABLE items DROP COLUMN title_order")
        conn.execute("ALTER TABLE shows DROP COLUMN title_order")
        conn.execute(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = '0012_title_order'")
    conn.close()
    with Library(data, workers=1) as reopened:
        films = reopened.browse(BrowseQuery("films", sort="title"))
        assert titles(reopened, films) == ["Heat", "花样年华", "卧虎藏龙"]
