"""Read what can be read: a cut-off or damaged file whose tags (or feed entry) say what it is
is an item with a warning, not an error; the complete download replacing it keeps its item and
history; a media file of a format Reelcast cannot read is a problem, not silence.

Real files (tests/mediagen.py), a real library in SQLite, real scans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.ingest.audio import read_audio
from engine.library import Library
from tests.mediagen import make_audio, make_extra_audio


def _episode(path: Path, title: str, seconds: float, **tags: Any) -> Path:
    tags.setdefault("show", "Long Talks")
    return make_audio(path, seconds=seconds, title=title, podcast=True, **tags)


def _cut(path: Path, share: float) -> bytes:
    """Cut `path` to `share` of its bytes, as a download that stopped; returns the whole."""
    whole = path.read_bytes()
    path.write_bytes(whole[: int(len(whole) * share)])
    return whole


def _problems(library: Library) -> dict[str, dict[str, Any]]:
    return {Path(e["path"]).name: e for e in library.errors()}


def _ids(library: Library) -> dict[str, int]:
    return {str(item["title"]): int(item["id"]) for item in library.items()}


def test_half_downloaded_episode_is_listed_with_a_warning(library: Library, podcasts: Path) -> None:
    path = _episode(podcasts / "episode 12.mp3", "Episode 12: Rivers", seconds=6.0)
    full = library_duration_of(path)
    _cut(path, 0.25)
    library.add_root(podcasts, "podcast")
    counts = library.scan()

    ids = _ids(library)
    assert "Episode 12: Rivers" in ids  # before: not in the library at all (an error)
    item = library.item(ids["Episode 12: Rivers"])
    assert item is not None and item["state"] == "ok"
    assert item["duration"] is not None and item["duration"] < full / 2  # what is present
    problem = _problems(library)["episode 12.mp3"]
    assert problem["stage"] == "integrity" and problem["kind"] == "incomplete"
    assert problem["args"]["expected"] == pytest_approx(full)
    assert problem["args"]["present"] == pytest_approx(item["duration"])
    assert problem["error"].startswith("incomplete download: audio stops at 0:00:0")
    assert counts.added == 1 and counts.errors == 1


def test_nothing_readable_is_still_an_error_with_words(library: Library, podcasts: Path) -> None:
    (podcasts / "noise.mp3").write_bytes(bytes(range(256)) * 64)
    library.add_root(podcasts, "podcast")
    library.scan()
    assert library.item_count() == 0
    problem = _problems(library)["noise.mp3"]
    assert problem["stage"] == "read"
    assert "no readable tags" in problem["error"] and problem["error"].strip() != "error"


def test_complete_download_at_the_same_path_keeps_item_and_history(
    library: Library, podcasts: Path
) -> None:
    path = _episode(podcasts / "ep.mp3", "The Whole Story", seconds=6.0, guid=None)
    whole = _cut(path, 0.2)
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _ids(library)["The Whole Story"]
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, old)

    path.write_bytes(whole)  # the podcatcher finished the download
    counts = library.scan()

    assert _ids(library) == {"The Whole Story": old}  # before: a new item, history left behind
    assert (counts.updated, counts.added, counts.missing) == (1, 0, 0)
    progress = library.history.progress(profile, old)
    assert progress is not None and progress.completed
    assert "ep.mp3" not in _problems(library)  # the warning went with the half file
    item = library.item(old)
    assert item is not None and item["duration"] == pytest_approx(library_duration_of(path))


def test_complete_download_under_another_name_keeps_item_and_history(
    library: Library, podcasts: Path
) -> None:
    half = _episode(podcasts / "ep-partial.mp3", "Chapter Nine", seconds=6.0, seed=5)
    _cut(half, 0.3)
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _ids(library)["Chapter Nine"]
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, old)

    half.unlink()
    done = _episode(podcasts / "Chapter Nine.mp3", "Chapter Nine", seconds=6.0, seed=6)
    counts = library.scan()

    assert _ids(library) == {"Chapter Nine": old}  # before: another item
    assert counts.replaced == 1
    item = library.item(old)
    assert item is not None and (item["state"], item["path"]) == ("ok", str(done))
    progress = library.history.progress(profile, old)
    assert progress is not None and progress.completed


def test_a_complete_file_of_another_length_is_still_another_item(
    library: Library, podcasts: Path
) -> None:
    # Only a cut-off file is let off the duration check: two complete files are compared.
    first = _episode(podcasts / "a.mp3", "Same Title", seconds=2.0, seed=1)
    library.add_root(podcasts, "podcast")
    library.scan()
    old = _ids(library)["Same Title"]
    first.unlink()
    _episode(podcasts / "b.mp3", "Same Title", seconds=5.0, seed=2)
    counts = library.scan()
    assert counts.replaced == 0 and counts.added == 1
    assert library.item(old)["state"] == "missing"  # type: ignore[index]


def test_unreadable_file_with_a_feed_entry_is_listed(library: Library, podcasts: Path) -> None:
    (podcasts / "feed.xml").write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Night Radio</title>
<item><title>The Lost Tapes</title><guid>night-7</guid>
<enclosure url="https://example.invalid/lost-tapes.mp3" type="audio/mpeg" length="9"/>
</item></channel></rss>
""",
        encoding="utf-8",
    )
    (podcasts / "lost-tapes.mp3").write_bytes(b"\x00" * 4096)  # preallocated, never written
    library.add_root(podcasts, "podcast")
    library.scan()
    assert "The Lost Tapes" in _ids(library)
    problem = _problems(library)["lost-tapes.mp3"]
    assert (problem["stage"], problem["kind"]) == ("integrity", "no_content")


def test_unsupported_media_is_a_problem_not_silence(library: Library, podcasts: Path) -> None:
    (podcasts / "old show.rm").write_bytes(b".RMF\x00\x00\x00\x12" + b"\x00" * 200)
    (podcasts / "notes.txt").write_text("not media")
    library.add_root(podcasts, "podcast")
    counts = library.scan()
    problems = _problems(library)
    assert set(problems) == {"old show.rm"}  # before: skipped without a word
    assert problems["old show.rm"]["stage"] == "unsupported"
    assert problems["old show.rm"]["kind"] == "unsupported_format"
    assert problems["old show.rm"]["args"] == {"extension": ".rm"}
    assert counts.errors == 1
    (podcasts / "old show.rm").unlink()
    library.scan()
    assert library.errors() == []


def test_more_formats_are_read(library: Library, podcasts: Path) -> None:
    # .mka was listed as audio but mutagen cannot read Matroska: FFmpeg's probe does.
    make_extra_audio(podcasts / "talk.mka", title="Matroska talk")
    make_extra_audio(podcasts / "talk.mp2", title="MPEG layer II talk")
    library.add_root(podcasts, "podcast")
    library.scan()
    assert {"Matroska talk", "MPEG layer II talk"} <= set(_ids(library)), library.errors()


# --- helpers ---------------------------------------------------------------------------------


def library_duration_of(path: Path) -> float:
    duration = read_audio(str(path)).duration
    assert duration is not None
    return duration


def pytest_approx(value: float) -> Any:
    return pytest.approx(value, abs=0.05)
