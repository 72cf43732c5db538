"""Every model change comes with its migration (a migration that is missing would be made on a user's machine instead)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"A model change has no migration (run `courtyard makemigrations`):\n{out.getvalue()}")
        raise AssertionError from exit_


@pytest.mark.django_db
def test_the_check_notices_a_missing_migration(monkeypatch):
    """The check above can fail: a field added to a model without a migration is noticed."""
    from django.db import models

    from courtyard.people.models import Location

    field = models.CharField(max_length=10, default="", blank=True)
    field.contribute_to_class(Location, "unmigrated_field")
    try:
        with pytest.raises(SystemExit):
            call_command("makemigrations", "people", "--check", "--dry-run", stdout=io.StringIO())
    finally:
        Location._meta.local_fields.remove(field)
        Location._meta._expire_cache()
        delattr(Location, "unmigrated_field") if hasattr(Location, "unmigrated_field") else None


def test_migration_names_are_descriptive():
    from pathlib import Path

    import courtyard

    root = Path(courtyard.__file__).parent
    for migration in root.glob("*/migrations/0*.py"):
        assert "auto_" not in migration.stem, f"{migration}: give the migration a descriptive name"
