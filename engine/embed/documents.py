"""The text Reelcast embeds for one catalogue item: one model-sized chunk.

Document text, one field a line, empty fields left out (caps are in characters):

1. title, with `` (year)`` when the year is known;
2. ``Genres: a, b`` (first 10, duplicates dropped);
3. what the item is about: its description; when it has none, the show's description (cap
   400) stands in, since it still says what the item is about — it is left out otherwise
   because every episode of a show shares it and it would drown what sets the episode apart;
4. ``Show: <show>`` for an episode of a podcast or series;
5. ``People: a, b`` (first 10, duplicates dropped);
6. ``Chapters: a; b`` — chapter titles, generic ones ("Chapter 3", "12") dropped (cap 600);
7. only when the item has no description of its own: an excerpt from the start of the lyrics,
   then the subtitles (cap 1,000), the best remaining clue to what it is about.

The chunk: the text cut at the last sentence end (else newline, else whitespace) within
``CHUNK_CHARS`` (900) characters, about 200–230 word pieces of English: all-MiniLM-L6-v2 reads
at most 256 and silently drops the rest, so what comes first is what counts. Until
``reelcast-doc-3`` the show and people lines came before the description and a long text was
cut into up to 12 chunks (with a 4,000-character excerpt of lyrics and subtitles), searched by
the best chunk and pooled with the head weighted double. Measured side by side on the search
and recommendation benchmarks (docs/benchmarks.md): the same search quality (dev MRR 0.871
against 0.874, held-out 0.900 against 0.855) and the same recommendations (a film's text is
unchanged), with 27 % fewer texts to embed on that library and 2.25× fewer on a podcast
library with long descriptions, which is most of the indexing time. Putting the description
right after the title ("title. description") helped the semantic side alone but cost 5 % of
the recommendations' HR@10, so genres stay before it. What is said in an item (subtitles,
transcripts, lyrics, chapters) is searched in full as timed passages
(engine/ingest/transcripts.py); the item vector, which recommendations use, is the head alone,
so long transcripts cannot wash out taste. Keyword search still sees every field whole
(engine/store/search_sql.py).

``item_vector`` pools several chunk vectors (head weighted double) for callers that pass more
than one; a document has one chunk, whose vector is the item's.

``doc_hash`` is BLAKE2b over ``DOC_VERSION`` and the exact chunk texts: an item is re-embedded
when its chunk changes, and everything is re-embedded once when ``DOC_VERSION`` is bumped
(bump it whenever the builder's output changes for the same item).

Language: the item's own language tag (normalised to ISO 639-1) when it has one, else
``detect_language`` on the descriptive text, with py3langid (a 4.5 MB naive-Bayes model over
97 languages, ~0.25 ms for a 500-character text on one core after a ~1 s first load).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.ingest.subtitles import normalise_language
from engine.ingest.transcripts import GENERIC_CHAPTER, SENTENCE_CLOSERS

DOC_VERSION = "reelcast-doc-3"

CHUNK_CHARS = 900
CHUNK_MIN_CHARS = 600
HEAD_WEIGHT = 2.0

MAX_TITLE = 300
MAX_LIST_ITEMS = 10
MAX_DESCRIPTION = CHUNK_CHARS  # the chunk ends there anyway
MAX_SHOW_DESCRIPTION = 400
MAX_CHAPTERS = 600
MAX_EXCERPT = 1_000

# Language detection: below this many letters, or this confidence, the guess is noise
# (py3langid calls "Toy Story" Tagalog at 4 %).
MIN_LANGUAGE_LETTERS = 20
MIN_LANGUAGE_CONFIDENCE = 0.80
LANGUAGE_SAMPLE_CHARS = 1_000

_SPACES = re.compile(r"\s+")
# A sentence ends at . ! ? … before a space, or at Chinese/Japanese 。！？ (no space follows).
_SENTENCE_END = re.compile(f"[.!?…][{SENTENCE_CLOSERS}]*\\s|[。！？][{SENTENCE_CLOSERS}]*")


@dataclass(frozen=True)
class Document:
    """What gets embedded for one item; ``chunks`` is empty when the item has no text at all."""

    item_id: int
    text: str
    chunks: tuple[str, ...]
    doc_hash: str
    language: str | None


def build_document(item: Mapping[str, Any]) -> Document:
    """Document for an item dict as ``engine.store.Catalog.item()`` returns it."""
    title = _cap(_flat(item.get("title")), MAX_TITLE)
    show = _cap(_flat(item.get("show")), MAX_TITLE)
    description = _cap(_flat(item.get("description")), MAX_DESCRIPTION)
    about = description or _cap(_flat(item.get("show_description")), MAX_SHOW_DESCRIPTION)
    chapters = _chapter_titles(item.get("chapters"))
    excerpt = "" if description else _excerpt(item.get("lyrics"), item.get("subtitles"))

    year = _year(item.get("year"))
    head = f"{title} ({year})" if title and year else title or (f"({year})" if year else "")
    genres = _names(item.get("genres"))
    lines = [head]
    if genres:
        lines.append("Genres: " + ", ".join(genres))
    lines.append(about)
    if show and show != title:
        lines.append(f"Show: {show}")
    people = _names(item.get("people"))
    if people:
        lines.append("People: " + ", ".join(people))
    if chapters:
        lines.append("Chapters: " + chapters)
    if excerpt:
        lines.append(excerpt)
    text = "\n".join(line for line in lines if line)

    chunks = (_take(text, CHUNK_CHARS)[0],) if text else ()
    language = _own_language(item.get("language"))
    if language is None:
        body = "\n".join(part for part in (description, chapters, excerpt) if part)
        language = detect_language(body or text)
    return Document(
        item_id=int(item["id"]),
        text=text,
        chunks=chunks,
        doc_hash=document_hash(chunks),
        language=language,
    )


def document_hash(chunks: Sequence[str]) -> str:
    """BLAKE2b hex of DOC_VERSION and the chunk texts, each length-prefixed so none can merge."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(DOC_VERSION.encode())
    for chunk in chunks:
        data = chunk.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def chunk_weights(count: int) -> npt.NDArray[np.float32]:
    """Per-chunk weights behind ``item_vector``: head 2, the other chunks sharing 1."""
    if count <= 0:
        return np.zeros(0, dtype=np.float32)
    weights = np.full(count, 1.0 / max(count - 1, 1), dtype=np.float32)
    weights[0] = HEAD_WEIGHT
    return weights


