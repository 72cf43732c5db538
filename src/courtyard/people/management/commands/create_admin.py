"""`courtyard create-admin --email you@example.com --name "Your Name" [--department People] [--no-password]`.

Makes a community admin who can use every page: an account *and* the profile that Kudos, Connect, Groups and
the directory need. Django's ``createsuperuser`` makes only the account; run this afterwards with the same
address and it adds the missing profile. Running it again is safe: the person stays an admin, and their
profile and content are kept.

The password is asked for twice on a terminal (and checked against the password rules), or read from the
environment variable ``COURTYARD_ADMIN_PASSWORD`` (for scripts and containers). ``--no-password`` makes an
account that signs in through single sign-on only (or keeps the existing password of an existing account).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from courtyard.core.errors import ApplicationError
from courtyard.people.services import admin_ensure

PASSWORD_VARIABLE = "COURTYARD_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = "Create a community admin with a profile (or give an account made by createsuperuser its profile)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="The admin's email address (their sign-in)")
        parser.add_argument("--name", required=True, help="Full name, as colleagues see it")
        parser.add_argument("--department", default="", help='Department path, e.g. "People" or "Engineering/Platform"')
        parser.add_argument("--no-password", action="store_true",
                            help="No password: sign-in through single sign-on only (an existing password is kept)")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        password = None if options["no_password"] else self._password()
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError("The password is refused: " + " ".join(error.messages)) from error
        try:
            profile, created = admin_ensure(email=email, full_name=options["name"], password=password,
                                            department_path=options["department"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        what = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{what} community admin {profile.full_name} <{email}>."))

    def _password(self) -> str:
        from_environment = os.environ.get(PASSWORD_VARIABLE)
        if from_environment:
            return from_environment
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_VARIABLE}, run on a terminal to be asked, or pass --no-password.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
