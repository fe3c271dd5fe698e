"""The evaluation harness: metrics by hand, and a protocol that never sees the future."""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from engine.recommend.evaluate import (
    EvalResult,
    Interaction,
    hit_rate,
    ndcg,
    percentile,
    run_eval,
    sequences,
)


class HashEmbedder:
    """A small deterministic bag-of-words embedder: real vectors, no model download."""

    model_id = "test-hash@1"
    dim = 64

    def load(self) -> None:
        pass

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out


def test_metrics_by_hand() -> None:
    ranked = [5, 3, 9, 1]
    assert hit_rate(ranked, 9) == 1.0
    assert hit_rate(ranked, 7) == 0.0
    assert ndcg(ranked, 5) == 1.0
    assert ndcg(ranked, 9) == pytest.approx(1 / math.log2(4))  # rank 2 (0-based)
    assert ndcg(ranked, 7) == 0.0
    assert hit_rate(list(range(20)), 12) == 0.0  # outside the top 10
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 99) == 4.0


def test_sequences_order_by_time_then_item_id() -> None:
    rows = [
        Interaction("1", "20", 5.0),
        Interaction("1", "3", 5.0),
        Interaction("1", "7", 1.0),
        Interaction("1", "100", 5.0),
    ]
    assert [r.item for r in sequences(rows)["1"]] == ["7", "3", "20", "100"]


def _write(tmp: Path, items: list[dict[str, object]], plays: list[tuple[str, str, int]]) -> None:
    with (tmp / "items.jsonl").open("w") as handle:
        for item in items:
            handle.write(json.dumps(item) + "\n")
    with (tmp / "interactions.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user", "item", "rating", "timestamp"])
        for user, item, at in plays:
            writer.writerow([user, item, 4.0, at])


def _items(n: int) -> list[dict[str, object]]:
    topics = ["space ship stars", "cooking food kitchen", "war soldiers battle", "love romance"]
    return [
        {
            "id": str(i),
            "title": f"Film {i}",
            "year": str(1980 + i),
            "genres": ["Drama"] if i % 2 else ["Comedy"],
            "language": "en",
            "overview": f"A story about {topics[i % 4]} number {i}.",
            "vote_count": 100 * i,
            "vote_average": 6.0,
        }
        for i in range(1, n + 1)
    ]


def _read_recs(path: Path) -> dict[str, list[int]]:
    return {
        row["case"]: row["items"]
        for row in (json.loads(line) for line in path.read_text().splitlines())
    }


def _run(tmp: Path, mode: str, out: str) -> tuple[EvalResult, dict[str, list[int]]]:
    result = run_eval(
        tmp / "items.jsonl",
        tmp / "interactions.csv",
        mode,
        tmp / out,
        cache_dir=tmp / "cache",
        embedder=HashEmbedder(),
    )
    return result, _read_recs(tmp / out)


def test_single_mode_never_sees_the_future(tmp_path: Path) -> None:
    # 200 items, so a case's top 10 is a real choice. User 7 plays 30 films; the variant
    # replaces the target of case 25 and every play after it with films of other topics, and
    # adds a second user. Cases 20..25 have the same history in both: the target and anything
    # later (or anyone else) must not move them.
    items = _items(200)
    past = [("7", str(i), 1000 + i) for i in range(1, 26)]
    future = [("7", str(i), 1000 + i) for i in range(26, 31)]
    _write(tmp_path, items, past + future)
    first, a = _run(tmp_path, "single", "a.jsonl")
    assert first.cases == 10
    assert (tmp_path / "cache" / "eval-embeddings-test-hash_1.npz").is_file()
    other = [("7", str(i), 5000 + i) for i in (102, 151, 177, 199, 140)]
    stranger = [("8", str(i), 900 + i) for i in range(100, 130)]
    _write(tmp_path, items, past + other + stranger)
    second, b = _run(tmp_path, "single", "b.jsonl")
    assert second.embedded == 0  # the cache answered
    for t in range(20, 26):
        assert a[f"7:{t}"] == b[f"7:{t}"], t
        assert not set(a[f"7:{t}"]) & set(range(1, t + 1))  # nothing from the history
    # The test can tell: where the histories differ, so do the recommendations.
    assert any(a[f"7:{t}"] != b[f"7:{t}"] for t in range(26, 30))


def _household_plays() -> list[tuple[str, str, int]]:
    """Four users over 80 films, their plays interleaved in time."""
    plays = []
    for u, user in enumerate(("1", "2", "3", "4")):
        films = [1 + (u * 13 + 7 * n) % 80 for n in range(18)]
        plays += [(user, str(film), 100 + 4 * n + u) for n, film in enumerate(films)]
    return plays


def test_household_cases_never_see_the_future(tmp_path: Path) -> None:
    # Users who played every target after everything else happened (the check in the
    # protocol's README): no real case's recommendations may change.
    items = _items(80)
    plays = _household_plays()
    _write(tmp_path, items, plays)
    first, a = _run(tmp_path, "household", "a.jsonl")
    assert first.cases == 40
    last = max(at for _user, _item, at in plays)
    targets = sorted({item for user, item, at in plays if at >= 100 + 4 * 8}, key=int)
    late = [
        (user, item, last + 1 + n)
        for user in ("901", "902", "903")
        for n, item in enumerate(targets)
    ]
    _write(tmp_path, items, plays + late)
    second, b = _run(tmp_path, "household", "b.jsonl")
    assert second.cases == 40 + 30
    for case in a:
        assert a[case] == b[case], case


def test_household_sees_the_others_past(tmp_path: Path) -> None:
    # The other side of the cut: what another profile played before a case does count.
    items = _items(80)
    plays = _household_plays()
    _write(tmp_path, items, plays)
    _result, a = _run(tmp_path, "household", "a.jsonl")
    # User 9 played, long before any case, the films users 1..4 play as their last 10.
    early = [("9", item, n) for n, (_u, item, at) in enumerate(plays) if at >= 100 + 4 * 8]
    _write(tmp_path, items, plays + early)
    _result, b = _run(tmp_path, "household", "b.jsonl")
    changed = [case for case in a if a[case] != b[case]]
    assert len(changed) >= 10


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, _items(3), [("1", "1", 1)])
    with pytest.raises(ValueError, match="unknown mode"):
        run_eval(tmp_path / "items.jsonl", tmp_path / "interactions.csv", "group")
