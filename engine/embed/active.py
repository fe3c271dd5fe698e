"""The model in use: its embedder and its vector index, swapped whole on a model change.

Queries take `current()` once and use that pair to the end, so during a switch every query is
answered by exactly one model's generation: the old one until the new one is fully built.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.embed.embedder import Embedder, make_embedder
from engine.embed.index import VectorIndex
from engine.embed.pipeline import EmbedPass, EmbedProgress
from engine.embed.snapshot import Snapshot
from engine.store import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActiveModel:
    embedder: Embedder
    index: VectorIndex
    repairs: tuple[str, ...] = ()  # what opening the index found wrong and mended

    def embed_pass(self, database: Database) -> EmbedPass:
        return EmbedPass(database, self.embedder, self.index)


class Models:
    def __init__(self, database: Database, index_dir: Path, *, isolated: bool = False) -> None:
        self.database = database
        self.index_dir = index_dir
        self.isolated = isolated  # the model runs in a child process (see embedder_process)
        self._lock = threading.Lock()
        self._active: ActiveModel | None = None
        self._setting: str | None = None
        self._building: Embedder | None = None  # the model being loaded, if any
        self._interrupted = False
        self._build_lock = threading.Lock()

    def configure(self, model_setting: str | None) -> None:
        """The model to load on first use (before anything was loaded)."""
        self._setting = model_setting

    def peek(self) -> ActiveModel | None:
        """The active model if it is loaded, without loading it."""
        return self._active

    def view(self) -> tuple[ActiveModel, Snapshot] | None:
        """The active model and a snapshot of its index, taken together; None before it loads.

        A switch swaps the new model in and then closes the old index (an empty snapshot), so a
        query that picked the old model just before the swap could read that empty snapshot and
        rank by keywords alone. A snapshot taken once the model has changed is dropped and
        taken again from the new model."""
        while True:
            active = self._active
            if active is None:
                return None
            snapshot = active.index.snapshot()
            if self._active is active:  # still in use, so the snapshot predates any close
                return active, snapshot

    def current(self) -> ActiveModel:
        """The active model; the first call loads it (seconds) and opens its index."""
        active = self._active
        if active is not None:
            return active
        with self._lock:
            if self._active is None:
                self._active = self._build(self._setting)
            return self._active

    def _build(self, setting: str | None) -> ActiveModel:
        embedder = make_embedder(setting, isolated=self.isolated)
        with self._build_lock:  # against `interrupt` on another thread
            if self._interrupted:
                raise RuntimeError("the model is not loaded: the library is closing")
            self._building = embedder
        try:
            index = VectorIndex(self.database, self.index_dir, embedder.model_id, embedder.dim)
            repairs = tuple(index.open())
            for message in repairs:
                log.warning("index: %s", message)
            embedder.load()
        finally:
            self._building = None
        return ActiveModel(embedder, index, repairs)

    def interrupt(self) -> None:
        """Abandon a model that is still loading (the app is quitting); lock-free on purpose,
        since the loading thread holds the lock."""
        with self._build_lock:
            self._interrupted = True
            building = self._building
        if building is not None:
            _close_embedder(building)

    def switch(
        self,
        model_setting: str | None,
        progress: Callable[[EmbedProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ActiveModel | None:
        """Build the new model's vectors and index off to the side, then swap it in atomically.

        Returns None when cancelled: the old model stays active and nothing is lost (the new
        vectors already in SQLite are reused by the next attempt)."""
        current = self._active
        if current is not None and make_embedder(model_setting).model_id == (
            current.embedder.model_id
        ):
            # The same model (say, the same folder picked again): one live index per model.
            with self._lock:
                self._setting = model_setting
            return current
        candidate = self._build(model_setting)
        counts = candidate.embed_pass(self.database).run(False, progress, cancelled)
        if counts.cancelled:
            candidate.index.close()
            _close_embedder(candidate.embedder)
            return None
        with self._lock:
            old, self._active = self._active, candidate
            self._setting = model_setting
        if old is not None and old.embedder.model_id != candidate.embedder.model_id:
            old.index.close()
            _close_embedder(old.embedder)
        log.info("switched to model %s", candidate.embedder.model_id)
        return candidate

    def reconfigure(self, model_setting: str | None) -> None:
        """Use another model from now on, dropping the active one without a switch: only for
        a library with nothing embedded yet (the first run's choice), whose index is empty."""
        with self._lock:
            active, self._active = self._active, None
            self._setting = model_setting
        if active is not None:
            active.index.close()
            _close_embedder(active.embedder)

    def close(self) -> None:
        with self._lock:
            active, self._active = self._active, None  # out of `view` before it closes
            if active is not None:
                active.index.close()
                _close_embedder(active.embedder)


def _close_embedder(embedder: Embedder) -> None:
    close = getattr(embedder, "close", None)  # a child process to stop; in-process: nothing
    if close is not None:
        close()
