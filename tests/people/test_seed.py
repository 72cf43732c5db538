"""The seeder builds a believable organization, the same one for the same seed, fast enough to test."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.management import call_command

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.groups.seed import seeded_groups_delete
from courtyard.people.models import Department, Profile, Tag
from courtyard.people.seed import SEED_EMAIL_DOMAIN, seed_people, seeded_people_delete
from courtyard.people.selectors import DirectoryQuery, directory_page
from tests.factories import make_profile

SIZE = 150


def snapshot() -> list[tuple[Any, ...]]:
    profiles = Profile.objects.filter(user__email__endswith=f"@{SEED_EMAIL_DOMAIN}").select_related(
        "user", "department", "team", "manager__user", "location"
    )
    return [
        (
            p.user.email, p.full_name, p.title, p.department.path, p.team.name if p.team else None,
            p.manager.user.email if p.manager else None, p.location.name, p.timezone, p.languages,
            p.start_date, sorted(t.name for t in p.interests.all()), sorted(t.name for t in p.skills.all()),
        )
        for p in profiles.prefetch_related("interests", "skills").order_by("user__email")
    ]


@pytest.fixture
def seeded(db) -> Any:
    return seed_people(size=SIZE, rng=random.Random(7))


def test_same_seed_same_organization(db):
    today = dt.date(2026, 3, 1)
    seed_people(size=SIZE, rng=random.Random(7), today=today)
    first = snapshot()
    assert seeded_people_delete() == SIZE
    assert not Profile.objects.exists()
    seed_people(size=SIZE, rng=random.Random(7), today=today)
    assert snapshot() == first
    seeded_people_delete()
    seed_people(size=SIZE, rng=random.Random(8), today=today)
    assert snapshot() != first


def test_only_dates_move_with_today(db):
    seed_people(size=SIZE, rng=random.Random(7), today=dt.date(2026, 3, 1))
    first = snapshot()
    seeded_people_delete()
    seed_people(size=SIZE, rng=random.Random(7), today=dt.date(2026, 3, 11))
    second = snapshot()
    assert [row[:9] + row[10:] for row in second] == [row[:9] + row[10:] for row in first]
    assert [row[9] for row in second] == [row[9] + dt.timedelta(days=10) for row in first]


def test_there_are_newcomers_relative_to_today(seeded):
    today = clock.now().date()
    newcomers = Profile.objects.filter(start_date__gt=today - dt.timedelta(days=90), start_date__lte=today).count()
    assert seeded.newcomers == newcomers
    assert 0.02 * SIZE <= newcomers <= 0.2 * SIZE
    assert Profile.objects.filter(start_date__lt=today - dt.timedelta(days=5 * 365)).exists()


def test_reporting_lines_form_one_tree(seeded):
    managers = dict(Profile.objects.values_list("pk", "manager_id"))
    roots = [pk for pk, manager in managers.items() if manager is None]
    assert len(roots) == 1
    ceo = Profile.objects.get(pk=roots[0])
    assert ceo.title == "Chief Executive Officer"
    for pk in managers:
        seen = set()
        while pk is not None:
            assert pk not in seen, "reporting-line cycle"
            seen.add(pk)
            pk = managers[pk]
    assert Profile.objects.filter(manager=ceo).count() >= 8  # the heads of departments


def test_departments_are_a_two_level_tree_of_uneven_sizes(seeded):
    departments = list(Department.objects.all())
    assert {d.depth for d in departments} == {0, 1}
    assert {"Engineering / Platform", "Sales / EMEA", "Customer Success / Support", "Legal"} <= {
        d.path for d in departments
    }
    sizes = {d.path: d.members.count() for d in departments}
    assert all(size >= 1 for size in sizes.values()), sizes
    assert sizes["Engineering / Product Engineering"] > 3 * sizes["Legal"]
    assert Profile.objects.filter(team__isnull=False).count() > 0.6 * SIZE  # all but the heads


def test_profiles_are_varied_and_realistic(seeded):
    profiles = Profile.objects.all()
    assert len({p.full_name.split()[0] for p in profiles}) > 60
    assert len({p.location_id for p in profiles}) >= 8
    assert profiles.exclude(pronouns="").exists()
    assert profiles.exclude(bio="").exists()
    assert profiles.exclude(ask_me_about="").exists()
    assert profiles.exclude(hidden_fields=[]).exists()
    assert all(p.search_document for p in profiles)
    interest_counts = sorted(
        (Profile.interests.through.objects.filter(tag=tag).count() for tag in Tag.objects.filter(kind="interest")),
        reverse=True,
    )
    assert interest_counts[0] > 5 * max(1, interest_counts[len(interest_counts) // 2])  # a few are everywhere


def test_directory_search_finds_people_by_interest(seeded):
    holder = Profile.objects.filter(interests__slug="chess").first() or Profile.objects.filter(
        interests__isnull=False
    ).first()
    tag = holder.interests.order_by("name").first()
    word = tag.name.split()[0]
    found = directory_page(DirectoryQuery(q=word), 1, per_page=500)
    assert holder in found.object_list
    by_filter = directory_page(DirectoryQuery(interest=tag.slug), 1, per_page=500)
    assert holder in by_filter.object_list
    assert all(tag in p.interests.all() for p in by_filter.object_list)


def test_command_seeds_once_and_changes_nothing_when_people_exist(db):
    out = io.StringIO()
    call_command("seed", size=str(SIZE), seed=3, verbosity=0, stdout=out)
    assert "Seeded 150 people" in out.getvalue()
    before = snapshot()
    out = io.StringIO()
    call_command("seed", size=str(SIZE), seed=4, verbosity=0, stdout=out)
    assert "Nothing was changed" in out.getvalue()
    assert snapshot() == before


def test_force_replaces_the_seed_and_keeps_other_people(db):
    someone = make_profile(email="real.person@example.com", full_name="Real Person")
    call_command("seed", size=str(SIZE), seed=3, force=True, verbosity=0, stdout=io.StringIO())
    first = snapshot()
    call_command("seed", size=str(SIZE), seed=3, force=True, verbosity=0, stdout=io.StringIO())
    assert snapshot() == first
    assert Profile.objects.filter(pk=someone.pk).exists()
    assert User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").count() == SIZE


def test_password_option(db):
    call_command("seed", size=str(SIZE), seed=3, password="seeded-password-123", verbosity=0, stdout=io.StringIO())
    user = User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").first()
    assert user.check_password("seeded-password-123")
    assert User.objects.filter(is_staff=True).count() == 2
    seeded_groups_delete()  # the command also seeded groups: their threads and replies protect their authors
    seeded_people_delete()
    call_command("seed", size=str(SIZE), seed=3, verbosity=0, stdout=io.StringIO())
    assert not User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").first().has_usable_password()
