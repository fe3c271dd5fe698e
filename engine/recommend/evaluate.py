"""The offline evaluation harness behind `reelcast eval`.

It runs the product, not a model of it: the catalogue goes into a temporary library through
`Catalog`, documents come from `build_document`, vectors from the product's embedder (cached
by document hash, so reruns skip the model), one profile per user is replayed through
`HistorySql.mark_watched_many`, and every case is answered by the For you row
(`engine.recommend.rows.for_you_row`) from the profile state `HistorySql` loads.

Protocol (leave-last-10-out, next-item): order each user's plays by (timestamp, item id); for
each of the last 10 positions t the history is seq[:t] and the target seq[t]; the whole
catalogue is ranked, minus the history. The history is replayed one play at a time, so a case
can only see the past. Household mode adds the other users as local profiles, each with only
the plays before its own last 10.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.documents import build_document, item_vector
from engine.embed.embedder import Embedder, make_embedder
from engine.recommend.catalog_view import load_view
from engine.recommend.ranking import Filters
from engine.recommend.rows import Context, for_you_row
from engine.recommend.state import ProfileState
from engine.recommend.strategies import SIGNALS, Household
from engine.store import Catalog, Database
from engine.store.db import DB_NAME
from engine.store.history_sql import HistorySql
from engine.store.vectors import VectorStore

CUTOFF = 10  # HR@10, NDCG@10
HOLDOUT = 10  # the last 10 positions of each user are cases
DEFAULT_CACHE = ".bench"
MODES = ("single", "household")


@dataclass(frozen=True)
class Interaction:
    user: str
    item: str
    timestamp: float


@dataclass
class EvalResult:
    mode: str
    cases: int
    hr: float
    ndcg: float
    latency_p50_ms: float
    latency_p99_ms: float
    seconds: float
    signals: tuple[str, ...]
    embedded: int = 0  # documents the model had to embed (0 when the cache had them all)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "cases": self.cases,
            "hr@10": round(self.hr, 4),
            "ndcg@10": round(self.ndcg, 4),
            "latency_p50_ms": round(self.latency_p50_ms, 2),
            "latency_p99_ms": round(self.latency_p99_ms, 2),
            "seconds": round(self.seconds, 1),
            "signals": list(self.signals),
            "embedded": self.embedded,
        }


# --- metrics -----------------------------------------------------------------------------------


def hit_rate(ranked: Sequence[Hashable], target: Hashable, k: int = CUTOFF) -> float:
    return 1.0 if target in list(ranked)[:k] else 0.0


def ndcg(ranked: Sequence[Hashable], target: Hashable, k: int = CUTOFF) -> float:
    """One relevant item: 1 / log2(rank + 2) for a 0-based rank inside the top k."""
    top = list(ranked)[:k]
    return 1.0 / math.log2(top.index(target) + 2) if target in top else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


# --- data --------------------------------------------------------------------------------------


def read_items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_interactions(path: Path) -> list[Interaction]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Interaction(str(r["user"]), str(r["item"]), float(r["timestamp"]))
            for r in csv.DictReader(handle)
        ]


def _sort_key(value: str) -> tuple[int, int | str]:
    """Numeric ids in numeric order (the protocol's tie-break), others after, as text."""
    return (0, int(value)) if value.lstrip("-").isdigit() else (1, value)


def sequences(interactions: Iterable[Interaction]) -> dict[str, list[Interaction]]:
    """Each user's plays ordered by (timestamp, item id), one play per item (the first)."""
    by_user: dict[str, list[Interaction]] = {}
    for row in interactions:
        by_user.setdefault(row.user, []).append(row)
    out = {}
    for user, rows in by_user.items():
        rows.sort(key=lambda r: (r.timestamp, _sort_key(r.item)))
        seen: set[str] = set()
        out[user] = [r for r in rows if not (r.item in seen or seen.add(r.item))]  # type: ignore[func-returns-value]
    return out


# --- the temporary library ---------------------------------------------------------------------


def _model_file(cache_dir: Path, model_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)
    return cache_dir / f"eval-embeddings-{safe}.npz"


def load_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with np.load(path) as data:
        return {str(h): v for h, v in zip(data["hashes"], data["vectors"], strict=True)}


def save_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    hashes = sorted(cache)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, hashes=np.asarray(hashes), vectors=np.stack([cache[h] for h in hashes]))
    os.replace(tmp, path)


def build_library(
    database: Database,
    items: list[dict[str, Any]],
    embedder: Embedder,
    cache_dir: Path,
) -> tuple[dict[str, int], int]:
    """Insert the catalogue as movies with one present file each, embed it; returns the
    dataset-id → item-id map and how many documents had to be embedded."""
    ordered = sorted(items, key=lambda it: _sort_key(str(it["id"])))
    ids: dict[str, int] = {}
    with database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(b"/reelcast-eval", "video")
        for it in ordered:
            year_text = str(it.get("year") or "")
            item_id = cat.insert_item(
                {
                    "kind": "movie",
                    "title": str(it.get("title") or ""),
                    "year": int(year_text) if year_text.isdigit() else None,
                    "genres": json.dumps(list(it.get("genres") or [])),
                    "language": it.get("language") or None,
                    "description": it.get("overview") or None,
                    "votes": it.get("vote_count"),
                    "rating": it.get("vote_average"),
                }
            )
            path = f"/reelcast-eval/{it['id']}.mkv".encode()
            cat.insert_file(root.id, path, 1, 0, None, item_id, None)
            ids[str(it["id"])] = item_id
    cat = Catalog(database.db)
    docs = [build_document(item) for item in cat.items()]
    cache_path = _model_file(cache_dir, embedder.model_id)
    cache = load_cache(cache_path)
    todo = [d for d in docs if d.chunks and d.doc_hash not in cache]
    if todo:
        flat = embedder.embed([c for d in todo for c in d.chunks], batch_size=64)
        at = 0
        for doc in todo:
            cache[doc.doc_hash] = item_vector(flat[at : at + len(doc.chunks)])
            at += len(doc.chunks)
        save_cache(cache_path, cache)
    with database.write() as db:
        store = VectorStore(db)
        for doc in docs:
            if doc.chunks:
                store.save(embedder.model_id, doc.item_id, doc.doc_hash, cache[doc.doc_hash][None])
    return ids, len(todo)


