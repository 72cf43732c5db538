"""The import pages: upload → preview → confirm, refusals, and bad files answered with line errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courtyard.people.models import Profile
from tests.conftest import signed_in_client
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

IMPORT = reverse("people:people_import")
CONFIRM = reverse("people:people_import_confirm")
TEMPLATE = reverse("people:people_import_template")
VALID = (
    b"email,name,department,manager email,title\n"
    b"cleo@example.com,Cleo Chief,Executive,,CEO\n"
    b"dan@example.com,Dan Dev,Engineering / Platform,cleo@example.com,Engineer\n"
    b"member@example.com,Mia Member,Engineering / Platform,cleo@example.com,Staff engineer\n"
)


def upload(client: Client, data: bytes, *, deactivate_missing: bool = False, name: str = "people.csv"):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if deactivate_missing:
        payload["deactivate_missing"] = "on"
    return client.post(IMPORT, payload)


def warm(client: Client) -> Client:
    """The first signed-in request records the session and a visit; make it before a snapshot is taken."""
    client.get(reverse("home"))
    return client


def without_media(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key != "media"}


def spooled() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.glob("*.csv")) if folder.exists() else []


def test_upload_page_has_the_form_and_the_template_link(admin_client):
    response = admin_client.get(IMPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert "Deactivate people missing from this file" in html
    assert TEMPLATE in html


def test_template_download_is_a_csv_the_import_accepts(admin_client):
    response = admin_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith("email,name,department,team,manager email,")
    preview = upload(admin_client, response.content)
    assert preview.status_code == 200
    assert preview.context["counts"]["created"] == 1


def test_upload_preview_confirm(admin_client, admin, member, other_member):
    member.title = "Engineer"
    member.save()
    warm(admin_client)
    before = db_snapshot()
    response = upload(admin_client, VALID, deactivate_missing=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["counts"] == {"created": 2, "updated": 1, "unchanged": 0, "deactivated": 1, "reactivated": 0}
    assert "Cleo Chief" in html
    assert "Dan Dev" in html
    assert '<del class="text-body-secondary">Engineer</del> → <ins class="text-decoration-none">Staff engineer</ins>' in html
    assert "other@example.com" in html  # to deactivate
    assert "Confirm and import" in html
    [spool] = spooled()
    assert stat.S_IMODE(spool.stat().st_mode) == 0o600
    token = response.context["token"]
    assert token not in spool.name
    # The preview changed nothing but the spool file.
    assert without_media(db_snapshot()) == without_media(before)

    confirmed = admin_client.post(CONFIRM, {"token": token})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("people:directory")
    assert Profile.objects.get(user__email="dan@example.com").manager.user.email == "cleo@example.com"
    member.refresh_from_db()
    assert member.title == "Staff engineer"
    other_member.refresh_from_db()
    assert not other_member.is_active
    assert spooled() == []
    page = admin_client.get(confirmed["Location"])
    assert "Import done: 2 added, 1 updated, 0 unchanged, 1 deactivated." in page.content.decode()

    # The same confirmation again is refused: the preview was used up.
    before = db_snapshot()
    replay = admin_client.post(CONFIRM, {"token": token})
    assert replay.status_code == 400
    assert "no longer waiting for confirmation" in replay.content.decode()
    assert db_snapshot() == before


def test_a_file_with_errors_is_answered_line_by_line_and_nothing_changes(admin_client):
    warm(admin_client)
    before = db_snapshot()
    bad = VALID + b"erin@example,Erin,Sales,ghost@example.com,Rep\n"
    response = upload(admin_client, bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 problems: nothing was imported" in html
    assert [(e["line"], e["column"]) for e in response.context["errors"]] == [(5, "email"), (5, "manager email")]
    assert "“erin@example” is not a valid email address." in html
    assert "The manager ghost@example.com is neither in this file nor in the directory." in html
    assert 'type="file"' in html  # the corrected file can be uploaded from here
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"name,title\nAnn,CTO\n", "The column “email” is missing."),
        ("email,name\nzoe@example.com,Zoé\n".encode("cp1252"), "line 2 has the byte 0xE9"),
        (b"", "The submitted file is empty."),
    ],
)
def test_unreadable_files_are_400s(admin_client, data, fragment):
    warm(admin_client)
    before = db_snapshot()
    response = upload(admin_client, data)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert db_snapshot() == before


def test_a_file_over_the_limit_is_refused_with_a_clear_message(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    data = VALID + b"x" * (2 * 1024 * 1024)
    response = upload(admin_client, data)
    assert response.status_code == 400
    assert "The file is larger than 2 MB" in response.content.decode()
    assert spooled() == []


def test_a_missing_file_is_a_400(admin_client):
    response = admin_client.post(IMPORT, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_members_and_anonymous_are_refused_and_nothing_changes(role, admin, member):
    admin_client = signed_in_client(admin)
    token = upload(admin_client, VALID).context["token"]
    client = Client() if role == "anonymous" else warm(signed_in_client(member))
    before = db_snapshot()
    responses = [
        client.get(IMPORT),
        client.get(TEMPLATE),
        upload(client, VALID, deactivate_missing=True),
        client.post(CONFIRM, {"token": token}),
    ]
    for response in responses:
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 403
    assert db_snapshot() == before


def test_another_admin_cannot_confirm_someone_elses_preview(admin):
    first = signed_in_client(admin)
    token = upload(first, VALID).context["token"]
    second = warm(signed_in_client(make_profile(email="admin2@example.com", is_admin=True)))
    before = db_snapshot()
    response = second.post(CONFIRM, {"token": token})
    assert response.status_code == 400
    assert db_snapshot() == before
    assert first.post(CONFIRM, {"token": token}).status_code == 302


def test_a_tampered_token_is_refused(admin_client):
    upload(admin_client, VALID)
    before = db_snapshot()
    response = admin_client.post(CONFIRM, {"token": "../../etc/passwd"})
    assert response.status_code == 400
    assert db_snapshot() == before


def test_the_token_does_not_name_the_spooled_upload(admin_client):
    """The page holds a token; the file's name is a hash of it and the admin's id, so the token fetches nothing."""
    token = upload(admin_client, VALID).context["token"]
    nosy = signed_in_client(make_profile(email="nosy@example.com"))
    assert nosy.get(reverse("media", args=[f"imports/{token}.csv"])).status_code == 404


def test_changes_between_preview_and_confirm_show_a_new_preview(admin_client, member):
    data = b"email,name,title\nmember@example.com,Mia Member,Lead\nnew@example.com,Nia New,Intern\n"
    token = upload(admin_client, data).context["token"]
    member.title = "Lead"
    member.save()
    before = db_snapshot()
    response = admin_client.post(CONFIRM, {"token": token})
    assert response.status_code == 409
    assert "The directory changed since the preview" in response.content.decode()
    assert response.context["counts"]["updated"] == 0
    assert without_media(db_snapshot()) == without_media(before)  # a new spool file for the new preview
    confirmed = admin_client.post(CONFIRM, {"token": response.context["token"]})
    assert confirmed.status_code == 302
    assert Profile.objects.filter(user__email="new@example.com").exists()


def test_going_back_to_the_upload_page_abandons_the_preview(admin_client):
    token = upload(admin_client, VALID).context["token"]
    assert spooled()
    admin_client.get(IMPORT)
    assert spooled() == []
    assert admin_client.post(CONFIRM, {"token": token}).status_code == 400


def test_a_file_that_changes_nothing_says_so(admin_client, member):
    response = upload(admin_client, b"email,name\nmember@example.com,Mia Member\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "there is nothing to import" in html
    assert "Confirm and import" not in html
