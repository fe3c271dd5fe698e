"""Embeddings and the vector index derived from them (always rebuildable from SQLite)."""
