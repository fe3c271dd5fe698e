"""`Recommender`: the object the façade holds to build recommendation rows.

It keeps the catalogue view (reloaded only when items, files or vectors change) and the
household — every profile's state, reloaded only when the history changes — and answers
rows for one profile from them. Pass the active model's embedder (to embed a profile's
declared interests) and its index (for candidate generation in large libraries); without them
the rows still work, from the vectors in SQLite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.recommend.catalog_view import CatalogView, CatalogViewCache, FloatArray
from engine.recommend.ranking import Filters
from engine.recommend.rows import (
    ROW_KINDS,
    BecauseConfig,
    Context,
    Row,
    assemble,
    more_like_this,
)
from engine.recommend.state import ProfileState
from engine.recommend.strategies import Household, Neighbours
from engine.store.catalog import Catalog
from engine.store.db import Database
from engine.store.history_sql import HistorySql

if TYPE_CHECKING:
    from engine.embed.embedder import Embedder
    from engine.embed.index import VectorIndex


class Recommender:
    """Thread-safe; cheap to call repeatedly (the heavy state is cached)."""

    def __init__(
        self,
        database: Database,
        embedder: Embedder | None = None,
        index: VectorIndex | None = None,
        *,
        model_id: str | None = None,
        because: BecauseConfig | None = None,
    ) -> None:
        self.database = database
        self.embedder = embedder
        self.index = index
        self.model_id = model_id or (embedder.model_id if embedder is not None else None)
        self.because = because or BecauseConfig()
        self._views = CatalogViewCache(database)
        self._lock = threading.Lock()
        self._states: dict[int, ProfileState] = {}
        self._household: tuple[tuple[object, ...], int, Household] | None = None
        self._signature: tuple[object, ...] = ()
        self._interests: dict[str, FloatArray | None] = {}

    # --- public ------------------------------------------------------------------------------

    def rows(
        self,
        profile_id: int,
        filters: Filters | None = None,
        kinds: Sequence[str] = ROW_KINDS,
        *,
        now: float | None = None,
    ) -> list[Row]:
        """The home screen's rows for a profile, in order; empty rows are left out."""
        ctx, state = self._context(profile_id, now)
        return assemble(ctx, state, filters, kinds, self.because)

    def row(self, profile_id: int, kind: str, filters: Filters | None = None) -> list[Row]:
        """One kind of row ("because" may give several)."""
        if kind not in ROW_KINDS:
            raise ValueError(f"unknown row {kind!r}; use one of {', '.join(ROW_KINDS)}")
        return self.rows(profile_id, filters, (kind,))

    def more_like_this(self, item_id: int, profile_id: int | None = None, k: int = 10) -> Row:
        """Items like this one for its detail page (a profile's exclusions apply when given)."""
        if profile_id is None:
            return more_like_this(self._bare_context(), item_id, None, k)
        ctx, state = self._context(profile_id, None)
        return more_like_this(ctx, item_id, state, k)

    def view(self) -> CatalogView:
        return self._views.get(self._model())

    def invalidate(self) -> None:
        """The catalogue changed (scan, embed pass): reload the view on the next call."""
        self._views.invalidate()

    # --- plumbing ----------------------------------------------------------------------------

    def _model(self) -> str | None:
        if self.model_id is None:
            from engine.store.vectors import VectorStore

            models = sorted(VectorStore(self.database.db).models())
            self.model_id = models[0] if len(models) == 1 else None
        return self.model_id

    def _neighbours(self) -> Neighbours | None:
        if self.index is None:
            return None
        snapshot = self.index.snapshot()
        return lambda query, k: snapshot.search("items", query, k)

    def _embed_interests(self, text: str) -> FloatArray | None:
        if self.embedder is None:
            return None
        with self._lock:
            if text in self._interests:
                return self._interests[text]
        vector: FloatArray = self.embedder.embed([text])[0]
        with self._lock:
            self._interests[text] = vector
        return vector

    def _bare_context(self) -> Context:
        return Context(self.view(), None, self._neighbours(), self._embed_interests, time.time())

    def _context(self, profile_id: int, now: float | None) -> tuple[Context, ProfileState]:
        view = self.view()
        household, state = self._profiles(view, profile_id)
        ctx = Context(
            view,
            household,
            self._neighbours(),
            self._embed_interests,
            time.time() if now is None else now,
        )
        return ctx, state

    def _profiles(self, view: CatalogView, profile_id: int) -> tuple[Household, ProfileState]:
        """Every profile's state and the household matrix, reloaded when the history changed."""
        db = self.database.db
        signature = (Catalog(db).revision("history"),)
        with self._lock:
            cached = self._household
            if cached is not None and cached[0] == signature and cached[1] == id(view):
                state = self._states.get(profile_id)
                if state is not None:
                    return cached[2], state
            sql = HistorySql(db)
            states = {pid: sql.load_profile_state(pid) for pid in sql.all_profile_ids()}
            if profile_id not in states:
                raise KeyError(f"no profile {profile_id}")
            household = Household.from_states(view, states.values())
            self._states = states
            self._household = (signature, id(view), household)
            return household, states[profile_id]
