"""`courtyard worker`: runs background and scheduled jobs (Huey consumer), every app's and ``site/tasks.py``."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the job worker: queued jobs and the periodic schedule (reminders, rounds, celebrations, clean-ups)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=None, help="Worker threads (default from settings).")

    def handle(self, *args: Any, workers: int | None = None, **options: Any) -> None:
        # run_huey imports every installed app's tasks.py, site's shared periodic jobs among them.
        extra = ["--workers", str(workers)] if workers else []
        call_command("run_huey", *extra)
