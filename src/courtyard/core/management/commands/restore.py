"""`courtyard restore ARCHIVE`: put a `courtyard backup` archive back (see courtyard.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from courtyard.core.backup import backup_restore
from courtyard.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the database of DATABASE_URL and MEDIA_ROOT. Stop the app servers and "
        "workers first. Refuses a database or media folder that holds data unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="The .tar file that `courtyard backup` wrote.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data of a database and media folder that are not empty."
        )

    def handle(self, *args: Any, archive: str, force: bool, **options: Any) -> None:
        try:
            report = backup_restore(archive_path=Path(archive), force=force)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(report.tables.values())
        self.stdout.write(
            f"Restored {report.vendor}: {len(report.tables)} tables, {rows} rows (as in the backup), "
            f"{report.media_files} files. Run `courtyard migrate` if this version is newer than the backup's."
        )
