"""Search: one score per item on the cosine scale, so results can end where relevance ends.

score = the item's semantic similarity (its best chunk's cosine) + KEYWORD x the share of the
query's informative words the item holds (each word weighted by its rarity, idf; a word in the
item's people counts fully, in its title too when the query is short enough to be a title,
elsewhere and otherwise half). A word the library lacks is matched to its nearest vocabulary
word (a misspelling; not when it is a known English word, which is no misspelling), and the
last word also as a prefix while it is typed. Items scoring at least
`match_at` are matches; a few below it come back as closest matches. The cut-off was set with
the bundled model and is mapped onto another model's similarities (`SearchTuning.on_scale`).

What is here paid for itself on the search benchmark (tests/bench/search_bench.py, figures in
docs/benchmarks.md); what did not was taken out: rank fusion (RRF, what this replaced: worse than
plain cosine), a bonus for an item's other close chunks, an exact-title bonus, a lower keyword
weight for long queries, English suffix stripping, blending in the item's own vector, and
sentence windows of long descriptions as extra chunks (dev up, held-out down).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from engine.embed.model_catalog import SimilarityScale
from engine.recommend.dictionary import is_word
from engine.store.cjk import has_cjk
from engine.store.search_sql import SearchFilters, SearchSql, informative, words
from engine.store.vectors import split_key

SemanticSearch = Callable[[np.ndarray, int], list[tuple[int, float]]]

CHUNKS = 400  # chunks fetched per query: a long document's best few plus room for filters
COMMON_SHARE = 0.05  # a word in more items than this says little about which one is meant
CLOSEST = 3  # closest matches shown below the cut-off
# A title has at most this many informative words (`query_length`); a query with more describes
# what is sought (the benchmark's titles have 1-5, its paraphrases 6-14 but two of 3).
TITLE_WORDS = 5
# Words that say nothing about an item in a library too small for the share rule to tell
# (English function words); a query made of nothing else is a title ("It", "Up", "Her").
STOP_WORDS = frozenset(
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each for from "
    "further had has have having he her here hers him his how i if in into is it its just me "
    "my no nor not of off on once only or our ours out over she should so some such than that "
    "the their theirs them then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with would you your".split()
)


@dataclass(frozen=True)
class SearchTuning:
    """The components of ranking, each switchable for the benchmark's ablation."""

    keyword: bool = True  # the query's rare words found in an item add to its score
    fuzzy: bool = True  # a word not in the library is matched to the nearest one that is
    real_words: bool = True  # ...unless it is a known English word ("planet" is not "plant")
    inflection: bool = True  # ...after its English base form ("walking" → "walk"), if present
    cutoff: bool = True  # results end at match_at (else every candidate is a match)
    title: bool = True  # a query word in an item's title or people counts fully, elsewhere half
    query_type: bool = True  # ...in the title, only in a query short enough to be one (TITLE_WORDS)
    # Calibrated on the benchmark's dev queries (the held-out ones were run once, at the end),
    # with the bundled model: `on_scale` moves them to another model's similarities.
    keyword_weight: float = 0.8
    match_at: float = 0.45

    def on_scale(self, scale: SimilarityScale) -> SearchTuning:
        """The cut-off on another model's similarities. The keyword weight stays: scaled down
        with them it cost that model's name search and English search more than it gained
        across languages (docs/benchmarks.md, issue 16)."""
        return replace(self, match_at=round(scale.threshold(self.match_at), 4))


DEFAULT = SearchTuning()


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    score: float  # higher is better; on the cosine scale, comparable across queries
    similarity: float | None  # best cosine similarity of any chunk, when semantic search ran
    keyword: float  # 0..1: the share of the query's rare words the item holds (idf-weighted)
    chunk: int | None  # which chunk of a long document matched best (0: the whole item)
    match: bool  # above the cut-off; False: a closest match, shown apart
    terms: tuple[str, ...] = field(default=())  # library words the query matched (folded)


