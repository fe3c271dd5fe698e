"""Search quality as a user searches: the product's `Library.search` against plain cosine.

The library: every In Our Time and New Yorker Fiction episode (../shared/data/podcasts, the
texts a feed beside the downloads gives: title, show, description, guests/reader/writer, year)
and the films of the MovieLens-TMDB development split with 1,500+ votes (title, year,
genres, overview, language), inserted through `Catalog` as the scanner stores them and
embedded by the product's own index pass (`Library.index_now`) with the bundled model, or with
the model setting `--model` names (e.g. `package:use-multilingual-v3`; the baseline then uses
that model too). The data is read at bench time from ../shared and never copied into the
project; the built library is cached outside it (`--cache`, default
$TMPDIR/reelcast-search-bench; one folder per model): embedding takes minutes.

Queries (tests/bench/search_queries.json: `dev`, `heldout`, `offtopic`) are ours, written as a
user remembers an item; targets are referenced by the data's ids, stored in the item's `guid`
("iot:<id>", "nyf:<id>", "film:<id>").

Measured in the same run, on the same items and model:
- baseline: plain cosine of the query against each item's "title. description" embedded alone
  (what `reelcast items --json` gives), exact search;
- the product (`engine.recommend.search.search` through the façade's own inputs);
- the product with each component switched off (`SearchTuning`): the ablation; for a model
  other than the bundled one, also with the bundled model's cut-off instead
  of its mapping onto the model's similarity scale (`--scale` measures that scale).
Metrics: MRR, hit@3, nDCG@10 (one relevant item), per query type; on off-topic queries the
median number of results above the cut-off ("matches"), and hit@3 among matches on dev.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.model_catalog import similarity_scale
from engine.library import Library
from engine.recommend.search import DEFAULT, SearchTuning, SemanticSearch, search
from engine.store import Catalog
from engine.store.search_sql import SearchFilters, SearchSql

DATA = Path(os.environ.get("REELCAST_SHARED_DATA", "/work/shared/data"))
QUERIES = Path(__file__).with_name("search_queries.json")
CACHE = Path(tempfile.gettempdir()) / "reelcast-search-bench"
IOT_SHOW = "In Our Time"
NYF_SHOW = "The New Yorker: Fiction"
# Films with at least this many TMDB votes: 2,011 of the split's 5,851, the ones a person is
# likely to own. Embedding all 7,000 items took over an hour on the loaded 2-core bench machine.
MIN_VOTES = 1500
# Which embedding backend the engine uses, where it has more than one (engine/embed/embedder.py).
BACKEND_ENV = "REELCAST_EMBED_BACKEND"


# --- the library ------------------------------------------------------------------------------


def _year(date: str | None) -> int | None:
    tail = (date or "")[-4:]
    return int(tail) if tail.isdigit() else None


def source_items() -> list[dict[str, Any]]:
    """Rows for `Catalog.insert_item`, plus the show's title under `show`."""
    items: list[dict[str, Any]] = []
    for line in (DATA / "podcasts" / "in_our_time.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        items.append(
            {
                "guid": f"iot:{row['id']}",
                "kind": "episode",
                "show": IOT_SHOW,
                "title": row["title"],
                "description": row.get("description") or row.get("summary"),
                "people": json.dumps(row.get("guests") or []),
                "year": _year(row.get("date")),
                "duration": 2520.0,
            }
        )
    for line in (DATA / "podcasts" / "new_yorker_fiction.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        people = [p for p in (row.get("writer"), row.get("reader")) if p]
        items.append(
            {
                "guid": f"nyf:{row['id']}",
                "kind": "episode",
                "show": NYF_SHOW,
                "title": row["title"],
                "description": row.get("summary"),
                "people": json.dumps(people),
                "year": _year(row.get("date")),
                "duration": 2700.0,
            }
        )
    for line in (DATA / "movielens-tmdb-dev" / "items.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if int(row.get("vote_count") or 0) < MIN_VOTES:
            continue
        year = row.get("year")
        items.append(
            {
                "guid": f"film:{row['id']}",
                "kind": "movie",
                "title": row["title"],
                "description": row.get("overview"),
                "genres": json.dumps(row.get("genres") or []),
                "year": int(year) if str(year or "").isdigit() else None,
                "language": row.get("language"),
                "duration": 6000.0,
            }
        )
    return items


def _built_with(model: str | None) -> str:
    return model or "bundled"


def build(cache: Path, model: str | None = None) -> Library:
    """The bench library, built and embedded once per cache folder with `model` (a model
    setting; None: the bundled model)."""
    done = cache / "built"
    if done.exists():
        # "ok": a folder built before --model existed, with the bundled model.
        built = done.read_text("utf-8").strip()
        built = "bundled" if built == "ok" else built
        if built != _built_with(model):
            raise SystemExit(f"{cache} was built with {built}; use another --cache for {model}")
    library = Library(cache / "data", workers=1)
    # The model measured is the one asked for, not the first indexing's choice by language.
    library.update_settings(model_choice="user")
    if model:  # before the first model() call: the library loads the model its settings name
        library.update_settings(model_path=model)
    if done.exists():
        library.model()  # loads the model and the published index
        return library
    items = source_items()
    if library.item_count() == 0:  # else an interrupted build: embedding resumes where it was
        _insert(library, items)
    started = time.monotonic()
    library.index_now()
    print(f"embedded {len(items)} items in {time.monotonic() - started:.0f} s", file=sys.stderr)
    done.write_text(_built_with(model))
    return library


def _insert(library: Library, items: list[dict[str, Any]]) -> None:
    with library.database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(b"/bench", "mixed")
        shows = {
            IOT_SHOW: cat.upsert_show(
                "podcast", IOT_SHOW, {"description": "Melvyn Bragg and guests discuss ideas."}
            ),
            NYF_SHOW: cat.upsert_show("podcast", NYF_SHOW, {"description": None}),
        }
        for n, item in enumerate(items):
            values = {k: v for k, v in item.items() if k != "show" and v is not None}
            if "show" in item:
                values["show_id"] = shows[item["show"]]
            item_id = cat.insert_item(values)
            cat.insert_file(root.id, f"/bench/{n}.mp3".encode(), 1, 0, None, item_id, None)


def baseline_vectors(cache: Path, model: str | None = None) -> tuple[list[str], np.ndarray]:
    """Each item's guid and the embedding of its "title. description" alone, by the library's
    model (cached; computed from the data, so it can run beside the library's build)."""
    items = source_items()
    guids = [str(item["guid"]) for item in items]
    tag = "" if not model else re.sub(r"[^A-Za-z0-9._-]+", "_", model) + "-"
    path = cache / f"baseline-{tag}{len(items)}.npy"
    if path.exists():
        return guids, np.load(path)
    from engine.embed.embedder import make_embedder

    embedder = make_embedder(model)
    texts = [f"{item['title']}. {item.get('description') or ''}" for item in items]
    vectors = embedder.embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return guids, vectors


# --- rankers ----------------------------------------------------------------------------------

Ranker = Callable[[str, np.ndarray], list[tuple[int, bool]]]  # (item, is a match), best first


def rrf_before(sql: SearchSql, semantic: SemanticSearch) -> Ranker:
    """What `Library.search` shipped before issue 14: reciprocal-rank fusion (k = 60) of the
    chunk index's items (best chunk) and FTS5/BM25 matches; every result a match."""

    def rank(text: str, vector: np.ndarray) -> list[tuple[int, bool]]:
        best: dict[int, float] = {}
        for key, similarity in semantic(vector, 200):
            item_id = key // 1024
            best[item_id] = max(best.get(item_id, -1.0), similarity)
        order = sorted(best, key=lambda i: (-best[i], i))[:50]
        keyword = sql.keyword(text, 50, SearchFilters())
        scores: dict[int, float] = {}
        for ranked in (order, keyword):
            for n, item_id in enumerate(ranked, 1):
                scores[item_id] = scores.get(item_id, 0.0) + 1.0 / (60 + n)
        words = set(keyword)
        top = sorted(scores, key=lambda i: (-scores[i], i not in words, i))[:TOP]
        return [(i, True) for i in top]

    return rank


def product(sql: SearchSql, semantic: SemanticSearch, tuning: SearchTuning) -> Ranker:
    def rank(text: str, vector: np.ndarray) -> list[tuple[int, bool]]:
        hits = search(sql, text, TOP, None, vector, semantic, more=True, tuning=tuning)
        return [(h.item_id, h.match) for h in hits]

    return rank


def plain_cosine(ids: list[int], matrix: np.ndarray) -> Ranker:
    """Exact cosine of the query against each item's "title. description" vector."""

    def rank(text: str, vector: np.ndarray) -> list[tuple[int, bool]]:
        sims = matrix @ vector
        top = np.argsort(-sims, kind="stable")[:TOP]
        return [(ids[int(n)], True) for n in top]

    return rank


# --- metrics ----------------------------------------------------------------------------------

TOP = 10


def _rank_of(ranked: Sequence[tuple[int, bool]], target: int) -> int | None:
    for n, (item_id, _) in enumerate(ranked, 1):
        if item_id == target:
            return n
    return None


def score(
    ranker: Ranker, queries: Sequence[dict[str, Any]], vectors: dict[str, np.ndarray]
) -> dict[str, Any]:
    ranks = []
    kept = 0  # target in the top 3 and above the cut-off
    by_type: dict[str, list[float]] = {}
    for query in queries:
        ranked = ranker(query["q"], vectors[query["q"]])
        rank = _rank_of(ranked, query["id"])
        ranks.append(rank)
        by_type.setdefault(query["type"], []).append(1.0 / rank if rank else 0.0)
        if rank is not None and rank <= 3 and ranked[rank - 1][1]:
            kept += 1
    n = len(queries)
    return {
        "mrr": sum(1.0 / r for r in ranks if r) / n,
        "hit3": sum(1 for r in ranks if r and r <= 3) / n,
        "ndcg": sum(1.0 / math.log2(r + 1) for r in ranks if r) / n,
        "kept3": kept / n,
        "hits3": sum(1 for r in ranks if r and r <= 3),
        "n": n,
        "types": {t: sum(v) / len(v) for t, v in by_type.items()},
    }


def match_counts(ranker: Ranker, texts: Sequence[str], vectors: dict[str, np.ndarray]) -> list[int]:
    return [sum(1 for _, match in ranker(t, vectors[t]) if match) for t in texts]


# --- the run ----------------------------------------------------------------------------------


def _targets(library: Library, queries: list[dict[str, Any]]) -> None:
    rows = library.database.db.conn.execute("SELECT guid, id FROM items WHERE guid IS NOT NULL")
    by_guid = {str(g): int(i) for g, i in rows}
    for query in queries:
        query["id"] = by_guid[query["target"]]


def _row(name: str, m: dict[str, Any], base: dict[str, Any] | None) -> str:
    delta = f" ({m['mrr'] - base['mrr']:+.3f})" if base is not None else ""
    types = " | ".join(f"{m['types'].get(t, 0.0):.3f}" for t in TYPES)
    return (
        f"| {name} | {m['mrr']:.3f}{delta} | {m['hits3']}/{m['n']} ({m['hit3']:.2f}) | "
        f"{m['ndcg']:.3f} | {types} |"
    )


TYPES = ("paraphrase", "detail", "title", "name", "misspelling")
ABLATION = ("keyword", "title", "query_type", "fuzzy", "real_words", "inflection")


def run(
    cache: Path = CACHE, heldout: bool = True, ablation: bool = True, model: str | None = None
) -> str:
    # One backend for the cached library, the baseline and the queries: sentence-transformers,
    # the reference the ONNX export is checked against.
    os.environ.setdefault(BACKEND_ENV, "torch")
    spec = json.loads(QUERIES.read_text("utf-8"))
    library = build(cache, model)
    try:
        guids, base_matrix = baseline_vectors(cache, model)
        by_guid = dict(library.database.db.conn.execute("SELECT guid, id FROM items"))
        ids = [int(by_guid[g]) for g in guids]
        dev, held = spec["dev"], spec["heldout"]
        _targets(library, dev + held)
        offtopic = spec["offtopic"] + (spec["offtopic_heldout"] if heldout else [])
        texts = [q["q"] for q in dev + held] + offtopic
        embedder = library.model().embedder
        vectors = dict(zip(texts, embedder.embed(texts), strict=True))
        snapshot = library.model().index.snapshot()

        def semantic(vector: np.ndarray, n: int) -> list[tuple[int, float]]:
            return snapshot.search("chunks", vector, n)

        sql = SearchSql(library.database.db)
        baseline = plain_cosine(ids, base_matrix)
        tuned = DEFAULT.on_scale(similarity_scale(embedder.model_id))  # what Library.search uses
        ours = product(sql, semantic, tuned)
        header = (
            "| ranker | MRR (vs plain cosine) | hit@3 | nDCG@10 | "
            + " | ".join(f"MRR {t}" for t in TYPES)
            + " |\n|---|---|---|---|"
            + "---|" * len(TYPES)
        )
        lines = [
            f"Model {embedder.model_id}. "
            f"{library.item_count()} items ({len(ids)} with vectors); "
            f"{len(dev)} dev queries, {len(held)} held-out, {len(offtopic)} off-topic.",
            "",
            "Dev queries:",
            "",
            header,
        ]
        base_dev = score(baseline, dev, vectors)
        lines.append(_row("plain cosine, title. description (baseline)", base_dev, None))
        lines.append(
            _row("before: RRF fusion", score(rrf_before(sql, semantic), dev, vectors), base_dev)
        )
        ours_dev = score(ours, dev, vectors)
        lines.append(_row("**Reelcast search**", ours_dev, base_dev))
        if ablation:
            for flag in ABLATION:
                ablated = product(sql, semantic, replace(tuned, **{flag: False}))
                lines.append(_row(f"without {flag}", score(ablated, dev, vectors), base_dev))
            if tuned != DEFAULT:
                unscaled = score(product(sql, semantic, DEFAULT), dev, vectors)
                lines.append(_row("bundled model's cut-off", unscaled, base_dev))
        counts = match_counts(ours, offtopic, vectors)
        dev_counts = match_counts(ours, [q["q"] for q in dev], vectors)
        lines += [
            "",
            f"Cut-off {tuned.match_at}, keyword weight {tuned.keyword_weight}: off-topic "
            "queries: matches per query median "
            f"{statistics.median(counts):g} (max {max(counts)}, {sum(1 for c in counts if c == 0)}"
            f" of {len(counts)} with none); dev queries: median {statistics.median(dev_counts):g}"
            f" matches; target in the top 3 and a match: {ours_dev['kept3']:.2f} of dev queries"
            f" (hit@3 without the cut-off {ours_dev['hit3']:.2f}).",
        ]
        if heldout:
            base_held = score(baseline, held, vectors)
            lines += ["", "Held-out queries (written before tuning, run once):", "", header]
            lines.append(_row("plain cosine (baseline)", base_held, None))
            lines.append(_row("**Reelcast search**", score(ours, held, vectors), base_held))
        return "\n".join(lines)
    finally:
        library.close()


def measure_scale(cache: Path = CACHE, model: str | None = None) -> str:
    """The model's `SimilarityScale` on the dev queries: the mean cosine of a query and its
    target, and of a query and every item ("title. description", as the baseline embeds it)."""
    spec = json.loads(QUERIES.read_text("utf-8"))
    library = build(cache, model)
    try:
        guids, matrix = baseline_vectors(cache, model)
        where = {g: n for n, g in enumerate(guids)}
        dev = [q for q in spec["dev"] if q["target"] in where]
        embedder = library.model().embedder
        sims = embedder.embed([q["q"] for q in dev]) @ matrix.T
        relevant = float(np.mean([sims[n, where[q["target"]]] for n, q in enumerate(dev)]))
        return (
            f"{embedder.model_id}: SimilarityScale(unrelated={float(sims.mean()):.3f}, "
            f"relevant={relevant:.3f}) over {len(dev)} dev queries and {len(guids)} items"
        )
    finally:
        library.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--no-heldout", action="store_true", help="while tuning: dev only")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument(
        "--model", help="a model setting (e.g. package:use-multilingual-v3); default: bundled"
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--baseline-only", action="store_true")
    parser.add_argument("--scale", action="store_true", help="measure the model's similarity scale")
    args = parser.parse_args()
    os.environ.setdefault(BACKEND_ENV, "torch")
    if args.baseline_only:  # can run beside --build-only: both take minutes
        baseline_vectors(args.cache, args.model)
        return 0
    if args.build_only:
        build(args.cache, args.model).close()
        return 0
    if args.scale:
        print(measure_scale(args.cache, args.model))
        return 0
    print(run(args.cache, not args.no_heldout, not args.no_ablation, args.model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
