"""The offline evaluation harness behind `reelcast eval`.

It runs the product, not a model of it: the catalogue goes into a temporary library through
`Catalog`, documents come from `build_document`, vectors from the product's embedder (cached
by document hash, so reruns skip the model), one profile per user is replayed through
`HistorySql.mark_watched_many`, and every case is answered by the For you row
(`engine.recommend.rows.for_you_row`) from the profile state `HistorySql` loads.

Protocol (leave-last-10-out, next-item): order each user's plays by (timestamp, item id); for
each of the last 10 positions t the history is seq[:t] and the target seq[t]; the whole
catalogue is ranked, minus the history. The history is replayed one play at a time, so a case
can only see the past. Household mode adds the other users as local profiles under the strict
time cut: a case sees another profile's plays strictly before the case's target timestamp,
never anything at or after it (`Household.at`). Cases run in global time order, each target
recorded once it is answered.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.documents import build_document, item_vector
from engine.embed.embedder import Embedder, make_embedder
from engine.recommend.catalog_view import load_view
from engine.recommend.household import Household
from engine.recommend.ranking import Filters
from engine.recommend.rows import Context, for_you_row
from engine.recommend.state import ProfileState
from engine.recommend.strategies import HOUSEHOLD_SIGNALS, SIGNALS, for_you
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
    variants: dict[str, tuple[float, float]] = field(default_factory=dict)  # name → HR, NDCG

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
            "variants": {
                name: {"hr@10": round(hr, 4), "ndcg@10": round(nd, 4)}
                for name, (hr, nd) in self.variants.items()
            },
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


# --- running the protocol ---------------------------------------------------------------------


def ablation_variants(mode: str, signals: Sequence[str] = SIGNALS) -> dict[str, list[str]]:
    """One variant per signal that can matter in this mode, each without that signal."""
    useful = [s for s in signals if mode == "household" or s not in HOUSEHOLD_SIGNALS]
    return {s: [x for x in signals if x != s] for s in useful}


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
    variants: Mapping[str, Sequence[str]] | None = None,
) -> EvalResult:
    """Run the protocol; `variants` (name → signals) are also scored on every case, from the
    same scoring: the ablation in one pass instead of one run per removed signal."""
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
                database,
                ids,
                seqs,
                mode,
                out_path,
                embedder.model_id,
                signals,
                diversity,
                progress,
                dict(variants or {}),
            )
        finally:
            database.close()
    result.seconds = time.monotonic() - started
    result.embedded = embedded
    return result


@dataclass(frozen=True)
class Case:
    user: str
    t: int  # position of the target in the user's sequence
    at: float  # the target's timestamp: the moment the case is asked

    @property
    def name(self) -> str:
        return f"{self.user}:{self.t}"


def cases_in_time_order(plays: dict[str, list[Interaction]]) -> list[Case]:
    """Every user's last HOLDOUT positions, in global (timestamp, user, position) order: a
    user's own cases stay in sequence order, and everything before a case has been asked."""
    cases = [
        Case(user, t, seq[t].timestamp)
        for user, seq in plays.items()
        for t in range(max(0, len(seq) - HOLDOUT), len(seq))
    ]
    return sorted(cases, key=lambda c: (c.at, _sort_key(c.user), c.t))


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
    variants: dict[str, Sequence[str]],
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
        # Every profile's plays with their times, as production loads them; each case sees
        # them only as of its target's timestamp (the strict time cut), and the targets join
        # as they are answered. Cases run in global time order, so by the time a case is asked
        # every play before it is recorded.
        states = [HistorySql(database.db).load_profile_state(profiles[u]) for u in users]
        household = Household.from_states(view, states)
    reverse = {v: k for k, v in ids.items()}
    cases = cases_in_time_order(plays)
    hits = gains = 0.0
    latencies: list[float] = []
    union = sorted(set(signals).union(*variants.values()))
    scores = {name: [0.0, 0.0] for name in variants}
    lines: dict[tuple[tuple[int, int | str], int], str] = {}
    for done, case in enumerate(cases, 1):
        seq = plays[case.user]
        state = HistorySql(database.db).load_profile_state(profiles[case.user])
        _check_history(state, [ids[r.item] for r in seq[: case.t]])
        cut = household.at(case.at) if household is not None else None
        ctx = Context(view, cut, signals=tuple(signals), diversity=diversity)
        clock = time.perf_counter()
        row = for_you_row(ctx, state, Filters(), CUTOFF)
        latencies.append((time.perf_counter() - clock) * 1000)
        ranked = [reverse[i.item_id] for i in row.items]
        target = seq[case.t]
        hits += hit_rate(ranked, target.item)
        gains += ndcg(ranked, target.item)
        if variants:
            _score_variants(ctx, state, union, variants, diversity, ids[target.item], scores)
        if out_path is not None:
            listed = [_as_id(i) for i in ranked]
            lines[(_sort_key(case.user), case.t)] = json.dumps({"case": case.name, "items": listed})
        # Only now does the target become history, for the later cases.
        item_id = ids[target.item]
        with database.write() as db:
            HistorySql(db).mark_watched_many(profiles[case.user], [(item_id, target.timestamp)])
        if household is not None:
            col = view.position(item_id)
            if col is not None:
                household.add(profiles[case.user], col, target.timestamp)
        if progress is not None:
            progress(done, len(cases))
    if out_path is not None:
        with out_path.open("w", encoding="utf-8") as out:
            out.writelines(lines[key] + "\n" for key in sorted(lines))
    count = max(len(latencies), 1)
    return EvalResult(
        mode=mode,
        cases=len(latencies),
        hr=hits / count,
        ndcg=gains / count,
        latency_p50_ms=percentile(latencies, 50),
        latency_p99_ms=percentile(latencies, 99),
        seconds=0.0,
        signals=tuple(signals),
        variants={name: (hr / count, nd / count) for name, (hr, nd) in scores.items()},
    )


def _score_variants(
    ctx: Context,
    state: ProfileState,
    union: Sequence[str],
    variants: dict[str, Sequence[str]],
    diversity: bool,
    target: int,
    scores: dict[str, list[float]],
) -> None:
    """Each variant's For you row from one scoring with every signal any variant uses: a
    signal left out is its log-score subtracted (the same sum `for_you` makes without it; the
    candidates are every item in a catalogue this size). The row itself is the production
    `for_you_row`, handed the variant's scoring through the context's per-state cache."""
    full = for_you(ctx.view, state, household=ctx.household, signals=union)
    for name, keep in variants.items():
        parts = {k: v for k, v in full.parts.items() if k not in union or k in keep}
        score = np.zeros(len(full.rows))
        for signal in sorted(parts):
            score += parts[signal]
        scored = replace(full, score=score, parts=parts)
        one = Context(ctx.view, ctx.household, signals=tuple(keep), diversity=diversity)
        one._scored[state.profile_id] = (state, scored)
        ranked = [i.item_id for i in for_you_row(one, state, Filters(), CUTOFF).items]
        scores[name][0] += hit_rate(ranked, target)
        scores[name][1] += ndcg(ranked, target)


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
