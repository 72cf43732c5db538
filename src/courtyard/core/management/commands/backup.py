"""`courtyard backup`: the database and the uploaded files in one archive (see courtyard.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from courtyard.core.backup import backup_create
from courtyard.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and MEDIA_ROOT into one .tar archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", default=".", help="A folder (the archive gets a dated name) or the archive's file name."
        )

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        try:
            report = backup_create(output=Path(output))
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(report.tables.values())
        self.stdout.write(
            f"Backed up {report.vendor}: {len(report.tables)} tables, {rows} rows, {report.media_files} files "
            f"-> {report.path}"
        )
