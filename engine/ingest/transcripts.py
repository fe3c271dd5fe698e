"""Timed text of an item, in full: subtitle sidecars, Podcasting 2.0 transcripts, chapters, lyrics.

Each source becomes a list of cues (start, end, text), and the cues are grouped into passages
of about ``PASSAGE_CHARS`` characters that keep their start time, so search can find anything
said in a long episode or film and take the listener to the moment it was said.

Formats (Podcasting 2.0 ``podcast:transcript``): SRT, WebVTT, ASS/SSA (pysubs2); JSON
(``{"segments": [{"startTime", "endTime", "body", "speaker"}]}``); HTML (``<time>`` or
``<span class="timestamp">`` marks followed by the text said from then; without any time mark
the whole text is one untimed passage at 0 s).

A transcript sidecar is named after the episode: ``episode.vtt``, ``episode.en.srt``,
``episode.json``, ``episode.transcript.html``.
"""

from __future__ import annotations

import html
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from engine.ingest.metadata import Chapter, ReaderError
from engine.ingest.safe_read import read_sidecar_bytes
from engine.store.cjk import has_cjk
from engine.store.speech import MACHINE_SOURCE, SPOKEN_SOURCES, Heard

log = logging.getLogger(__name__)

# A passage is the unit of spoken-word search: about 15-30 s of speech, two to four sentences.
# Measured with all-MiniLM-L6-v2: one sentence that answers a query scores 0.71 alone, 0.44-0.47
# inside 2-4 sentences of unrelated talk and 0.29 inside six (~430 characters), where unrelated
# talk scores up to 0.33; so passages stay short, and keyword matches back them up.
PASSAGE_CHARS = 240
PASSAGE_MAX_CHARS = 480
# A pause this long between cues ends a passage even when it is short (a new scene or topic).
PASSAGE_GAP_S = 8.0
# Bounds for one item: a 20-hour audiobook at ~15 characters a second is ~1.1M characters.
MAX_PASSAGES = 4_000
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024
TRANSCRIPT_SUFFIXES = frozenset({".json", ".html", ".htm"})
TIMED_SUBTITLES = frozenset({".srt", ".vtt", ".ass", ".ssa"})
# The timed-text readers' version, stored per file (files.passages_read): a file read by an
# older one is read again by the next scan that sees it, when the newer readers could find
# more in it (`read_again`). 1: sidecars, chapters, lyrics; 2: text subtitle tracks in videos.
PASSAGE_READERS = 2
# A cue of a machine transcript is a sentence, cut at this many words when it runs longer.
MACHINE_CUE_WORDS = 20


def read_again(version: int, video: bool) -> bool:
    """Whether a file the timed-text readers of `version` read may hold passages the current
    ones find: every file read before passages existed, videos read before subtitle tracks."""
    return version < 1 or (version < 2 and video)


