"""The seeders: every app's SEEDER has the one shape (core/seeding.py) and site runs them in a fixed order."""

from __future__ import annotations

import random

from courtyard.core.seeding import SeedContext, Seeder
from courtyard.site.seeding import seeder, seeders


def test_every_seeder_has_the_shape_and_runs_people_first_search_last():
    found = seeders()
    assert all(isinstance(part, Seeder) for part in found)
    assert [part.name for part in found] == [
        "people", "groups", "events", "pairing", "recognition", "surveys", "welcome", "insights", "search",
    ]
    assert seeder("groups") is found[1]


def test_each_part_has_its_own_stream_named_as_before():
    ctx = SeedContext(seed=7, members=100)
    assert ctx.rng("groups").random() == random.Random("7:groups").random()
    assert ctx.rng("groups").random() != ctx.rng("events").random()
