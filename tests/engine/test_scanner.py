"""The scanner against real folders, real media and a real SQLite file."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

from engine.library import Library, ScanProgress
from tests.mediagen import make_audio, make_jpeg, make_video

EPISODE_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>The Long Night</title>
  <showtitle>Northern Lights</showtitle>
  <season>1</season><episode>2</episode>
  <plot>A storm cuts the village off.</plot>
  <playcount>1</playcount>
</episodedetails>
"""


def _by_title(library: Library) -> dict[str, dict[str, object]]:
    return {str(item["title"]): item for item in library.items()}


def _podcast_folder(podcasts: Path, count: int = 3) -> list[Path]:
    show = podcasts / "Science Hour"
    show.mkdir()
    return [
        make_audio(
            show / f"episode {n}.mp3",
            seconds=0.3,
            title=f"Episode {n}",
            show="Science Hour",
            description=f"<p>All about <b>topic {n}</b></p>",
            date=f"2024-01-0{n}",
            podcast=True,
        )
        for n in range(1, count + 1)
    ]


def test_first_scan_catalogues_podcasts_and_videos(
    library: Library, podcasts: Path, videos: Path
) -> None:
    _podcast_folder(podcasts)
    make_jpeg(podcasts / "Science Hour" / "cover.jpg")
    show = videos / "Northern Lights" / "Season 01"
    show.mkdir(parents=True)
    make_video(show / "Northern Lights - S01E02.mkv", seconds=0.5)
    (show / "Northern Lights - S01E02.nfo").write_text(EPISODE_NFO, encoding="utf-8")
    make_jpeg(videos / "Northern Lights" / "poster.jpg")

    library.add_root(podcasts, "podcast")
    library.add_root(videos, "video")
    counts = library.scan()

    assert (counts.added, counts.errors, counts.unchanged) == (4, 0, 0)
    items = _by_title(library)
    episode = items["Episode 2"]
    assert episode["kind"] == "podcast"
    assert episode["show"] == "Science Hour"
    assert episode["description"] == "All about topic 2"
    assert episode["air_date"] == "2024-01-02"
    assert episode["state"] == "ok"
    assert episode["show_artwork"] and Path(str(episode["show_artwork"])).is_file()
    assert episode["artwork"] == episode["show_artwork"]  # no episode art: the podcast's cover
    tv = items["The Long Night"]
    assert (tv["kind"], tv["show"], tv["season"], tv["episode"]) == (
        "episode",
        "Northern Lights",
        1,
        2,
    )
    assert tv["description"] == "A storm cuts the village off."
    assert tv["nfo_playcount"] == 1
    assert tv["sources"]["title"] == "nfo"  # type: ignore[index]
    assert tv["artwork"] and Path(str(tv["artwork"])).is_file()
    assert str(tv["artwork"]).startswith(str(library.thumbs_dir))


def test_incremental_rescan_reads_nothing_unchanged(
    tmp_path: Path, library: Library, podcasts: Path
) -> None:
    files = _podcast_folder(podcasts)
    library.add_root(podcasts, "podcast")
    library.scan()
    before = _by_title(library)
    library.close()

    # Overwrite a file with garbage of the same size and mtime: if the rescan read it, the
    # item would turn into an error. It must not notice.
    st = files[0].stat()
    files[0].write_bytes(b"\0" * st.st_size)
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns))

    again = Library(tmp_path / "data", workers=2)
    try:
        counts = again.scan()
        assert (counts.unchanged, counts.added, counts.updated, counts.errors) == (3, 0, 0, 0)
        assert again._pool.files_read == 0
        assert _by_title(again) == before
    finally:
        again.close()


