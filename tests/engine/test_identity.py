"""Identity that survives folders, and content over path: real files, real SQLite.

Each scenario is something a user does to their folders; each checks ids and history after.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from engine.ingest.identity import Identity, agrees, same_encode
from engine.library import Library, LibraryError
from engine.store.browse_sql import BrowseQuery
from engine.store.schema import MIGRATIONS
from tests.mediagen import make_audio

# --- the comparison itself ------------------------------------------------------------------


def _id(**fields: Any) -> Identity:
    base: dict[str, Any] = dict(
        title="the long night",
        title_from_name=False,
        show="northern lights",
        season=1,
        episode=2,
        year=None,
        duration=1800.0,
    )
    base.update(fields)
    return Identity(**base)


def test_agrees_when_nothing_known_on_both_sides_disagrees() -> None:
    assert agrees(_id(), _id(duration=1800.0 * 1.04), 0.05)
    assert not agrees(_id(), _id(duration=1800.0 * 1.06), 0.05)
    assert not agrees(_id(), _id(episode=3), 0.05)
    assert not agrees(_id(), _id(show="southern lights"), 0.05)
    assert not agrees(_id(), _id(title="the short day"), 0.05)
    assert not agrees(_id(year=1984), _id(year=2021), 0.05)  # a remake is another film
    assert agrees(_id(episode=None), _id(), 0.05)  # a tag added, not changed
    assert agrees(_id(duration=None), _id(), 0.05)
    # A title taken from the file name does not contradict one from a tag.
    assert agrees(_id(title="s01e02", title_from_name=True), _id(), 0.05)


def test_same_encode_needs_the_title_and_both_durations_within_two_percent() -> None:
    assert same_encode(_id(), _id(duration=1800.0 * 1.019))
    assert not same_encode(_id(), _id(duration=1800.0 * 1.03))
    assert not same_encode(_id(), _id(duration=None))
    assert not same_encode(_id(), _id(title="the short day"))
    assert not same_encode(_id(season=2), _id())


# --- helpers ---------------------------------------------------------------------------------


def _episode(path: Path, title: str, seconds: float = 0.3, **tags: Any) -> Path:
    tags.setdefault("show", "Science Hour")
    return make_audio(path, seconds=seconds, title=title, podcast=True, **tags)


def _ids(library: Library) -> dict[str, int]:
    return {str(item["title"]): int(item["id"]) for item in library.items()}


def _watched(library: Library, item_id: int) -> bool:
    progress = library.history.progress(library.history.default_profile().id, item_id)
    return progress is not None and bool(progress.completed)


def _three(folder: Path) -> list[Path]:
    show = folder / "Science Hour"
    show.mkdir(parents=True)
    return [
        _episode(show / f"episode {n}.mp3", f"Episode {n}", seconds=0.2 + 0.1 * n)
        for n in (1, 2, 3)
    ]


# --- folders -----------------------------------------------------------------------------------


def test_removed_folder_is_hidden_kept_and_not_scanned(
    library: Library, podcasts: Path, videos: Path
) -> None:
    _three(podcasts)
    make_audio(videos / "Lecture.mp3", seconds=0.2, title="Lecture")
    root = library.add_root(podcasts, "podcast")
    library.add_root(videos, "mixed")
    library.scan()
    before = _ids(library)
    library.remove_root(root.id)

    assert library.browse(BrowseQuery()) == [before["Lecture"]]  # hidden, not deleted
    assert library.shows("podcast") == []
    assert library.search("Episode") == []
    assert [r.path for r in library.roots()] == [str(videos)]
    assert [r.state for r in library.roots(include_removed=True)] == ["removed", "online"]
    assert _ids(library) == before
    assert library.item(before["Episode 1"])["state"] == "offline"  # type: ignore[index]

    _episode(podcasts / "Science Hour" / "episode 4.mp3", "Episode 4")
    counts = library.scan()  # a removed folder is not scanned
    assert (counts.added, counts.missing) == (0, 0)
    with pytest.raises(LibraryError):
        library.remove_root(999)


def test_remove_and_add_again_keeps_ids_history_and_for_you(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    topics = {
        "Glaciers": "How ice sheets carve valleys over millennia.",
        "Sea Ice": "Polar oceans freeze and thaw with the seasons.",
        "Opera": "Verdi, Puccini and the Italian stage.",
        "Jazz": "Bebop in New York clubs after the war.",
    }
    for n, (title, text) in enumerate(topics.items()):
        show = folder / f"Show {n}"
        show.mkdir(parents=True)
        make_audio(show / f"{n}.mp3", seconds=0.2, title=title, show=show.name, description=text)
    with Library(tmp_path / "data", workers=1) as library:
        root = library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        ids = _ids(library)
        profile = library.history.default_profile().id
        library.history.mark_watched(profile, ids["Glaciers"])
        events = library.history.count_events(profile)

        library.remove_root(root.id)
        again = library.add_root(folder, "podcast")
        counts = library.scan()

        assert again.id == root.id and again.state == "online"
        assert (counts.added, counts.restored) == (0, len(topics))
        assert _ids(library) == ids and library.item_count() == len(topics)
        assert _watched(library, ids["Glaciers"])
        assert library.history.count_events(profile) == events
        (for_you,) = library.recommendations(profile, kinds=["for-you"])
        recommended = [i.item_id for i in for_you.items]
        assert recommended and ids["Glaciers"] not in recommended


def test_removed_drive_mounted_elsewhere_is_reattached(library: Library, tmp_path: Path) -> None:
    old = tmp_path / "media" / "usb0"
    _three(old)
    root = library.add_root(old, "podcast")
    library.scan()
    ids = _ids(library)
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, ids["Episode 2"])
    library.remove_root(root.id)
    new = tmp_path / "media" / "usb1"
    os.rename(old, new)  # the same drive, mounted at another path

    library.add_root(new, "podcast")
    counts = library.scan()

    assert (counts.added, counts.moved) == (0, 3)
    assert _ids(library) == ids and library.item_count() == 3
    assert _watched(library, ids["Episode 2"])
    item = library.item(ids["Episode 2"])
    assert item is not None and item["state"] == "ok" and item["path"].startswith(str(new))
    assert len(library.browse(BrowseQuery())) == 3


def test_offline_drive_mounted_elsewhere_is_offered_and_reattached(
    library: Library, tmp_path: Path
) -> None:
    old = tmp_path / "media" / "usb0"
    _three(old)
    root = library.add_root(old, "podcast")
    library.scan()
    ids = _ids(library)
    new = tmp_path / "media" / "usb1"
    os.rename(old, new)
    assert library.scan().offline == 3
    unrelated = tmp_path / "Other"
    unrelated.mkdir()
    _episode(unrelated / "x.mp3", "Something else")

    offer = library.moved_root_candidate(new)
    assert offer is not None
    assert (offer.root_id, offer.path, offer.state) == (root.id, str(old), "offline")
    assert (offer.matched, offer.checked) == (3, 3)
    assert library.moved_root_candidate(unrelated) is None

    library.add_root(new, "podcast")  # declined: a second folder, the same items
    library.scan()
    assert _ids(library) == ids and library.item_count() == 3
    assert {library.item(i)["state"] for i in ids.values()} == {"ok"}  # type: ignore[index]


def test_move_root_relocates_in_one_step(library: Library, tmp_path: Path) -> None:
    old = tmp_path / "Old"
    _three(old)
    root = library.add_root(old, "podcast")
    library.scan()
    ids = _ids(library)
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, ids["Episode 3"])
    new = tmp_path / "New"
    os.rename(old, new)
    library.add_root(new, "podcast")  # added first, never scanned: folded into the move

    moved = library.move_root(root.id, new)
    counts = library.scan()

    assert (moved.id, moved.path) == (root.id, str(new))
    assert [(r.id, r.path) for r in library.roots(include_removed=True)] == [(root.id, str(new))]
    assert (counts.updated, counts.added, counts.missing) == (3, 0, 0)  # read, confirmed
    assert _ids(library) == ids and _watched(library, ids["Episode 3"])
    paths = {library.item(i)["path"] for i in ids.values()}  # type: ignore[index]
    assert all(p.startswith(str(new) + os.sep) for p in paths)
    with pytest.raises(LibraryError, match="not a folder"):
        library.move_root(root.id, tmp_path / "nowhere")


def test_forget_deletes_only_what_no_other_folder_has(
    library: Library, podcasts: Path, videos: Path
) -> None:
    files = _three(podcasts)
    (videos / "copy.mp3").write_bytes(files[0].read_bytes())  # Episode 1 lives in both
    root = library.add_root(podcasts, "podcast")
    library.add_root(videos, "podcast")
    library.scan()
    ids = _ids(library)
    profile = library.history.default_profile().id
    for title in ("Episode 1", "Episode 2", "Episode 3"):
        library.history.mark_watched(profile, ids[title])
    gone_events = library.history.count_events(profile, item_id=ids["Episode 2"])
    gone_events += library.history.count_events(profile, item_id=ids["Episode 3"])
    total = library.history.count_events(profile)

    preview = library.forget_counts(root.id)
    assert (preview.items, preview.history_events) == (2, gone_events)
    assert _ids(library) == ids  # a preview changes nothing

    done = library.forget_root(root.id)
    assert done == preview
    assert _ids(library) == {"Episode 1": ids["Episode 1"]}
    assert library.history.count_events(profile) == total - gone_events
    assert _watched(library, ids["Episode 1"])
    assert [r.path for r in library.roots(include_removed=True)] == [str(videos)]


# --- content over path ---------------------------------------------------------------------


def test_two_files_swapping_names_take_their_history_along(
    library: Library, podcasts: Path
) -> None:
    a = _episode(podcasts / "a.mp3", "Alpha", seconds=0.3)
    b = _episode(podcasts / "b.mp3", "Beta", seconds=0.6)
    library.add_root(podcasts, "podcast")
    library.scan()
    ids = _ids(library)
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, ids["Alpha"])

    os.rename(a, podcasts / "tmp.mp3")
    os.rename(b, a)
    os.rename(podcasts / "tmp.mp3", b)
    counts = library.scan()

    assert (counts.moved, counts.added, counts.missing) == (2, 0, 0)
    assert _ids(library) == ids and library.item_count() == 2
    alpha, beta = library.item(ids["Alpha"]), library.item(ids["Beta"])
    assert alpha is not None and beta is not None
    assert (alpha["path"], alpha["state"]) == (str(b), "ok")
    assert (beta["path"], beta["state"]) == (str(a), "ok")
    assert _watched(library, ids["Alpha"]) and not _watched(library, ids["Beta"])


def test_download_replacing_an_episode_is_a_new_item(library: Library, podcasts: Path) -> None:
    path = _episode(podcasts / "episode.mp3", "Episode 1", seconds=0.3)
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _ids(library)["Episode 1"]
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, old)
    original = path.read_bytes()

    _episode(path, "Episode 2", seconds=0.6)  # the podcatcher's next download, same name
    counts = library.scan()

    assert (counts.added, counts.updated, counts.missing) == (1, 0, 1)
    ids = _ids(library)
    assert ids["Episode 1"] == old and ids["Episode 2"] != old
    first, second = library.item(old), library.item(ids["Episode 2"])
    assert first is not None and second is not None
    assert (first["state"], second["state"], second["path"]) == ("missing", "ok", str(path))
    assert _watched(library, old) and not _watched(library, ids["Episode 2"])

    (podcasts / "episode-1.mp3").write_bytes(original)
    library.scan()  # the old episode's very bytes turn up again: it comes back
    assert library.item(old)["state"] == "ok"  # type: ignore[index]


def test_tags_rewritten_keep_the_item(library: Library, podcasts: Path) -> None:
    path = _episode(podcasts / "ep.mp3", "Episode 1", seconds=0.4, description="First cut")
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _ids(library)["Episode 1"]
    _episode(path, "Episode 1", seconds=0.4, description="Fixed typo", genre="Science")
    counts = library.scan()
    assert (counts.updated, counts.added, counts.missing) == (1, 0, 0)
    item = library.item(old)
    assert item is not None and (item["description"], item["state"]) == ("Fixed typo", "ok")


def test_another_encode_replacing_a_file_keeps_item_and_history(
    library: Library, podcasts: Path
) -> None:
    old_file = _episode(podcasts / "Lecture 7.mp3", "Lecture 7", seconds=3.0, seed=1)
    other = _episode(podcasts / "Lecture 8.mp3", "Lecture 8", seconds=3.0, seed=3)
    library.add_root(podcasts, "podcast")
    library.scan()
    ids = _ids(library)
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, ids["Lecture 7"])

    # A better encode under a new name; the old file deleted. Different bytes, same episode.
    new_file = _episode(podcasts / "Lecture 7 (HQ).mp3", "Lecture 7", seconds=3.0, seed=2)
    assert new_file.read_bytes() != old_file.read_bytes()
    old_file.unlink()
    # And a file of another length under a known title is not taken for an encode of it.
    other.unlink()
    _episode(podcasts / "Lecture 8 (cut).mp3", "Lecture 8", seconds=2.0, seed=4)
    counts = library.scan()

    lecture = library.item(ids["Lecture 7"])
    assert lecture is not None
    assert (lecture["state"], lecture["path"]) == ("ok", str(new_file))
    assert (counts.replaced, counts.added) == (1, 1)
    assert _watched(library, ids["Lecture 7"])
    assert library.item(ids["Lecture 8"])["state"] == "missing"  # type: ignore[index]
    assert library.item_count() == 3


def test_migration_keeps_files_and_lets_missing_records_share_a_path(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "old.db")
    MIGRATIONS.apply(db, stop_before="0005_removed_roots_and_file_records")
    db.execute(
        "INSERT INTO roots (path_bytes, path, kind, added_at) VALUES (x'2f61', '/a', 'video', 't')"
    )
    db.execute(
        "INSERT INTO items (kind, title, created_at, updated_at) VALUES ('movie', 'M', 't', 't')"
    )
    db.execute(
        "INSERT INTO files (root_id, item_id, path_bytes, path, size, mtime_ns, fingerprint, "
        "first_seen, last_seen) VALUES (1, 1, x'2f612f6d', '/a/m', 5, 7, 'fp', 't', 't')"
    )
    db.conn.commit()
    MIGRATIONS.apply(db)

    row = db.execute("SELECT id, item_id, path_bytes, fingerprint FROM files").fetchall()
    assert row == [(1, 1, b"/a/m", "fp")]
    before = db.execute("SELECT value FROM revisions WHERE name = 'catalog'").fetchone()[0]
    db.execute("UPDATE files SET missing = 1")  # the catalogue's triggers came back
    assert db.execute("SELECT value FROM revisions WHERE name = 'catalog'").fetchone()[0] > before
    insert = (
        "INSERT INTO files (root_id, item_id, path_bytes, path, size, mtime_ns, first_seen, "
        "last_seen) VALUES (1, 1, x'2f612f6d', '/a/m', 5, 7, 't', 't')"
    )
    db.execute(insert)  # a present file where a missing record is: fine
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(insert)  # two present files at one path: never
