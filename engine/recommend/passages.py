"""Spoken-word search: the query's embedding against the "passages" index (every word of
transcripts, subtitles, lyrics and chapter titles) and its words against the passages' FTS5
table, one best passage per item, each with the moment it starts.

A passage is ~30 s of speech; the hit's time is refined to the cue inside it that shares the
most words with the query (falling back to the passage start), so "Play from here" lands on
the sentence rather than up to half a minute before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.store import cjk
from engine.store.passages import PassageStore, StoredPassage
from engine.store.search_sql import SearchFilters, SearchSql, informative, terms

# A passage's score: its cosine similarity to the query plus KEYWORD_WEIGHT × the share of the
# query's words it says. Measured with all-MiniLM-L6-v2 on tests/transcriptgen.py talk: unrelated
# passages score 0.04-0.33 against a query, a two-to-four-sentence passage holding one sentence
# that answers it 0.30-0.47 before its words count; off-topic queries (a recipe, Kubernetes) stay
# under 0.2. Below MIN_SCORE a passage is not shown; another model gets it on its own scale
# (engine.embed.model_catalog.SimilarityScale).
MIN_SCORE = 0.40
KEYWORD_WEIGHT = 0.3
CANDIDATES = 8  # passages fetched from each side per wanted hit: several can share an item

SemanticSearch = Callable[[np.ndarray, int], list[tuple[int, float]]]
VectorsOf = Callable[[list[int]], dict[int, np.ndarray]]

_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to say where in a passage the query's subject is.
_COMMON = frozenset(
    "a an and are as at be but by did do does for from had has have he her his how i in is it "
    "its me my not of on or our she so that the their them they this to was we were what when "
    "where which who why will with you your about said say says".split()
)


@dataclass(frozen=True)
class PassageHit:
    item_id: int
    passage: int  # n of the passage within its item
    start_s: float  # where to play from: the matching cue, else the passage start
    passage_start_s: float
    end_s: float
    text: str
    source: str  # transcript, subtitles, chapter, lyrics
    similarity: float  # cosine similarity to the query
    score: float  # similarity + KEYWORD_WEIGHT x share of the query's words said


def query_words(text: str) -> list[str]:
    """The query's words worth highlighting and matching (casefolded, common words left out;
    Chinese and Japanese as overlapping character pairs, engine/store/cjk.py)."""
    words = [w.casefold() for w in terms(text)]
    return [w for w in dict.fromkeys(words) if w not in _COMMON and informative(w)]


def search_passages(
    db_sql: SearchSql,
    passages: PassageStore,
    text: str,
    query_vector: np.ndarray,
    semantic: SemanticSearch,
    vectors_of: VectorsOf,
    k: int = 10,
    filters: SearchFilters | None = None,
    min_score: float = MIN_SCORE,
) -> list[PassageHit]:
    """The best passage of up to `k` items, best first; none scoring below `min_score`.

    Candidates come from the passage index (by meaning) and from FTS5 (by the query's words);
    a keyword-only candidate's similarity is computed from its vector in SQLite."""
    if k <= 0:
        return []
    filters = filters or SearchFilters()
    words = query_words(text)
    query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    sims = dict(semantic(query, k * CANDIDATES))
    by_words = [key for key in passages.keyword(words, k * CANDIDATES) if key not in sims]
    for key, vector in vectors_of(by_words).items():
        sims[key] = float(np.asarray(vector, dtype=np.float32) @ query)
    stored = passages.by_keys(sims)
    wanted = set(words)
    best: dict[int, tuple[float, int]] = {}  # item -> (score, key)
    for key, found in stored.items():
        said = {w.casefold() for w in terms(found.text)}
        share = len(wanted & said) / len(wanted) if wanted else 0.0
        score = sims[key] + KEYWORD_WEIGHT * share
        if score >= min_score and (found.item_id not in best or score > best[found.item_id][0]):
            best[found.item_id] = (score, key)
    allowed = db_sql.allowed(best, filters)
    order = sorted((i for i in best if i in allowed), key=lambda i: (-best[i][0], i))[:k]
    hits = []
    for item_id in order:
        score, key = best[item_id]
        found = stored[key]
        hits.append(
            PassageHit(
                item_id=item_id,
                passage=found.n,
                start_s=moment(found, words),
                passage_start_s=found.start_s,
                end_s=found.end_s,
                text=found.text,
                source=found.source,
                similarity=round(sims[key], 4),
                score=round(score, 4),
            )
        )
    return hits


def word_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character spans of `text` where one of the query `words` is said (for highlighting)."""
    wanted = set(words)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group().casefold() in wanted]
    return cjk.highlight_spans(text, spans, wanted)


def moment(passage: StoredPassage, words: list[str]) -> float:
    """Start of the cue in `passage` sharing the most query words; the passage start if none."""
    marks = passage.marks
    if len(marks) < 2 or not words:
        return passage.start_s
    wanted = set(words)
    best_start, best_score = passage.start_s, 0
    for n, (offset, start) in enumerate(marks):
        stop = marks[n + 1][0] if n + 1 < len(marks) else len(passage.text)
        said = {w.casefold() for w in terms(passage.text[offset:stop])}
        score = len(wanted & said)
        if score > best_score:
            best_start, best_score = start, score
    return best_start
