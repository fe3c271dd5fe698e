"""Chinese and Japanese text for FTS5 keyword search.

FTS5's unicode61 tokenizer splits words at spaces and punctuation, and Chinese has neither
between words: "张曼玉和梁朝伟都很漂亮" was one token, so a search for 张曼玉 matched nothing.
The index therefore stores each Han or kana character as a token of its own (`spaced`, a SQL
function on every connection), and a query's runs of such characters become their overlapping
character pairs, each searched as a two-token phrase (`terms`, `phrase`): the usual bigram
approach, which needs no dictionary and finds two-character names (巩俐) as well as longer ones.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

# Han ideographs (with extension A, compatibility and the supplementary planes) and kana.
_CHARS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
)
_ONE = re.compile(f"([{_CHARS}])")
_RUNS = re.compile(f"([{_CHARS}]+)")
SQL_FUNCTION = "cjk_spaced"
# SQL: `text GLOB HAS_CJK_GLOB` where has_cjk(text) (SQLite compares code points; no Python call).
HAS_CJK_GLOB = f"*[{_CHARS}]*"


def has_cjk(text: str) -> bool:
    return _ONE.search(text) is not None


def spaced(text: str | None) -> str | None:
    """Text with a space on each side of every Han or kana character (None stays None)."""
    if text is None or not has_cjk(text):
        return text
    return _ONE.sub(r" \1 ", text)


def terms(word: str) -> list[str]:
    """A word (a run of word characters) as search terms: its Han/kana runs as overlapping
    character pairs (a lone character as itself), the rest as it is."""
    out: list[str] = []
    for n, part in enumerate(_RUNS.split(word)):
        if not part:
            continue
        if n % 2 == 0 or len(part) == 1:  # between runs (Latin letters, digits), or one char
            out.append(part)
        else:
            out.extend(part[i : i + 2] for i in range(len(part) - 1))
    return out


# A query's character pairs that say nothing about an item: any pair with a particle (的 了 吗),
# and pairs of two function characters (什么, 我们, 这个, 怎样).
_PARTICLES = frozenset("的了吗呢吧啊嘛么")
_FUNCTION = frozenset("是在和与也都很就还被把这那我你他她它们个有一不什怎样为些哪谁其之于而")


def says_something(term: str) -> bool:
    """False for a Chinese character pair made only of grammar (what English stop words are)."""
    if len(term) != 2 or not has_cjk(term):
        return True
    if term[0] in _PARTICLES or term[1] in _PARTICLES:
        return False
    return not (term[0] in _FUNCTION and term[1] in _FUNCTION)


def phrase(term: str) -> str:
    """An FTS5 query string for one term: quoted, its Han/kana characters as a phrase."""
    return '"' + " ".join((spaced(term) or "").split()) + '"'


def highlight_spans(
    text: str, spans: Iterable[tuple[int, int]], terms: Iterable[str]
) -> list[tuple[int, int]]:
    """`spans` (the words that matched) and every occurrence in `text` of each Han/kana term,
    merged where they overlap (the pairs 张曼 and 曼玉 mark 张曼玉), in order. Such a term sits
    inside a longer run with no word boundary, so matching words alone misses it."""
    found = list(spans)
    for term in {t for t in terms if has_cjk(t)}:
        at = text.find(term)
        while at >= 0:
            found.append((at, at + len(term)))
            at = text.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(found):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def title_order(title: str | None) -> str | None:
    """How a title with Chinese characters sorts: by their pinyin, among Latin titles as
    Chinese readers expect (花样年华 as "hua yang nian hua", after "Harbour"); None for any
    other title, which sorts as itself. Kana are kept as they are."""
    if not title or not has_cjk(title):
        return None
    from pypinyin import Style, lazy_pinyin  # loaded only for such titles

    return " ".join(" ".join(lazy_pinyin(title, style=Style.NORMAL)).split())


def register(conn: sqlite3.Connection) -> None:
    """Make `cjk_spaced(text)` available to SQL on this connection (the FTS fill uses it)."""
    conn.create_function(SQL_FUNCTION, 1, spaced, deterministic=True)
