"""Truncated and damaged videos through a real scan: listed as items with a warning (from their
container tags, or their name when nothing in them can be read), never refused; the complete
download that replaces a half file is the same item, history kept. Real files, real SQLite."""

from __future__ import annotations

import json
import os
from pathlib import Path

from engine.library import Library
from tests.mediagen import make_extra_video, make_video


def _half(path: Path, share: float = 0.5) -> bytes:
    """Cut `path` to `share` of its bytes; returns the whole file's bytes."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return data


def _findings(library: Library) -> dict[str, tuple[str, dict[str, float]]]:
    return {
        Path(str(e["path"])).name: (str(e["kind"]), dict(e["args"] or {}))
        for e in library.errors()
        if e["stage"] == "integrity"
    }


def test_cut_off_videos_are_items_with_warnings(library: Library, videos: Path) -> None:
    films = videos / "Films"
    films.mkdir()
    # An MP4 whose moov box (written last) never arrived: only its name says what it is.
    _half(make_video(films / "Harbour Lights (2021).mp4", seconds=2.0, title="Harbour Lights"))
    # A Matroska episode cut at 60 %: its tags are fine, the video stops early.
    show = videos / "Coastline" / "Season 01"
    show.mkdir(parents=True)
    _half(make_video(show / "Coastline S01E02.mkv", seconds=3.0, title="The Tide"), 0.6)
    _half(make_extra_video(films / "Old Tape.avi", 3.0, title="Old Tape"), 0.6)
    # Not a video container at all: still an error, in words.
    (films / "noise.mkv").write_bytes(os.urandom(8192))
    library.add_root(videos, "video")

    counts = library.scan()

    items = {str(i["title"]): i for i in library.items()}
    assert {"Harbour Lights", "The Tide", "Old Tape"} <= set(items)  # before: three errors
    harbour = items["Harbour Lights"]
    assert (harbour["kind"], harbour["year"]) == ("movie", 2021)
    tide = items["The Tide"]
    assert (tide["kind"], tide["show"], tide["season"], tide["episode"]) == (
        "episode",
        "Coastline",
        1,
        2,
    )
    found = _findings(library)
    assert found["Harbour Lights (2021).mp4"][0] == "damaged"
    kind, args = found["Coastline S01E02.mkv"]
    assert kind == "incomplete" and 0 < args["present"] < args["expected"]
    assert tide["duration"] == args["present"]  # what is there, not what was promised
    assert found["Old Tape.avi"][0] == "incomplete"
    errors = {Path(str(e["path"])).name: e for e in library.errors() if e["stage"] != "integrity"}
    assert set(errors) == {"noise.mkv"}  # the only file not listed
    assert counts.added == 3
    assert "corrupt or unsupported video file" in str(errors["noise.mkv"]["error"])


def test_the_complete_download_replaces_the_half_film(library: Library, videos: Path) -> None:
    path = make_video(videos / "Harbour Lights (2021).mp4", seconds=2.0, title="Harbour Lights")
    whole = _half(path)
    library.add_root(videos, "video")
    library.scan()
    (item,) = library.items()
    item_id = int(item["id"])
    profile = library.history.default_profile().id
    library.history.mark_watched(profile, item_id)

    path.write_bytes(whole)  # the download finished
    counts = library.scan()

    assert (counts.updated, counts.added, counts.missing) == (1, 0, 0)
    detail = library.item(item_id)
    assert detail is not None and detail["title"] == "Harbour Lights"
    assert detail["duration"] and abs(float(detail["duration"]) - 2.0) < 0.2
    assert _findings(library) == {}  # the warning went with the half file
    progress = library.history.progress(profile, item_id)
    assert progress is not None and progress.completed
    stored = library.database.db.execute("SELECT integrity FROM files").fetchone()[0]
    assert stored is None or json.loads(stored) is None


def test_the_video_corpus_is_listed_but_for_files_with_no_container_left(
    tmp_path: Path,
) -> None:
    """Every video format of the acceptance corpus (tests/corpus.py), valid and cut at 10/50/90 %,
    garbage in the middle, zeroed frames, zeroed header: all are items but the files whose
    container signature is gone, and those have a reason in words."""
    from tests import corpus

    files = corpus.generate(tmp_path / "media", formats=corpus.VIDEO)
    library = Library(tmp_path / "data", workers=2)
    try:
        library.add_root(tmp_path / "media", "video")
        library.scan()
        listed, total, others = corpus.listed_share(library, files)
    finally:
        library.close()
    print(f"video corpus: {listed}/{total} files listed; not listed: {others}")
    assert total >= 50
    cut = [f for f in files if f.variant.startswith("cut")]
    assert len(cut) >= 3 * len(corpus.VIDEO)
    # Before: 18 of the 27 cut files (MKV, MP4, M4V, MOV, AVI, WebM) were refused; 37/64 listed.
    cut_refused = [o for o in others if "/cut" in o]
    assert cut_refused == []
    for other in others:  # only a file whose header is gone may be refused, with a reason
        assert "/zeroed-header." in other and "no reason" not in other, other
