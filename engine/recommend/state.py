"""The profile state the recommender reads; defined beside the SQL that loads it."""

from engine.store.profile_state import InProgress, ProfileState, Watched

__all__ = ["InProgress", "ProfileState", "Watched"]
