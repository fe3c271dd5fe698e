"""The model a library gets at its first indexing, chosen by its items' languages (issue 16).

Before anything is embedded, the items' languages are known only where a reader found a tag;
for a sample of the others they are detected from their documents now, as the embedding would
(and stored), and `model_catalog.advise_model` decides. The decision needs a share, not a
census: the embedding pass that follows detects and stores the rest, so this adds little to a
large library's first indexing, which shows no progress until it has run. A library that already
has vectors is never switched without being asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.embed.documents import build_document
from engine.embed.model_catalog import ModelAdvice, advise_model
from engine.store import Catalog, Database
from engine.store.embedding import EmbedBook
from engine.store.vectors import VectorStore

# Items without a tagged language detected to decide; the share's error at 500 is about ±2 %.
SAMPLE = 500


def first_run_advice(database: Database) -> ModelAdvice | None:
    """The advice for a library with nothing embedded yet; None once anything is."""
    if VectorStore(database.db).models():
        return None
    catalog = Catalog(database.db)
    counts: dict[str, float] = {c: n for c, n in catalog.language_counts().items() if c}
    untagged = int(
        database.db.execute("SELECT count(*) FROM items WHERE language IS NULL").fetchone()[0]
    )
    rows = database.db.execute(
        "SELECT id FROM items WHERE language IS NULL ORDER BY random() LIMIT ?", [SAMPLE]
    )
    sampled = [int(row[0]) for row in rows]
    detected: list[tuple[int, str]] = []
    for item_id in sampled:
        item = catalog.item(item_id)
        language = build_document(item).language if item is not None else None
        if language:
            detected.append((item_id, language))
    if detected:
        with database.write() as db:
            book = EmbedBook(db)
            for item_id, language in detected:
                book.set_detected_language(item_id, language)
    # The sample stands for every untagged item.
    scale = untagged / max(len(sampled), 1)
    for _item_id, language in detected:
        counts[language] = counts.get(language, 0) + scale
    return advise_model({code: round(n) for code, n in counts.items()})


def first_run_settings(
    database: Database, reconfigure: Callable[[str | None], None]
) -> dict[str, Any]:
    """The settings that record the first indexing's choice; `reconfigure` is called with the
    advised model when it is not the bundled one."""
    advice = first_run_advice(database)
    if advice is None or advice.setting is None:
        return {"model_choice": "kept"}
    reconfigure(advice.setting)
    return {"model_path": advice.setting, "model_choice": "first-run"}
