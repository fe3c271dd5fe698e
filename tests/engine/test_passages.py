"""Spoken-word search: transcripts and subtitles indexed in full as timed passages, found by
meaning, incremental per item, attached when a transcript arrives after its episode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.doctor import examine
from engine.ingest.transcripts import (
    PASSAGE_MAX_CHARS,
    Cue,
    group_cues,
    html_cues,
    json_cues,
    read_cues,
)
from engine.library import Library
from engine.store.passages import PassageStore
from tests.engine.test_worker import wait_for
from tests.mediagen import make_audio
from tests.transcriptgen import (
    filler_cues,
    with_cue,
    write_html,
    write_json,
    write_srt,
    write_vtt,
)

LIGHTHOUSE = (
    "The lighthouse keeper rescued eleven sailors when the storm wrecked their fishing boat."
)
QUERY = "lighthouse keeper saved sailors from a shipwreck"


@pytest.mark.parametrize("writer", [write_vtt, write_srt, write_json, write_html])
def test_every_transcript_format_keeps_its_times(tmp_path: Path, writer: object) -> None:
    cues = with_cue(filler_cues(600, seed=3), 421.0, LIGHTHOUSE)
    suffix = {write_vtt: "vtt", write_srt: "srt", write_json: "json", write_html: "html"}
    path = writer(tmp_path / f"ep.{suffix[writer]}", cues)  # type: ignore[index,operator]
    read = read_cues(str(path))
    assert [c.text for c in read] == [text for _, _, text in cues]
    said = next(c for c in read if c.text == LIGHTHOUSE)
    assert said.start == pytest.approx(420.0, abs=1.0)  # HTML keeps whole seconds

    passages = group_cues(read, "transcript")
    assert " ".join(p.text for p in passages) == " ".join(c.text for c in read)
    assert all(len(p.text) <= PASSAGE_MAX_CHARS for p in passages)
    holder = next(p for p in passages if LIGHTHOUSE in p.text)
    assert holder.start <= said.start <= holder.end
    # Each cue's mark points at its text inside the passage, with its own time.
    marked = []
    for passage in passages:
        for n, (offset, start) in enumerate(passage.marks):
            stop = passage.marks[n + 1][0] - 1 if n + 1 < len(passage.marks) else None
            marked.append((passage.text[offset:stop], start))
    assert marked == [(c.text, c.start) for c in read]


def test_json_and_html_that_are_not_transcripts() -> None:
    from engine.ingest.metadata import ReaderError

    with pytest.raises(ReaderError):
        json_cues(json.dumps({"title": "yt-dlp info", "duration": 12}))
    assert html_cues("<p>No times here, just words.</p>") == [
        Cue(0.0, 0.0, "No times here, just words.")
    ]


def _episode(folder: Path, name: str, title: str) -> Path:
    return make_audio(
        folder / f"{name}.mp3",
        seconds=0.2,
        title=title,
        show="Long Talks",
        description="A long, wandering conversation.",
        podcast=True,
    )


def test_a_sentence_deep_in_a_transcript_is_found_at_its_moment(tmp_path: Path) -> None:
    folder = tmp_path / "Pods"
    folder.mkdir()
    _episode(folder, "one", "Episode one")
    _episode(folder, "two", "Episode two")
    # 46 minutes of talk; the sentence is at 40:00, far past any document excerpt.
    write_vtt(folder / "one.vtt", with_cue(filler_cues(2760, seed=1), 2400.0, LIGHTHOUSE))
    write_json(folder / "two.json", filler_cues(1800, seed=2))
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        _scan, counts = library.index_now()
        assert counts.passages > 100
        hits = library.search_passages(QUERY, k=3)
        assert hits and hits[0]["title"] == "Episode one"
        assert abs(hits[0]["start_s"] - 2400.0) < 10.0
        assert LIGHTHOUSE in hits[0]["passage"]
        spans = [hits[0]["passage"][a:b].casefold() for a, b in hits[0]["matches"]]
        assert {"lighthouse", "keeper", "sailors"} <= set(spans)
        # Nothing said about these: no hits rather than the closest filler.
        assert library.search_passages("kubernetes cluster autoscaling", k=3) == []
        assert examine(library).problems == []  # the passage index matches SQLite

        # Changing one transcript re-embeds that item's passages and nothing else.
        store = PassageStore(library.database.db)
        model = library.model().embedder.model_id
        before = store.hashes(model, [1, 2])
        write_json(folder / "two.json", with_cue(filler_cues(1800, seed=2), 600.0, LIGHTHOUSE))
        library.scan()
        _scan, counts = library.index_now()
        after = store.hashes(model, [1, 2])
        assert after[1] == before[1] and after[2] != before[2]
        assert counts.passages == after[2][1]  # only episode two's passages were embedded
        two = [h for h in library.search_passages(QUERY, k=3) if h["title"] == "Episode two"]
        assert two and abs(two[0]["start_s"] - 600.0) < 10.0


def test_cli_search_json_gives_item_passage_and_start(tmp_path: Path) -> None:
    folder = tmp_path / "Pods"
    folder.mkdir()
    _episode(folder, "one", "Episode one")
    write_srt(folder / "one.en.srt", with_cue(filler_cues(900, seed=4), 700.0, LIGHTHOUSE))
    data = tmp_path / "data"
    with Library(data, workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
    out = subprocess.run(
        [sys.executable, "-m", "engine.cli", "--data-dir", str(data), "search", QUERY, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)
    said = [r for r in rows if r.get("passage")]
    assert said and said[0]["item"] == 1 and LIGHTHOUSE in said[0]["passage"]
    assert abs(said[0]["start_s"] - 700.0) < 10.0


def test_a_transcript_downloaded_after_its_episode_attaches_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "Pods"
    folder.mkdir()
    _episode(folder, "late", "The late transcript")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.update_settings(settle_seconds=0.2)
        library.start_watching()
        wait_for(lambda: library.model_ready and library.queued_changes() == 0, "the model")
        wait_for(lambda: bool(library.search("The late transcript")), "the episode indexed")
        assert library.search_passages(QUERY) == []

        # The transcript arrives later (a podcast app downloads it after the audio).
        write_vtt(folder / "late.vtt", with_cue(filler_cues(1200, seed=5), 900.0, LIGHTHOUSE))
        wait_for(lambda: bool(library.search_passages(QUERY)), "the transcript's passages")
        hit = library.search_passages(QUERY)[0]
        assert hit["title"] == "The late transcript" and abs(hit["start_s"] - 900.0) < 10.0
        assert len(library.items()) == 1  # attached to the episode, not a new item


def test_a_chinese_name_said_in_a_transcript_is_found_and_marked(tmp_path: Path) -> None:
    """Keyword evidence for Chinese passages: a name inside a sentence without spaces is
    matched (as character pairs) and highlighted whole, at the cue where it is said."""
    folder = tmp_path / "播客"
    folder.mkdir()
    _episode(folder, "one", "第一期")
    said = "今天我们请到了张曼玉，聊聊她在花样年华里的表演。"
    cues = [(n * 4.0, n * 4.0 + 4.0, f"第{n}段：闲聊天气、交通和周末的安排。") for n in range(300)]
    write_vtt(folder / "one.vtt", with_cue(cues, 800.0, said))
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        hits = library.search_passages("张曼玉", k=3)
        assert hits and said in hits[0]["passage"]
        assert abs(hits[0]["start_s"] - 800.0) < 10.0
        marked = [hits[0]["passage"][a:b] for a, b in hits[0]["matches"]]
        assert "张曼玉" in marked
