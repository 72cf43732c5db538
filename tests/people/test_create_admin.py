"""`courtyard create-admin`: the first community admin gets an account *and* a profile, so every page works."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from courtyard import cli
from courtyard.accounts.models import User
from courtyard.core.models import AuditEntry
from courtyard.people.models import Profile
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command run from argv closes the database connections when it ends (see test_import_cli.py)."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_creates_an_admin_with_a_profile_who_can_use_kudos_and_connect(monkeypatch, capsys):
    monkeypatch.setenv("COURTYARD_ADMIN_PASSWORD", PASSWORD)
    cli.main(["create-admin", "--email", "Ada@Example.com", "--name", "Ada Admin", "--department", "People/Ops"])
    assert "Created community admin Ada Admin <Ada@Example.com>" in capsys.readouterr().out
    profile = Profile.objects.select_related("user", "department").get(user__email="ada@example.com")
    assert profile.user.is_admin
    assert profile.user.is_superuser
    assert profile.user.check_password(PASSWORD)
    assert profile.department.path.endswith("Ops")
    client = signed_in_client(profile)
    for url in ("/kudos/", "/connect/", "/groups/", "/people/"):
        assert client.get(url).status_code == 200, url
    assert AuditEntry.objects.filter(action="people.profile.created", data__email="ada@example.com").exists()


def test_gives_a_createsuperuser_account_its_missing_profile_and_keeps_its_password(monkeypatch):
    user = User.objects.create_superuser("root@example.com", PASSWORD)
    call_command("create_admin", email="root@example.com", name="Rita Root", no_password=True)
    profile = Profile.objects.get(user=user)
    assert profile.full_name == "Rita Root"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.is_admin
    # Running it again changes nothing but keeps them an admin.
    call_command("create_admin", email="root@example.com", name="Rita Root", no_password=True)
    assert Profile.objects.filter(user=user).count() == 1


def test_makes_a_deactivated_member_an_active_admin_again(monkeypatch):
    monkeypatch.setenv("COURTYARD_ADMIN_PASSWORD", PASSWORD)
    call_command("create_admin", email="ex@example.com", name="Ex Member")
    profile = Profile.objects.get(user__email="ex@example.com")
    Profile.objects.filter(pk=profile.pk).update(is_active=False)
    User.objects.filter(pk=profile.user_id).update(is_active=False, is_staff=False)
    call_command("create_admin", email="ex@example.com", name="Ex Member", no_password=True)
    profile.refresh_from_db()
    assert profile.is_active
    assert profile.user.is_admin


@pytest.mark.parametrize(
    ("options", "environment", "message"),
    [
        ({"email": "not-an-address", "name": "X"}, PASSWORD, "is not an email address"),
        ({"email": "weak@example.com", "name": "Weak"}, "123", "The password is refused"),
        ({"email": "nopass@example.com", "name": "No Pass"}, None, "COURTYARD_ADMIN_PASSWORD"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(monkeypatch, options, environment, message):
    if environment is None:
        monkeypatch.delenv("COURTYARD_ADMIN_PASSWORD", raising=False)
        monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    else:
        monkeypatch.setenv("COURTYARD_ADMIN_PASSWORD", environment)
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", **options)
    assert not User.objects.exists()