def test_changed_file_is_reread_and_keeps_its_id(library: Library, podcasts: Path) -> None:
    files = _podcast_folder(podcasts)
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _by_title(library)["Episode 1"]
    # Tags rewritten in place (new description, same title, show and length): same item.
    make_audio(files[0], seconds=0.3, title="Episode 1", show="Science Hour", description="Revised")
    counts = library.scan()
    assert (counts.updated, counts.unchanged, counts.added) == (1, 2, 0)
    item = _by_title(library)["Episode 1"]
    assert (item["id"], item["description"]) == (old["id"], "Revised")


def test_rename_and_move_keep_the_item_id(library: Library, podcasts: Path, videos: Path) -> None:
    files = _podcast_folder(podcasts)
    library.add_root(podcasts, "podcast")
    library.add_root(videos, "video")
    library.scan()
    ids = {t: i["id"] for t, i in _by_title(library).items()}

    files[0].rename(files[0].with_name("renamed.mp3"))
    (podcasts / "archive").mkdir()
    files[1].rename(podcasts / "archive" / files[1].name)
    shutil.move(files[2], videos / "moved across roots.mp3")
    counts = library.scan()

    assert (counts.moved, counts.added, counts.missing) == (3, 0, 0)
    assert {t: i["id"] for t, i in _by_title(library).items()} == ids
    assert all(i["state"] == "ok" for i in library.items())


def test_deleted_file_is_marked_missing_and_comes_back(
    library: Library, podcasts: Path, tmp_path: Path
) -> None:
    files = _podcast_folder(podcasts)
    library.add_root(podcasts, "podcast")
    library.scan()
    item_id = _by_title(library)["Episode 3"]["id"]
    backup = tmp_path / "backup.mp3"
    shutil.move(files[2], backup)

    counts = library.scan()
    assert counts.missing == 1
    item = library.item(int(item_id))  # type: ignore[arg-type]
    assert item is not None and item["state"] == "missing"
    assert item["files"][0]["missing"] is True

    shutil.move(backup, podcasts / "Science Hour" / "restored.mp3")
    counts = library.scan()
    assert (counts.moved, counts.added) == (1, 0)
    assert _by_title(library)["Episode 3"]["id"] == item_id


def test_unmounted_root_goes_offline_and_loses_nothing(
    library: Library, podcasts: Path, tmp_path: Path
) -> None:
    _podcast_folder(podcasts)
    library.add_root(podcasts, "podcast")
    library.scan()
    before = {i["id"]: i["title"] for i in library.items()}

    podcasts.rename(tmp_path / "unplugged")  # the drive goes away
    counts = library.scan()
    assert (counts.offline, counts.missing) == (3, 0)
    assert library.roots()[0].state == "offline"
    assert {i["state"] for i in library.items()} == {"offline"}
    assert {i["id"]: i["title"] for i in library.items()} == before

    podcasts.mkdir()  # an empty mount point: still offline, nothing marked missing
    counts = library.scan()
    assert counts.missing == 0
    assert {i["state"] for i in library.items()} == {"offline"}
    podcasts.rmdir()

    (tmp_path / "unplugged").rename(podcasts)  # plugged back in
    counts = library.scan()
    assert (counts.restored, counts.unchanged, counts.added, counts.missing) == (3, 3, 0, 0)
    assert library.roots()[0].state == "online"
    assert {i["state"] for i in library.items()} == {"ok"}
    assert {i["id"]: i["title"] for i in library.items()} == before


def test_duplicate_content_is_one_item_with_two_files(library: Library, podcasts: Path) -> None:
    files = _podcast_folder(podcasts, count=1)
    copy = podcasts / "copy of episode.mp3"
    shutil.copyfile(files[0], copy)
    library.add_root(podcasts, "podcast")
    counts = library.scan()
    assert (counts.added, counts.duplicates) == (2, 1)
    (item,) = library.items()
    full = library.item(int(item["id"]))
    assert full is not None and len(full["files"]) == 2

    copy.rename(podcasts / "renamed copy.mp3")  # renaming either copy must not confuse them
    counts = library.scan()
    assert (counts.moved, counts.added, counts.missing) == (1, 0, 0)
    full = library.item(int(item["id"]))
    assert full is not None
    assert sorted(Path(f["path"]).name for f in full["files"]) == [
        "episode 1.mp3",
        "renamed copy.mp3",
    ]
    assert not any(f["missing"] for f in full["files"])


