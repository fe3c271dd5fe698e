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


def test_protocol_never_sees_the_future(tmp_path: Path) -> None:
    # 12 items, one user who plays all 12: at case t every unplayed item fits in the top 10,
    # so the future targets must all be there, and nothing from the history.
    _write(tmp_path, _items(12), [("7", str(i), 1000 + i) for i in range(1, 13)])
    out = tmp_path / "recs.jsonl"
    result = run_eval(
        tmp_path / "items.jsonl",
        tmp_path / "interactions.csv",
        "single",
        out,
        cache_dir=tmp_path / "cache",
        embedder=HashEmbedder(),
    )
    assert result.cases == 10
    recs = _read_recs(out)
    assert sorted(recs) == sorted(f"7:{t}" for t in range(2, 12))
    for t in range(2, 12):
        history, future = set(range(1, t + 1)), set(range(t + 1, 13))
        assert not history & set(recs[f"7:{t}"])
        assert future <= set(recs[f"7:{t}"])
    # Every case's target was in a list of all unplayed items: a hit each time.
    assert result.hr == 1.0
    assert (tmp_path / "cache" / "eval-embeddings-test-hash_1.npz").is_file()
    again = run_eval(
        tmp_path / "items.jsonl",
        tmp_path / "interactions.csv",
        "single",
        None,
        cache_dir=tmp_path / "cache",
        embedder=HashEmbedder(),
    )
    assert again.embedded == 0  # the cache answered
    assert (again.hr, again.ndcg) == (result.hr, result.ndcg)


def test_household_uses_only_the_others_past(tmp_path: Path) -> None:
    items = _items(40)
    base = [("1", str(i), 100 + i) for i in range(1, 16)]
    other = [("2", str(i), 100 + i) for i in range(10, 25)]
    _write(tmp_path, items, base + other)
    first = run_eval(
        tmp_path / "items.jsonl",
        tmp_path / "interactions.csv",
        "household",
        tmp_path / "a.jsonl",
        cache_dir=tmp_path / "cache",
        embedder=HashEmbedder(),
    )
    # Change only user 2's last 10 plays: user 1's cases must not move at all.
    changed = other[:5] + [("2", str(i), 500 + i) for i in range(30, 40)]
    _write(tmp_path, items, base + changed)
    second = run_eval(
        tmp_path / "items.jsonl",
        tmp_path / "interactions.csv",
        "household",
        tmp_path / "b.jsonl",
        cache_dir=tmp_path / "cache",
        embedder=HashEmbedder(),
    )
    a, b = _read_recs(tmp_path / "a.jsonl"), _read_recs(tmp_path / "b.jsonl")
    assert first.cases == second.cases == 20
    for case in a:
        if case.startswith("1:"):
            assert a[case] == b[case]


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, _items(3), [("1", "1", 1)])
    with pytest.raises(ValueError, match="unknown mode"):
        run_eval(tmp_path / "items.jsonl", tmp_path / "interactions.csv", "group")
