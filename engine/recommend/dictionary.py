"""English words known to be words: the bundled model's vocabulary, read from its package.

Search corrects a query word the library lacks to the nearest word it has ("shakspeare" →
"shakespeare"). A real word the library lacks is no misspelling: "planet" in a library that only
says "plant" is about something else, often an item in another language, and correcting it
pulls in the wrong items. all-MiniLM-L6-v2's WordPiece vocabulary holds about 21,700 whole
lower-case English words (and common names); it is installed with the app, so this costs no
extra file.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from engine.embed.embedder import bundled_model_path

log = logging.getLogger(__name__)

MIN_LETTERS = 4  # shorter entries are mostly abbreviations and word pieces' neighbours


@functools.cache
def known_words() -> frozenset[str]:
    """Whole words of the bundled vocabulary (empty when it cannot be read: nothing is known)."""
    try:
        text = (Path(bundled_model_path()) / "vocab.txt").read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        log.warning("no word list for spelling correction: %s", error)
        return frozenset()
    words = text.split()
    return frozenset(w for w in words if len(w) >= MIN_LETTERS and w.isalpha() and w.isascii())


def is_word(word: str) -> bool:
    return word in known_words()
