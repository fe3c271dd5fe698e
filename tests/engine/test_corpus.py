"""Acceptance (issue 13): of the files in every supported format and their damaged variants
(tests/corpus.py) whose title an independent reader (tinytag) can read, at least 95 % are in
the library under that title; every file is an item's file or has a per-file reason."""

from __future__ import annotations

from pathlib import Path

from engine.library import Library
from tests import corpus


def test_what_an_independent_reader_can_read_is_listed(tmp_path: Path) -> None:
    files = corpus.generate(tmp_path / "media")
    assert {f.fmt for f in files} >= {"mp3", "flac", "wma", "ape", "wv", "spx", "mkv", "ts"}
    library = Library(tmp_path / "data", workers=2)
    try:
        library.add_root(tmp_path / "media", "mixed")
        library.scan()
        report = corpus.check(library, files)
        problems = library.errors()
    finally:
        library.close()
    print(
        f"corpus: {report.listed}/{report.readable} readable files listed under their title "
        f"({report.share:.1%}); {report.files} files in all"
    )
    assert report.readable >= 60  # the independent reader really read the corpus
    assert report.unexplained == []  # nothing silently skipped
    assert report.share >= 0.95, report.not_listed
    # What is not listed has a reason in words: never a bare "error".
    for problem in problems:
        message = str(problem["error"])
        assert len(message) > 12 and not message.endswith(": error"), problem
