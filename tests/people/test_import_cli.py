"""`courtyard import-people`: the same import from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

from courtyard import cli
from courtyard.accounts.models import User
from courtyard.core.models import AuditEntry
from courtyard.people.models import Profile
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

VALID = (
    "email,name,department,manager email,title\n"
    "cleo@example.com,Cleo Chief,Executive,,CEO\n"
    "dan@example.com,Dan Dev,Engineering,cleo@example.com,Engineer\n"
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command run from argv closes the database connections when it ends; inside a test's transaction
    (on PostgreSQL) that would end the test's connection too."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def csv_file(tmp_path: Path):
    def write(text: str | bytes, name: str = "people.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write


def run(*args: str) -> int:
    """The `courtyard` entry point, as a shell would call it; returns the exit status."""
    try:
        cli.main(["import-people", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_a_valid_file_is_applied_with_a_progress_bar_and_a_summary(admin, member, csv_file, capsys):
    status = run(str(csv_file(VALID)), "--deactivate-missing", "--as", "ADMIN@example.com")
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "2 added, 0 updated (0 reactivated), 0 unchanged, 1 deactivated." in out
    assert "Importing" in err  # tqdm's bar, with its rate and time left
    assert "people/s" in err or "s/people" in err
    assert Profile.objects.get(user__email="dan@example.com").manager.user.email == "cleo@example.com"
    member.refresh_from_db()
    assert not member.is_active
    entry = AuditEntry.objects.get(action="people.import.applied")
    assert entry.actor == admin.user
    assert entry.data["deactivated"] == 1


def test_the_only_admin_is_the_default_actor_and_a_second_run_changes_nothing(admin, csv_file, capsys):
    path = csv_file(VALID)
    assert run(str(path)) == 0
    before = {k: v for k, v in db_snapshot().items() if k != "core.AuditEntry"}
    assert run(str(path)) == 0
    assert "0 added, 0 updated (0 reactivated), 2 unchanged, 0 deactivated." in capsys.readouterr().out
    assert {k: v for k, v in db_snapshot().items() if k != "core.AuditEntry"} == before


def test_errors_are_printed_line_by_line_and_the_exit_status_is_non_zero(admin, csv_file, capsys):
    bad = VALID + "erin@example,Erin,Sales,ghost@example.com,Rep\nfred@example.com,Fred,,,\n" + "cleo@example.com,Cleo,,,\n"
    before = db_snapshot()
    status = run(str(csv_file(bad)))
    _out, err = capsys.readouterr()
    assert status == 1
    assert "line 4, email: “erin@example” is not a valid email address." in err
    assert "line 4, manager email: The manager ghost@example.com is neither in this file nor in the directory." in err
    assert "line 6, email: cleo@example.com is already on line 2: each person must appear once." in err
    assert "3 problems in" in err
    assert "nothing was imported" in err
    assert db_snapshot() == before


def test_a_wrongly_encoded_file_is_refused(admin, csv_file, capsys):
    status = run(str(csv_file("email,name\nzoe@example.com,Zoé\n".encode("cp1252"))))
    assert status == 1
    assert "line 2 has the byte 0xE9" in capsys.readouterr().err
    assert not User.objects.filter(email="zoe@example.com").exists()


def test_dry_run_shows_the_changes_and_applies_nothing(admin, member, csv_file, capsys):
    before = db_snapshot()
    status = run(str(csv_file(VALID + "member@example.com,Mia Member,Engineering,,Lead\n")), "--dry-run", "--deactivate-missing")
    out, _err = capsys.readouterr()
    assert status == 0
    assert "+ line 2: add Cleo Chief <cleo@example.com>" in out
    assert "~ line 4: member@example.com: department: Engineering / Platform → Engineering; title: — → Lead" in out
    assert "Dry run, nothing applied." in out
    assert db_snapshot() == before


def test_who_runs_the_import_must_be_clear(admin, csv_file, capsys):
    path = str(csv_file(VALID))
    assert run(path, "--as", "nobody@example.com") == 2
    assert "is not an active community admin" in capsys.readouterr().err
    make_profile(email="member2@example.com")
    assert run(path, "--as", "member2@example.com") == 2
    make_profile(email="admin2@example.com", is_admin=True)
    assert run(path) == 2
    assert "--as admin@example.com" in capsys.readouterr().err
    assert not User.objects.filter(email="cleo@example.com").exists()


def test_a_missing_file_is_a_usage_error(admin, tmp_path, capsys):
    assert run(str(tmp_path / "nope.csv")) == 2
    assert "Cannot read" in capsys.readouterr().err