def test_sidecar_change_rereads_the_media_beside_it(library: Library, videos: Path) -> None:
    make_video(videos / "Film.2019.mkv", seconds=0.3)
    make_video(videos / "Other.2001.mkv", seconds=0.3)
    library.add_root(videos, "video")
    library.scan()
    (videos / "Film.2019.nfo").write_text(
        "<movie><title>The Film</title><plot>Better plot.</plot></movie>", encoding="utf-8"
    )
    counts = library.scan()
    assert counts.updated == 2 and counts.added == 0  # the whole folder is re-read
    assert _by_title(library)["The Film"]["description"] == "Better plot."


def test_symlinks_hidden_and_junk_are_skipped(
    library: Library, podcasts: Path, tmp_path: Path
) -> None:
    _podcast_folder(podcasts, count=1)
    outside = tmp_path / "outside"
    outside.mkdir()
    make_audio(outside / "secret.mp3", seconds=0.2, title="Outside")
    (podcasts / "loop").symlink_to(podcasts)  # a loop
    (podcasts / "escape").symlink_to(outside)  # leads out of the root
    (podcasts / "link.mp3").symlink_to(outside / "secret.mp3")
    for junk in (".hidden", "@eaDir", "$RECYCLE.BIN"):
        (podcasts / junk).mkdir()
        make_audio(podcasts / junk / "junk.mp3", seconds=0.2, title="Junk")
    make_audio(podcasts / "._resource.mp3", seconds=0.2, title="AppleDouble")
    library.add_root(podcasts, "podcast")
    counts = library.scan()
    assert counts.added == 1
    assert [i["title"] for i in library.items()] == ["Episode 1"]


def test_bad_files_get_errors_and_the_scan_goes_on(library: Library, podcasts: Path) -> None:
    good = make_audio(podcasts / "good.mp3", seconds=0.3, title="Good")
    (podcasts / "empty.mp3").write_bytes(b"")
    # Cut inside the ID3 header: nothing readable. (A file cut later keeps its tags and is an
    # item with a warning: tests/engine/test_damaged_media.py.)
    (podcasts / "truncated.mp3").write_bytes(good.read_bytes()[:6])
    (podcasts / "corrupt.mkv").write_bytes(os.urandom(4096))
    make_audio(podcasts / "-starts with dash.mp3", seconds=0.2, title="Dash")
    odd = os.fsdecode(b"caf\xe9 latin1.mp3")  # not valid UTF-8
    make_audio(podcasts / odd, seconds=0.2, title="Latin")
    nfd = unicodedata.normalize("NFD", "Café NFD.mp3")
    make_audio(podcasts / nfd, seconds=0.2, title="Decomposed")
    library.add_root(podcasts, "podcast")

    counts = library.scan()
    assert counts.added == 4
    assert counts.errors == 3
    errors = {Path(e["path"]).name: e["error"] for e in library.errors()}
    assert set(errors) == {"empty.mp3", "truncated.mp3", "corrupt.mkv"}
    assert "empty" in errors["empty.mp3"].lower()
    titles = {i["title"]: i for i in library.items()}
    assert set(titles) == {"Good", "Dash", "Latin", "Decomposed"}
    assert titles["Latin"]["path"].endswith("caf\ufffd latin1.mp3")  # display form
    full = library.item(int(titles["Latin"]["id"]))
    assert full is not None

    # Broken files are not read again until they change, and their errors stay listed.
    again = library.scan()
    assert (again.unchanged, again.errors, again.added) == (7, 0, 0)
    assert len(library.errors()) == 3
    make_audio(podcasts / "empty.mp3", seconds=0.2, title="Now complete")
    fixed = library.scan()
    assert fixed.added == 1
    assert {Path(e["path"]).name for e in library.errors()} == {"truncated.mp3", "corrupt.mkv"}


