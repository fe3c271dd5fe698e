"""Store layer: the SQLite database through sqlite-utils. All SQL lives in this package."""

from engine.store.catalog import Catalog
from engine.store.db import Database, StoreError

__all__ = ["Catalog", "Database", "StoreError"]
