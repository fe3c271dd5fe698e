"""A library indexed before passages existed gets them: the index pass reads its files again for
their timed text (schema 0010) and embeds the passages of items whose documents did not change;
a library with nothing to catch up embeds nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from engine.library import Library
from engine.store.db import DB_NAME
from tests.engine.test_passages import LIGHTHOUSE, QUERY, _episode
from tests.transcriptgen import filler_cues, with_cue, write_vtt


def _library(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "Pods"
    folder.mkdir()
    _episode(folder, "one", "Episode one")
    _episode(folder, "two", "Episode two")
    write_vtt(folder / "one.vtt", with_cue(filler_cues(900, seed=1), 600.0, LIGHTHOUSE))
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        _scan, counts = library.index_now()
        assert counts.passages > 0 and library.search_passages(QUERY)
    return folder, data


def _sql(data: Path, *statements: str) -> None:
    conn = sqlite3.connect(data / DB_NAME)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def test_a_library_from_before_passages_gets_them_from_the_index_pass(tmp_path: Path) -> None:
    _folder, data = _library(tmp_path)
    # As a library indexed before schema 0009 looks after migrating: no passage texts, no
    # vectors, and files no timed-text reader has read; its items and documents are as they were.
    _sql(
        data,
        "DELETE FROM passages",
        "DELETE FROM passage_vectors",
        "DELETE FROM passage_state",
        "UPDATE files SET passages_read = 0",
    )
    with Library(data, workers=1) as library:
        assert library.search_passages(QUERY) == []
        scanned, counts = library.index_now()
        assert scanned.updated + scanned.unchanged >= 1 and counts.passages > 0
        assert counts.embedded == 0  # the documents did not change: only the passages
        hits = library.search_passages(QUERY, k=3)
        assert hits and hits[0]["title"] == "Episode one"
        assert abs(hits[0]["start_s"] - 600.0) < 10.0

        # Caught up: the next pass reads nothing again and embeds nothing.
        scanned, counts = library.index_now()
        assert scanned.updated == 0 and scanned.added == 0
        assert counts.embedded == 0 and counts.passages == 0 and counts.checked == 0


def test_passage_texts_without_vectors_are_embedded(tmp_path: Path) -> None:
    _folder, data = _library(tmp_path)
    # A pass that stopped after an item's document and before its passages: the texts are
    # there, the item is marked checked, its passage vectors are not.
    _sql(data, "DELETE FROM passage_vectors", "DELETE FROM passage_state")
    with Library(data, workers=1) as library:
        scanned, counts = library.index_now()
        assert scanned.updated == 0  # nothing was read again: the texts were there
        assert counts.checked == 0 and counts.passages > 0
        hits = library.search_passages(QUERY, k=3)
        assert hits and abs(hits[0]["start_s"] - 600.0) < 10.0
        _scan, counts = library.index_now()
        assert counts.passages == 0


def test_the_app_s_first_full_scan_reads_old_files_again(tmp_path: Path) -> None:
    _folder, data = _library(tmp_path)
    _sql(data, "DELETE FROM passages", "UPDATE files SET passages_read = 0")
    with Library(data, workers=1) as library:
        counts = library.scan()  # what the index worker does when it starts
        assert counts.updated == 2 and counts.added == 0
        assert library.scan().updated == 0  # read once
