"""Transcription (issue 17): an episode with speech and no transcript is listened to, and what
is said in it becomes searchable at the moment it is said. The speech is generated (eSpeak NG,
tests/speechgen.py), so where each sentence starts is known."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.embed import speech_model
from engine.embed.transcribe_pass import TranscribeProgress
from engine.library import Library
from engine.store.speech import SpeechStore
from engine.watch.worker import WorkerStatus
from tests.mediagen import make_audio
from tests.speechgen import Spoken, make_spoken_episode
from tests.writer_process import OtherWriter

pytestmark = pytest.mark.skipif(
    not speech_model.installed(), reason="faster-whisper or the speech model is not installed"
)

# Written for this test: an episode of a made-up travel podcast.
SENTENCES = [
    "Welcome back to the harbour hour, a show about small towns by the sea.",
    "This week we walked the coast path from the old mill to the lighthouse.",
    "The weather turned grey before lunch, so we sheltered in a fishing hut.",
    "An old sailor told us how the harbour froze solid in the winter of his childhood.",
    "He still mends nets every morning with a wooden needle his father carved.",
    "After the rain we found a bakery that sells bread shaped like a crab.",
    "The baker says tourists photograph the loaves more often than they eat them.",
    "In the afternoon a volunteer showed us the rescue station and its bright orange boat.",
    "The crew can launch the boat in under seven minutes, day or night.",
    "We ended the day watching seals sleep on the rocks below the cliffs.",
    "Next week we travel inland to a village famous for its cheese rolling race.",
    "Thanks for listening, and see you next time on the harbour hour.",
]
TARGET = 7  # the sentence searched for, past the middle of the episode
QUERY = "a volunteer showed us the rescue station"


@pytest.fixture
def spoken(tmp_path: Path) -> Spoken:
    return make_spoken_episode(
        tmp_path / "Podcasts" / "harbour-hour-12.mp3",
        SENTENCES,
        title="Episode 12",
        show="The Harbour Hour",
    )


@pytest.fixture
def listening(tmp_path: Path, spoken: Spoken) -> Iterator[Library]:
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        root = library.add_root(spoken.path.parent, "podcast")
        library.scan()
        library.index_now()
        library.set_transcribing(root.id, True)
        yield library


def test_what_is_said_is_found_at_the_moment_it_is_said(listening: Library, spoken: Spoken) -> None:
    query = "a volunteer showed us the rescue station"
    assert listening.search_passages(query) == []  # nothing to search before listening

    counts = listening.transcribe_now()

    assert (counts.done, counts.failed, counts.no_speech) == (1, 0, 0)
    hits = listening.search_passages(query)
    assert hits and hits[0]["title"] == "Episode 12"
    assert hits[0]["source"] == "machine-transcript"
    assert abs(hits[0]["start_s"] - spoken.starts[TARGET]) <= 3.0
    assert "volunteer" in hits[0]["passage"].lower()


def test_a_rescan_keeps_what_was_heard_and_the_queue_is_empty(
    listening: Library, spoken: Spoken
) -> None:
    listening.transcribe_now()
    spoken.path.touch()  # the file looks changed: the scan reads it again
    listening.scan()
    listening.index_now()
    assert listening.search_passages("seals sleeping on the rocks below the cliffs")
    assert listening.transcribe_now().done == 0  # nothing is transcribed twice


def test_silence_damage_and_a_vanished_file_each_end_in_an_outcome(
    tmp_path: Path, spoken: Spoken
) -> None:
    folder = spoken.path.parent
    make_audio(folder / "tone.mp3", seconds=3.0, title="A Tone", show="The Harbour Hour")
    cut = folder / "cut.mp3"
    cut.write_bytes(spoken.path.read_bytes()[:6000])  # a download that stopped early
    vanished = make_spoken_episode(
        folder / "vanished.mp3", SENTENCES[-2:], title="Episode 13", show="The Harbour Hour"
    ).path
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        root = library.add_root(folder, "podcast")
        library.scan()
        ids = {Path(str(i["path"])).name: int(i["id"]) for i in library.items()}
        vanished.unlink()  # after the scan, before it is listened to
        library.set_transcribing(root.id, True)
        counts = library.transcribe_now()
        outcomes = {
            name: SpeechStore(library.database.db).outcome(item_id) for name, item_id in ids.items()
        }
        assert outcomes["harbour-hour-12.mp3"]["outcome"] == "done"
        assert outcomes["tone.mp3"]["outcome"] == "no-speech"
        assert outcomes["vanished.mp3"]["outcome"] == "failed"
        assert outcomes["vanished.mp3"]["reason"] == "gone"
        assert outcomes["cut.mp3"]["outcome"] in {"done", "no-speech"}  # what could be read
        assert counts.done + counts.no_speech + counts.failed == 4
        assert library.transcribe_now().done == 0  # every item has its outcome: none waits

        # The file is back (a download finished again): the next scan gives it another try.
        make_spoken_episode(vanished, SENTENCES[-2:], title="Episode 13", show="The Harbour Hour")
        library.scan()
        assert library.transcribe_now().done == 1
        assert SpeechStore(library.database.db).outcome(ids["vanished.mp3"])["outcome"] == "done"


WAIT = 300.0  # a safety net for a slow CI machine, not a speed assertion


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_watching_worker_transcribes_when_idle_and_waits_while_the_player_plays(
    listening: Library, spoken: Spoken
) -> None:
    states: list[WorkerStatus] = []
    query = "a volunteer showed us the rescue station"
    listening.start_watching(on_status=states.append)
    listening.hold_transcription(True)  # as the player does while it plays
    _wait_for(lambda: any(s.state == "idle" for s in states), "the worker's first idle look")
    idle_looks = sum(1 for s in states if s.state == "idle")
    _wait_for(
        lambda: sum(1 for s in states if s.state == "idle") >= idle_looks + 3,
        "three more idle looks",
    )
    assert not any(s.state == "transcribing" for s in states)  # held: never started
    assert listening.search_passages(query) == []

    listening.hold_transcription(False)
    _wait_for(lambda: bool(listening.search_passages(query)), "the episode to be transcribed")
    hit = listening.search_passages(query)[0]
    assert abs(hit["start_s"] - spoken.starts[TARGET]) <= 3.0
    shown = [s for s in states if s.state == "transcribing"]
    assert shown and shown[-1].current == "Episode 12" and shown[-1].total == 1


def test_a_long_file_is_heard_in_windows_that_join_up(spoken: Spoken) -> None:
    """Six hours would not fit in memory at once: audio is transcribed window by window. With
    15-second windows the 60-second episode is heard in four, and the times still line up."""
    from engine.embed.onnx_cache import cache_root
    from engine.embed.transcriber import Transcriber, audio_windows

    windows = list(audio_windows(str(spoken.path), 15.0))
    assert len(windows) >= 4
    offsets = [w[0] for w in windows]
    assert offsets == sorted(set(offsets))
    transcript = Transcriber(cache_root(), window_s=15.0).transcribe(str(spoken.path))
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts) and transcript.language == "en"
    for when in spoken.starts:  # every sentence is heard, at its time, in every window
        assert any(abs(start - when) <= 3.0 for start in starts)
    (target,) = [s for s in transcript.segments if "volunteer" in s.text.lower()]
    assert abs(target.start - spoken.starts[TARGET]) <= 3.0


def test_a_machine_transcript_exports_beside_the_episode_and_never_over_a_file(
    listening: Library, spoken: Spoken
) -> None:
    import pysubs2

    from engine.library import LibraryError

    (item,) = listening.items()
    with pytest.raises(LibraryError) as nothing:
        listening.export_transcript(int(item["id"]))
    assert nothing.value.kind == "no_transcript"
    listening.transcribe_now()

    path = listening.export_transcript(int(item["id"]), "vtt")
    assert path == spoken.path.with_suffix(".vtt")
    cues = pysubs2.load(str(path))
    (cue,) = [c for c in cues if "volunteer" in c.plaintext.lower()]
    assert abs(cue.start / 1000 - spoken.starts[TARGET]) <= 3.0

    real = spoken.path.with_suffix(".srt")
    real.write_text("1\n00:00:01,000 --> 00:00:02,000\nA real transcript.\n", "utf-8")
    with pytest.raises(LibraryError) as refused:
        listening.export_transcript(int(item["id"]), "srt")
    assert refused.value.kind == "exists"
    assert "A real transcript." in real.read_text("utf-8")


def test_the_cli_transcribes_a_folder_and_prints_and_exports_what_was_heard(
    tmp_path: Path, spoken: Spoken
) -> None:
    import json

    from tests.engine.test_cli import reelcast

    data = tmp_path / "cli-data"
    folder = str(spoken.path.parent)
    assert reelcast(data, "library", "add", folder, "--kind", "podcast").returncode == 0
    assert reelcast(data, "scan").returncode == 0
    done = reelcast(data, "transcribe", "--folder", folder, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"done": 1, "no_speech": 0, "failed": 0}
    item_id = json.loads(reelcast(data, "items", "--json").stdout)[0]["id"]
    shown = json.loads(reelcast(data, "transcript", str(item_id), "--json").stdout)
    assert shown["outcome"] == "done" and shown["language"] == "en"
    assert any("volunteer" in s["text"].lower() for s in shown["segments"])
    exported = reelcast(data, "transcript", str(item_id), "--export", "srt")
    assert exported.stdout.strip() == str(spoken.path.with_suffix(".srt"))
    said = reelcast(data, "search", "a volunteer showed us the rescue station", "--json")
    rows = [r for r in json.loads(said.stdout) if r["passage"]]
    assert rows and abs(rows[0]["start_s"] - spoken.starts[TARGET]) <= 3.0


def test_stopping_midway_keeps_nothing_half_made_and_the_episode_waits(
    listening: Library, spoken: Spoken
) -> None:
    heard: list[float] = []

    def stop() -> bool:
        return bool(heard)  # as soon as the first segment was heard: the app quits

    counts = listening.transcribe_now(lambda p: heard.append(p.heard_s), stop=stop)
    assert counts.stopped and heard and heard[-1] < spoken.duration
    (item,) = listening.items()
    assert listening.transcript(int(item["id"])) is None  # no outcome, no partial segments
    assert listening.search_passages("harbour hour small towns by the sea") == []
    assert listening.transcribe_now().done == 1  # it was still waiting, and is heard in full


def test_a_model_upload_other_than_the_pinned_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The halves come from third-party packages: joined, they must be the pinned file."""
    parts = {}
    for module, half in zip(
        speech_model.PARTS, ("model.bin.part1", "model.bin.part2"), strict=True
    ):
        folder = tmp_path / module / "data"
        folder.mkdir(parents=True)
        (folder / half).write_bytes(b"not whisper " * 100)
        for name in speech_model.FILES:
            (folder / name).write_text("{}", "utf-8")
        parts[module] = folder
    monkeypatch.setattr(speech_model, "_part_folder", parts.__getitem__)
    cache = tmp_path / "cache"
    with pytest.raises(speech_model.SpeechModelError, match="not the expected one"):
        speech_model.model_folder(cache)
    assert list(cache.iterdir()) == []  # nothing half-joined left behind


