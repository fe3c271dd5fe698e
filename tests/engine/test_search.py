"""Search on a real library: keyword and semantic evidence in one score, the cut-off between
matches and closest matches, exact titles, misspelt words, filters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from engine.library import Library, SearchFilters
from engine.store.db import DB_NAME
from engine.store.plain import MIGRATIONS_TABLE
from engine.store.search_sql import fts_query
from tests.mediagen import make_episodes, make_video


def test_fts_query_quotes_user_words() -> None:
    assert fts_query('opera AND "x" NEAR(') == '"opera" OR "AND" OR "x" OR "NEAR"*'
    assert fts_query("  ...  ") is None


def test_keyword_semantic_and_filters(tmp_path: Path) -> None:
    folder = tmp_path / "Lib"
    make_episodes(
        folder,
        [
            ("Glaciers", "Earth", "How ice sheets carve valleys over millennia."),
            ("Zanzibar Spice Trade", "History", "Cloves, merchants and the Indian Ocean monsoon."),
        ],
    )
    make_video(
        folder / "Frozen.Planet.2011.mkv",
        seconds=0.2,
        title="Frozen Planet",
        comment="Polar bears and melting sea ice.",
    )
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "mixed")
        library.scan()

        # Before the model loads: keyword search alone, by BM25.
        keyword_only = library.search("zanzibar", k=3)
        assert [r["title"] for r in keyword_only] == ["Zanzibar Spice Trade"]
        assert keyword_only[0]["similarity"] is None

        library.index_now()
        fused = library.search("ice", k=3)
        assert {r["title"] for r in fused[:2]} == {"Glaciers", "Frozen Planet"}
        semantic = library.search("arctic wildlife documentary", k=1)
        assert semantic[0]["title"] == "Frozen Planet" and semantic[0]["keyword"] == 0
        # An exact, rare word wins even when its item is semantically far from the query.
        assert library.search("Zanzibar", k=1)[0]["title"] == "Zanzibar Spice Trade"

        movies = library.search("ice", k=5, filters=SearchFilters(kinds=("movie",)))
        assert [r["title"] for r in movies] == ["Frozen Planet"]
        earth = library.search("ice", k=5, filters=SearchFilters(show="earth"))
        assert [r["title"] for r in earth] == ["Glaciers"]
        english = library.search("ice", k=5, filters=SearchFilters(language="en"))
        assert english and all(r["language"] == "en" for r in english)

        glaciers = next(r for r in fused if r["title"] == "Glaciers")
        profile = library.history.default_profile()
        library.history.mark_watched(profile.id, int(glaciers["id"]))
        unwatched = library.search("ice", k=5, filters=SearchFilters(unwatched=True))
        assert "Glaciers" not in [r["title"] for r in unwatched]
        other = library.history.add_profile("Guest")
        theirs = SearchFilters(unwatched=True, profile_id=other.id)
        assert "Glaciers" in [r["title"] for r in library.search("ice", k=5, filters=theirs)]


def test_words_most_items_contain_are_left_out_of_big_libraries(tmp_path: Path) -> None:
    from engine.store import Catalog, Database
    from engine.store.search_sql import PRUNE_FROM, SearchSql

    database = Database(tmp_path / "big.sqlite3")
    with database.write() as db:
        cat = Catalog(db)
        for n in range(PRUNE_FROM):
            title = f"Episode {n} of the podcast" if n != 123 else "Zanzibar spice episode"
            cat.insert_item({"kind": "podcast", "title": title})
    sql = SearchSql(database.db)
    # "episode" is in every item: it would rank 20,000 matches for nothing.
    assert sql.keyword("episode zanzibar", 10, SearchFilters()) == [124]
    assert sql.keyword("episode", 10, SearchFilters()) == []
    assert sql.keyword("spice", 10, SearchFilters()) == [124]
    database.close()


# Written for these tests: a small podcast library on distinct subjects.
SHELF = [
    ("Glaciers", "Earth", "How ice sheets carve valleys and fjords over millennia."),
    ("Confucius", "Thinkers", "The Chinese sage's sayings on duty, ritual and family."),
    ("The Bridge", "Stories", "A detective and a ferryman trade secrets on a foggy night."),
    ("Suspension Bridges", "Engineering", "Cables, towers and decks: how long spans stay up."),
    ("Beekeeping", "Nature", "Hives, queens and the waggle dance of honey bees."),
    ("Opera in Venice", "Music", "Monteverdi, carnival and the first public opera houses."),
    ("Sourcing Tea", "Trade", "Clipper ships racing to bring the first leaves of spring home."),
    ("Comets", "Space", "Dirty snowballs from the outer solar system and their bright tails."),
    ("Dry Stone Walling", "Crafts", "Stacking field stones into a wall without any mortar."),
    ("The Long Walk", "Outdoors", "A walk across the moors with a map, a flask and no phone."),
]


@contextmanager
def episode_library(root: Path, episodes: list[tuple[str, str, str]]) -> Iterator[Library]:
    """A podcast library of generated episodes, scanned and indexed."""
    make_episodes(root / "Lib", episodes)
    with Library(root / "data", workers=1) as library:
        library.add_root(root / "Lib", "podcast")
        library.scan()
        library.index_now()
        yield library


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with episode_library(tmp_path_factory.mktemp("shelf"), SHELF) as library:
        yield library


def test_an_off_topic_query_gets_no_matches_only_a_few_closest(shelf: Library) -> None:
    results = shelf.search("kubernetes pod stuck in a crash loop after the upgrade", k=10)
    # Every item used to come back (a full page of "similar topics").
    assert len(results) <= 3
    assert results and not any(r["match"] for r in results)
    more = shelf.search("kubernetes pod stuck in a crash loop after the upgrade", 10, more=True)
    assert len(more) == len(SHELF)
    assert [r["id"] for r in more[: len(results)]] == [r["id"] for r in results]


def test_a_relevant_query_matches_and_the_rest_are_apart(shelf: Library) -> None:
    results = shelf.search("honey bees and their hives", k=10)
    assert results[0]["title"] == "Beekeeping" and results[0]["match"]
    matches = [r for r in results if r["match"]]
    # Matches first, then closest matches; never all eight items as matches.
    assert len(matches) < len(SHELF)
    assert [r["match"] for r in results] == sorted((r["match"] for r in results), reverse=True)
    assert "bees" in results[0]["terms"] and "hives" in results[0]["terms"]


def test_a_typed_title_comes_first(shelf: Library) -> None:
    results = shelf.search("the bridge", k=5)
    assert results[0]["title"] == "The Bridge" and results[0]["match"]


def test_a_misspelt_word_finds_its_item(shelf: Library) -> None:
    results = shelf.search("confusius", k=5)
    assert results[0]["title"] == "Confucius" and results[0]["match"]
    assert results[0]["terms"] == ["confucius"]


def test_words_while_typing_match_as_a_prefix(shelf: Library) -> None:
    results = shelf.search("beekee", k=5)
    assert results[0]["title"] == "Beekeeping" and results[0]["match"]


def test_an_inflected_word_finds_its_base_form_not_a_near_spelling(shelf: Library) -> None:
    # "walking" is not in the library; "walling" is one edit away, "walk" is its base form.
    results = shelf.search("walking", k=5)
    assert results[0]["title"] == "The Long Walk" and results[0]["match"]
    assert results[0]["terms"] == ["walk"]
    assert all("walling" not in r["terms"] for r in results)
    # A real misspelling still goes to the nearest word.
    assert shelf.search("wallling", k=1)[0]["title"] == "Dry Stone Walling"


def test_a_known_word_the_library_lacks_is_not_corrected_to_a_near_one(shelf: Library) -> None:
    # "hides" is a word, not a misspelling of "hives" (one edit away): before, every query
    # with it counted the beekeeping episode's "hives" as matched.
    for result in shelf.search("animals that hides in burrows", k=10, more=True):
        assert "hives" not in result["terms"]
    assert shelf.search("hievs", k=1)[0]["terms"] == ["hives"]  # a misspelling still is


def test_chinese_names_and_titles_are_found_by_their_words(tmp_path: Path) -> None:
    """Chinese has no spaces between words: the keyword index must still find a name inside a
    sentence, two-character names included (before, a whole sentence was one token)."""
    assert fts_query("张曼玉") == '"张 曼" OR "曼 玉"'
    folder = tmp_path / "电影"
    folder.mkdir()
    films = {
        "花样年华": "1962年的香港，周慕云与苏丽珍发现各自的配偶有了外遇。张曼玉、梁朝伟主演。",
        "大红灯笼高高挂": "民国年间，十九岁的颂莲嫁入陈家做四太太，大宅里规矩森严。巩俐主演。",
        "卧虎藏龙": "江湖侠客李慕白托付青冥剑，引出一段恩怨情仇。周润发、杨紫琼、章子怡主演。",
        "Frozen Planet": "Polar bears and melting sea ice.",
    }
    for n, (title, comment) in enumerate(films.items()):
        make_video(folder / f"{n}.mkv", seconds=0.2, title=title, comment=comment)
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "video")
        library.scan()
        # Keyword search alone (the model is not loaded): what finds a name.
        for query, title in (
            ("张曼玉和梁朝伟都很漂亮", "花样年华"),  # names inside a sentence
            ("特别喜欢巩俐的表演", "大红灯笼高高挂"),  # a two-character name
            ("章子怡", "卧虎藏龙"),
            ("卧虎藏龙", "卧虎藏龙"),  # a title
            ("polar bears", "Frozen Planet"),  # other languages as before
        ):
            found = library.search(query, k=3)
            assert found and found[0]["title"] == title, (query, [r["title"] for r in found])
        assert library.search("火星探险", k=3) == []  # no pair of it occurs anywhere


def test_an_older_library_gets_its_chinese_rows_reindexed_and_no_others(tmp_path: Path) -> None:
    """Migration 0011 runs before the window's first paint: it rewrites the keyword index of
    the rows with Chinese or Japanese text only (a library without them costs a scan)."""
    folder = tmp_path / "Films"
    folder.mkdir()
    make_video(folder / "a.mkv", seconds=0.2, title="花样年华", comment="张曼玉、梁朝伟主演。")
    make_video(folder / "b.mkv", seconds=0.2, title="Frozen Planet", comment="Polar bears.")
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "video")
        library.scan()
        ids = {str(r["title"]): int(r["id"]) for r in library.items()}
    # Back to the index as 0010 left it: the Chinese row as one unspaced run; the English
    # row's entry is marked, so a rewrite of it would show.
    conn = sqlite3.connect(data / DB_NAME)
    with conn:
        conn.execute("DELETE FROM items_fts")
        conn.execute(
            "INSERT INTO items_fts (rowid, title, show, description, people, genres, extra) "
            "VALUES (?, '花样年华', '', '张曼玉、梁朝伟主演。', '', '', ''),"
            " (?, 'Frozen Planet', '', 'Polar bears untouched', '', '', '')",
            (ids["花样年华"], ids["Frozen Planet"]),
        )
        conn.execute(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = '0011_cjk_keywords'")
    conn.close()
    with Library(data, workers=1) as library:
        assert [r["title"] for r in library.search("张曼玉", k=3)] == ["花样年华"]
        assert [r["title"] for r in library.search("untouched", k=3)] == ["Frozen Planet"]


def test_chinese_grammar_pairs_are_not_search_terms() -> None:
    """什么, 我们 and pairs with a particle (的面) match half a Chinese library and highlight
    noise; the pairs of a name or a thing stay."""
    from engine.store.search_sql import informative, terms

    said = [t for t in terms("做面包时酵母起什么作用，我们的面包") if informative(t)]
    assert "什么" not in said and "我们" not in said and "的面" not in said
    assert {"面包", "酵母", "作用"} <= set(said)
    assert informative("巩俐") and informative("周慕") and informative("x1")


# Written for this test: the query describes one item and names another's title in passing.
EMPERORS = [
    ("Nero", "Rome", "The emperor who fiddled while Rome burned, and his fall in 68 AD."),
    (
        "Agrippina",
        "Rome",
        "Sister of Caligula and wife of Claudius, who married her uncle and "
        "cleared the way to the throne for her son Nero.",
    ),
    ("Seneca", "Rome", "The Stoic philosopher who tutored a young emperor and wrote letters."),
]


def test_a_title_named_in_passing_does_not_outrank_the_item_described(tmp_path: Path) -> None:
    with episode_library(tmp_path, EMPERORS) as library:
        # A description of Agrippina that names Nero: the title word "nero" counted fully
        # for the Nero episode and ranked it first.
        query = "which woman poisoned claudius to make nero emperor"
        assert library.search(query, k=3)[0]["title"] == "Agrippina"
        # A short query is a title: it still comes first.
        assert library.search("nero", k=3)[0]["title"] == "Nero"


def test_a_person_named_in_a_long_query_still_counts_fully(tmp_path: Path) -> None:
    from engine.recommend.search import search
    from engine.store import Catalog, Database
    from engine.store.search_sql import SearchSql

    database = Database(tmp_path / "people.sqlite3")
    with database.write() as db:
        cat = Catalog(db)
        starring = cat.insert_item(
            {"kind": "movie", "title": "Harbour Lights", "people": json.dumps(["Mara Quill"])}
        )
        titled = cat.insert_item({"kind": "movie", "title": "Quill"})
        # "mara" in two items too, so both names are as rare.
        cat.insert_item({"kind": "movie", "title": "Sea Fever", "description": "Mara sails."})
        for n in range(20):  # so "mara" and "quill" are rare words
            cat.insert_item({"kind": "movie", "title": f"Filler {n}", "description": "A film."})
    sql = SearchSql(database.db)
    # Keyword evidence alone (no model): the share of the query's words each item holds.
    long_query = "that film where mara quill keeps a lighthouse on a stormy northern coast"
    hits = {h.item_id: h for h in search(sql, long_query, 5)}
    # The title word "quill" in a description of what is sought counts half; the person counts
    # fully, as in a short query: both words weigh the same, so full shares of two against
    # half a share of one.
    assert hits[starring].keyword == pytest.approx(4 * hits[titled].keyword, rel=1e-3)
    short = {h.item_id: h for h in search(sql, "quill", 5)}
    assert short[titled].keyword == short[starring].keyword  # both hold it in title or people
    database.close()


def test_a_query_is_counted_in_words_in_any_script() -> None:
    from engine.recommend.search import TITLE_WORDS, query_length

    assert query_length("the scheming mother of Nero") == 3  # stop words do not count
    assert query_length("which woman poisoned claudius to make nero emperor") == 6
    # Chinese is searched as character pairs ("卧虎", "虎藏", "藏龙"): a title of four
    # characters is two words, not three, and a seven-character title is still a title.
    assert query_length("卧虎藏龙") == 2
    assert query_length("一个七个字的片名") <= TITLE_WORDS
    assert query_length("做面包时酵母起什么作用") > TITLE_WORDS  # a question, not a title


# Written for this test: titles made of words a search otherwise passes over.
SHORT_TITLES = [
    ("It", "Stories", "A clown haunts the children of a small town in Maine."),
    ("Up", "Stories", "An old widower ties balloons to his house and floats to South America."),
    ("Her", "Stories", "A lonely writer falls for the voice of his computer."),
    ("Tides", "Stories", "Boats wait before the water comes back through the harbour mouth."),
]


def test_a_title_of_common_words_is_found_by_them(tmp_path: Path) -> None:
    with episode_library(tmp_path, SHORT_TITLES) as library:
        # A query of nothing but such words is a title: they count then.
        for title in ("It", "Up", "Her"):
            first = library.search(title.lower(), k=3)[0]
            assert first["title"] == title and first["match"], title
        # Elsewhere they say nothing: "before" and "through" match no item's words.
        for result in library.search("waiting through the night before the tide", 10, more=True):
            assert not set(result["terms"]) & {"before", "through", "the"}
