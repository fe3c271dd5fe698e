"""Ingest layer: walk library roots, fingerprint files and read their metadata."""