# --- running the protocol ----------------------------------------------------------------------


def run_eval(
    items_path: Path,
    interactions_path: Path,
    mode: str = "single",
    out_path: Path | None = None,
    *,
    cache_dir: Path = Path(DEFAULT_CACHE),
    signals: Sequence[str] = SIGNALS,
    diversity: bool = True,
    embedder: Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalResult:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    started = time.monotonic()
    items = read_items(items_path)
    seqs = sequences(read_interactions(interactions_path))
    embedder = embedder or make_embedder(None)
    with tempfile.TemporaryDirectory(prefix="reelcast-eval-") as tmp:
        database = Database(Path(tmp) / DB_NAME)
        try:
            ids, embedded = build_library(database, items, embedder, cache_dir)
            result = _run_cases(
                database, ids, seqs, mode, out_path, embedder.model_id, signals, diversity, progress
            )
        finally:
            database.close()
    result.seconds = time.monotonic() - started
    result.embedded = embedded
    return result


def _run_cases(
    database: Database,
    ids: dict[str, int],
    seqs: dict[str, list[Interaction]],
    mode: str,
    out_path: Path | None,
    model_id: str,
    signals: Sequence[str],
    diversity: bool,
    progress: Callable[[int, int], None] | None,
) -> EvalResult:
    users = sorted(seqs, key=_sort_key)
    plays = {u: [r for r in seqs[u] if r.item in ids] for u in users}
    profiles: dict[str, int] = {}
    with database.write() as db:
        sql = HistorySql(db)
        for user in users:
            profiles[user] = sql.insert_profile(f"user {user}", "", [])
            before = plays[user][: max(0, len(plays[user]) - HOLDOUT)]
            sql.mark_watched_many(profiles[user], [(ids[r.item], r.timestamp) for r in before])
    view = load_view(database, model_id)
    household = None
    if mode == "household":
        # Every profile as it stands before its own last 10: the only part others may see.
        snapshot = [HistorySql(database.db).load_profile_state(profiles[u]) for u in users]
        household = Household.from_states(view, snapshot)
    ctx = Context(view, household, signals=tuple(signals), diversity=diversity)
    reverse = {v: k for k, v in ids.items()}
    total = sum(min(HOLDOUT, len(plays[u])) for u in users)
    hits = gains = 0.0
    latencies: list[float] = []
    out = out_path.open("w", encoding="utf-8") if out_path is not None else None
    try:
        done = 0
        for user in users:
            seq = plays[user]
            for t in range(max(0, len(seq) - HOLDOUT), len(seq)):
                state = HistorySql(database.db).load_profile_state(profiles[user])
                _check_history(state, [ids[r.item] for r in seq[:t]])
                clock = time.perf_counter()
                row = for_you_row(ctx, state, Filters(), CUTOFF)
                latencies.append((time.perf_counter() - clock) * 1000)
                ranked = [reverse[i.item_id] for i in row.items]
                hits += hit_rate(ranked, seq[t].item)
                gains += ndcg(ranked, seq[t].item)
                if out is not None:
                    listed = [_as_id(i) for i in ranked]
                    out.write(json.dumps({"case": f"{user}:{t}", "items": listed}) + "\n")
                # Only now does the target become history, for the next case.
                with database.write() as db:
                    HistorySql(db).mark_watched_many(
                        profiles[user], [(ids[seq[t].item], seq[t].timestamp)]
                    )
                done += 1
                if progress is not None:
                    progress(done, total)
    finally:
        if out is not None:
            out.close()
    cases = max(len(latencies), 1)
    return EvalResult(
        mode=mode,
        cases=len(latencies),
        hr=hits / cases,
        ndcg=gains / cases,
        latency_p50_ms=percentile(latencies, 50),
        latency_p99_ms=percentile(latencies, 99),
        seconds=0.0,
        signals=tuple(signals),
    )


def _as_id(value: str) -> int | str:
    """Dataset ids as the dataset's CSV gives them: numbers when they are numbers."""
    return int(value) if value.lstrip("-").isdigit() else value


def _check_history(state: ProfileState, expected: list[int]) -> None:
    """The replayed state must hold exactly seq[:t]: nothing from the future, nothing lost."""
    got = [w.item_id for w in state.watched]
    if sorted(got) != sorted(expected):
        raise RuntimeError(
            f"profile {state.profile_id}: history has {len(got)} plays, expected {len(expected)}"
        )
