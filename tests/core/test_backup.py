"""`courtyard backup` and `courtyard restore`: a restore drill into a fresh location, and refusals.

On SQLite (the default run) the drill restores into a new SQLite file; with DATABASE_URL on PostgreSQL it
restores with pg_restore into a new database. Either way the restore runs as its own `courtyard restore`
process, configured like a new machine, and the result is checked table by table and file by file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from courtyard.core.backup import table_counts
from courtyard.people import services as people_services
from courtyard.people.models import Profile
from tests.factories import make_profile
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db(transaction=True)

COURTYARD = str(Path(sys.executable).parent / "courtyard")


def seed() -> Profile:
    admin = make_profile(email="boss@example.com", full_name="Bo Boss", is_admin=True, department="People")
    for n in range(4):
        make_profile(email=f"p{n}@example.com", full_name=f"Pat {n}", department="Engineering / Platform")
    people_services.profile_photo_set(actor=admin.user, profile=admin, upload=image_upload())
    admin.refresh_from_db()
    return admin


def make_backup(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    call_command("backup", output=str(folder))
    (archive,) = folder.glob("courtyard-backup-*.tar")
    return archive


def restore_env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="courtyard.config.settings", COURTYARD_VAR_DIR=str(tmp_path / "fresh"),
        MEDIA_ROOT=str(tmp_path / "fresh" / "media"),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture
def fresh_database(tmp_path):
    """Where the drill restores to: a new SQLite file, or a new PostgreSQL database beside the test one."""
    if connection.vendor == "sqlite":
        yield None, lambda: sqlite3.connect(tmp_path / "fresh" / "courtyard.sqlite3")
        return
    s = connection.settings_dict
    name = f"{s['NAME']}_restore"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "") + "@" if s["USER"] else ""
    server = f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}", lambda: psycopg.connect(f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_counts(connect, tables: list[str]) -> dict[str, int]:
    db = connect()
    try:
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in tables}  # noqa: S608
    finally:
        db.close()


def test_restore_drill_into_a_fresh_location(tmp_path, fresh_database):
    admin = seed()
    archive = make_backup(tmp_path)
    expected = table_counts()
    assert expected["people_profile"] == 5
    assert expected["accounts_user"] == 5
    photo = Path(settings.MEDIA_ROOT) / admin.photo.name
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == expected

    database_url, connect = fresh_database
    result = subprocess.run(  # noqa: S603 - our own command
        [COURTYARD, "restore", str(archive)], env=restore_env(tmp_path, database_url),
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restored" in result.stdout

    assert restored_counts(connect, list(expected)) == expected
    restored_photo = tmp_path / "fresh" / "media" / admin.photo.name
    assert restored_photo.read_bytes() == photo.read_bytes()

    # A second restore onto the restored data is refused, and changes nothing.
    again = subprocess.run(  # noqa: S603
        [COURTYARD, "restore", str(archive)], env=restore_env(tmp_path, database_url),
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert again.returncode != 0
    assert "already has tables" in again.stderr
    assert restored_counts(connect, list(expected)) == expected


def test_restore_refuses_bad_archives_and_a_database_with_data(tmp_path):
    seed()
    archive = make_backup(tmp_path)
    before = table_counts()
    not_tar = tmp_path / "notes.tar"
    not_tar.write_text("hello")
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(not_tar, arcname="readme.txt")

    for path, message in (
        (tmp_path / "missing.tar", "No backup at"),
        (not_tar, "is not a backup archive"),
        (foreign, "not a Courtyard backup"),
        (archive, "already has tables"),  # the test database is not empty
    ):
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path))
    assert table_counts() == before


def test_backup_never_overwrites_an_archive(tmp_path):
    target = tmp_path / "nightly.tar"
    call_command("backup", output=str(target))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(target))
