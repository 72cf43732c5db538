"""`courtyard seed --size demo|large|N --seed N [--password P] [--force]`: a deterministic organization.

Each app owns its part in ``<app>/seed.py`` and exposes it as ``SEEDER`` (the shape: core/seeding.py); this
command only finds them (site/seeding.py), runs them in their order, gives each its own random stream derived
from ``--seed`` (``random.Random(f"{seed}:{part}")``, so adding a part does not change what the others create),
and shows progress and what each made.

- People already there: nothing is changed, a message says so, exit status 0.
- ``--force``: what an earlier seed made is deleted first, each part in reverse order (content before the
  people who wrote it: threads and replies protect their authors), then the organization is seeded again;
  anyone else is kept.
- ``--password``: every seeded member gets that password (hashed once); without it, seeded members
  cannot sign in with a password.
- Same ``--seed`` → same organization; only dates move with today's date (newcomers stay newcomers).
"""

from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from courtyard.core.audit import audit_record
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.people.seed import SIZES, seed_size
from courtyard.site.seeding import seeder, seeders, tqdm_progress


def size_argument(value: str) -> str:
    if value in SIZES or value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"use {', '.join(SIZES)} or a number of members")


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
        # The organization is its people: an existing directory is never seeded over without --force.
        existing = seeder("people").counts()["people"]
        if existing and not force:
            self.stdout.write(
                f"Not seeding: the directory already has {existing:,} people. Nothing was changed. "
                "Use --force to replace the people of an earlier seed."
            )
            return
        ctx = SeedContext(
            seed=seed,
            members=members,
            password_hash=make_password(password) if password else None,
            progress_bar=tqdm_progress(disable=verbosity == 0),
        )
        parts = seeders()
        if existing:
            for part in reversed(parts):
                self._write(part.delete_seeded(ctx))
        audit: dict[str, Any] = {"size": size, "seed": seed}
        for part in parts:
            report = part.seed(ctx)
            self._write(report)
            audit.update(report.audit)
        audit_record(action="core.seeded", data=audit)

    def _write(self, report: SeedReport) -> None:
        if report.headline:
            self.stdout.write(self.style.SUCCESS(report.headline))
        for line in report.details:
            self.stdout.write(line)