def test_a_hanging_reader_hits_the_time_limit(tmp_path: Path, podcasts: Path) -> None:
    from tests.engine.slow_extract import extract_or_hang

    make_audio(podcasts / "fine.mp3", seconds=0.2, title="Fine")
    make_audio(podcasts / "hang.mp3", seconds=0.2, title="Hangs")
    make_audio(podcasts / "after.mp3", seconds=0.2, title="After")
    with Library(
        tmp_path / "data", workers=1, reader_timeout=3, extractor=extract_or_hang
    ) as library:
        library.add_root(podcasts, "podcast")
        counts = library.scan()
        assert (counts.added, counts.errors) == (2, 1)
        (error,) = library.errors()
        assert error["path"].endswith("hang.mp3")
        assert "longer than 3 s" in error["error"]
        assert error["stage"] == "timeout"


def test_scan_reports_progress_and_can_be_cancelled(library: Library, podcasts: Path) -> None:
    _podcast_folder(podcasts, count=3)
    library.add_root(podcasts, "podcast")
    seen: list[ScanProgress] = []

    def stop_after_first_file() -> bool:
        return any(p.phase == "read" for p in seen)

    counts = library.scan(progress=seen.append, cancelled=stop_after_first_file)
    assert counts.cancelled
    reads = [p for p in seen if p.phase == "read"]
    assert reads and reads[0].total == 3 and reads[0].done == 1
    assert counts.added < 3

    seen.clear()
    counts = library.scan(progress=seen.append)  # the next scan finishes the job
    assert not counts.cancelled
    assert len(library.items()) == 3
    assert seen[-1].phase == "done"
    assert [p.done for p in seen if p.phase == "read"][-1] == seen[-1].total


def test_overlapping_or_bogus_folders_are_refused(library: Library, podcasts: Path) -> None:
    import pytest

    from engine.library import LibraryError

    library.add_root(podcasts, "podcast")
    (podcasts / "inner").mkdir()
    with pytest.raises(LibraryError, match="overlaps"):
        library.add_root(podcasts / "inner", "podcast")
    with pytest.raises(LibraryError, match="already"):
        library.add_root(podcasts, "video")
    with pytest.raises(LibraryError, match="not a folder"):
        library.add_root(podcasts / "nope", "video")
    with pytest.raises(LibraryError, match="unknown kind"):
        library.add_root(podcasts.parent, "music")


def test_partial_scan_of_changed_paths(library: Library, videos: Path) -> None:
    show = videos / "Show"
    season = show / "Season 01"
    season.mkdir(parents=True)
    (show / "tvshow.nfo").write_text(
        "<tvshow><title>The Real Show</title><plot>Show plot.</plot></tvshow>", encoding="utf-8"
    )
    make_video(season / "Show - S01E01.mkv", seconds=0.2)
    other = videos / "Other"
    other.mkdir()
    make_video(other / "Film.2001.mkv", seconds=0.2)
    library.add_root(videos, "video")
    library.scan()
    root = library.roots()[0]

    new = make_video(season / "Show - S01E02.mkv", seconds=0.2)
    (other / "Film.2001.mkv").unlink()  # outside the changed folders: not looked at
    scanner = library._scanner
    counts = scanner.scan([root], changed={root.id: [os.fsencode(new)]})
    assert (counts.added, counts.unchanged, counts.missing) == (1, 1, 0)
    items = {i["episode"]: i for i in library.items() if i["kind"] == "episode"}
    assert items[2]["show"] == "The Real Show"  # the show's NFO, above the scanned folder

    gone = os.fsencode(other)
    shutil.rmtree(other)
    counts = scanner.scan([root], changed={root.id: [gone]})
    assert (counts.missing, counts.unchanged) == (1, 0)
