"""Identity by the ids an NFO gives (imdb, tmdb, tvdb): a film re-encoded, renamed or recut
under the same ids keeps its item and history whatever its duration; different ids are
different works even when title and year agree. Real generated videos, real NFOs, real scans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.ingest.identity import Identity, agrees, own_ids, same_encode
from engine.library import Library
from tests.mediagen import make_video


def _id(**fields: Any) -> Identity:
    base: dict[str, Any] = dict(
        title="wide film",
        title_from_name=False,
        show=None,
        season=None,
        episode=None,
        year=1968,
        duration=600.0,
        ids={"imdb": "tt0062622"},
    )
    base.update(fields)
    return Identity(**base)


def test_the_same_id_decides_whatever_the_duration() -> None:
    long_cut = _id(duration=900.0)
    assert same_encode(_id(), long_cut) and agrees(_id(), long_cut, 0.05)
    # Another title too: the id names the work, the title is how this copy spells it.
    assert same_encode(_id(), _id(title="wide film: final cut", duration=900.0))
    # A second id type agreeing is enough when one side lacks the other.
    assert same_encode(_id(ids={"imdb": "tt0062622", "tmdb": "62"}), _id(duration=700.0))


def test_different_ids_are_never_the_same_work() -> None:
    remake = _id(ids={"imdb": "tt9999999"})  # same title, year and duration
    assert not same_encode(_id(), remake)
    assert not agrees(_id(), remake, 0.05)


def test_without_a_shared_id_type_the_metadata_decides() -> None:
    other_kind = _id(ids={"tmdb": "62"}, duration=900.0)
    assert not same_encode(_id(), other_kind)  # nothing to compare: duration still counts
    assert same_encode(_id(), _id(ids=None, duration=605.0))


def test_show_ids_are_not_the_episode_s_identity() -> None:
    stored = '{"imdb": "TT7000003", "show_tvdb": "81189", "tvdb": "7001"}'
    assert own_ids(stored) == {"imdb": "tt7000003", "tvdb": "7001"}
    assert own_ids('{"show_tvdb": "81189"}') is None
    assert own_ids(None) is None and own_ids("not json") is None


# --- real scans ------------------------------------------------------------------------------


def _film(folder: Path, name: str, title: str, seconds: float, seed: int, **ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = make_video(folder / f"{name}.mkv", seconds=seconds, seed=seed)
    unique = "".join(
        f'  <uniqueid type="{kind}">{value}</uniqueid>\n' for kind, value in ids.items()
    )
    (folder / f"{name}.nfo").write_text(
        f"<movie>\n  <title>{title}</title>\n  <year>1968</year>\n{unique}</movie>\n",
        encoding="utf-8",
    )
    return path


def _remove(path: Path) -> None:
    path.unlink()
    path.with_suffix(".nfo").unlink()


def _watched(library: Library, item_id: int) -> bool:
    progress = library.history.progress(library.history.default_profile().id, item_id)
    return progress is not None and bool(progress.completed)


def _titles(library: Library) -> dict[str, int]:
    return {str(item["title"]): int(item["id"]) for item in library.items()}


def _scan_and_watch(library: Library, videos: Path, title: str) -> int:
    library.add_root(videos, "video")
    library.scan()
    item_id = _titles(library)[title]
    library.history.mark_watched(library.history.default_profile().id, item_id)
    return item_id


def test_a_new_encode_with_the_same_imdb_id_keeps_item_and_history(
    library: Library, videos: Path
) -> None:
    old = _film(videos / "Wide Film", "Wide Film (1968)", "Wide Film", 1.0, 1, imdb="tt0062622")
    item_id = _scan_and_watch(library, videos, "Wide Film")

    # The extended cut, twice as long (far past the 2 % an encode may differ), renamed.
    _remove(old)
    new = _film(
        videos / "Wide Film", "Wide Film (1968) Extended", "Wide Film", 2.0, 2, imdb="tt0062622"
    )
    counts = library.scan()

    item = library.item(item_id)
    assert item is not None
    assert (item["state"], item["path"]) == ("ok", str(new))  # before: a new item
    assert counts.replaced == 1 and counts.added == 0
    assert _watched(library, item_id)
    assert library.item_count() == 1


def test_a_renamed_title_with_the_same_tmdb_id_keeps_the_item(
    library: Library, videos: Path
) -> None:
    old = _film(videos / "A", "Blade Dreams", "Blade Dreams", 1.0, 3, tmdb="78")
    item_id = _scan_and_watch(library, videos, "Blade Dreams")

    _remove(old)
    new = _film(
        videos / "B", "Blade Dreams Final Cut", "Blade Dreams: Final Cut", 1.5, 4, tmdb="78"
    )
    library.scan()

    item = library.item(item_id)
    assert item is not None
    assert (item["title"], item["path"]) == ("Blade Dreams: Final Cut", str(new))
    assert _watched(library, item_id)


def test_a_re_encode_in_place_with_the_same_id_keeps_the_item(
    library: Library, videos: Path
) -> None:
    path = _film(videos / "C", "Night Train", "Night Train", 1.0, 5, imdb="tt0000042")
    item_id = _scan_and_watch(library, videos, "Night Train")

    _film(videos / "C", "Night Train", "Night Train", 2.0, 6, imdb="tt0000042")  # same path
    counts = library.scan()

    assert (counts.updated, counts.added, counts.missing) == (1, 0, 0)
    item = library.item(item_id)
    assert item is not None and (item["state"], item["path"]) == ("ok", str(path))
    assert _watched(library, item_id)


def test_different_ids_are_another_film_even_with_the_same_title_and_year(
    library: Library, videos: Path
) -> None:
    # The remake: same title, year and length; the NFO names another imdb entry.
    old = _film(videos / "D", "The Long Night", "The Long Night", 1.0, 7, imdb="tt0000100")
    item_id = _scan_and_watch(library, videos, "The Long Night")

    _remove(old)
    _film(videos / "D", "The Long Night (remake)", "The Long Night", 1.0, 8, imdb="tt0000200")
    counts = library.scan()

    assert counts.added == 1 and counts.replaced == 0  # before: taken for another encode
    old_item = library.item(item_id)
    assert old_item is not None and old_item["state"] == "missing"
    assert _watched(library, item_id)  # the history stays on the film that was watched
    new_id = next(i for i in _titles(library).values() if i != item_id)
    assert not _watched(library, new_id)

    # And at the same path: another film took it; the old item goes missing.
    path = _film(videos / "E", "Heist", "Heist", 1.0, 9, imdb="tt0000300")
    library.scan()
    heist = _titles(library)["Heist"]
    _film(videos / "E", "Heist", "Heist", 1.0, 10, imdb="tt0000301")
    counts = library.scan()
    assert counts.added == 1
    assert library.item(heist)["state"] == "missing"  # type: ignore[index]
    assert path.exists()
