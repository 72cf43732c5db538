"""The organization import on the real database: every bad input refused whole, valid files applied once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courtyard.accounts.models import User
from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import AuditEntry
from courtyard.people import importing, selectors
from courtyard.people.models import Department, Location, Profile, Team
from tests.factories import PASSWORD, make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

VALID = (
    "email,name,department,team,manager email,title,location,time zone,start date,employee id\n"
    "cleo@example.com,Cleo Chief,Executive,,,CEO,Berlin,Europe/Berlin,2019-01-07,E1\n"
    "dan@example.com,Dan Dev,Engineering / Platform,Compilers,cleo@example.com,Engineer,Berlin,,2024-03-01,E2\n"
    "eve@example.com,Eve Ops,Engineering > Platform,Compilers,dan@example.com,SRE,Lisbon,Europe/Lisbon,2023-05-02,E3\n"
)


def apply(actor: Profile, text: str | bytes, *, deactivate_missing: bool = False, **kwargs) -> importing.ImportResult:
    data = text.encode() if isinstance(text, str) else text
    return importing.people_import_apply(actor=actor.user, data=data, deactivate_missing=deactivate_missing, **kwargs)


def without_audit(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key != "core.AuditEntry"}


def test_a_valid_file_creates_people_with_their_organization(admin, django_capture_on_commit_callbacks):
    selectors.directory_filter_options()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(admin, VALID)
    assert result.as_dict() == {"created": 3, "updated": 0, "unchanged": 0, "deactivated": 0, "reactivated": 0}
    dan = Profile.objects.select_related("user", "department", "team", "manager__user", "location").get(
        user__email="dan@example.com"
    )
    assert dan.full_name == "Dan Dev"
    assert dan.department.path == "Engineering / Platform"
    assert dan.department.parent.path == "Engineering"
    assert dan.team.name == "Compilers"
    assert dan.team.department == dan.department
    assert dan.manager.user.email == "cleo@example.com"
    assert dan.location.name == "Berlin"
    assert dan.location.timezone == "Europe/Berlin"  # from Cleo's line, the first to name Berlin
    assert dan.timezone == "UTC"
    assert dan.start_date == dt.date(2024, 3, 1)
    assert dan.employee_id == "E2"
    assert not dan.user.has_usable_password()
    assert Profile.objects.get(user__email="eve@example.com").manager == dan
    assert Team.objects.filter(name="Compilers").count() == 1
    # Searchable at once, like a profile made by hand.
    page = selectors.directory_page(selectors.DirectoryQuery(q="compilers"), 1)
    assert sorted(p.full_name for p in page) == ["Dan Dev", "Eve Ops"]
    entry = AuditEntry.objects.get(action="people.import.applied")
    assert entry.actor == admin.user
    assert entry.data["created"] == 3
    assert entry.data["rows"] == 3
    assert cache.get("people:directory-options") is None  # the new departments show in the filters


def test_applying_the_same_file_twice_changes_nothing_the_second_time(admin):
    apply(admin, VALID, deactivate_missing=True)
    before = without_audit(db_snapshot())
    again = apply(admin, VALID, deactivate_missing=True)
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3, "deactivated": 0, "reactivated": 0}
    assert without_audit(db_snapshot()) == before
    preview = importing.people_import_preview(actor=admin.user, data=VALID.encode(), deactivate_missing=True)
    assert not preview.has_changes


def test_an_update_changes_only_what_the_file_says(admin, member):
    member.title = "Engineer"
    member.save()
    result = apply(
        admin,
        "email,name,title\nmember@example.com,Mia Member,Staff engineer\n",
    )
    assert result.as_dict()["updated"] == 1
    member.refresh_from_db()
    assert member.title == "Staff engineer"
    assert member.department.path == "Engineering / Platform"  # no department column: kept
    assert member.timezone == "Europe/Berlin"
    assert "staff engineer" in member.search_document


def test_upsert_by_employee_id_changes_the_address(admin):
    ann = make_profile(email="ann.old@example.com", full_name="Ann", employee_id="E7")
    result = apply(admin, "email,name,employee id\nann.new@example.com,Ann Archer,E7\n")
    assert result.as_dict()["updated"] == 1
    ann.refresh_from_db()
    assert ann.user.email == "ann.new@example.com"
    assert ann.full_name == "Ann Archer"
    assert Client().login(email="ann.new@example.com", password=PASSWORD)
    assert not User.objects.filter(email="ann.old@example.com").exists()


def test_full_import_deactivates_the_missing_keeping_their_data_and_ending_sign_in(admin, member, other_member):
    other_member.title = "Account executive"
    other_member.save()
    result = apply(admin, "email,name\nmember@example.com,Mia Member\n", deactivate_missing=True)
    assert result.as_dict()["deactivated"] == 1
    other_member.refresh_from_db()
    assert not other_member.is_active
    assert not other_member.user.is_active
    assert other_member.title == "Account executive"
    assert other_member.department.path == "Sales"
    assert not Client().login(email="other@example.com", password=PASSWORD)
    assert Client().login(email="member@example.com", password=PASSWORD)
    # The acting admin is not in the file and stays active.
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.user.is_active
    assert AuditEntry.objects.filter(action="people.member.deactivated", object_id=str(other_member.pk)).exists()


def test_a_deactivated_person_in_the_file_is_reactivated(admin, member):
    from courtyard.people import services

    services.member_set_active(actor=admin.user, profile=member, active=False)
    result = apply(admin, "email,name\nmember@example.com,Mia Member\n")
    assert result.reactivated == 1
    member.refresh_from_db()
    assert member.is_active
    assert member.user.is_active


def test_without_the_option_nobody_is_deactivated(admin, member, other_member):
    apply(admin, "email,name\nmember@example.com,Mia Member\n")
    assert Profile.objects.filter(is_active=False).count() == 0


def test_an_account_without_a_profile_gets_one(admin):
    User.objects.create_user("loner@example.com", None)
    result = apply(admin, "email,name\nloner@example.com,Lou Loner\n")
    assert result.created == 1
    assert Profile.objects.get(user__email="loner@example.com").full_name == "Lou Loner"


BAD_FILES = {
    "missing column": ("name,title\nAnn,CTO\n", [(1, "email")]),
    "malformed email": ("email,name\nann@example.com,Ann\nbob(at)example.com,Bob\n", [(3, "email")]),
    "malformed date": ("email,name,start date\nann@example.com,Ann,03/01/2024\n", [(2, "start_date")]),
    "unknown manager": ("email,name,manager\nann@example.com,Ann,ghost@example.com\n", [(2, "manager")]),
    "cycle in the file": (
        "email,name,manager\nann@example.com,Ann,bob@example.com\nbob@example.com,Bob,ann@example.com\n",
        [(2, "manager"), (3, "manager")],
    ),
    "cycle through the directory": (
        # Mia reports to Olu in the directory (set up below); the file makes Olu report to Mia.
        "email,name,manager\nother@example.com,Olu Other,member@example.com\n",
        [(2, "manager")],
    ),
    "duplicate row": ("email,name\nann@example.com,Ann\nbob@example.com,Bob\nann@example.com,Ann\n", [(4, "email")]),
    "duplicate employee id": ("email,name,employee id\nann@example.com,Ann,E1\nbob@example.com,Bob,E1\n", [(3, "employee_id")]),
    "wrong encoding": ("email,name\nann@example.com,Ann\nzoe@example.com,Zoé\n".encode("cp1252"), [(3, "")]),
    "unknown time zone": ("email,name,time zone\nann@example.com,Ann,Europe/Atlantis\n", [(2, "timezone")]),
    "wrong number of values": ("email,name\nann@example.com,Ann,extra\n", [(2, "")]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_is_reported_line_by_line_and_nothing_is_applied(case, admin, member, other_member):
    member.manager = other_member
    member.save()
    text, expected = BAD_FILES[case]
    data = text.encode() if isinstance(text, str) else text
    preview = importing.people_import_preview(actor=admin.user, data=data, deactivate_missing=True)
    assert [(e.line, e.column) for e in preview.errors] == expected
    before = db_snapshot()
    with pytest.raises(ApplicationError) as raised:
        importing.people_import_apply(actor=admin.user, data=data, deactivate_missing=True)
    assert raised.value.code == "import_invalid"
    assert [(d["line"], d["column"]) for d in raised.value.details] == expected
    assert all(d["message"] for d in raised.value.details)
    assert db_snapshot() == before


def test_one_bad_line_among_good_ones_applies_nothing(admin):
    text = VALID + "frank@example.com,Frank,,,,,,,2024-13-01,E4\n"
    before = db_snapshot()
    with pytest.raises(ApplicationError) as raised:
        apply(admin, text, deactivate_missing=True)
    assert raised.value.details == [
        {"line": 5, "column": "start_date", "message": "“2024-13-01” is not a real date."}
    ]
    assert db_snapshot() == before
    assert not User.objects.filter(email="cleo@example.com").exists()


def test_only_admins_may_import(member, other_member):
    before = db_snapshot()
    for actor in (member.user, other_member.user):
        with pytest.raises(PermissionDenied):
            importing.people_import_preview(actor=actor, data=VALID.encode(), deactivate_missing=True)
        with pytest.raises(PermissionDenied):
            importing.people_import_apply(actor=actor, data=VALID.encode(), deactivate_missing=True)
    assert db_snapshot() == before


def test_files_over_the_limit_are_refused(admin, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ApplicationError) as raised:
        apply(admin, VALID)
    assert raised.value.code == "import_too_large"
    assert not User.objects.filter(email="cleo@example.com").exists()


def test_a_confirmation_after_the_directory_changed_applies_nothing(admin, member):
    data = b"email,name,title\nmember@example.com,Mia Member,Lead\n"
    preview = importing.people_import_preview(actor=admin.user, data=data, deactivate_missing=False)
    member.title = "Lead"
    member.save()
    with pytest.raises(Conflict):
        importing.people_import_apply(
            actor=admin.user, data=data, deactivate_missing=False, expected_fingerprint=preview.fingerprint
        )
    assert not AuditEntry.objects.filter(action="people.import.applied").exists()


def test_progress_is_reported_up_to_the_total(admin, member):
    calls: list[tuple[int, int]] = []
    apply(admin, VALID, deactivate_missing=True, progress=lambda done, total: calls.append((done, total)))
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1] > 0


def _people_csv(count: int, departments: int = 5) -> str:
    lines = ["email,name,department,team,manager,title,location,time zone,start date,employee id"]
    for index in range(count):
        manager = f"p{index // 10}@example.com" if index else ""
        lines.append(
            f"p{index}@example.com,Person {index},Dept {index % departments} / Sub,Team {index % 7},{manager},"
            f"Title {index % 3},City {index % 4},Europe/Berlin,2020-01-{index % 28 + 1:02d},X{index}"
        )
    return "\n".join(lines) + "\n"


def test_queries_do_not_grow_with_the_number_of_lines(admin):
    """Bulk writes: 400 lines cost about the same number of queries as 40."""

    def queries(count: int, prefix: str) -> int:
        text = _people_csv(count).replace("@example.com", f"@{prefix}.example.com").replace(",X", f",{prefix}X")
        with CaptureQueriesContext(connection) as captured:
            apply(admin, text)
        return len(captured)

    small = queries(40, "small")
    large = queries(400, "large")
    assert Profile.objects.count() == 441
    assert large <= small + 10, (small, large)
    assert Department.objects.filter(path__endswith=" / Sub").count() == 5
    assert Location.objects.count() == 4
