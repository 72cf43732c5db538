"""Rollups kept up to date incrementally equal a full recomputation from the facts — whatever the batches,
with late facts (an old ``occurred_at`` arriving after newer ones), retried jobs, crashed jobs and gaps
in the ids (a transaction that commits after a later one)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.core.domain.facts import INTERACTION_KEYS, VERB_KEYS
from courtyard.core.models import Interaction, Participation
from courtyard.groups import services as group_services
from courtyard.insights import rollups
from courtyard.insights.models import (
    DailyCount,
    DepartmentPairDay,
    EventDay,
    EventMember,
    MemberMonth,
    MemberTie,
    NewcomerStat,
    NewcomerTie,
    PeriodCount,
    RollupGap,
    ThreadStat,
)
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

COMPARED = {
    MemberMonth: ("scope_kind", "scope_id", "month", "member_id"),
    PeriodCount: ("scope_kind", "scope_id", "period_kind", "start"),
    DailyCount: ("scope_kind", "scope_id", "day", "metric"),
    DepartmentPairDay: ("day", "actor_department_id", "other_department_id"),
    MemberTie: ("month", "low_id", "high_id"),
    EventMember: ("event_id", "member_id"),
    EventDay: ("event_id",),
    ThreadStat: ("thread_id",),
    NewcomerTie: ("member_id", "partner_id"),
    NewcomerStat: ("member_id",),
}
BASE = dt.datetime(2025, 1, 27, 9, 0, tzinfo=dt.UTC)


def rollup_rows() -> dict[str, list[dict]]:
    return {
        model.__name__: [
            {k: v for k, v in row.items() if k != "id"} for row in model.objects.order_by(*key).values()
        ]
        for model, key in COMPARED.items()
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Six people in three departments (two newcomers), a group with two discussions and replies."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            people = [
                make_profile(full_name=f"Person {i}", department=f"Dept {i % 3}",
                             start_date=dt.date(2025, 1, 20) if i < 2 else dt.date(2019, 1, 1))
                for i in range(6)
            ]
            group = group_services.group_create(actor=people[0].user, name="Rollup club")
            for p in people[1:]:
                group_services.membership_join(actor=p.user, group=group)
            threads = [group_services.thread_create(actor=people[i].user, group=group, title=f"T{i}", body="b")
                        for i in (0, 1)]
            posts = [group_services.post_create(actor=people[i].user, thread=threads[i % 2], body="r")
                     for i in (1, 2, 3, 0)]
            sid = transaction.savepoint()
        yield {"people": [(p.pk, p.department_id) for p in people], "group": group.pk,
               "threads": [(t.pk, t.author_id) for t in threads], "posts": [(p.pk, p.author_id) for p in posts]}
        with transaction.atomic():
            del sid
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


def participation_fact(world, draw_person, verb, when, group, event, program):
    member, department = world["people"][draw_person]
    object_type, object_id = "", None
    if verb in ("posted", "asked"):
        object_type, object_id = "thread", world["threads"][draw_person % 2][0]
    elif verb == "replied":
        post, author = world["posts"][draw_person % 4]
        object_type, object_id, member = "post", post, author
        department = dict(world["people"])[author]
    return Participation(member_id=member, verb=verb, occurred_at=when, department_id=department,
                         group_id=world["group"] if group else None, event_id=event, program_id=program,
                         object_type=object_type, object_id=object_id)


fact_strategy = st.tuples(
    st.booleans(),  # participation or interaction
    st.integers(0, 5), st.integers(0, 5),  # people
    st.sampled_from(sorted(VERB_KEYS)), st.sampled_from(sorted(INTERACTION_KEYS)),
    st.integers(0, 70 * 24),  # hours after BASE: spans months and weeks
    st.booleans(), st.sampled_from([None, 1, 2]), st.sampled_from([None, 7]),
    st.booleans(),  # department missing on the fact
)


def make_fact(world, spec):
    is_participation, a, b, verb, kind, hours, group, event, program, no_department = spec
    when = BASE + dt.timedelta(hours=hours)
    if is_participation:
        fact = participation_fact(world, a, verb, when, group, event, program)
        if no_department:
            fact.department_id = None
        return fact
    if a == b:
        b = (a + 1) % 6
    (actor, actor_dept), (other, other_dept) = world["people"][a], world["people"][b]
    return Interaction(actor_id=actor, other_id=other, kind=kind, occurred_at=when,
                       actor_department_id=None if no_department else actor_dept, other_department_id=other_dept,
                       group_id=world["group"] if group else None, event_id=event, program_id=program)


def save(facts) -> None:
    Participation.objects.bulk_create([f for f in facts if isinstance(f, Participation)])
    Interaction.objects.bulk_create([f for f in facts if isinstance(f, Interaction)])


def reset() -> None:
    Participation.objects.all().delete()
    Interaction.objects.all().delete()
    for model in rollups.ROLLUP_TABLES:
        model.objects.all().delete()


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    batches=st.lists(st.lists(fact_strategy, max_size=12), min_size=1, max_size=5),
    retries=st.lists(st.booleans(), min_size=5, max_size=5),
    chunk=st.sampled_from([None, 1, 3]),
)
def test_incremental_equals_full_recompute(world, batches, retries, chunk):
    reset()
    for batch, retry in zip(batches, retries, strict=False):
        save([make_fact(world, spec) for spec in batch])
        rollups.rollups_update(chunk=chunk)
        if retry:  # the job runs again (a retry, or two workers): nothing is counted twice
            rollups.rollups_update(chunk=chunk)
    incremental = rollup_rows()
    rollups.rollups_rebuild()
    assert rollup_rows() == incremental


def test_late_facts_with_old_dates_are_counted(world):
    reset()
    member, department = world["people"][3]
    save([Participation(member_id=member, verb="posted", occurred_at=BASE + dt.timedelta(days=40), department_id=department)])
    rollups.rollups_update()
    save([Participation(member_id=member, verb="replied", occurred_at=BASE - dt.timedelta(days=40), department_id=department)])
    report = rollups.rollups_update()
    assert report.participations == 1
    old_month = (BASE - dt.timedelta(days=40)).date().replace(day=1)
    assert MemberMonth.objects.filter(scope_kind="org", month=old_month, member_id=member).exists()
    assert PeriodCount.objects.get(scope_kind="org", period_kind="month", start=old_month).contributed == 1
    incremental = rollup_rows()
    rollups.rollups_rebuild()
    assert rollup_rows() == incremental


def test_a_crashed_run_applies_nothing_and_the_retry_counts_once(world):
    reset()
    member, department = world["people"][2]
    save([Participation(member_id=member, verb="attended", occurred_at=BASE, department_id=department, event_id=5)])
    with mock.patch.object(rollups, "_mark_dirty", side_effect=RuntimeError("worker killed")), \
            pytest.raises(RuntimeError):
        rollups.rollups_update()
    assert not DailyCount.objects.exists()
    rollups.rollups_update()
    rollups.rollups_update()
    assert DailyCount.objects.get(scope_kind="org", metric="attended").value == 1
    assert EventDay.objects.get(event_id=5).day == BASE.date()


def gaps_after(fact_id: int) -> list[tuple[int, int]]:
    """Gaps above a fact (ids below it belong to facts earlier tests deleted)."""
    return list(RollupGap.objects.filter(source="participation", low__gt=fact_id).order_by("low").values_list("low", "high"))


def test_a_fact_committed_after_a_later_one_is_picked_up_from_the_gap(world):
    """An id below the mark that was missing when the mark moved is checked again on the next runs."""
    reset()
    member, department = world["people"][1]
    first = Participation.objects.create(member_id=member, verb="posted", occurred_at=BASE, department_id=department)
    # Ids first+1 and first+2 are taken by a transaction still open; first+3 commits before it.
    Participation.objects.create(id=first.pk + 3, member_id=member, verb="replied", occurred_at=BASE,
                                 department_id=department)
    rollups.rollups_update()
    assert gaps_after(first.pk) == [(first.pk + 1, first.pk + 2)]
    Participation.objects.create(id=first.pk + 1, member_id=member, verb="asked", occurred_at=BASE - dt.timedelta(days=3),
                                 department_id=department)
    rollups.rollups_update()
    assert gaps_after(first.pk) == [(first.pk + 2, first.pk + 2)]
    assert DailyCount.objects.get(scope_kind="org", metric="asked").value == 1
    incremental = rollup_rows()
    rollups.rollups_rebuild()
    assert rollup_rows() == incremental
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('core_participation', 'id'), %s)", [first.pk + 10])