_OVERRIDE = re.compile(r"\{[^}]*\}")
_DRAWING = re.compile(r"\{[^}]*\\p[1-9]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# What may follow a sentence's full stop: closing quotes and brackets, Chinese and Japanese too.
SENTENCE_CLOSERS = "\"'”’»)\\]」』）"
_SENTENCE_END = re.compile(f"[.!?…。！？][{SENTENCE_CLOSERS}]*$")
GENERIC_CHAPTER = re.compile(
    r"^\s*(?:(?:chapter|chap\.?|ch\.?|part|kapitel|chapitre|cap[ií]tulo|capitolo|track)\s*)?"
    r"[#\d.:\s-]*\s*$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2}(?:[.,]\d+)?)\s*$")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Passage:
    """A run of cues searched as one text. `marks` are (character offset, start time) of the
    cues inside it, so a hit can point at the cue that matched rather than the passage start."""

    start: float
    end: float
    text: str
    source: str  # transcript, subtitles, chapter, lyrics
    marks: tuple[tuple[int, float], ...] = field(default=())


# --- reading cues -----------------------------------------------------------------------------


def read_cues(path: str) -> list[Cue]:
    """The cues of one timed-text file; raises ReaderError when it cannot be read or parsed."""
    suffix = Path(path).suffix.lower()
    data = read_sidecar_bytes(path, MAX_TRANSCRIPT_BYTES, "Transcript")
    from engine.ingest.subtitles import decode_text

    text = decode_text(data)
    if not text.strip():
        raise ReaderError("Transcript is empty")
    if suffix == ".json":
        return json_cues(text)
    if suffix in (".html", ".htm"):
        return html_cues(text)
    return subtitle_cues(text, suffix)


def subtitle_cues(text: str, suffix: str) -> list[Cue]:
    """Cues of an SRT, WebVTT or ASS/SSA text, tags and drawings removed, repeats dropped."""
    from engine.ingest.subtitles import SUBTITLE_FORMATS, parse_subtitles

    subs = parse_subtitles(text, SUBTITLE_FORMATS.get(suffix))
    cues: list[Cue] = []
    previous = ""
    for event in subs.events:
        if getattr(event, "is_comment", False):
            continue
        line = cue_line(str(event.text))
        # Karaoke and roll-up captions repeat the same line across several events.
        if not line or line == previous:
            continue
        previous = line
        cues.append(Cue(event.start / 1000.0, event.end / 1000.0, line))
    cues.sort(key=lambda c: c.start)
    return cues


def cue_line(raw: str) -> str:
    """One subtitle event's words on one line: ASS override blocks, line breaks and HTML-like
    tags (SRT, WebVTT) removed; "" for an ASS vector drawing (coordinates, not words)."""
    if _DRAWING.search(raw):
        return ""
    raw = _OVERRIDE.sub("", raw)
    raw = raw.replace("\\N", " ").replace("\\n", " ").replace("\\h", " ")
    return _flat(_TAG.sub("", raw))


def json_cues(text: str) -> list[Cue]:
    """Cues of a Podcasting 2.0 JSON transcript."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ReaderError(f"Transcript is not valid JSON: {exc}") from exc
    segments = doc.get("segments") if isinstance(doc, dict) else None
    if not isinstance(segments, list):
        raise ReaderError("Transcript JSON has no segments")
    cues: list[Cue] = []
    for seg in segments:
        if not isinstance(seg, dict):
            continue
        body = _flat(seg.get("body"))
        start = _seconds(seg.get("startTime"))
        if not body or start is None:
            continue
        end = _seconds(seg.get("endTime"))
        cues.append(Cue(start, end if end is not None and end >= start else start, body))
    cues.sort(key=lambda c: c.start)
    return cues


class _TimedHtml(HTMLParser):
    """Text of an HTML transcript, cut at each time mark (`<time>` or a "timestamp" element)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cues: list[tuple[float, list[str]]] = [(0.0, [])]
        self._in_time = 0
        self._time_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Speaker names (<cite>) precede the time mark of what they say: not speech.
        if tag in ("script", "style", "head", "cite"):
            self._skip += 1
            return
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        if tag == "time" or "timestamp" in classes:
            self._in_time += 1
            self._time_text = []
            stamp = next((v for k, v in attrs if k == "datetime" and v), None)
            if stamp is not None:
                self._time_text = [stamp]
        elif tag in ("p", "br", "div", "li"):
            self.cues[-1][1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "cite"):
            self._skip = max(0, self._skip - 1)
            return
        if self._in_time and (tag in ("time", "span", "div", "p")):
            self._in_time -= 1
            if self._in_time == 0:
                seconds = _seconds("".join(self._time_text))
                if seconds is not None:
                    self.cues.append((seconds, []))

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_time:
            if not self._time_text or _CLOCK.match(self._time_text[0]) is None:
                self._time_text.append(data)
            return
        self.cues[-1][1].append(data)


def html_cues(text: str) -> list[Cue]:
    parser = _TimedHtml()
    parser.feed(text)
    parser.close()
    starts = [(start, _flat("".join(parts))) for start, parts in parser.cues]
    starts = [(s, t) for s, t in starts if t]
    cues = []
    for n, (start, body) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else start
        cues.append(Cue(start, max(end, start), body))
    return cues


# --- passages ---------------------------------------------------------------------------------


def group_cues(cues: Sequence[Cue], source: str) -> list[Passage]:
    """Consecutive cues joined into passages of about PASSAGE_CHARS characters, cut after a
    sentence end where one comes, at a long pause, and never past PASSAGE_MAX_CHARS."""
    out: list[Passage] = []
    parts: list[str] = []
    marks: list[tuple[int, float]] = []
    size = 0
    start = end = 0.0

    def flush() -> None:
        nonlocal parts, marks, size
        if parts:
            out.append(Passage(start, end, " ".join(parts), source, tuple(marks)))
        parts, marks, size = [], [], 0

    for cue in cues:
        if parts and (size + len(cue.text) > PASSAGE_MAX_CHARS or cue.start - end > PASSAGE_GAP_S):
            flush()
        if not parts:
            start = cue.start
        offset = size + 1 if parts else 0  # the joining space
        marks.append((offset, cue.start))
        size = offset + len(cue.text)
        parts.append(cue.text)
        end = max(end if len(parts) > 1 else cue.end, cue.end)
        if size >= PASSAGE_CHARS and _SENTENCE_END.search(cue.text):
            flush()
        if len(out) >= MAX_PASSAGES:
            log.debug("transcript cut at %d passages", MAX_PASSAGES)
            return out
    flush()
    return out[:MAX_PASSAGES]


def chapter_passages(chapters: Iterable[Chapter | dict[str, Any]]) -> list[Passage]:
    """One passage per titled chapter (generic titles such as "Chapter 3" carry no meaning)."""
    out = []
    for chapter in chapters:
        fields: dict[str, Any] = (
            {"title": chapter.title, "start": chapter.start, "end": chapter.end}
            if isinstance(chapter, Chapter)
            else dict(chapter)
        )
        title, start, end = fields.get("title"), fields.get("start"), fields.get("end")
        text = _flat(title)
        if not text or GENERIC_CHAPTER.match(text) or not isinstance(start, (int, float)):
            continue
        stop = float(end) if isinstance(end, (int, float)) else float(start)
        out.append(Passage(float(start), stop, text, "chapter", ((0, float(start)),)))
    return out


def text_passages(text: str | None, source: str) -> list[Passage]:
    """Untimed text (lyrics, a transcript without time marks) as passages that all start at 0."""
    body = (text or "").strip()
    if not body:
        return []
    lines = [_flat(line) for line in body.splitlines()]
    cues = [Cue(0.0, 0.0, line) for line in lines if line]
    return [
        Passage(0.0, 0.0, p.text, source, tuple((offset, 0.0) for offset, _ in p.marks))
        for p in group_cues(cues, source)
    ]


def machine_passages(heard: Sequence[Heard]) -> list[Passage]:
    """Passages of a machine transcript (engine/store/speech.py). Its segments (up to 30 s of
    speech) are cut into cues by their word times: a sentence each, or MACHINE_CUE_WORDS words
    when a sentence runs longer, so Play from here lands where the sentence searched for
    begins, not at the start of a long segment or in the middle of the sentence."""
    cues = []
    for segment in heard:
        if not segment.words:
            cues.append(Cue(segment.start, segment.end, segment.text))
            continue
        run: list[tuple[float, float, str]] = []
        for word in segment.words:
            run.append(word)
            if len(run) >= MACHINE_CUE_WORDS or _SENTENCE_END.search(word[2]):
                cues.append(_word_cue(run))
                run = []
        if run:
            cues.append(_word_cue(run))
    return group_cues(cues, MACHINE_SOURCE)


def _word_cue(run: Sequence[tuple[float, float, str]]) -> Cue:
    joint = "" if any(has_cjk(w[2]) for w in run) else " "
    return Cue(run[0][0], run[-1][1], joint.join(w[2] for w in run))


def with_machine(passages: Sequence[Passage], machine: Sequence[Passage]) -> list[Passage]:
    """An item's passages with its machine transcript where a transcript would be (after the
    chapters), unless it has a real transcript or subtitles: those always win."""
    kept = [p for p in passages if p.source != MACHINE_SOURCE]
    if not machine or any(p.source in SPOKEN_SOURCES for p in kept):
        return kept
    chapters = [p for p in kept if p.source == "chapter"]
    rest = [p for p in kept if p.source != "chapter"]
    return [*chapters, *machine, *rest][:MAX_PASSAGES]


def item_passages(md: Any) -> list[Passage]:
    """What an item's passages are, from its merged Metadata: chapter titles, then the
    transcript or subtitles, then lyrics (untimed)."""
    return [
        *chapter_passages(md.chapters),
        *md.passages,
        *text_passages(md.lyrics, "lyrics"),
    ][:MAX_PASSAGES]


def transcript_candidates(media: str, sidecars: Iterable[str]) -> list[str]:
    """Timed-text sidecars named after `media` (``<stem>.*.vtt``, ``<stem>.json``, ...): JSON
    and HTML transcripts first (a podcast's own transcript), then subtitles, each by name."""
    prefix = _nfc(Path(media).stem) + "."
    found = []
    for path in sidecars:
        name = _nfc(Path(path).name)
        suffix = Path(name).suffix.lower()
        if suffix not in TRANSCRIPT_SUFFIXES | TIMED_SUBTITLES:
            continue
        if len(name) <= len(prefix) or name[: len(prefix)].casefold() != prefix.casefold():
            continue
        found.append(path)
    found.sort(key=lambda p: (Path(p).suffix.lower() in TIMED_SUBTITLES, Path(p).name.casefold()))
    return found


# --- helpers ----------------------------------------------------------------------------------


def _flat(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(value).split())


def _seconds(value: Any) -> float | None:
    """Seconds from a number, "12.5", "01:02:03.5" or "1:02,5"; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        match = _CLOCK.match(text)
        if match is None:
            return None
        hours, minutes, seconds = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))
    return number if number >= 0 else None


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)