def item_vector(chunk_vectors: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float32]:
    """The item's vector from its chunks' vectors (rows in chunk order), L2-normalised."""
    vectors = np.asarray(chunk_vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] == 0:
        raise ValueError(f"need a non-empty (chunks, dim) array, got shape {vectors.shape}")
    pooled = chunk_weights(vectors.shape[0]) @ vectors
    norm = float(np.linalg.norm(pooled))
    if norm == 0.0:
        return pooled.astype(np.float32)
    return (pooled / norm).astype(np.float32)


# --- language ---------------------------------------------------------------------------------

_identifier: Any = None
_identifier_lock = threading.Lock()


def _language_identifier() -> Any:
    # Loaded on first use: unpacking the model takes about a second.
    global _identifier
    with _identifier_lock:
        if _identifier is None:
            from py3langid.langid import (  # type: ignore[import-untyped]
                MODEL_FILE,
                LanguageIdentifier,
            )

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when too short or the guess is unsure."""
    sample = _flat(text)[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LANGUAGE_LETTERS:
        return None
    label, confidence = _language_identifier().classify(sample)
    code = str(label)
    # py3langid also answers codes such as "zxx" (no linguistic content); keep 639-1 only.
    if confidence < MIN_LANGUAGE_CONFIDENCE or len(code) != 2 or not code.isalpha():
        return None
    return code


def _own_language(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    code = normalise_language(value)
    return code if code and len(code) == 2 else None


# --- fields -----------------------------------------------------------------------------------


def _flat(value: Any) -> str:
    """One line of text: whitespace folded, non-strings treated as empty."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", value).strip()


def _cap(text: str, limit: int) -> str:
    """At most `limit` chars, ending at a sentence end in the last fifth, else at a word end."""
    if len(text) <= limit:
        return text
    window = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() >= limit * 4 // 5]
    if ends:
        return text[: ends[-1]].rstrip()
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > limit // 2 else limit].rstrip()


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 9999 else None


def _names(values: Any) -> list[str]:
    if not isinstance(values, (list, tuple)):
        return []
    seen: dict[str, str] = {}
    for value in values:
        name = _cap(_flat(value), 100)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
        if len(seen) == MAX_LIST_ITEMS:
            break
    return list(seen.values())


def _chapter_titles(chapters: Any) -> str:
    if not isinstance(chapters, (list, tuple)):
        return ""
    titles: list[str] = []
    size = 0
    for chapter in chapters:
        title = _flat(chapter.get("title")) if isinstance(chapter, Mapping) else ""
        if not title or GENERIC_CHAPTER.match(title):
            continue
        if size + len(title) > MAX_CHAPTERS:
            break
        titles.append(title)
        size += len(title) + 2
    return "; ".join(titles)


def _excerpt(*sources: Any) -> str:
    parts = [text for text in (_flat(source) for source in sources) if text]
    return _cap(" ".join(parts), MAX_EXCERPT)


# --- the cut ---------------------------------------------------------------------------------


def _take(text: str, budget: int) -> tuple[str, str]:
    """Split off the longest piece of at most `budget` chars ending at a sentence or word end."""
    if len(text) <= budget:
        return text.strip(), ""
    window = text[: budget + 1]
    low = min(CHUNK_MIN_CHARS, budget // 2)
    cut = -1
    for match in _SENTENCE_END.finditer(window):
        if match.end() > low:
            cut = match.end()
    if cut < 0:
        newline = window.rfind("\n")
        cut = newline + 1 if newline >= low else -1
    if cut < 0:
        space = max(window.rfind(" "), window.rfind("\n"))
        cut = space + 1 if space >= low else budget
    return text[:cut].strip(), text[cut:].lstrip()
