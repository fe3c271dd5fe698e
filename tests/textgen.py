"""Varied, made-up episode texts for generated libraries (tests and benchmarks)."""

from __future__ import annotations

import random

TOPICS = (
    "volcanoes glaciers rivers deserts forests oceans comets planets bacteria whales bees "
    "bridges railways printing medicine surgery vaccines mathematics poetry opera chess jazz "
    "cathedrals pyramids empires revolutions philosophy ethics logic language cinema painting"
).split()


def description(rng: random.Random, n: int) -> str:
    a, b, c = rng.sample(TOPICS, 3)
    return f"Episode {n} explores {a} and {b}, with a detour into {c}."
