"""The demo library: generated media that scans cleanly into podcasts, a TV show and films."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.demo import DemoCancelled, DemoLibrary, make_demo_library
from engine.library import Library


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def demo(tmp_path: Path) -> DemoLibrary:
    return make_demo_library(tmp_path / "demo")


@pytest.fixture
def library(tmp_path: Path, demo: DemoLibrary) -> Iterator[Library]:
    lib = Library(tmp_path / "data", workers=1)
    lib.add_root(demo.podcasts, "podcast")
    lib.add_root(demo.videos, "video")
    yield lib
    lib.close()


def test_demo_scans_into_podcasts_tv_and_films(demo: DemoLibrary, library: Library) -> None:
    counts = library.scan()
    assert counts.errors == 0
    assert library.errors() == []
    items = library.items()
    assert len(items) == demo.count >= 25
    by_kind: dict[str, list[dict[str, object]]] = {}
    for item in items:
        by_kind.setdefault(str(item["kind"]), []).append(item)
    assert set(by_kind) == {"podcast", "episode", "movie"}

    podcasts = by_kind["podcast"]
    assert len({p["show"] for p in podcasts}) >= 3
    assert all(p["description"] and p["air_date"] for p in podcasts)
    assert any(p["artwork"] for p in podcasts)  # one show carries generated cover art

    episodes = by_kind["episode"]
    assert {(e["season"], e["episode"]) for e in episodes} == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert len({e["show"] for e in episodes}) == 1
    assert all(e["description"] and e["show_description"] for e in episodes)

    films = by_kind["movie"]
    assert len(films) >= 4
    assert all(f["description"] and f["genres"] and f["year"] for f in films)
    # Every item has its own text, so search and recommendations can tell them apart.
    assert len({i["description"] for i in items}) == len(items)


def test_demo_is_small_and_uses_only_generated_files(demo: DemoLibrary) -> None:
    files = [p for p in demo.podcasts.parent.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 5 * 1024 * 1024
    assert not [p for p in files if p.name.startswith(".")]  # no temporary files left


def test_regenerating_is_idempotent(tmp_path: Path, demo: DemoLibrary, library: Library) -> None:
    library.scan()
    before = _snapshot(tmp_path / "demo")
    reports: list[tuple[int, int]] = []
    again = make_demo_library(tmp_path / "demo", progress=lambda d, t: reports.append((d, t)))
    assert again == demo
    assert _snapshot(tmp_path / "demo") == before  # nothing rewritten
    assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1]
    counts = library.scan()
    assert (counts.added, counts.updated, counts.unchanged) == (0, 0, demo.count)


def test_a_missing_or_changed_file_is_restored(tmp_path: Path, demo: DemoLibrary) -> None:
    film_nfo = next((demo.videos / "Films").glob("*.nfo"))
    original = film_nfo.read_bytes()
    film_nfo.write_text("<movie><title>edited</title></movie>")
    episode = next(demo.podcasts.rglob("*.mp3"))
    episode.unlink()
    make_demo_library(tmp_path / "demo")
    assert film_nfo.read_bytes() == original
    assert episode.is_file() and episode.stat().st_size > 0


def test_cancelling_stops_and_a_rerun_completes(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    calls = iter(range(1000))
    with pytest.raises(DemoCancelled):
        make_demo_library(target, cancelled=lambda: next(calls) >= 5)
    # A temporary file left by a killed run is cleaned up by the next one.
    stale = target / "Podcasts" / ".01 x.partial-999.mp3"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"half")
    demo = make_demo_library(target)
    assert not stale.exists()
    media = [p for p in target.rglob("*") if p.suffix in (".mp3", ".m4a", ".mkv")]
    assert len(media) == demo.count
