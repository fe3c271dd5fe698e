"""The catalogue as numpy arrays, for vectorised scoring.

One row per item, in item-id order: kind, show, season/episode, year, duration, language,
genres, votes, rating, when it was added and whether a file of it can be played now, plus the
item's vector from the active model. Loaded in one pass over SQLite; `CatalogViewCache` keeps
the last view and reloads only when a cheap signature of the tables changes.

Vectors are float32 while the library is small enough for an exact scan
(`EXACT_BELOW`); a larger library keeps float16 (half the memory: 77 MB for 100k × 384) and
generates candidates from the usearch "items" index instead of scanning everything.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.store.catalog import Catalog
from engine.store.db import Database
from engine.store.described_sql import described_ids
from engine.store.vectors import VectorStore

EXACT_BELOW = 20_000
# The change check scans items and files (milliseconds at 100k items): at most this often.
# Writers that know they changed the catalogue call `CatalogViewCache.invalidate()`.
RECHECK_SECONDS = 2.0

KINDS = ("podcast", "episode", "movie", "audio", "video")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


def _epoch(text: Any) -> float:
    """Seconds since the epoch of an ISO date or timestamp; NaN when absent or unreadable."""
    if not isinstance(text, str) or not text:
        return float("nan")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("nan")


def _number(value: Any) -> float:
    try:
        return float(value) if value is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


@dataclass
class CatalogView:
    """Immutable after construction; share it between threads freely."""

    ids: IntArray
    kind: npt.NDArray[np.int8]  # index into KINDS, -1 unknown
    titles: list[str]
    show: IntArray  # show id, -1 none
    show_titles: dict[int, str]
    season: FloatArray  # NaN unknown
    episode: FloatArray
    aired: npt.NDArray[np.float64]  # epoch seconds of air_date, NaN unknown
    year: FloatArray  # NaN unknown
    duration: FloatArray  # seconds, NaN unknown
    language: npt.NDArray[np.int32]  # index into `languages`, -1 unknown
    languages: list[str]
    genres: npt.NDArray[np.float32]  # (n, g) 0/1
    genre_names: list[str]
    votes: FloatArray  # NaN unknown
    rating: FloatArray  # 0-10, NaN unknown
    added: npt.NDArray[np.float64]  # epoch seconds of created_at
    playable: BoolArray  # a present, online file
    vectors: npt.NDArray[np.floating[Any]]  # (n, dim) unit rows; zeros where has_vector is False
    has_vector: BoolArray
    model_id: str | None = None
    described: BoolArray | None = None  # has a description; None: not known (all treated so)
    signature: tuple[Any, ...] = ()
    _pos: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._pos:
            self._pos = {int(item_id): n for n, item_id in enumerate(self.ids.tolist())}

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def exact(self) -> bool:
        """Small enough to score every item; larger views score index candidates only."""
        return len(self) < EXACT_BELOW

    def position(self, item_id: int) -> int | None:
        return self._pos.get(int(item_id))

    def positions(self, item_ids: Sequence[int]) -> IntArray:
        """Row numbers of the given ids, unknown ids left out (order kept)."""
        rows = [self._pos[i] for i in item_ids if i in self._pos]
        return np.asarray(rows, dtype=np.int64)

    def vectors_at(self, rows: IntArray) -> FloatArray:
        return np.asarray(self.vectors[rows], dtype=np.float32)

    def kind_name(self, row: int) -> str:
        code = int(self.kind[row])
        return KINDS[code] if code >= 0 else "unknown"


def load_view(database: Database, model_id: str | None) -> CatalogView:
    """Read every item (and its vector under `model_id`, when given) into a view."""
    with database.snapshot() as db:
        cat = Catalog(db)
        signature = (cat.revision("catalog"),)
        rows = cat.feature_rows()
        described_set = described_ids(db)
    n = len(rows)
    kind_code = {k: i for i, k in enumerate(KINDS)}
    lang_code: dict[str, int] = {}
    genre_code: dict[str, int] = {}
    genre_rows: list[list[int]] = []
    show_titles: dict[int, str] = {}
    cols: dict[str, list[float]] = {
        k: [] for k in ("season", "episode", "aired", "year", "duration", "votes", "rating")
    }
    ids, kinds, titles, shows, langs, added, playable = [], [], [], [], [], [], []
    for row in rows:
        (item_id, kind, title, show_id, season, episode, air_date, year, duration) = row[:9]
        (language, genres, rating, votes, created_at, show_title, ok, _offline) = row[9:]
        ids.append(int(item_id))
        kinds.append(kind_code.get(kind, -1))
        titles.append(str(title or ""))
        shows.append(int(show_id) if show_id is not None else -1)
        if show_id is not None and show_title:
            show_titles[int(show_id)] = str(show_title)
        cols["season"].append(_number(season))
        cols["episode"].append(_number(episode))
        cols["aired"].append(_epoch(air_date))
        cols["year"].append(_number(year))
        cols["duration"].append(_number(duration))
        cols["votes"].append(_number(votes))
        cols["rating"].append(_number(rating))
        lang = str(language).lower()[:2] if language else ""
        langs.append(lang_code.setdefault(lang, len(lang_code)) if lang else -1)
        names = json.loads(genres) if genres else []
        genre_rows.append(
            sorted({genre_code.setdefault(str(g).casefold(), len(genre_code)) for g in names})
        )
        added.append(_epoch(created_at))
        playable.append(bool(ok))
    genre_matrix = np.zeros((n, max(len(genre_code), 1)), dtype=np.float32)
    for r, codes in enumerate(genre_rows):
        genre_matrix[r, codes] = 1.0
    id_array = np.asarray(ids, dtype=np.int64)
    vectors, has_vector = _vectors(database, model_id, id_array)
    f32 = {k: np.asarray(v, dtype=np.float32) for k, v in cols.items()}
    return CatalogView(
        ids=id_array,
        kind=np.asarray(kinds, dtype=np.int8),
        titles=titles,
        show=np.asarray(shows, dtype=np.int64),
        show_titles=show_titles,
        season=f32["season"],
        episode=f32["episode"],
        aired=np.asarray(cols["aired"], dtype=np.float64),
        year=f32["year"],
        duration=f32["duration"],
        language=np.asarray(langs, dtype=np.int32),
        languages=list(lang_code),
        genres=genre_matrix,
        genre_names=list(genre_code),
        votes=f32["votes"],
        rating=f32["rating"],
        added=np.asarray(added, dtype=np.float64),
        playable=np.asarray(playable, dtype=np.bool_),
        vectors=vectors,
        has_vector=has_vector,
        model_id=model_id,
        described=np.asarray([i in described_set for i in ids], dtype=np.bool_),
        signature=signature,
    )


def _vectors(
    database: Database, model_id: str | None, ids: IntArray
) -> tuple[npt.NDArray[np.floating[Any]], BoolArray]:
    found = VectorStore(database.db).item_vectors(model_id) if model_id else {}
    dim = len(next(iter(found.values()))) if found else 1
    dtype = np.float32 if len(ids) < EXACT_BELOW else np.float16
    matrix = np.zeros((len(ids), dim), dtype=dtype)
    has = np.zeros(len(ids), dtype=np.bool_)
    for row, item_id in enumerate(ids.tolist()):
        vector = found.get(item_id)
        if vector is not None and vector.shape[0] == dim:
            matrix[row] = vector
            has[row] = True
    return matrix, has


class CatalogViewCache:
    """The current view; `get` reloads only when items, files or vectors changed."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._lock = threading.Lock()
        self._view: CatalogView | None = None
        self._checked = 0.0

    def get(self, model_id: str | None) -> CatalogView:
        view = self._view
        fresh = time.monotonic() - self._checked < RECHECK_SECONDS
        if view is not None and view.model_id == model_id and fresh:
            return view
        signature = (Catalog(self.database.db).revision("catalog"),)
        if view is not None and view.model_id == model_id and view.signature == signature:
            return view
        with self._lock:
            view = self._view
            if view is None or view.model_id != model_id or view.signature != signature:
                view = load_view(self.database, model_id)
                self._view = view
            self._checked = time.monotonic()
            return view

    def invalidate(self) -> None:
        with self._lock:
            self._view = None