def test_progress_counts_the_audio_still_waiting_for_the_time_left(
    listening: Library, spoken: Spoken, tmp_path: Path
) -> None:
    other = make_spoken_episode(
        spoken.path.parent / "short.mp3", SENTENCES[:2], title="Episode 13", show="Harbour Hour"
    )
    listening.scan()
    listening.index_now()
    reports: list[TranscribeProgress] = []
    listening.transcribe_now(reports.append)
    first = [r for r in reports if r.title == "Episode 13"]  # the shorter one goes first
    last = [r for r in reports if r.title == "Episode 12"]
    assert first and last and reports[0].title == "Episode 13"
    assert first[0].total == 2 and first[0].waiting_s == pytest.approx(spoken.duration, abs=1.0)
    assert last[-1].waiting_s == 0.0
    assert first[-1].duration_s == pytest.approx(other.duration, abs=1.0)


def test_an_idle_worker_stops_looking_for_work_once_nothing_waits(
    listening: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looking for waiting items reads every item: not at each of the idle looks (four a
    second), only after a change, an opt-in or a release."""
    from engine import library_speech

    looks: list[bool] = []
    real = library_speech.stage

    def counted(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        looks.append(found is not None)
        return found

    monkeypatch.setattr(library_speech, "stage", counted)
    states: list[WorkerStatus] = []
    listening.start_watching(on_status=states.append)
    _wait_for(lambda: bool(listening.search_passages(QUERY)), "the episode to be transcribed")
    _wait_for(lambda: looks[-1:] == [False], "a look that finds nothing waiting")
    seen = len(looks)
    idle = sum(1 for s in states if s.state == "idle")
    _wait_for(lambda: sum(1 for s in states if s.state == "idle") >= idle + 5, "five idle looks")
    assert len(looks) == seen  # no more looks while nothing changed
    listening.set_transcribing(listening.roots()[0].id, True)  # an opt-in looks again
    _wait_for(lambda: len(looks) > seen, "a look after the opt-in")


def test_transcribing_while_another_process_indexes_hands_it_the_embedding(
    listening: Library, spoken: Spoken
) -> None:
    """`reelcast transcribe` beside a running app: it transcribes, does not wait for the app
    to quit, and the app's worker (the index writer) embeds what was heard from the queue."""
    with OtherWriter(listening.index_dir) as writer:
        assert listening.transcribe_now().done == 1  # returns: nothing waits for the holder
        assert listening.queued_changes() >= 1  # the file is in the writer's queue
        assert writer.release() == 0
    listening.index_now()  # this process is the writer now, as the app would be
    hit = listening.search_passages(QUERY)[0]
    assert abs(hit["start_s"] - spoken.starts[TARGET]) <= 3.0


def test_an_unexpected_error_on_one_file_is_its_outcome_and_the_queue_goes_on(
    tmp_path: Path, spoken: Spoken
) -> None:
    """The worker runs the stage: one file that trips a bug in a decoder must not stop it."""
    from engine.embed.onnx_cache import cache_root
    from engine.embed.transcribe_pass import TranscribePass
    from engine.embed.transcriber import Transcriber

    class Tripping(Transcriber):
        def transcribe(self, path: str, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            if path.endswith("trips.mp3"):
                raise KeyError("a decoder's bug")
            return super().transcribe(path, *args, **kwargs)  # type: ignore[arg-type]

    make_spoken_episode(
        spoken.path.parent / "trips.mp3", SENTENCES[:1], title="Trips", show="The Harbour Hour"
    )
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        root = library.add_root(spoken.path.parent, "podcast")
        library.scan()
        library.set_transcribing(root.id, True)
        counts = TranscribePass(library.database, Tripping(cache_root())).run()
        assert (counts.done, counts.failed) == (1, 1)
        ids = {str(i["title"]): int(i["id"]) for i in library.items()}
        outcome = SpeechStore(library.database.db).outcome(ids["Trips"])
        assert outcome is not None and outcome["reason"] == "error"
        assert "KeyError" in str(outcome["detail"])
