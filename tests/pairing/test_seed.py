"""The demo seed: four programs with history, the facts the services would have written, deterministic."""

from __future__ import annotations

import random

import pytest

from courtyard.core.models import Interaction, Participation
from courtyard.pairing.models import (
    CoffeeMatch,
    CoffeeMatchMember,
    CoffeeRound,
    MentorshipMatch,
    Program,
    TeamMember,
)
from courtyard.pairing.seed import COFFEE_NAME, CROSS_NAME, seed_pairing
from courtyard.people.seed import seed_people

pytestmark = pytest.mark.django_db


def test_seed_builds_programs_with_history_and_matching_facts():
    seed_people(size=120, rng=random.Random("people"), password_hash=None)
    result = seed_pairing(rng=random.Random("pairing"))
    assert result.programs == 4
    assert set(Program.objects.values_list("kind", flat=True)) == {"coffee", "mentorship", "teams"}
    coffee = Program.objects.get(name=COFFEE_NAME)
    assert CoffeeRound.objects.filter(program=coffee).count() == 16
    matches = CoffeeMatch.objects.filter(program=coffee)
    met, not_met = matches.filter(outcome="met").count(), matches.filter(outcome="not_met").count()
    assert met > matches.count() / 2  # most met
    assert not_met > 0  # some did not
    # Facts as the services write them: one "paired" per person per round, "met" and coffee_met both ways.
    assert Participation.objects.filter(verb="paired", program_id=coffee.pk).count() == \
        CoffeeMatchMember.objects.filter(program=coffee).count()
    met_members = CoffeeMatchMember.objects.filter(program=coffee, match__outcome="met").count()
    assert Participation.objects.filter(verb="met", program_id=coffee.pk).count() == met_members
    assert Interaction.objects.filter(kind="coffee_met", program_id=coffee.pk).count() >= 2 * met
    # Nobody is in two groups of one round.
    per_round = CoffeeMatchMember.objects.values_list("round_id", "profile_id")
    assert len(set(per_round)) == per_round.count()
    cross = Program.objects.get(name=CROSS_NAME)
    assert cross.scope == "cross"
    assert cross.starts_on is not None
    assert MentorshipMatch.objects.filter(status="published").exists()
    assert Participation.objects.filter(verb="mentoring_checkin").count() == result.checkins
    assert TeamMember.objects.count() == Participation.objects.filter(verb="joined_team").count()
