"""The façade: the one object the desktop app, the CLI and the tests talk to."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from engine import (
    library_art,
    library_folders,
    library_indexing,
    library_queries,
    library_speech,
)
from engine.ingest.pool import DEFAULT_TIMEOUT, Extractor, ReaderPool
from engine.ingest.scanner import (
    ProgressFn,
    ScanCounts,
    Scanner,
    ScanProgress,
)
from engine.library_errors import IndexingElsewhere, LibraryError
from engine.library_folders import KINDS, MovedRoot
from engine.library_queries import QueryVectors
from engine.logs import configure_logging, log_path
from engine.paths import data_dir
from engine.recommend.history import History, HistoryError, Profile
from engine.store import Catalog, Database
from engine.store.browse_sql import SORTS, STATES, BrowseQuery, BrowseSql
from engine.store.catalog import ForgetCounts, Root
from engine.store.changes import ChangeQueue
from engine.store.cjk import has_cjk, highlight_spans
from engine.store.db import DB_NAME
from engine.store.plain import quick_rows_possible
from engine.store.search_sql import SearchFilters
from engine.store.settings import Settings, load_settings, save_settings

if TYPE_CHECKING:  # the embedding stack pulls in numpy and usearch: load it on first use
    from engine.embed.active import ActiveModel, Models
    from engine.embed.model_catalog import ModelAdvice, PackagedModel
    from engine.embed.pipeline import EmbedCounts, EmbedPass, EmbedProgress
    from engine.embed.transcriber import Transcriber
    from engine.embed.writer_lock import WriterLock
    from engine.library_queries import ModelView
    from engine.recommend.history_io import ImportReport
    from engine.recommend.ranking import Filters
    from engine.recommend.recommender import Recommender
    from engine.recommend.rows import Row, RowItem
    from engine.watch.service import IndexingStatus, WatchService
    from engine.watch.worker import WorkerStatus

log = logging.getLogger(__name__)
_T = TypeVar("_T")

# What desktop/ may use: the façade and the types its methods take and return.
__all__ = [
    "KINDS",
    "SORTS",
    "STATES",
    "BrowseQuery",
    "ForgetCounts",
    "History",
    "HistoryError",
    "ImportReport",
    "IndexingElsewhere",
    "Library",
    "LibraryError",
    "ModelAdvice",
    "MovedRoot",
    "PackagedModel",
    "Profile",
    "Root",
    "Row",
    "RowItem",
    "ScanCounts",
    "ScanProgress",
    "SearchFilters",
    "Settings",
    "has_cjk",
    "highlight_spans",
]

# Exported but loaded on first use (rows pull in numpy): the window's first paint needs neither.
_LAZY = {
    "ImportReport": "engine.recommend.history_io",
    "ModelAdvice": "engine.embed.model_catalog",
    "PackagedModel": "engine.embed.model_catalog",
    "Row": "engine.recommend.rows",
    "RowItem": "engine.recommend.rows",
}

if not TYPE_CHECKING:  # hidden from mypy, so a misspelt import from here stays an error

    def __getattr__(name: str) -> object:
        if name in _LAZY:
            import importlib

            return getattr(importlib.import_module(_LAZY[name]), name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Library(library_speech.SpeechFacade):
    def __init__(
        self,
        data_dir_override: str | os.PathLike[str] | None = None,
        *,
        reader_timeout: float = DEFAULT_TIMEOUT,
        workers: int | None = None,
        extractor: Extractor | None = None,
        embed_in_child: bool = False,
    ) -> None:
        """`embed_in_child`: run the embedding model in a child process, so torch never loads
        into this one (the desktop app: its window must not freeze while the model loads)."""
        self.data_dir = data_dir(data_dir_override)
        self._embed_in_child = embed_in_child
        configure_logging(self.data_dir)
        self.log_path = log_path(self.data_dir)
        self.database = Database(self.data_dir / DB_NAME)
        self.thumbs_dir = self.data_dir / "thumbs"
        pool_args: dict[str, Any] = {"workers": workers, "timeout": reader_timeout}
        if extractor is not None:
            pool_args["extractor"] = extractor
        self._pool = ReaderPool(**pool_args)
        self._scanner = Scanner(self.database, self._pool, self.thumbs_dir)
        self.index_dir = self.data_dir / "index"
        self._models: Models | None = None
        self._transcriber: Transcriber | None = None
        self._models_lock = threading.Lock()
        self._queries = QueryVectors()  # one embedding per query for items and passages alike
        self._closing = False
        self._watch_lock = threading.Lock()
        self._watch: WatchService | None = None
        self.history = History(self.database)
        self._recommender: Recommender | None = None
        self._quick: Recommender | None = None  # model-less, for the rows shown at start-up

    # --- library folders ---------------------------------------------------------------------

    def add_root(self, path: str | os.PathLike[str], kind: str) -> Root:
        """Add a folder. A removed folder added again at the same path comes back as it was
        (same folder, items and history); files the library knew elsewhere are reattached to
        their items by the scan. See `moved_root_candidate` for a folder that moved."""
        return library_folders.add_root(self.database, path, kind)

    def moved_root_candidate(self, path: str | os.PathLike[str]) -> MovedRoot | None:
        """A known folder that is unavailable or removed and whose files are found under `path`
        (a sample, stat only): probably that folder moved, so offer `move_root`."""
        return library_folders.moved_root_candidate(self.database, path)

    def move_root(self, root_id: int, new_path: str | os.PathLike[str]) -> Root:
        """This folder moved: rewrite its path and every file path under it in one step; the
        next scan confirms each file by fingerprint (same items, same history)."""
        return library_folders.move_root(self.database, root_id, new_path)

    def remove_root(self, root_id: int) -> None:
        """Stop scanning a folder and hide its items. Items, history and fingerprints stay:
        adding the folder again, at this path or another, brings them back."""
        library_folders.remove_root(self.database, root_id)
        self._invalidate()

    def forget_counts(self, root_id: int) -> ForgetCounts:
        """What `forget_root` would delete: items only in this folder, and their history."""
        return library_folders.forget_counts(self.database, root_id)

    def forget_root(self, root_id: int) -> ForgetCounts:
        """Delete a folder for good, with the items that are only in it and their history."""
        counts = library_folders.forget_root(self.database, root_id)
        self._invalidate()
        self.request_indexing()  # the worker drops the folder's index segment
        return counts

    def set_root_kind(self, root_id: int, kind: str) -> None:
        """Change what a folder holds; the next scan reads its files with the new kind."""
        library_folders.set_root_kind(self.database, root_id, kind)

    def roots(self, include_removed: bool = False) -> list[Root]:
        """The library folders; removed ones (state "removed") only on request."""
        return Catalog(self.database.reader).roots(include_removed)

    def _invalidate(self) -> None:
        for recommender in (self._recommender, self._quick):
            if recommender is not None:
                recommender.invalidate()

    # --- scanning ----------------------------------------------------------------------------

    def scan(
        self,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ScanCounts:
        """Bring the catalogue up to date with every library folder."""
        counts = self._scanner.scan(self.roots(), progress, cancelled)
        for recommender in (self._recommender, self._quick):
            if recommender is not None:
                recommender.invalidate()
        return counts

    # --- reading the catalogue ---------------------------------------------------------------

    def items(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        return Catalog(self.database.db).items(limit, offset)

    def item_ids(self) -> list[int]:
        return Catalog(self.database.db).item_ids()

    def item_count(self) -> int:
        return Catalog(self.database.reader).item_count()

    def model_advice(self) -> ModelAdvice:
        """Which embedding model suits the library's languages (Settings shows why)."""
        from engine.embed.model_catalog import advise_model

        return advise_model(Catalog(self.database.reader).language_counts())

    def packaged_models(self) -> list[PackagedModel]:
        """Models whose weights came with an installed package (`switch_model(m.setting)`)."""
        from engine.embed.model_catalog import installed_packaged_models

        return installed_packaged_models()

    def item(self, item_id: int) -> dict[str, Any] | None:
        return Catalog(self.database.reader).item(item_id)

    # --- browsing (the Videos and Podcasts pages) ---------------------------------------------

    def browse(self, query: BrowseQuery, profile_id: int | None = None) -> list[int]:
        """Item ids in display order for one section, show or season, sorted and filtered."""
        profile = self.history.profile(profile_id).id
        try:
            return BrowseSql(self.database.db).item_ids(query, profile)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc

    def shows(
        self, kind: str, profile_id: int | None = None, text: str = ""
    ) -> list[dict[str, Any]]:
        """Podcast (`podcast`) or TV (`tv`) shows with episode and unplayed counts."""
        profile = self.history.profile(profile_id).id
        try:
            return BrowseSql(self.database.db).shows(kind, profile, text)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc

    def seasons(self, show_id: int) -> list[tuple[int | None, int]]:
        return BrowseSql(self.database.db).seasons(show_id)

    def item_rows(
        self, ids: Sequence[int], profile_id: int | None = None
    ) -> dict[int, dict[str, Any]]:
        """Display rows (with this profile's progress) for many items in one query."""
        profile = self.history.profile(profile_id).id
        return BrowseSql(self.database.db).rows(ids, profile)

    def errors(self) -> list[dict[str, Any]]:
        return Catalog(self.database.reader).errors()

    def artwork(self, item_id: int) -> str | None:
        """A thumbnail path for the item: its own artwork, else its show's, else (for a video
        whose file is present) a frame grabbed from the video. Decoding a frame takes
        ~50-200 ms the first time: call in the background."""
        return library_art.artwork(self.database, self.thumbs_dir, item_id)

    def backdrop(self, item_id: int) -> str | None:
        """A wide image to show behind the item's detail page (Kodi's `fanart`, Jellyfin's
        `backdrop`), None if there is none. Lists folders: call in the background."""
        return library_art.backdrop(self.database, item_id)

    # --- settings ----------------------------------------------------------------------------

    def settings(self) -> Settings:
        # The reads the window makes before its first paint use plain sqlite3 (`reader`):
        # sqlite-utils loads numpy (engine/store/plain.py).
        return load_settings(self.database.reader)

    def update_settings(self, **changes: Any) -> Settings:
        """Change settings; a new model is not loaded here (see `switch_model`)."""
        unknown = [name for name in changes if name not in Settings.__dataclass_fields__]
        if unknown:
            raise LibraryError(f"unknown setting {unknown[0]!r}")
        try:
            # Read and write under the writer lock: two windows changing different settings at
            # once must not overwrite each other's change with a stale copy.
            with self.database.write() as db:
                settings = load_settings(db)
                for name, value in changes.items():
                    setattr(settings, name, value)
                save_settings(db, settings)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc
        return settings

    # --- embeddings and the index ------------------------------------------------------------

    def models(self) -> Models:
        # Locked: Home, Search and the worker may all ask first at once; one Models, one model.
        with self._models_lock:
            if self._closing:  # checked under the lock that begin_close takes
                raise LibraryError("the library is closing", "closing")
            if self._models is None:
                from engine.embed.active import Models

                models = Models(self.database, self.index_dir, isolated=self._embed_in_child)
                models.configure(self.settings().model_path)
                self._models = models
            return self._models

    def model(self) -> ActiveModel:
        """The embedder and index in use; the first call loads the model (seconds)."""
        try:
            return self.models().current()
        except ValueError as exc:  # a configured model folder that is gone or not a model
            raise LibraryError(str(exc)) from exc

    def writer_lock(self) -> WriterLock:
        """The lock that makes one process at a time this library's index writer."""
        from engine.embed.writer_lock import writer_lock

        return writer_lock(self.index_dir)

    def indexing_elsewhere(self) -> int | None:
        """The pid of another process that is this library's index writer, else None."""
        return self.writer_lock().other_writer()

    @property
    def model_ready(self) -> bool:
        return self._models is not None and self._models.peek() is not None

    def index_now(
        self,
        progress: Callable[[EmbedProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        scan_progress: ProgressFn | None = None,
        *,
        wait: bool = False,
    ) -> tuple[ScanCounts, EmbedCounts]:
        """Process every queued change now (no settling), then embed whatever changed.

        Only as the index writer: raises IndexingElsewhere when another process is, unless
        `wait`, which waits for it to finish (or for `cancelled`)."""
        lock = self.writer_lock()
        if not lock.acquire(wait, cancelled):
            raise IndexingElsewhere(lock.holder())
        try:
            return self._index_now(progress, cancelled, scan_progress)
        finally:
            lock.release()

    def _index_now(
        self,
        progress: Callable[[EmbedProgress], None] | None,
        cancelled: Callable[[], bool],
        scan_progress: ProgressFn | None,
    ) -> tuple[ScanCounts, EmbedCounts]:
        counts = library_indexing.index_queued(
            self.database,
            self._scanner,
            self.roots,
            self._embed_pass,
            progress,
            cancelled,
            scan_progress,
        )
        if self._recommender is not None:
            self._recommender.invalidate()
        return counts

    def switch_model(
        self,
        model_path: str | None,
        progress: Callable[[EmbedProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Embed the library with another model and swap it in; queries keep using the old one
        until the new index is complete. Returns False if cancelled (nothing changes)."""
        from engine.embed.writer_lock import IndexBusy

        if (pid := self.indexing_elsewhere()) is not None:  # before loading a second model
            raise IndexingElsewhere(pid)
        try:
            active = self.models().switch(model_path, progress, cancelled)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc
        except IndexBusy as exc:
            raise IndexingElsewhere(exc.pid) from exc
        if active is None:
            return False
        self.update_settings(model_path=model_path, model_choice="user")
        return True

    def _embed_pass(self) -> EmbedPass:
        """The pass that embeds what changed; at a library's first indexing, with the model
        its items' languages call for (engine/embed/first_model.py)."""
        # Not while the library is empty: the app's worker runs a pass before the first folder.
        if not self.settings().model_choice and self.item_count() > 0:
            from engine.embed.first_model import first_run_settings

            self.update_settings(**first_run_settings(self.database, self.models().reconfigure))
        return self.model().embed_pass(self.database)

    def search(
        self, text: str, k: int = 10, filters: SearchFilters | None = None, *, more: bool = False
    ) -> list[dict[str, Any]]:
        """Items for `text`: matches best first (`match` True), then up to three closest
        matches below the cut-off (`match` False), k at most; `more`: k items whatever their
        score. Each item dict also has score, similarity, keyword (share of the query's rare
        words it holds), chunk and terms (the library words the query matched, folded).
        Semantic (when the model is loaded) and keyword evidence in one score."""
        return self._ask_model(
            lambda view: library_queries.search_items(
                self.database, view, self._queries, text, k, filters, more=more
            )
        )

    def search_passages(
        self, text: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[dict[str, Any]]:
        """Spoken-word search: where in transcripts, subtitles, lyrics and chapters the query
        is said, one passage per item, best first. Each: item (id), title, show, kind, passage
        (its text), start_s (where to play from), passage_start_s, end_s, source, similarity,
        score, matches (character spans of the query's words in the passage). Empty until the
        model has loaded."""
        return self._ask_model(
            lambda view: library_queries.search_passages(
                self.database, view, self._queries, text, k, filters
            )
        )

    def _ask_model(self, ask: Callable[[ModelView], _T]) -> _T:
        """`ask` with the model in use and its index; asked again of the new model when a
        switch closed the old one under it (a child-process model stops at the swap)."""
        while True:
            view = self._models.view() if self._models is not None else None
            try:
                return ask(view)
            except Exception:
                if view is None or self._models is None or self._models.peek() is view[0]:
                    raise  # the model did not change: a real failure
                log.info("the model changed during a query; asking the new one")

    # --- recommendations -----------------------------------------------------------------------

    def recommender(self) -> Recommender:
        """Rows for profiles; loads the model on first use (its index finds candidates)."""
        from engine.recommend.recommender import Recommender
        from engine.recommend.rows import BecauseConfig

        active = self.model()
        s = self.settings()
        because = BecauseConfig(s.because_seeds, s.because_per_seed, s.because_merged)
        current = self._recommender
        if current is None or current.embedder is not active.embedder:
            current = Recommender(self.database, active.embedder, active.index, because=because)
            self._recommender = current
        current.because = because
        return current

    def recommendations(
        self,
        profile_id: int | None = None,
        filters: Filters | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[Row]:
        """The home screen's rows for a profile (the default profile when None)."""
        from engine.recommend.rows import ROW_KINDS

        profile = self.history.profile(profile_id).id
        return self.recommender().rows(profile, filters, tuple(kinds or ROW_KINDS))

    def quick_rows(self, profile_id: int | None = None) -> list[Row]:
        """Continue watching, Next up and New in your library without loading the model, so
        the window can show them at start-up while the model loads in the background."""
        profile = self.history.profile(profile_id).id
        if not quick_rows_possible(self.database.conn, profile):
            return []  # no play, no followed show, nothing new: no need to load numpy
        from engine.recommend.recommender import Recommender

        if self._quick is None:
            self._quick = Recommender(self.database)
        return self._quick.rows(profile, None, ("continue", "next", "new"))

    def more_like_this(self, item_id: int, profile_id: int | None = None, k: int = 10) -> Row:
        profile = self.history.profile(profile_id).id
        return self.recommender().more_like_this(item_id, profile, k)

    # --- the watcher and the index worker ----------------------------------------------------

    def start_watching(
        self,
        on_status: Callable[[WorkerStatus], None] | None = None,
        *,
        force_polling: bool = False,
        reconcile_every: float = 900.0,
    ) -> None:
        """Watch every library folder and keep the catalogue, vectors and index current."""
        from engine.watch.service import WatchService

        with self._watch_lock:  # the app starts watching in the background; close may race it
            if self._closing:
                raise LibraryError("the library is closing", "closing")
            if self._watch is not None:
                return
            self._watch = WatchService(
                self.database,
                self._scanner,
                self._embed_pass,
                self.settings,
                on_status,
                force_polling=force_polling,
                reconcile_every=reconcile_every,
                writer=self.writer_lock(),
                transcribing=lambda: library_speech.stage(self.database, self._speech),
            )
            self._watch.start()

    def request_indexing(self) -> bool:
        """Ask the running index worker to embed what a scan added; False when not watching
        (then `index_now` does it)."""
        if self._watch is None:
            return False
        self._watch.worker.request_embed()
        return True

    def stop_watching(self) -> None:
        with self._watch_lock:
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    def pause_indexing(self) -> None:
        if self._watch is not None:
            self._watch.worker.pause()

    def resume_indexing(self) -> None:
        if self._watch is not None:
            self._watch.worker.resume()

    def indexing_status(self) -> IndexingStatus | None:
        return self._watch.status() if self._watch is not None else None

    def queued_changes(self) -> int:
        return ChangeQueue(self.database.db).count()

    # --- podcasts ----------------------------------------------------------------------------

    def import_opml(self, path: str | os.PathLike[str]) -> int:
        """Record the podcasts an OPML file subscribes to; returns how many were new or updated."""
        return library_folders.import_opml(self.database, path)

    # --- lifetime ----------------------------------------------------------------------------

    def begin_close(self) -> None:
        """The app is quitting: refuse new model loads and watching, and abandon a model still
        loading, so background work finishes quickly; then wait for it and call `close`."""
        with self._models_lock:
            self._closing = True
            models = self._models
        if models is not None:
            models.interrupt()

    def close(self) -> None:
        self.begin_close()
        self.stop_watching()
        if self._models is not None:
            self._models.close()
        if self._transcriber is not None:
            self._transcriber.close()
        self._pool.close()
        self.database.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
