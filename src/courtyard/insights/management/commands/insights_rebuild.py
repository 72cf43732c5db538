"""`courtyard insights_rebuild`: recompute every insights rollup from the activity facts, from scratch."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from courtyard.insights import rollups, services


class Command(BaseCommand):
    help = "Recompute the insights rollups from the whole activity-facts ledger (and goals and communities)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk", type=int, default=2_000_000, help="Facts per transaction (default 2,000,000)")
        parser.add_argument("--skip-communities", action="store_true", help="Do not detect communities now")

    def handle(self, *args: Any, chunk: int, skip_communities: bool, **options: Any) -> None:
        started = time.perf_counter()
        report = rollups.rollups_rebuild(chunk=chunk)
        goals = services.goals_refresh()
        self.stdout.write(self.style.SUCCESS(
            f"Rolled up {report.participations:,} participations and {report.interactions:,} interactions "
            f"({report.periods_refreshed} periods) in {report.seconds:.1f} s; {goals} goals refreshed."
        ))
        if not skip_communities:
            snapshots = services.communities_refresh()
            self.stdout.write(f"Communities detected for {len(snapshots)} spans in {time.perf_counter() - started:.1f} s total.")
