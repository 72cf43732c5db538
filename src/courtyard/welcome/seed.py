"""Demo data for the newcomer journey (``courtyard seed``), after people, groups, events, pairing and surveys.

What it makes, deterministically from its random stream:

- **The newcomers' thread**: "Say hello: who is new?" in the largest open group, set as the hello thread.
- **Buddy offers** from about one seasoned member in sixteen (at most ``MAX_OFFERS``), each for two
  newcomers at a time.
- **Buddies** for the newcomers, chosen by the real assignment (``services.buddies_assign``: the pairing
  engine and its hard rules), introduced by the real notifications.
- **Progress, mid-journey**: the longer someone has been here, the likelier they met their buddy (a
  ``buddy_met`` tie each way), checked in again after two weeks and said hello in the thread (a reply,
  with its membership and facts, as the services would write them). Some newcomers dismissed their card.
  Groups, coffees and events come from the earlier seeders' facts, so each checklist shows a different
  mix of done and to do.

Everything here belongs to seeded people (or their seeded group), so ``--force`` removes it with them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time

from django.db import transaction

from courtyard.core import clock
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.groups.models import Group, Membership, Post, Thread
from courtyard.groups.seed import seeded_groups
from courtyard.people.domain.directory import newcomer_since
from courtyard.people.seed import seeded_profiles
from courtyard.welcome import services
from courtyard.welcome.models import Buddying, BuddyOffer, Journey, WelcomeSettings
from courtyard.welcome.selectors import newcomer_days

MAX_OFFERS = 150
OFFER_SHARE = 1 / 16
HELLO_TITLE = "Say hello: who is new?"
HELLOS = (
    "Hi everyone! I just joined {team}. Happy to be here; ask me about {topic}.",
    "Hello! New in {team} this month. Looking for people who like {topic}.",
    "Hi all, first weeks here. Any tips for a newcomer? I am into {topic}.",
    "Hello from {team}! Still finding my way around; coffee anyone?",
)


@dataclasses.dataclass
class WelcomeSeedResult:
    offers: int = 0
    buddies: int = 0
    met: int = 0
    checked_in: int = 0
    hellos: int = 0
    dismissed: int = 0
    newcomers: int = 0


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=dt.UTC)


def _hello_thread(rng: random.Random, now: dt.datetime) -> Thread | None:
    group = (
        Group.objects.filter(archived_at__isnull=True, read_access=Group.ReadAccess.ORGANIZATION,
                             join_policy=Group.JoinPolicy.OPEN, created_by__in=seeded_profiles())
        .order_by("-member_count", "pk")
        .first()
    )
    if group is None or group.created_by_id is None:
        return None
    body = "Welcome to everyone who just joined! Say hello here: your team, and what people may ask you about."
    at = now - dt.timedelta(days=120)
    thread = Thread.objects.create(
        group=group, author_id=group.created_by_id, title=HELLO_TITLE, body=body, body_html=str(render_markdown(body)),
        created_at=at, last_activity_at=at,
    )
    Participation.objects.create(member_id=group.created_by_id, verb="posted", occurred_at=at, group_id=group.pk,
                                 object_type="thread", object_id=thread.pk)
    WelcomeSettings.objects.update_or_create(pk=1, defaults={"hello_thread": thread})
    return thread


def seeded_welcome_delete() -> None:
    """Before seeded groups are deleted (with plain SQL, which does not null references): forget a hello
    thread that lives in one of them. Buddies, offers and journeys go with their seeded people (cascade)."""
    WelcomeSettings.objects.filter(hello_thread__group__in=seeded_groups()).update(hello_thread=None)


def seed_welcome(*, rng: random.Random, today: dt.date | None = None) -> WelcomeSeedResult:
    now = clock.now()
    today = today or now.date()
    result = WelcomeSeedResult()
    since = newcomer_since(today, newcomer_days())
    people = list(
        seeded_profiles().filter(is_active=True).order_by("pk")
        .values("pk", "start_date", "department_id", "team__name", "hidden_fields")
    )
    if len(people) < 20:
        return result
    seasoned = [p for p in people if p["start_date"] is None or p["start_date"] < since]
    newcomers = [p for p in people if p["start_date"] is not None and since <= p["start_date"] <= today]
    result.newcomers = len(newcomers)
    starts: dict[int, dt.date] = {p["pk"]: p["start_date"] for p in newcomers if p["start_date"] is not None}
    thread = _hello_thread(rng, now)

    # Offers: seasoned volunteers, two newcomers each.
    count = min(MAX_OFFERS, max(3, int(len(seasoned) * OFFER_SHARE)))
    volunteers = sorted(rng.sample([p["pk"] for p in seasoned], min(count, len(seasoned))))
    BuddyOffer.objects.bulk_create(
        [BuddyOffer(profile_id=pk, capacity=2, created_at=now - dt.timedelta(days=rng.randint(100, 400)))
         for pk in volunteers],
        ignore_conflicts=True,
    )
    result.offers = len(volunteers)

    # Buddies, by the real assignment; the introduction happened when each newcomer arrived.
    made = services.buddies_assign(today=today)
    for buddying in made:
        start = starts[buddying.newcomer_id]
        Buddying.objects.filter(pk=buddying.pk).update(assigned_at=_moment(start, rng))
    result.buddies = len(made)
    departments = {p["pk"]: p["department_id"] for p in people}

    interactions: list[Interaction] = []
    facts: list[Participation] = []
    posts: list[Post] = []
    memberships: list[Membership] = []
    journeys: list[Journey] = []
    members = set(Membership.objects.filter(group_id=thread.group_id).values_list("profile_id", flat=True)) if thread else set()
    for buddying in sorted(made, key=lambda b: b.newcomer_id):
        newcomer, buddy = buddying.newcomer_id, buddying.buddy_id
        start = starts[newcomer]
        days = (today - start).days
        meetings = []
        if days >= 3 and rng.random() < min(0.9, 0.3 + days / 40):
            meetings.append(start + dt.timedelta(days=rng.randint(2, min(days, 10))))
            result.met += 1
        if meetings and days >= 16 and rng.random() < 0.55:
            meetings.append(start + dt.timedelta(days=rng.randint(14, min(days, 30))))
            result.checked_in += 1
        for day in meetings:
            at = _moment(day, rng)
            for a, b in ((newcomer, buddy), (buddy, newcomer)):
                interactions.append(Interaction(actor_id=a, other_id=b, kind="buddy_met", occurred_at=at,
                                                actor_department_id=departments.get(a), other_department_id=departments.get(b)))
    for person in newcomers:
        start = starts[person["pk"]]
        days = (today - start).days
        if thread is not None and days >= 1 and rng.random() < min(0.7, 0.2 + days / 60):
            at = _moment(start + dt.timedelta(days=rng.randint(0, min(days, 14))), rng)
            body = rng.choice(HELLOS).format(team=person["team__name"] or "my team",
                                             topic=rng.choice(["hiking", "board games", "cooking", "photography", "running"]))
            posts.append(Post(thread=thread, author_id=person["pk"], body=body, body_html=str(render_markdown(body)),
                              created_at=at))
            if person["pk"] not in members:
                members.add(person["pk"])
                memberships.append(Membership(group_id=thread.group_id, profile_id=person["pk"], created_at=at, joined_at=at))
                facts.append(Participation(member_id=person["pk"], verb="joined_group", occurred_at=at,
                                           department_id=person["department_id"], group_id=thread.group_id))
        if days >= 14 and rng.random() < 0.2:
            journeys.append(Journey(profile_id=person["pk"], dismissed_at=_moment(today - dt.timedelta(days=rng.randint(0, 5)), rng)))
    with transaction.atomic():
        Interaction.objects.bulk_create(interactions, batch_size=2000)
        Membership.objects.bulk_create(memberships, batch_size=2000)
        made_posts = Post.objects.bulk_create(posts, batch_size=2000)
        facts += [
            Participation(member_id=post.author_id, verb="replied", occurred_at=post.created_at,
                          department_id=departments.get(post.author_id), group_id=thread.group_id,
                          object_type="post", object_id=post.pk)
            for post in made_posts if thread is not None
        ]
        Participation.objects.bulk_create(facts, batch_size=2000)
        Journey.objects.bulk_create(journeys, batch_size=2000, ignore_conflicts=True)
        if thread is not None and made_posts:
            last = max(post.created_at for post in made_posts)
            Thread.objects.filter(pk=thread.pk).update(reply_count=len(made_posts), last_activity_at=last)
            Group.objects.filter(pk=thread.group_id).update(member_count=Membership.objects.filter(
                group_id=thread.group_id, status=Membership.Status.ACTIVE).count())
    result.hellos = len(made_posts)
    result.dismissed = len(journeys)
    return result


class WelcomeSeeder:
    """The newcomer journey's part of ``courtyard seed`` (the shape is ``core/seeding.py``). It runs after
    surveys and before insights, so Insights' rollups include the buddies' meetings; on ``--force`` it is
    deleted before groups, because its hello thread lives in a seeded group."""

    name = "welcome"
    order = 65

    def counts(self) -> dict[str, int]:
        return {"buddies": Buddying.objects.count(), "buddy offers": BuddyOffer.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        seeded_welcome_delete()
        return SeedReport()

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        welcome = seed_welcome(rng=ctx.rng(self.name))
        return SeedReport(
            headline=(
                f"Seeded the newcomer journey in {time.perf_counter() - started:.1f} s: {welcome.offers} buddy offers, "
                f"{welcome.buddies} of {welcome.newcomers} newcomers with a buddy ({welcome.met} met, "
                f"{welcome.checked_in} checked in at two weeks), {welcome.hellos} hellos, "
                f"{welcome.dismissed} dismissed checklists."
            ),
            audit={"buddies": welcome.buddies},
            result=welcome,
        )


SEEDER = WelcomeSeeder()
