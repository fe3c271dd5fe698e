"""An immutable view of one model's published index generations, and search across them."""

from __future__ import annotations

import heapq
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from usearch.index import Index

from engine.embed.segment_file import graph
from engine.store.vectors import Generation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    """One published generation loaded in memory. Its `index` is never mutated after publishing:
    updates work on a copy, so any number of readers can search it while a writer prepares the
    next generation."""

    generation: Generation
    index: Index
    tombstones: int

    @property
    def family(self) -> str:
        return self.generation.family

    @property
    def name(self) -> str:
        return self.generation.segment

    def __len__(self) -> int:
        return len(self.index)


class Snapshot:
    """The generations in use at one moment. Searching it never sees a later publish."""

    def __init__(self, segments: Mapping[tuple[str, str], Segment], exact_below: int) -> None:
        self._segments = MappingProxyType(dict(segments))
        self.exact_below = exact_below
        for (family, _), seg in self._segments.items():
            # A loaded file searches at usearch's width; each family at its measured one.
            width = graph(family)[2]
            if seg.index.expansion_search != width:
                seg.index.expansion_search = width  # type: ignore[misc]

    @property
    def generations(self) -> tuple[int, ...]:
        return tuple(sorted(seg.generation.id for seg in self._segments.values()))

    @property
    def segments(self) -> Mapping[tuple[str, str], Segment]:
        return self._segments

    def segment(self, family: str, segment: str) -> Segment | None:
        return self._segments.get((family, segment))

    def count(self, family: str) -> int:
        return sum(len(seg) for (fam, _), seg in self._segments.items() if fam == family)

    def search(self, family: str, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k keys most similar to `query` (cosine similarity), best first, ties by key."""
        if k <= 0:
            return []
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        found: list[tuple[float, int]] = []
        for (fam, _), seg in sorted(self._segments.items()):
            if fam != family or len(seg) == 0:
                continue
            if vector.shape[0] != seg.index.ndim:
                raise ValueError(f"query has {vector.shape[0]} dimensions, index {seg.index.ndim}")
            # Brute force is exact and, below the measured crossover, no slower than HNSW.
            exact = len(seg) < self.exact_below
            matches = seg.index.search(vector, min(k, len(seg)), exact=exact, threads=1)
            found.extend(
                (1.0 - float(dist), int(key))
                for key, dist in zip(matches.keys, matches.distances, strict=True)
            )
        best = heapq.nsmallest(k, found, key=lambda pair: (-pair[0], pair[1]))
        return [(key, sim) for sim, key in best]
