"""Reelcast desktop application (PySide6)."""
