"""Recommendation rows on a small real library: hand-made vectors in the product's store."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.recommend.catalog_view import CatalogView, load_view
from engine.recommend.cold import cold_start
from engine.recommend.ranking import Filters, top_rows
from engine.recommend.recommender import Recommender
from engine.recommend.rows import (
    Context,
    because_rows,
    continue_row,
    for_you_row,
    household_row,
    more_like_this,
    new_row,
    next_up_row,
)
from engine.recommend.state import InProgress, ProfileState, Watched
from engine.recommend.strategies import Household
from engine.store import Catalog, Database
from engine.store.db import DB_NAME
from engine.store.history_sql import HistorySql
from engine.store.vectors import VectorStore

MODEL = "test-model@1"
DIM = 8


def _unit(*weights: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


# Topic axes: 0 space, 1 cooking, 2 history, 3 music.
ITEMS: list[dict[str, Any]] = [
    {"title": "Space A", "v": _unit(1, 0.05), "votes": 100},
    {"title": "Space B", "v": _unit(1, 0.1), "votes": 50},
    {"title": "Space C", "v": _unit(1, 0, 0.1), "votes": 10},
    {"title": "Cook A", "v": _unit(0, 1), "votes": 5000},
    {"title": "Cook B", "v": _unit(0.05, 1), "votes": 3000},
    {"title": "History A", "v": _unit(0, 0, 1), "votes": 200, "language": "de"},
    {"title": "History B", "v": _unit(0, 0.1, 1), "votes": 150, "duration": 600},
    {"title": "Music A", "v": _unit(0, 0, 0, 1), "votes": 900},
    {"title": "Gone", "v": _unit(1, 0.02), "votes": 9999, "file": "missing"},
    {"title": "Away", "v": _unit(1, 0.03), "votes": 9999, "file": "offline"},
]


@pytest.fixture
def database(tmp_path: Path) -> Any:
    db = Database(tmp_path / DB_NAME)
    with db.write() as conn:
        cat = Catalog(conn)
        root = cat.add_root(b"/media", "mixed")
        store = VectorStore(conn)
        for n, item in enumerate(ITEMS):
            item_id = cat.insert_item(
                {
                    "kind": item.get("kind", "movie"),
                    "title": item["title"],
                    "year": 2000 + n,
                    "genres": json.dumps(item.get("genres", [])),
                    "language": item.get("language", "en"),
                    "votes": item["votes"],
                    "rating": 7.0,
                    "duration": item.get("duration", 3600),
                }
            )
            state = item.get("file", "ok")
            cat.insert_file(root.id, f"/media/{n}.mkv".encode(), 1, 0, None, item_id, None)
            if state == "missing":
                conn.conn.execute("UPDATE files SET missing = 1 WHERE item_id = ?", (item_id,))
            if state == "offline":
                conn.conn.execute("UPDATE files SET offline = 1 WHERE item_id = ?", (item_id,))
            store.save(MODEL, item_id, f"h{n}", item["v"][None, :])
    yield db
    db.close()


def _id(view: CatalogView, title: str) -> int:
    return int(view.ids[view.titles.index(title)])


def _state(view: CatalogView, *titles: str, **extra: Any) -> ProfileState:
    watched = tuple(Watched(_id(view, t), 1000.0 + n, True) for n, t in enumerate(titles))
    return ProfileState(profile_id=1, name="me", watched=watched, **extra)


def _titles(row: Any) -> list[str]:
    return [i.title for i in row.items]


def test_for_you_follows_recent_plays_and_explains(database: Database) -> None:
    view = load_view(database, MODEL)
    row = for_you_row(Context(view), _state(view, "Cook A", "Space A"))
    titles = _titles(row)
    # Cook B: near an earlier play and 60 times the votes; Space B: near the latest play.
    assert titles[:2] == ["Cook B", "Space B"]
    assert "Space A" not in titles and "Cook A" not in titles  # watched
    assert "Gone" not in titles and "Away" not in titles  # missing, offline
    assert row.items[0].reason.kind == "because_watched"
    assert row.items[0].reason.args["title"] == "Cook A"
    assert row.items[0].reason.args["similarity"] == pytest.approx(1.0, abs=0.01)
    assert row.items[1].reason.args["title"] == "Space A"
    alone = for_you_row(Context(view), _state(view, "Space A"))
    assert _titles(alone)[0] == "Space B"


def test_for_you_is_deterministic(database: Database) -> None:
    view = load_view(database, MODEL)
    state = _state(view, "History A", "Space A")
    first = for_you_row(Context(view), state)
    assert first == for_you_row(Context(load_view(database, MODEL)), state)


def test_dismissed_and_disliked_are_excluded_and_push_away(database: Database) -> None:
    view = load_view(database, MODEL)
    plain = _state(view, "Space A")
    dismissed = replace(plain, not_interested=frozenset({_id(view, "Space B")}))
    assert "Space B" not in _titles(for_you_row(Context(view), dismissed))
    disliked = replace(plain, dislikes=frozenset({_id(view, "Space C")}))
    before = _titles(for_you_row(Context(view), plain))
    after = _titles(for_you_row(Context(view), disliked))
    assert "Space C" not in after
    # History B sits near the disliked Space C in vector space: it must not rise.
    assert after.index("History B") >= before.index("History B") - 1


def test_filters(database: Database) -> None:
    view = load_view(database, MODEL)
    state = _state(view, "Space A")
    short = for_you_row(Context(view), state, Filters(max_duration=30 * 60))
    assert _titles(short) == ["History B"]
    german = for_you_row(Context(view), state, Filters(languages=("de",)))
    assert _titles(german) == ["History A"]
    none = for_you_row(Context(view), state, Filters(kinds=("podcast",)))
    assert none.items == ()


def test_interests_seed_a_profile_without_history(database: Database) -> None:
    view = load_view(database, MODEL)
    ctx = Context(view, interests=lambda text: _unit(0, 0, 0, 1))
    state = ProfileState(profile_id=1, name="me", interests="jazz and orchestras")
    assert _titles(for_you_row(ctx, state))[0] == "Music A"


def test_cold_start_spreads_over_topics_and_prefers_votes(database: Database) -> None:
    view = load_view(database, MODEL)
    row = cold_start(Context(view), ProfileState(profile_id=1, name="me"))
    titles = _titles(row)
    assert titles[0] == "Cook A"  # the most voted playable item
    assert "Gone" not in titles
    first_four = {t.split()[0] for t in titles[:4]}
    assert len(first_four) >= 3  # different topics before a second of any


def test_household_and_cowatch(database: Database) -> None:
    view = load_view(database, MODEL)
    me = _state(view, "Space A", "History A")
    twin = replace(_state(view, "Space A", "History A", "Music A"), profile_id=2, name="Ana")
    other = replace(_state(view, "Cook A"), profile_id=3, name="Bo")
    household = Household.from_states(view, [me, twin, other])
    ctx = Context(view, household)
    row = household_row(ctx, me)
    assert _titles(row) == ["Music A"]
    assert row.items[0].reason.kind == "watched_by"
    assert row.items[0].reason.args["names"] == ["Ana"]
    # Co-watching lifts Music A in For you too, against its distance in vector space.
    alone = _titles(for_you_row(Context(view), me))
    together = _titles(for_you_row(ctx, me))
    assert together.index("Music A") < alone.index("Music A")


def test_continue_and_next_up(database: Database, tmp_path: Path) -> None:
    with database.write() as conn:
        cat = Catalog(conn)
        show = cat.upsert_show("podcast", "Talks", {})
        root = cat.roots()[0]
        ids = []
        for season, episode in ((1, 2), (1, 1), (2, 1), (1, 3)):
            item_id = cat.insert_item(
                {
                    "kind": "episode",
                    "title": f"S{season}E{episode}",
                    "show_id": show,
                    "season": season,
                    "episode": episode,
                }
            )
            cat.insert_file(root.id, f"/media/t{item_id}.mp3".encode(), 1, 0, None, item_id, None)
            ids.append(item_id)
    view = load_view(database, MODEL)
    s1e1, s1e2 = ids[1], ids[0]
    state = ProfileState(
        profile_id=1,
        name="me",
        watched=(Watched(s1e1, 100.0, True),),
        in_progress=(InProgress(s1e2, 125.0, 1800.0, 200.0),),
    )
    ctx = Context(view)
    cont = continue_row(ctx, state)
    assert [i.item_id for i in cont.items] == [s1e2]
    assert cont.items[0].reason.kind == "continue"
    assert cont.items[0].reason.args == {"position": 125.0, "remaining": 1675.0}
    nxt = next_up_row(ctx, state)
    assert _titles(nxt) == ["Talks: S1E3"]
    followed = ProfileState(profile_id=1, name="me", followed_shows=frozenset({show}))
    assert _titles(next_up_row(ctx, followed)) == ["Talks: S1E1"]
    snoozed = replace(state, snoozed_shows=frozenset({show}))
    assert next_up_row(ctx, snoozed).items == ()


def test_because_rows(database: Database) -> None:
    view = load_view(database, MODEL)
    state = _state(view, "Cook A", "Space A")
    rows = because_rows(Context(view), state)
    assert [r.title for r in rows] == ["Because you watched Space A", "Because you watched Cook A"]
    assert _titles(rows[0]) == ["Space B", "Space C"]
    # Cook A has one near neighbour; the next nearest is another topic: no padding with it.
    assert _titles(rows[1]) == ["Cook B"]
    seen = [t for r in rows for t in _titles(r)]
    assert len(seen) == len(set(seen))  # an item is explained by one seed only
    merged = because_rows(Context(view), state, merged=True)
    assert len(merged) == 1 and len(merged[0].items) == 3


def test_new_row_and_more_like_this(database: Database) -> None:
    view = load_view(database, MODEL)
    state = _state(view, "Space A")
    # Everything was added at once: that is the library being set up, not something new.
    assert new_row(Context(view, now=time.time()), state).items == ()
    with database.write() as conn:
        conn.conn.execute(
            "UPDATE items SET created_at = ? WHERE title != 'Space B'",
            (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 10 * 86400)),),
        )
    view = load_view(database, MODEL)
    fresh = new_row(Context(view, now=time.time()), state)
    assert _titles(fresh) == ["Space B"]
    assert fresh.items[0].reason.as_dict() == {"kind": "added_days_ago", "args": {"days": 0}}
    later = new_row(Context(view, now=time.time() + 90 * 86400), state)
    assert later.items == ()
    more = more_like_this(Context(view), _id(view, "Space A"), None)
    assert _titles(more)[:2] == ["Space B", "Space C"]
    assert "Gone" not in _titles(more)
    assert more.items[0].reason.kind == "similar_to"
    assert more.items[0].reason.args["title"] == "Space A"


def test_recommender_reads_the_history(database: Database) -> None:
    with database.write() as conn:
        sql = HistorySql(conn)
        me = sql.default_profile().id
        view = load_view(database, MODEL)
        sql.mark_watched_many(me, [(_id(view, "Space A"), 1000.0)])
    rec = Recommender(database, model_id=MODEL)
    rows = rec.rows(me)
    kinds = [r.kind for r in rows]
    # For you already shows Space A's neighbours: the Because row would only repeat them.
    assert "for-you" in kinds and "because" not in kinds
    assert rec.row(me, "because")[0].items  # asked for alone, it has them
    for_you = next(r for r in rows if r.kind == "for-you")
    assert for_you.items[0].title == "Space B"
    assert rec.row(me, "for-you")[0] == for_you
    assert rec.more_like_this(_id(view, "Space B"), me).items[0].title == "Space C"
    with pytest.raises(ValueError, match="unknown row"):
        rec.row(me, "trending")


def test_ties_at_the_pool_boundary_break_by_item_id() -> None:
    # Five clear winners, then 195 exact ties for the last five places of the pool: the tied
    # rows with the smallest ids get them, whatever order the partition leaves them in.
    rows = np.arange(200, dtype=np.int64)
    score = np.zeros(200)
    score[150:155] = 3.0
    mask = np.ones(200, dtype=np.bool_)
    picked, scores = top_rows(rows, score, mask, 10)
    assert picked.tolist() == [150, 151, 152, 153, 154, 0, 1, 2, 3, 4]
    assert scores.tolist() == [3.0] * 5 + [0.0] * 5
    # Rows in another order, and some not allowed: still by id among the allowed ties.
    order = np.random.default_rng(3).permutation(200)
    mask[[0, 2]] = False
    picked, _ = top_rows(rows[order], score[order], mask, 10)
    assert picked.tolist() == [150, 151, 152, 153, 154, 1, 3, 4, 5, 6]


def test_household_as_of_sees_only_earlier_plays(database: Database) -> None:
    view = load_view(database, MODEL)
    space_a, space_b, cook_a, music_a = (
        _id(view, t) for t in ("Space A", "Space B", "Cook A", "Music A")
    )
    me = ProfileState(1, "me", watched=(Watched(space_a, 50.0, True),))
    ana = ProfileState(
        2,
        "Ana",
        watched=(
            Watched(space_a, 100.0, True),
            Watched(cook_a, 200.0, True),
            Watched(music_a, 300.0, True),
        ),
    )
    household = Household.from_states(view, [me, ana])
    col = {i: view.position(i) for i in (space_a, space_b, cook_a, music_a)}

    def played(at: float | None) -> set[int]:
        matrix, _counts, _keep = household.at(at).others(1)
        return {i for i, c in col.items() if matrix[0, c] > 0}

    assert played(None) == {space_a, cook_a, music_a}  # production: everything
    assert played(200.0) == {space_a}  # strictly before: Cook A at 200 is not seen
    assert played(200.5) == {space_a, cook_a}
    # What Ana played right after Space A, as far as the cut lets her have played it.
    seeds = view.positions([space_a])
    weights = np.ones(1, dtype=np.float32)
    late = household.at(1000.0).followers(1, seeds, weights, 3.0)
    assert late[col[cook_a]] > late[col[music_a]] > 0
    early = household.at(250.0).followers(1, seeds, weights, 3.0)
    assert early[col[cook_a]] > 0 and early[col[music_a]] == 0
    # A play recorded later (the evaluation replays them) shows in households made after it.
    household.add(2, col[space_b], 150.0)
    assert space_b in {i for i, c in col.items() if household.at(160.0).matrix[1, c] > 0}
    after = household.at(1000.0).followers(1, seeds, weights, 3.0)
    assert after[col[space_b]] == late[col[cook_a]]  # now the very next play
    assert after[col[cook_a]] < late[col[cook_a]]  # one step further away
