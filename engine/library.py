"""The façade: the one object the desktop app, the CLI and the tests talk to."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any

from engine.ingest import opml
from engine.ingest.pool import DEFAULT_TIMEOUT, Extractor, ReaderPool
from engine.ingest.scanner import ProgressFn, ScanCounts, Scanner, ScanProgress
from engine.logs import configure_logging, log_path
from engine.paths import data_dir, display, to_bytes
from engine.store import Catalog, Database
from engine.store.catalog import Root
from engine.store.db import DB_NAME

log = logging.getLogger(__name__)

KINDS = ("podcast", "video", "mixed")

__all__ = ["KINDS", "Library", "LibraryError", "Root", "ScanCounts", "ScanProgress"]


class LibraryError(Exception):
    """A request the library refuses; the message tells the user why and what to do."""


class Library:
    def __init__(
        self,
        data_dir_override: str | os.PathLike[str] | None = None,
        *,
        reader_timeout: float = DEFAULT_TIMEOUT,
        workers: int | None = None,
        extractor: Extractor | None = None,
    ) -> None:
        self.data_dir = data_dir(data_dir_override)
        configure_logging(self.data_dir)
        self.log_path = log_path(self.data_dir)
        self.database = Database(self.data_dir / DB_NAME)
        self.thumbs_dir = self.data_dir / "thumbs"
        pool_args: dict[str, Any] = {"workers": workers, "timeout": reader_timeout}
        if extractor is not None:
            pool_args["extractor"] = extractor
        self._pool = ReaderPool(**pool_args)
        self._scanner = Scanner(self.database, self._pool, self.thumbs_dir)

    # --- library folders ---------------------------------------------------------------------

    def add_root(self, path: str | os.PathLike[str], kind: str) -> Root:
        if kind not in KINDS:
            raise LibraryError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
        absolute = os.path.abspath(os.fspath(path))
        if not os.path.isdir(absolute):
            raise LibraryError(f"{display(absolute)} is not a folder")
        raw = to_bytes(os.path.realpath(absolute))
        with self.database.write() as db:
            cat = Catalog(db)
            for root in cat.roots():
                if root.path_bytes == raw:
                    raise LibraryError(f"{root.path} is already in the library")
                inner, outer = sorted((root.path_bytes, raw), key=len)
                if outer.startswith(inner.rstrip(b"/") + b"/"):
                    raise LibraryError(
                        f"{display(raw)} overlaps the library folder {root.path}; "
                        "add folders that do not contain each other"
                    )
            root = cat.add_root(raw, kind)
        log.info("added library folder %s (%s)", root.path, kind)
        return root

    def remove_root(self, root_id: int) -> None:
        with self.database.write() as db:
            Catalog(db).remove_root(root_id)

    def roots(self) -> list[Root]:
        return Catalog(self.database.db).roots()

    # --- scanning ----------------------------------------------------------------------------

    def scan(
        self,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ScanCounts:
        """Bring the catalogue up to date with every library folder."""
        return self._scanner.scan(self.roots(), progress, cancelled)

    # --- reading the catalogue ---------------------------------------------------------------

    def items(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        return Catalog(self.database.db).items(limit, offset)

    def item_ids(self) -> list[int]:
        return Catalog(self.database.db).item_ids()

    def item(self, item_id: int) -> dict[str, Any] | None:
        return Catalog(self.database.db).item(item_id)

    def errors(self) -> list[dict[str, Any]]:
        return Catalog(self.database.db).errors()

    # --- podcasts ----------------------------------------------------------------------------

    def import_opml(self, path: str | os.PathLike[str]) -> int:
        """Record the podcasts an OPML file subscribes to; returns how many were new or updated."""
        subscriptions = opml.read_opml(os.fspath(path))
        with self.database.write() as db:
            cat = Catalog(db)
            for sub in subscriptions:
                cat.upsert_show(
                    "podcast",
                    sub.title or sub.url,
                    {"feed_url": sub.url, "sources": {"title": "opml", "feed_url": "opml"}},
                )
        return len(subscriptions)

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
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
