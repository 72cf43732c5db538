"""The recognition seed: realistic, deterministic, consistent with what the services would have written."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db.models import Count

from courtyard.core.models import Interaction, Participation
from courtyard.groups.seed import seed_groups
from courtyard.people.seed import seed_people
from courtyard.recognition.domain import allowance
from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Kudos,
    KudosReceiver,
    SpotlightEntry,
    Value,
)
from courtyard.recognition.seed import kudos_count, seed_recognition

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 18)


def seeded(seed: int = 7, members: int = 120):
    seed_people(size=members, rng=random.Random(f"{seed}:people"))
    seed_groups(rng=random.Random(f"{seed}:groups"), members=members, today=TODAY, posts=300)
    return seed_recognition(rng=random.Random(f"{seed}:recognition"), members=members, today=TODAY, kudos=200)


def fingerprint() -> list[tuple]:
    return list(Kudos.objects.order_by("created_at", "pk").values_list("message", "points", "is_private", "created_at"))


def test_sizes():
    assert kudos_count(300) == 500
    assert 190_000 <= kudos_count(100_000) <= 210_000


def test_realistic_and_consistent():
    result = seeded()
    assert result.kudos == Kudos.objects.count() == 200
    assert result.team_kudos > 0
    assert result.private > 0
    assert result.co_senders > 0
    assert result.reactions > 0
    assert Value.objects.count() == 6
    assert all(v.emoji for v in Value.objects.all())
    # Skewed giving: the top tenth of givers gives far more than a tenth.
    assert result.top_giver_share > 0.3
    givers = Counter(Kudos.objects.values_list("sender_id", flat=True))
    assert max(givers.values()) >= 5
    # Facts as the services write them.
    assert Participation.objects.filter(verb="received_kudos").count() == KudosReceiver.objects.count()
    assert Interaction.objects.filter(kind="kudos").count() >= KudosReceiver.objects.count()
    assert not KudosReceiver.objects.filter(kudos__sender_id=models_f("profile_id")).exists()
    # Every ledger balances, and no one gave more than the allowance or the per-colleague limit.
    for balance in AllowanceBalance.objects.all():
        entries = AllowanceEntry.objects.filter(member=balance.member_id, month=balance.month).values_list("kind", "amount")
        assert allowance.ledger_balances(entries, granted=balance.granted, spent=balance.spent)
    per_recipient = (AllowanceEntry.objects.filter(kind="spend").values("member", "month", "recipient")
                     .annotate(n=Count("id")).values_list("member", "month", "recipient"))
    for member, month, recipient in per_recipient:
        total = -sum(AllowanceEntry.objects.filter(member=member, month=month, recipient=recipient)
                     .values_list("amount", flat=True))
        assert total <= 40
    assert SpotlightEntry.objects.exists()
    assert Kudos.objects.filter(created_at__date__gt=TODAY).count() == 0


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_deterministic():
    seeded(seed=3, members=90)
    first = fingerprint()
    from courtyard.groups.seed import seeded_groups_delete
    from courtyard.people.seed import seeded_people_delete

    seeded_groups_delete()
    seeded_people_delete()  # what recognition seeded goes with its people
    assert not Kudos.objects.exists()
    Value.objects.all().delete()
    seeded(seed=3, members=90)
    assert fingerprint() == first
