"""Spoken-word search end to end: a 46-minute episode with a WebVTT transcript beside it, a
query about a sentence said in its 40th minute; the Search page's "Said in episodes" shows the
passage with the query's words in bold and its time, and Play from here starts the real player
at that moment."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from desktop.views.passage_results import clock, highlighted
from engine.library import Library
from tests.transcriptgen import filler_cues, long_mp3, with_cue, write_vtt

WAIT = 120_000  # ms: the first search loads the embedding model
SAID_AT = 2370.0  # 39:30, in the 40th minute
SENTENCE = "The lighthouse keeper rescued eleven sailors when the storm wrecked their fishing boat."
QUERY = "lighthouse keeper saved sailors from a shipwreck"


def test_highlighted_escapes_and_bolds_the_spans() -> None:
    assert highlighted("a <b> lighthouse", [(6, 16)]) == "a &lt;b&gt; <b>lighthouse</b>"
    long = "word " * 200 + "lighthouse" + " word" * 200
    at = long.index("lighthouse")
    shown = highlighted(long, [(at, at + 10)])
    assert "<b>lighthouse</b>" in shown and shown.startswith("…") and shown.endswith("…")
    assert clock(2370) == "39:30" and clock(3723) == "1:02:03"


def test_play_from_here_starts_the_player_where_it_was_said(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    show = tmp_path / "Podcasts" / "Long Talks"
    show.mkdir(parents=True)
    long_mp3(
        show / "harbour.mp3",
        2760,
        title="Harbour Stories",
        show="Long Talks",
        description="A long conversation about the coast.",
        podcast=True,
    )
    write_vtt(show / "harbour.vtt", with_cue(filler_cues(2760, seed=7), SAID_AT, SENTENCE))
    long_mp3(
        show / "market.mp3",
        600,
        title="Market Day",
        show="Long Talks",
        description="Stalls, prices and gossip.",
        podcast=True,
    )
    write_vtt(show / "market.vtt", filler_cues(600, seed=8))
    library.add_root(tmp_path / "Podcasts", "podcast")
    library.scan()
    library.index_now()
    harbour = next(int(i["id"]) for i in library.items() if i["title"] == "Harbour Stories")

    tasks = Tasks()
    window = MainWindow(library, tasks, watch=False)
    qtbot.addWidget(window)
    window.show()
    window.go_to("search")
    said = window.search.passages
    window.search.set_query(QUERY)
    qtbot.waitUntil(lambda: bool(said.rows()), timeout=WAIT)
    assert said.isVisible() and said.heading.text() == "Said in episodes"
    row = said.rows()[0]
    assert row.hit["item"] == harbour
    start = float(row.hit["start_s"])
    assert abs(start - SAID_AT) <= 10.0
    assert row.time_label.text() == clock(start)
    shown = row.text_label.text()
    for word in ("lighthouse", "keeper", "sailors"):
        assert f"<b>{word}</b>" in shown

    qtbot.mouseClick(row.play_button, Qt.MouseButton.LeftButton)
    player = window.player
    assert player is not None
    # The real player (QMediaPlayer) is playing this item from the moment it was said.
    qtbot.waitUntil(
        lambda: (
            player.item_id == harbour
            and player.is_playing()
            and player.media.position() >= (SAID_AT - 10.0) * 1000
        ),
        timeout=WAIT,
    )
    assert player.media.position() <= (SAID_AT + 120.0) * 1000
    window.close()
    tasks.wait()
