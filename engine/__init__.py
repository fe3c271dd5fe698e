"""Reelcast engine: library, metadata, embeddings and recommendations. Never imports Qt."""
