"""Recommend layer: search, and (later) history, profiles and recommendation strategies."""
