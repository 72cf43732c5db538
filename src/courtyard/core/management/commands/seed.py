"""`courtyard seed --size demo|large|N --seed N [--password P] [--force]`: a deterministic organization.

Each capability owns its part in ``<app>/seed.py`` (people first: everything else needs members);
this command only orders them, gives each its own random stream derived from ``--seed`` (so adding a
capability does not change what the earlier ones create), and shows progress.

- People already there: nothing is changed, a message says so, exit status 0.
- ``--force``: the people of an earlier seed (addresses at the seed domain) are deleted first, with the
  groups they started and everything they wrote (``groups.seed.seeded_groups_delete``: threads and
  replies protect their authors), then the organization is seeded again; anyone else is kept.
- After people: groups, memberships and discussions (``groups/seed.py``), then the search index is
  rebuilt from the content tables.
- ``--password``: every seeded member gets that password (hashed once); without it, seeded members
  cannot sign in with a password.
- Same ``--seed`` → same organization; only dates move with today's date (newcomers stay newcomers).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from courtyard.core.audit import audit_record
from courtyard.groups.seed import GroupsSeedResult, post_count, seed_groups, seeded_groups_delete
from courtyard.people.models import Profile
from courtyard.people.seed import (
    SIZES,
    SeedResult,
    seed_people,
    seed_size,
    seeded_people_delete,
    seeded_profiles,
)
from courtyard.people.selectors import directory_options_invalidate
from courtyard.search.services import search_rebuild


def size_argument(value: str) -> str:
    if value in SIZES or value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"use {', '.join(SIZES)} or a number of members")


def stream(seed: int, part: str) -> random.Random:
    """One independent, reproducible random stream per seeded part."""
    return random.Random(f"{seed}:{part}")


class Command(BaseCommand):
    help = "Seed a deterministic, realistic organization: demo (~300 members) or large (100,000)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--size", type=size_argument, default="demo", help="demo, large, or a number of members")
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same organization (default 42)")
        parser.add_argument("--password", default=None, help="Password for every seeded member (default: unusable)")
        parser.add_argument(
            "--force", action="store_true", help="Delete the people of an earlier seed first, then seed again"
        )

    def handle(self, *args: Any, size: str, seed: int, password: str | None, force: bool, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        try:
            members = seed_size(size)
        except (KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        existing = Profile.objects.count()
        if existing and not force:
            self.stdout.write(
                f"Not seeding: the directory already has {existing:,} people. Nothing was changed. "
                "Use --force to replace the people of an earlier seed."
            )
            return
        started = time.perf_counter()
        if existing:
            seeded = seeded_profiles().count()
            from courtyard.welcome.seed import seeded_welcome_delete

            seeded_welcome_delete()  # its hello thread lives in a seeded group
            groups_deleted = seeded_groups_delete()
            if groups_deleted:
                self.stdout.write(f"Deleted {groups_deleted:,} seeded groups with their discussions.")
            with tqdm(total=seeded, unit="people", desc="Deleting earlier seed", disable=verbosity == 0) as bar:
                deleted = seeded_people_delete(progress=bar.update)
            kept = existing - seeded
            self.stdout.write(f"Deleted {deleted:,} seeded people" + (f"; kept {kept:,} others." if kept else "."))
        password_hash = make_password(password) if password else None
        with tqdm(total=members, unit="people", desc="Seeding people", disable=verbosity == 0) as bar:
            people = seed_people(size=members, rng=stream(seed, "people"), password_hash=password_hash, progress=bar.update)
        people_seconds = time.perf_counter() - started
        # Later capabilities: their own `<app>/seed.py`, called here with stream(seed, "<app>").
        groups_started = time.perf_counter()
        with tqdm(total=post_count(people.members), unit="posts", desc="Seeding groups", disable=verbosity == 0) as bar:
            groups = seed_groups(rng=stream(seed, "groups"), members=people.members, progress=bar.update)
        groups_seconds = time.perf_counter() - groups_started
        # Each later capability seeds here, in this order, with its own stream(seed, "<app>"):
        # -- events (events/seed.py) --
        from courtyard.events.seed import rsvp_count, seed_events, seeded_events_delete

        events_started = time.perf_counter()
        seeded_events_delete()  # events an earlier seed left behind (--force), with their answers and facts
        with tqdm(total=rsvp_count(people.members), unit="answers", desc="Seeding events", disable=verbosity == 0) as bar:
            events = seed_events(rng=stream(seed, "events"), members=people.members, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {events.events:,} events ({events.occurrences:,} dates, {events.recurring:,} repeating, "
            f"{events.group_events:,} of groups) with {events.rsvps:,} answers in {time.perf_counter() - events_started:.1f} s."
        ))
        self.stdout.write(
            f"  {events.going:,} going, {events.waitlisted:,} waitlisted; {events.attended:,} came and "
            f"{events.no_shows:,} did not; {events.feedback:,} feedback answers; busiest: {events.biggest_title} "
            f"({events.biggest:,} answers)"
        )
        # -- pairing (pairing/seed.py) --
        from courtyard.pairing.seed import seed_pairing

        pairing_started = time.perf_counter()
        pairing = seed_pairing(rng=stream(seed, "pairing"))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded pairing in {time.perf_counter() - pairing_started:.1f} s: {pairing.coffee_rounds} coffee rounds "
            f"({pairing.coffee_matches:,} matches, {pairing.met:,} met), {pairing.mentorships} mentorships with "
            f"{pairing.checkins} check-ins, {pairing.teams} teams."
        ))
        # -- recognition (recognition/seed.py) --
        from courtyard.recognition.seed import kudos_count, seed_recognition

        recognition_started = time.perf_counter()
        with tqdm(total=kudos_count(people.members), unit="kudos", desc="Seeding kudos", disable=verbosity == 0) as bar:
            recognition = seed_recognition(rng=stream(seed, "recognition"), members=people.members, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {recognition.kudos:,} kudos ({recognition.team_kudos:,} to teams, {recognition.group_kudos:,} to "
            f"groups, {recognition.private:,} private) in {time.perf_counter() - recognition_started:.1f} s."
        ))
        self.stdout.write(
            f"  {recognition.co_senders:,} +1s, {recognition.reactions:,} reactions, {recognition.points:,} points given; "
            f"{recognition.celebrations:,} celebrations, {recognition.birthdays:,} birthdays shared, "
            f"{recognition.badges:,} badges; the top 10% of givers gave {recognition.top_giver_share:.0%}"
        )
        # -- surveys (surveys/seed.py) --
        from courtyard.surveys.seed import seed_surveys

        surveys_started = time.perf_counter()
        with tqdm(unit="responses", desc="Seeding surveys", disable=verbosity == 0) as bar:
            voice = seed_surveys(rng=stream(seed, "surveys"), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {voice.surveys} surveys ({voice.rounds} pulse rounds) with {voice.responses:,} responses and "
            f"{voice.answers:,} answers, {voice.ideas} ideas ({voice.anonymous_ideas} anonymous, {voice.votes:,} votes, "
            f"{voice.comments:,} comments), {voice.actions} \"we did\" updates in {time.perf_counter() - surveys_started:.1f} s."
        ))
        self.stdout.write(f"  lower belonging in: {voice.low_department}")
        # -- welcome (welcome/seed.py: buddies and newcomers mid-journey) --
        from courtyard.welcome.seed import seed_welcome

        welcome_started = time.perf_counter()
        welcome = seed_welcome(rng=stream(seed, "welcome"))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded the newcomer journey in {time.perf_counter() - welcome_started:.1f} s: {welcome.offers} buddy offers, "
            f"{welcome.buddies} of {welcome.newcomers} newcomers with a buddy ({welcome.met} met, {welcome.checked_in} "
            f"checked in at two weeks), {welcome.hellos} hellos, {welcome.dismissed} dismissed checklists."
        ))
        # -- insights (insights/seed.py: rollups over all facts above) --
        from courtyard.insights.seed import seed_insights

        insights = seed_insights(rng=stream(seed, "insights"))
        self.stdout.write(self.style.SUCCESS(
            f"Insights: rolled up {insights.participations:,} participations and {insights.interactions:,} interactions "
            f"in {insights.seconds:.1f} s (story: {insights.story_participations:,} facts; siloed "
            f"{insights.siloed_department!r}; {insights.bridging_group!r} bridges {' and '.join(insights.bridged)}; "
            f"newcomers before/after the coffee program {insights.newcomers_before}/{insights.newcomers_after})."
        ))
        index_started = time.perf_counter()
        total_documents = groups.groups + groups.threads + groups.posts
        with tqdm(total=total_documents, unit="docs", desc="Search index", disable=verbosity == 0) as bar:
            documents = search_rebuild(progress=bar.update)
        index_seconds = time.perf_counter() - index_started
        directory_options_invalidate()
        audit_record(
            action="core.seeded",
            data={"size": size, "seed": seed, "members": people.members, "groups": groups.groups, "posts": groups.posts},
        )
        self._report(people, people_seconds, with_password=bool(password))
        self._report_groups(groups, groups_seconds, documents, index_seconds)

    def _report_groups(self, groups: GroupsSeedResult, seconds: float, documents: int, index_seconds: float) -> None:
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {groups.groups:,} groups, {groups.threads:,} threads and {groups.posts:,} replies in {seconds:.1f} s."
        ))
        self.stdout.write(
            f"  {groups.memberships:,} memberships; {groups.private} private, {groups.request} request-to-join, "
            f"{groups.archived} archived groups; {groups.reactions:,} reactions; {groups.questions:,} questions "
            f"({groups.answered:,} with an accepted answer)"
        )
        self.stdout.write(
            f"  busiest group: {groups.busiest_group} ({groups.busiest_group_posts:,} replies); longest thread: "
            f"{groups.longest_thread_replies:,} replies"
        )
        self.stdout.write(
            f"  activity facts: {groups.participations:,} participations, {groups.interactions:,} interactions; "
            f"search index: {documents:,} documents in {index_seconds:.1f} s"
        )

    def _report(self, people: SeedResult, seconds: float, *, with_password: bool) -> None:
        self.stdout.write(self.style.SUCCESS(f"Seeded {people.members:,} people in {seconds:.1f} s."))
        self.stdout.write(
            f"  {people.departments} departments, {people.teams:,} teams, {people.locations} locations, "
            f"{people.interests} interests, {people.skills} skills, {people.newcomers:,} newcomers"
        )
        self.stdout.write(f"  CEO: {people.ceo_email}; community admins: {', '.join(people.admin_emails)}")
        if not with_password:
            self.stdout.write("  Seeded members have no usable password (use --password to sign in as them).")
