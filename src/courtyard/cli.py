"""The `courtyard` command: Django's management commands plus our own (serve, demo, seed, import-people, create-admin, worker, bench)."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

ALIASES = {"import-people": "import_people", "create-admin": "create_admin"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtyard.config.settings")
    args = list(sys.argv if argv is None else ["courtyard", *argv])
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
