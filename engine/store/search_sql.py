"""SQL for search: FTS5 keyword matching (BM25) and the filters shared with semantic search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.store import cjk
from engine.store.catalog import VISIBLE_SQL

if TYPE_CHECKING:
    import sqlite_utils

# Watched by the profile: completed at least once (Kodi play counts arrive through the NFO import).
WATCHED_SQL = (
    "EXISTS (SELECT 1 FROM progress p WHERE p.item_id = i.id AND p.completed = 1 "
    "AND p.profile_id = coalesce(?, (SELECT id FROM profiles WHERE is_default = 1)))"
)
# Column weights for bm25(): title, show, description, people, genres, extra (lyrics/subtitles).
_BM25 = "bm25(items_fts, 10.0, 4.0, 2.0, 3.0, 3.0, 1.0)"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    kinds: tuple[str, ...] = ()
    show: str | None = None  # show, series or podcast title, case-insensitive
    language: str | None = None
    unwatched: bool = False
    profile_id: int | None = None  # whose history "unwatched" means; None: the default profile

    def active(self) -> bool:
        return bool(self.kinds or self.show or self.language or self.unwatched)


# In a big library a word found in more than 5 % of items says little about which one is meant,
# and ranking its tens of thousands of matches costs more than the whole search may take.
COMMON_SHARE = 0.05
PRUNE_FROM = 20_000  # items; below this every word is searched (it is fast anyway)
NEAR_TERMS = 5_000  # vocabulary words a misspelling is compared with, at most


def terms(text: str) -> list[str]:
    """The words of `text` in order, a run of Chinese or Japanese characters as its
    overlapping character pairs (engine/store/cjk.py)."""
    return [t for w in _WORD.findall(text) for t in cjk.terms(w)]


def informative(word: str) -> bool:
    """Worth searching for: not a lone letter (a lone digit or Chinese character is)."""
    if cjk.has_cjk(word):
        return cjk.says_something(word)
    return len(word) > 1 or word.isdigit()


def fts_query(text: str, common: frozenset[str] = frozenset()) -> str | None:
    """A safe FTS5 query: every word quoted (no operators from user input), any word may match,
    and the last one as a prefix so results appear while the user is still typing. Words in
    `common` are left out; None when nothing is left."""
    words = terms(text)[:32]
    if not words:
        return None
    last = len(words) - 1
    quoted = []
    for n, word in enumerate(words):
        if word.casefold() in common:
            continue
        # "a*" would match half the vocabulary; Chinese pairs are whole already.
        prefix = n == last and len(word) >= 3 and not cjk.has_cjk(word)
        quoted.append(cjk.phrase(word) + ("*" if prefix else ""))
    return " OR ".join(quoted) or None


def fold(word: str) -> str:
    """A word as the FTS5 tokenizer stores it (unicode61, remove_diacritics 2): case-folded,
    accents dropped, so "Erdős" looks up "erdos"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text`, folded, in order (at most 32); a run of Chinese or Japanese
    characters gives its overlapping character pairs (engine/store/cjk.py)."""
    return [fold(t) for t in terms(text)[:32]]


def _filter_sql(filters: SearchFilters, hide_removed: bool) -> tuple[str, list[Any]]:
    clauses: list[str] = [VISIBLE_SQL] if hide_removed else []
    params: list[Any] = []
    if filters.kinds:
        clauses.append(f"i.kind IN ({', '.join('?' for _ in filters.kinds)})")
        params.extend(filters.kinds)
    if filters.show:
        clauses.append("s.title_key = ?")
        params.append(" ".join(filters.show.casefold().split()))
    if filters.language:
        clauses.append("i.language = ?")
        params.append(filters.language)
    if filters.unwatched:
        clauses.append(f"NOT ({WATCHED_SQL})")
        params.append(filters.profile_id)
    return (" AND ".join(clauses) or "1"), params


class SearchSql:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._x = db.conn.execute
        # Items only in removed folders are left out; most libraries have none, and skip it.
        self._hide = (
            self._x("SELECT 1 FROM roots WHERE removed_at IS NOT NULL").fetchone() is not None
        )

    def keyword(self, text: str, limit: int, filters: SearchFilters) -> list[int]:
        """Item ids matching `text`, best BM25 first."""
        query = fts_query(text, self._common_words(text))
        if query is None:
            return []
        if not filters.active() and not self._hide:
            rows = self._x(
                f"SELECT rowid FROM items_fts WHERE items_fts MATCH ? "
                f"ORDER BY {_BM25}, rowid LIMIT ?",
                (query, limit),
            )
            return [int(r[0]) for r in rows]
        where, params = _filter_sql(filters, self._hide)
        rows = self._x(
            f"SELECT i.id FROM items_fts f JOIN items i ON i.id = f.rowid "
            f"LEFT JOIN shows s ON s.id = i.show_id "
            f"WHERE items_fts MATCH ? AND {where} ORDER BY {_BM25}, i.id LIMIT ?",
            (query, *params, limit),
        )
        return [int(r[0]) for r in rows]

    def _common_words(self, text: str) -> frozenset[str]:
        total = self._x("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        if total < PRUNE_FROM:
            return frozenset()
        common = set()
        for word in {w.casefold() for w in _WORD.findall(text)[:32]}:
            row = self._x("SELECT doc FROM items_fts_vocab WHERE term = ?", (word,)).fetchone()
            if row is not None and row[0] > COMMON_SHARE * total:
                common.add(word)
        return frozenset(common)

    def item_count(self) -> int:
        return int(self._x("SELECT coalesce(max(id), 0) FROM items").fetchone()[0])

    def doc_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """How many items hold each term (terms as `fold()` makes them; absent: 0)."""
        counts = {}
        for term in terms:
            if len(term) > 1 and cjk.has_cjk(term):  # a phrase of tokens: not in the vocabulary
                row = self._x(
                    "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (cjk.phrase(term),)
                ).fetchone()
            else:
                row = self._x("SELECT doc FROM items_fts_vocab WHERE term = ?", (term,)).fetchone()
            counts[term] = int(row[0]) if row is not None else 0
        return counts

    def prefix_count(self, prefix: str) -> int:
        """Items holding some term that starts with `prefix` (an upper bound: a sum over terms)."""
        row = self._x(
            "SELECT coalesce(sum(doc), 0) FROM items_fts_vocab WHERE term >= ? AND term < ?",
            (prefix, prefix + "\U0010ffff"),
        ).fetchone()
        return int(row[0])

    def near_terms(self, head: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        """Vocabulary terms starting with `head` within a length range, with their item counts:
        the candidates a misspelt word is compared with."""
        rows = self._x(
            "SELECT term, doc FROM items_fts_vocab WHERE term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ? LIMIT ?",
            (head, head + "\U0010ffff", shortest, longest, NEAR_TERMS),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def term_items(
        self, term: str, prefix: bool, limit: int
    ) -> tuple[set[int], set[int], set[int]]:
        """Items whose title holds `term`, items whose people do, and items holding it
        anywhere."""
        quoted = cjk.phrase(term) + ("*" if prefix else "")
        found = []
        for column in ("title : ", "people : ", ""):
            rows = self._x(
                "SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT ?",
                (column + quoted, limit),
            )
            found.append({int(r[0]) for r in rows})
        return found[0], found[1], found[2]

    def titles(self, item_ids: Iterable[int]) -> dict[int, str]:
        ids = list(item_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._x(f"SELECT id, title FROM items WHERE id IN ({marks})", ids)
        return {int(r[0]): str(r[1]) for r in rows}

    def allowed(self, item_ids: Iterable[int], filters: SearchFilters) -> set[int]:
        """The subset of `item_ids` that passes `filters`."""
        ids = list(item_ids)
        if not (filters.active() or self._hide) or not ids:
            return set(ids)
        where, params = _filter_sql(filters, self._hide)
        marks = ", ".join("?" for _ in ids)
        rows = self._x(
            f"SELECT i.id FROM items i LEFT JOIN shows s ON s.id = i.show_id "
            f"WHERE i.id IN ({marks}) AND {where}",
            (*ids, *params),
        )
        return {int(r[0]) for r in rows}
