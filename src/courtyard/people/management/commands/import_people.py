"""`courtyard import-people FILE.csv [--deactivate-missing] [--dry-run] [--as admin@example.com]`.

The same import as the admin page: the whole file is checked first and errors are printed line by line
(exit status 1, nothing applied); a valid file is applied at once, with a progress bar, and summarized.
``--dry-run`` prints what would change and applies nothing. The import is recorded in the audit log in the
name of the admin given with ``--as`` (or the only active admin, when there is exactly one).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from courtyard.accounts.models import User
from courtyard.core.errors import ApplicationError
from courtyard.people import importing
from courtyard.people.domain.orgimport import ImportPlan

EXIT_INVALID = 1
EXIT_USAGE = 2
DRY_RUN_SHOWN = 50


class Command(BaseCommand):
    help = "Import people from a CSV file (email, name, department, team, manager email, title, ...)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, with a header line)")
        parser.add_argument(
            "--deactivate-missing", action="store_true",
            help="Deactivate active people who are not in the file (their data is kept)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show the changes; apply nothing")
        parser.add_argument(
            "--as", dest="as_email", default=None, metavar="EMAIL",
            help="The community admin the import is recorded for (default: the only active admin)",
        )

    def handle(
        self, *args: Any, file: Path, deactivate_missing: bool, dry_run: bool, as_email: str | None, **options: Any
    ) -> None:
        verbosity = int(options.get("verbosity", 1))
        actor = self._actor(as_email)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}, returncode=EXIT_USAGE) from None
        started = time.perf_counter()
        try:
            plan = importing.people_import_preview(actor=actor, data=data, deactivate_missing=deactivate_missing)
        except ApplicationError as error:
            raise CommandError(error.message, returncode=EXIT_INVALID) from None
        for note in plan.notes:
            self.stdout.write(self.style.WARNING(importing.message_text(note)))
        if not plan.is_valid:
            self._print_errors(plan)
            raise CommandError(
                _("%(count)d problems in %(file)s; nothing was imported.") % {"count": len(plan.errors), "file": file},
                returncode=EXIT_INVALID,
            )
        if dry_run:
            self._print_changes(plan, everything=verbosity >= 2)
            self.stdout.write(self._summary(plan, prefix=_("Dry run, nothing applied. Would do:")))
            return
        bars: list[tqdm[Any]] = []

        def progress(done: int, total: int) -> None:
            if not bars:
                bars.append(tqdm(total=total, unit="people", desc=_("Importing"), disable=verbosity == 0))
            bars[0].update(done - bars[0].n)

        try:
            result = importing.people_import_apply(
                actor=actor, data=data, deactivate_missing=deactivate_missing, progress=progress
            )
        except ApplicationError as error:
            for detail in error.details or []:
                self.stderr.write(_("line %(line)s: %(message)s") % detail)
            raise CommandError(error.message, returncode=EXIT_INVALID) from None
        finally:
            for bar in bars:
                bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            self._summary(result.plan, prefix=_("Imported in %(seconds).1f s:") % {"seconds": seconds})
        ))

    def _actor(self, as_email: str | None) -> User:
        admins = User.objects.filter(is_active=True, is_staff=True)
        if as_email:
            actor = admins.filter(email__iexact=as_email.strip()).first()
            if actor is None:
                raise CommandError(
                    _("%(email)s is not an active community admin.") % {"email": as_email}, returncode=EXIT_USAGE
                )
            return actor
        candidates = list(admins.order_by("id")[:2])
        if len(candidates) != 1:
            raise CommandError(
                _("Say which community admin runs the import, e.g. --as admin@example.com."), returncode=EXIT_USAGE
            )
        return candidates[0]

    def _print_errors(self, plan: ImportPlan) -> None:
        for error in plan.errors:
            where = _("line %(line)d") % {"line": error.line} if error.line else _("file")
            column = error.column_label(_)
            prefix = f"{where}, {column}" if column else where
            self.stderr.write(f"{prefix}: {importing.message_text(error)}")

    def _print_changes(self, plan: ImportPlan, *, everything: bool) -> None:
        limit = None if everything else DRY_RUN_SHOWN
        for record in plan.creates[:limit]:
            self.stdout.write(_("+ line %(line)d: add %(name)s <%(email)s>") % {
                "line": record.line, "name": record.full_name, "email": record.email,
            })
        for update in plan.updates[:limit]:
            changes = "; ".join(f"{c.label(_)}: {c.old or '—'} → {c.new or '—'}" for c in update.changes)
            self.stdout.write(_("~ line %(line)d: %(email)s: %(changes)s") % {
                "line": update.line, "email": update.record.email, "changes": changes,
            })
        for person in plan.deactivations[:limit]:
            self.stdout.write(_("- deactivate %(name)s <%(email)s>") % {"name": person.full_name, "email": person.email})
        hidden = sum(max(0, len(part) - DRY_RUN_SHOWN) for part in (plan.creates, plan.updates, plan.deactivations))
        if limit is not None and hidden:
            self.stdout.write(_("… and %(count)d more (use -v 2 to see everything).") % {"count": hidden})

    def _summary(self, plan: ImportPlan, *, prefix: str) -> str:
        return prefix + " " + _(
            "%(created)d added, %(updated)d updated (%(reactivated)d reactivated), %(unchanged)d unchanged, "
            "%(deactivated)d deactivated."
        ) % {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "reactivated": len(plan.reactivations),
            "unchanged": len(plan.unchanged),
            "deactivated": len(plan.deactivations),
        }
