"""What a recommendation row may show: evidence, no padding, no repeats, reasons as data.

A real SQLite library with hand-made vectors: a few described programmes on two topics and a
pile of metadata-less two-second clips whose vectors are noise (what a folder of odd audio
files gives), as in the library of issue 12.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.cli_recommend import reason_text, row_json
from engine.recommend.catalog_view import CatalogView, load_view
from engine.recommend.evidence import floors, thin
from engine.recommend.reasons import Reason
from engine.recommend.recommender import Recommender
from engine.recommend.rows import (
    Context,
    assemble,
    because_rows,
    for_you_row,
    more_like_this,
    new_row,
)
from engine.recommend.state import ProfileState, Watched
from engine.store import Catalog, Database
from engine.store.db import DB_NAME
from engine.store.history_sql import HistorySql
from engine.store.vectors import VectorStore

MODEL = "test-model@1"
DIM = 32
CLIPS = 30


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _axis(n: int, noise: np.ndarray) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[n] = 1.0
    return _unit(v + 0.08 * noise)


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))


@pytest.fixture
def database(tmp_path: Path) -> Any:
    rng = np.random.default_rng(7)
    db = Database(tmp_path / DB_NAME)
    with db.write() as conn:
        cat = Catalog(conn)
        root = cat.add_root(b"/media", "mixed")
        store = VectorStore(conn)
        show = cat.upsert_show("podcast", "Deep Space", {})
        entries: list[tuple[dict[str, Any], np.ndarray]] = []
        for n in range(4):  # a described podcast about space: axis 0
            entries.append(
                (
                    {
                        "kind": "episode",
                        "title": f"Space {n}",
                        "show_id": show,
                        "episode": n + 1,
                        "duration": 2400,
                        "description": f"Episode {n} on orbits, moons and the planets beyond.",
                    },
                    _axis(0, rng.normal(size=DIM)),
                )
            )
        for n in range(3):  # films about cooking: axis 1, rated
            entries.append(
                (
                    {
                        "kind": "movie",
                        "title": f"Cook {n}",
                        "year": 2001 + n,
                        "duration": 5400,
                        "rating": 7.5,
                        "votes": 1000 * (n + 1),
                        "description": "A chef, a kitchen and one long night of service.",
                    },
                    _axis(1, rng.normal(size=DIM)),
                )
            )
        for n in range(CLIPS):  # metadata-less two-second clips, vectors that say nothing
            entries.append(
                (
                    {"kind": "audio", "title": f"clip{n:03d}", "duration": 2.0},
                    _unit(rng.normal(size=DIM)),
                )
            )
        for n, (item, vector) in enumerate(entries):
            item_id = cat.insert_item({"genres": "[]", **item})
            cat.insert_file(root.id, f"/media/{n}.bin".encode(), 1, 0, None, item_id, None)
            store.save(MODEL, item_id, f"h{n}", vector[None, :])
    yield db
    db.close()


def _id(view: CatalogView, title: str) -> int:
    return int(view.ids[view.titles.index(title)])


def _state(view: CatalogView, *titles: str) -> ProfileState:
    watched = tuple(Watched(_id(view, t), 1000.0 + n, True) for n, t in enumerate(titles))
    return ProfileState(profile_id=1, name="me", watched=watched)


def _titles(row: Any) -> list[str]:
    return [i.title.split(": ")[-1] for i in row.items]


def _clips(titles: list[str]) -> list[str]:
    return [t for t in titles if t.startswith("clip")]


def test_thin_items_are_the_metadata_less_clips(database: Database) -> None:
    view = load_view(database, MODEL)
    marked = {view.titles[r] for r in np.flatnonzero(thin(view))}
    assert marked == {f"clip{n:03d}" for n in range(CLIPS)}


def test_similarity_floor_follows_the_librarys_own_spread(database: Database) -> None:
    view = load_view(database, MODEL)
    fl = floors(view)
    rows = np.flatnonzero(view.has_vector)
    sims = view.vectors_at(rows) @ view.vectors_at(rows).T
    pairs = sims[np.triu_indices(len(rows), 1)]
    # Well above what random pairs reach, well below what two space episodes reach.
    assert fl.median == pytest.approx(float(np.median(pairs)), abs=1e-6)
    assert np.mean(pairs >= fl.floor) < 0.1
    space = view.positions([_id(view, f"Space {n}") for n in range(4)])
    within = view.vectors_at(space) @ view.vectors_at(space).T
    assert within[np.triu_indices(4, 1)].min() > fl.floor > fl.median
    # What a clip reaches by chance is short of the strong floor a thin item needs.
    clips = np.flatnonzero(thin(view))
    assert float((view.vectors_at(clips) @ view.vectors_at(space).T).max()) < fl.strong


def test_for_you_is_not_padded_with_clips(database: Database) -> None:
    view = load_view(database, MODEL)
    row = for_you_row(Context(view), _state(view, "Space 0"))
    titles = _titles(row)
    assert titles[0].startswith("Space")  # at most two of one show: the rest are the films
    assert _clips(titles) == []  # a shorter row rather than noise
    assert set(titles) <= {"Space 1", "Space 2", "Space 3", "Cook 0", "Cook 1", "Cook 2"}
    for item in row.items:
        if item.title.endswith(("Space 1", "Space 2", "Space 3")):
            assert item.reason.kind == "because_watched"
            assert item.reason.args["title"].endswith("Space 0")
        else:  # the films are there on their own votes, and say so
            assert item.reason.kind == "popular" and item.reason.args["votes"] >= 1000


def test_because_and_more_like_this_show_only_real_neighbours(database: Database) -> None:
    view = load_view(database, MODEL)
    (cook,) = because_rows(Context(view), _state(view, "Cook 0"), per_seed=5)
    assert sorted(_titles(cook)) == ["Cook 1", "Cook 2"]  # two, not five
    assert cook.heading_kind == "because" and "Cook 0" in (cook.seed_title or "")
    more = more_like_this(Context(view), _id(view, "Space 0"), None)
    assert sorted(_titles(more)) == ["Space 1", "Space 2", "Space 3"]
    # A clip's own neighbours are noise: its page has no "More like this" row to show.
    assert more_like_this(Context(view), _id(view, "clip000"), None).items == ()


def test_rows_do_not_repeat_each_other(database: Database) -> None:
    view = load_view(database, MODEL)
    state = _state(view, "Space 0", "Cook 0")
    rows = assemble(Context(view, now=time.time()), state)
    seen = [i.item_id for r in rows for i in r.items]
    assert len(seen) == len(set(seen)), [(r.kind, _titles(r)) for r in rows]
    by_kind = {r.kind: _titles(r) for r in rows if r.kind != "because"}
    assert by_kind["next"] == ["Space 1"]
    assert "Space 1" not in by_kind["for-you"]  # Next up has it
    # Each row alone still has its items: the first row that shows an item keeps it.
    alone = because_rows(Context(view), state)
    assert alone and all(r.items for r in alone)


def test_first_run_popular_and_new_are_not_the_same_list(database: Database) -> None:
    with database.write() as conn:
        profile = HistorySql(conn).default_profile().id
    rows = Recommender(database, model_id=MODEL).rows(profile)
    by_kind = {r.kind: _titles(r) for r in rows}
    popular = by_kind["for-you"]
    assert popular[0] == "Cook 2"  # the most voted
    # Its heading is data the desktop words: "popular", not the personal "for-you".
    assert next(r for r in rows if r.kind == "for-you").heading_kind == "popular"
    assert _clips(popular) == []
    # Everything arrived in the first scan: nothing is "new" yet, and nothing repeats.
    assert "new" not in by_kind


def test_new_means_added_after_the_library_was_set_up(database: Database) -> None:
    now = time.time()
    with database.write() as conn:
        conn.conn.execute("UPDATE items SET created_at = ?", (_iso(now - 20 * 86400),))
        conn.conn.execute(
            "UPDATE items SET created_at = ? WHERE title IN ('Space 3', 'clip001')",
            (_iso(now - 2 * 86400),),
        )
    view = load_view(database, MODEL)
    fresh = new_row(Context(view, now=now), _state(view, "Cook 0"))
    assert _titles(fresh) == ["Space 3"]  # the clip came too, but it is a bare clip
    assert fresh.items[0].reason == Reason("added_days_ago", {"days": 2})


def test_reasons_are_data_and_the_cli_words_them(database: Database) -> None:
    view = load_view(database, MODEL)
    row = for_you_row(Context(view), _state(view, "Space 0"))
    data = row_json(row)
    json.dumps(data)  # plain JSON values only
    first = data["items"][0]
    assert first["reason"]["kind"] == "because_watched"
    assert set(first["reason"]["args"]) == {"title", "item_id", "similarity"}
    assert first["reason"]["args"]["item_id"] == _id(view, "Space 0")
    assert first["reason_text"].startswith("Because you watched *Deep Space: Space 0* (similarity")
    assert reason_text(Reason("added_days_ago", {"days": 1})) == "Added 1 day ago"
    assert reason_text(Reason("continue", {"position": 125, "remaining": 1680})) == (
        "You stopped at 2:05, 28 min left"
    )
    with pytest.raises(ValueError, match="unknown reason"):
        Reason("because i said so")


def test_home_is_never_empty_while_the_library_has_something_to_play(tmp_path: Path) -> None:
    # The demo library after its first film: 26 described items, none voted, none close to the
    # film above the floor. Every personal row is rightly empty, and Home went blank with "Add a
    # folder"; it must still offer the library (without claiming it is personal).
    db = Database(tmp_path / DB_NAME)
    with db.write() as conn:
        cat = Catalog(conn)
        root = cat.add_root(b"/films", "video")
        store = VectorStore(conn)
        for n in range(12):
            item_id = cat.insert_item(
                {
                    "kind": "movie",
                    "title": f"Film {n}",
                    "duration": 5400,
                    "genres": "[]",
                    "description": f"A story of its own, number {n}.",
                }
            )
            cat.insert_file(root.id, f"/films/{n}.mkv".encode(), 1, 0, None, item_id, None)
            # Orthogonal: no film is any closer to another than a random pair.
            store.save(MODEL, item_id, f"f{n}", _axis(n, np.zeros(DIM))[None, :])
    view = load_view(db, MODEL)
    state = _state(view, "Film 0")
    assert for_you_row(Context(view), state).items == ()  # no evidence: For you says nothing
    rows = assemble(Context(view, now=time.time()), state)
    assert [r.kind for r in rows] == ["explore"]
    titles = _titles(rows[0])
    assert titles and "Film 0" not in titles and len(set(titles)) == len(titles)
    assert all(i.reason.kind == "explore" for i in rows[0].items)
    db.close()