@dataclass
class _Term:
    word: str  # as typed, folded
    term: str  # the library's word it stands for (a correction, or the word)
    prefix: bool
    weight: float  # idf x trust (a correction counts a little less)
    titled: set[int]  # items whose title holds the term
    people: set[int]  # items whose people do
    anywhere: set[int]


def search(
    sql: SearchSql,
    text: str,
    k: int = 10,
    filters: SearchFilters | None = None,
    query_vector: np.ndarray | None = None,
    semantic: SemanticSearch | None = None,
    *,
    more: bool = False,
    tuning: SearchTuning = DEFAULT,
) -> list[SearchHit]:
    """Matches best first, then up to CLOSEST closest matches (`match` False), k hits at
    most; with `more`, k hits whatever their score. `semantic(vector, n)` returns (chunk key,
    similarity) best first; without a vector (the model is still loading) this is keyword
    search alone, and every item holding a query word is a match."""
    filters = filters or SearchFilters()
    k = max(k, 1)
    folded = _informative(text)
    terms, total_weight = _terms(sql, folded, text, tuning)

    chunk_sims: dict[int, list[tuple[float, int]]] = {}
    if query_vector is not None and semantic is not None:
        for key, similarity in semantic(query_vector, max(CHUNKS, k * 8)):
            item_id, chunk = split_key(key)
            chunk_sims.setdefault(item_id, []).append((similarity, chunk))
    # An item found by its words alone was not among the closest chunks: it is at most as
    # similar as the least similar of those.
    floor = min((s[0][0] for s in chunk_sims.values()), default=0.0)

    coverage: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    # In a longer query, which describes what is sought, a title it names is a mention: "the
    # scheming mother of Nero" is not the episode called Nero. A person it names is still
    # someone in the item sought.
    titled = tuning.title and (not tuning.query_type or _length(folded, text) <= TITLE_WORDS)
    for t in terms:
        for item_id in t.anywhere | t.titled | t.people:
            strong = (titled and item_id in t.titled) or (tuning.title and item_id in t.people)
            share = 1.0 if strong else 0.5
            coverage[item_id] = coverage.get(item_id, 0.0) + share * t.weight / total_weight
            matched.setdefault(item_id, []).append(t.term)

    candidates = set(chunk_sims) | set(coverage)
    candidates = sql.allowed(candidates, filters)
    if not candidates:
        return []
    scored: list[tuple[float, int]] = []
    for item_id in candidates:
        sims = chunk_sims.get(item_id)
        score = max(sims)[0] if sims else floor
        if tuning.keyword:
            score += tuning.keyword_weight * coverage.get(item_id, 0.0)
        scored.append((score, item_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))

    keyword_only = not chunk_sims
    hits: list[SearchHit] = []
    matches = closest = 0
    for score, item_id in scored:
        is_match = not tuning.cutoff or score >= tuning.match_at or keyword_only
        if more:
            if len(hits) >= k:
                break
        elif is_match:
            if matches >= k:
                continue
            matches += 1
        else:
            if closest >= CLOSEST or matches + closest >= k:
                break
            closest += 1
        best = max(chunk_sims[item_id]) if item_id in chunk_sims else None
        hits.append(
            SearchHit(
                item_id=item_id,
                score=round(score, 4),
                similarity=round(best[0], 4) if best else None,
                keyword=round(coverage.get(item_id, 0.0), 4),
                chunk=best[1] if best else None,
                match=is_match,
                terms=tuple(dict.fromkeys(matched.get(item_id, ()))),
            )
        )
    return hits


def _informative(text: str) -> list[str]:
    """The query's words worth searching for, folded, once each; its stop words too when it
    has nothing else."""
    found = list(dict.fromkeys(w for w in words(text) if informative(w)))
    meaningful = [w for w in found if w not in STOP_WORDS]
    return meaningful or found


def query_length(text: str) -> int:
    """How many informative words the query has. Chinese and Japanese are written without
    spaces and searched as overlapping character pairs, which would count a four-character
    title as three words: a run of their characters counts one word per two characters."""
    return _length(_informative(text), text)


def _length(folded: list[str], text: str) -> int:
    latin = sum(1 for w in folded if not has_cjk(w))
    characters = sum(1 for ch in text if has_cjk(ch))
    return latin + (characters + 1) // 2


def _terms(
    sql: SearchSql, folded: list[str], text: str, tuning: SearchTuning
) -> tuple[list[_Term], float]:
    """The query's informative words (`folded`) with the items holding them, and their total
    weight."""
    if not folded:
        return [], 1.0
    total = max(sql.item_count(), 1)
    counts = sql.doc_counts(folded)
    limit = max(int(COMMON_SHARE * total), 50)
    terms: list[_Term] = []
    total_weight = 0.0
    for n, word in enumerate(folded):
        df, term, prefix, trust = counts[word], word, False, 1.0
        # Chinese character pairs are whole: nothing still being typed, inflected or misspelt.
        cjk = has_cjk(word)
        if df == 0 and n == len(folded) - 1 and len(word) >= 3 and text[-1:].isalnum() and not cjk:
            # The last word may still be being typed: "mulholl" stands for "mulholland".
            df, prefix = min(sql.prefix_count(word), total), True
        if df == 0 and tuning.inflection and len(word) >= 5 and not cjk:
            # "walking" in a library that only says "walk": the same word, not a misspelling
            # of "walling", which is one edit away.
            base = _base_form(sql, word)
            if base is not None:
                term, df, trust = base[0], base[1], 0.9
        real = tuning.real_words and is_word(word)
        if df == 0 and tuning.fuzzy and len(word) >= 4 and not cjk and not real:
            near = _nearest(sql, word)
            if near is not None:
                term, df, trust = near[0], near[1], 0.8
        if df > COMMON_SHARE * total and total >= 200:
            continue  # "the", "history" in a history podcast: no evidence either way
        idf = math.log(1 + total / max(df, 1))
        total_weight += idf
        if df == 0:
            continue  # a word the library lacks still counts against the others' share
        titled, people, anywhere = sql.term_items(term, prefix, limit)
        terms.append(_Term(word, term, prefix, idf * trust, titled, people, anywhere))
    return terms, max(total_weight, 1e-9)


_INFLECTIONS = (
    ("ies", "y"),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("es", ""),
    ("s", ""),
)


def _base_form(sql: SearchSql, word: str) -> tuple[str, int] | None:
    """The library's word a regularly inflected English word comes from ("walking" → "walk",
    "stories" → "story", "running" → "run"), the most common when several exist."""
    candidates = []
    for suffix, ending in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            candidates.append(stem + ending)
            if len(stem) >= 4 and stem[-1] == stem[-2]:  # running → runn → run
                candidates.append(stem[:-1])
    if not candidates:
        return None
    counts = sql.doc_counts(dict.fromkeys(candidates))
    best = max(counts.items(), key=lambda pair: pair[1])
    return best if best[1] > 0 else None


def _nearest(sql: SearchSql, word: str) -> tuple[str, int] | None:
    """The library's word closest to a misspelt one (Damerau-Levenshtein, at most 1 edit for
    words up to 5 letters, 2 beyond), most common first on a tie. Only words sharing its first
    two letters are compared (all the benchmark's misspellings do): a big library's
    vocabulary under one letter would take seconds to compare."""
    limit = 1 if len(word) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for term, df in sql.near_terms(word[:2], len(word) - limit, len(word) + limit):
        distance = _distance(word, term, limit)
        if distance <= limit and (best is None or (distance, -df) < (best[0], -best[1])):
            best = (distance, df, term)
    return (best[2], best[1]) if best is not None else None


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
