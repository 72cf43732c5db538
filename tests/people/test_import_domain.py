"""The import's pure rules: reading the file, validating lines, matching people, reporting lines, the plan."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.people.domain.orgimport import (
    ExistingPerson,
    ImportPlan,
    normalize_header,
    plan_import,
    template_csv,
)

TIMEZONES = frozenset(zoneinfo.available_timezones())


def plan(
    text: str | bytes,
    existing: Sequence[ExistingPerson] = (),
    *,
    deactivate_missing: bool = False,
    protected: Sequence[int] = (),
) -> ImportPlan:
    data = text.encode() if isinstance(text, str) else text
    return plan_import(
        data, existing, timezones=TIMEZONES, deactivate_missing=deactivate_missing, protected_ids=protected
    )


def errors(result: ImportPlan) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in result.errors]


def person(pk: int, email: str, name: str = "", **fields: object) -> ExistingPerson:
    return ExistingPerson(id=pk, email=email, full_name=name or email.split("@")[0].title(), **fields)  # type: ignore[arg-type]


# --- Reading the file ---------------------------------------------------------------------------


def test_header_aliases_semicolons_and_a_byte_order_mark_are_understood():
    text = (
        "\ufeffE-Mail;Full Name;Department Path;Manager;Job Title;Time_Zone;Start Date;Employee Number\n"
        "ann@example.com;Ann Archer;Engineering > Platform;;CTO;europe/berlin;2024-03-01;E1\n"
        "bob@example.com;Bob Baker;Engineering/Platform;ann@example.com;Engineer;;;E2\n"
    )
    result = plan(text)
    assert result.is_valid, errors(result)
    assert result.columns == ("email", "full_name", "department", "manager", "title", "timezone", "start_date", "employee_id")
    ann, bob = result.creates
    assert dict(ann.values) == {
        "email": "ann@example.com", "full_name": "Ann Archer", "department": "Engineering / Platform",
        "manager": None, "title": "CTO", "timezone": "Europe/Berlin", "start_date": dt.date(2024, 3, 1),
        "employee_id": "E1",
    }
    assert bob.values["department"] == "Engineering / Platform"
    assert bob.values["manager"] == "ann@example.com"
    assert "timezone" not in bob.values  # empty: keep (or the default for someone new)


def test_tab_separated_file_and_crlf_line_ends():
    result = plan("email\tname\r\nann@example.com\tAnn\r\n")
    assert result.is_valid
    assert [r.email for r in result.creates] == ["ann@example.com"]


def test_quoted_values_may_hold_commas_and_line_breaks_and_lines_are_counted_right():
    text = 'email,name,title\nann@example.com,"Archer, Ann","Head of\nthings"\nbob@,Bob,x\n'
    result = plan(text)
    assert errors(result) == [(4, "email", "“bob@” is not a valid email address.")]


def test_header_normalization():
    assert normalize_header("  Manager E-mail* ") == "manager e mail"
    assert normalize_header("Start date (YYYY-MM-DD)") == "start date"


def test_unknown_columns_are_ignored_with_a_note():
    result = plan("email,name,shoe size\nann@example.com,Ann,38\n")
    assert result.is_valid
    assert [n.message for n in result.notes] == ["The column “shoe size” is not used by the import and is ignored."]


@pytest.mark.parametrize(
    ("header", "missing"),
    [("name,title", "email"), ("email,title", "name"), ("foo;bar", "email")],
)
def test_a_missing_required_column_is_reported_on_the_header_line(header, missing):
    result = plan(f"{header}\nx,y\n")
    assert not result.is_valid
    assert any(e.line == 1 and e.column == ("email" if missing == "email" else "full_name") for e in result.errors)
    assert any(f"The column “{missing}” is missing" in e.message for e in result.errors)


def test_two_columns_for_the_same_field_are_refused():
    result = plan("email,name,full name\nann@example.com,Ann,Ann A\n")
    assert errors(result) == [(1, "full_name", "Two columns (“name” and “full name”) give the name; keep only one.")]


def test_latin1_file_is_refused_naming_the_line_and_byte():
    data = "email,name\nann@example.com,Ann\nzoe@example.com,Zoé\n".encode("latin-1")
    result = plan(data)
    [error] = result.errors
    assert error.line == 3
    assert "line 3 has the byte 0xE9 at position 19" in error.message
    assert "CSV UTF-8" in error.message


def test_utf16_and_spreadsheet_workbooks_are_refused_with_advice():
    assert "UTF-16" in plan("email,name\n".encode("utf-16")).errors[0].message
    assert "spreadsheet workbook" in plan(b"PK\x03\x04rest-of-a-zip").errors[0].message


def test_empty_and_binary_files():
    assert plan(b"").errors[0].message == "The file is empty."
    assert plan(b" \n\n").errors[0].message == "The file is empty."
    assert plan(b",,,\n").errors[0].message == "The file is empty."
    assert "NUL character" in plan(b"email,name\nann@example.com,A\x00nn\n").errors[0].message


def test_a_line_with_the_wrong_number_of_values_is_reported():
    result = plan("email,name,title\nann@example.com,Ann\nbob@example.com,Bob,Boss,extra\ncy@example.com,Cy,,,\n")
    assert [(e.line, e.column) for e in result.errors] == [(2, ""), (3, "")]
    assert "has 2 values but the header has 3 columns" in result.errors[0].message


def test_broken_quotes_are_reported_with_their_line():
    result = plan('email,name\nann@example.com,Ann\nbob@example.com,"Bob" Baker\n')
    [error] = result.errors
    assert error.line == 3
    assert "cannot be read as CSV" in error.message


# --- Lines ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "The email address is missing."),
        ("ann", "“ann” is not a valid email address."),
        ("ann@example", "“ann@example” is not a valid email address."),
        ("ann smith@example.com", "“ann smith@example.com” is not a valid email address."),
        ("ann..x@example.com", "“ann..x@example.com” is not a valid email address."),
        ("ann@example.c0m", "“ann@example.c0m” is not a valid email address."),
        ("<ann@example.com>", "“<ann@example.com>” is not a valid email address."),
    ],
)
def test_malformed_emails(email, message):
    assert errors(plan(f"email,name\n{email},Ann\n")) == [(2, "email", message)]


def test_emails_are_compared_without_case_or_spaces_and_may_be_non_ascii():
    result = plan("email,name\n  Ann@Example.COM ,Ann\nJosé.Núñez@Example.com,José\n")
    assert result.is_valid
    assert [r.email for r in result.creates] == ["ann@example.com", "josé.núñez@example.com"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("01/03/2024", "could be read as day/month or month/day"),
        ("3.1.2024", "could be read as day/month or month/day"),
        ("2024-02-30", "is not a real date"),
        ("March 1st", "is not a date; write it as YYYY-MM-DD"),
        ("1066-10-14", "is not a plausible start date"),
    ],
)
def test_malformed_dates(value, fragment):
    [error] = plan(f"email,name,start date\nann@example.com,Ann,{value}\n").errors
    assert (error.line, error.column) == (2, "start_date")
    assert fragment in error.message


def test_unknown_time_zone_and_a_missing_name():
    result = plan("email,name,time zone\nann@example.com,,Mars/Olympus\n")
    assert errors(result) == [
        (2, "full_name", "The name is missing."),
        (2, "timezone", "“Mars/Olympus” is not a known time zone; use a name like Europe/Berlin or America/New_York."),
    ]


def test_too_long_values():
    result = plan(f"email,name,title\nann@example.com,Ann,{'x' * 151}\n")
    assert errors(result) == [(2, "title", "This value is 151 characters long; at most 150 are allowed.")]


def test_duplicate_email_and_employee_id_in_the_file():
    result = plan(
        "email,name,employee id\nann@example.com,Ann,E1\nANN@example.com,Ann again,E2\nbob@example.com,Bob,E1\n"
    )
    assert errors(result) == [
        (3, "email", "ann@example.com is already on line 2: each person must appear once."),
        (4, "employee_id", "The employee id E1 is already on line 2: each person must appear once."),
    ]


# --- Managers and reporting lines -------------------------------------------------------------------


def test_unknown_manager_and_own_manager():
    result = plan(
        "email,name,manager\nann@example.com,Ann,nobody@example.com\nbob@example.com,Bob,bob@example.com\n"
        "cy@example.com,Cy,not-an-email\n"
    )
    assert errors(result) == [
        (2, "manager", "The manager nobody@example.com is neither in this file nor in the directory."),
        (3, "manager", "A person cannot be their own manager."),
        (4, "manager", "“not-an-email” is not a valid email address."),
    ]


def test_manager_found_in_the_directory_and_in_the_file_whatever_the_order():
    existing = [person(1, "boss@example.com")]
    result = plan(
        "email,name,manager\nann@example.com,Ann,bob@example.com\nbob@example.com,Bob,BOSS@example.com\n", existing
    )
    assert result.is_valid
    assert [r.values["manager"] for r in result.creates] == ["bob@example.com", "boss@example.com"]


def test_cycle_within_the_file_is_reported_on_each_line_of_it():
    result = plan(
        "email,name,manager\na@example.com,A,b@example.com\nb@example.com,B,c@example.com\n"
        "c@example.com,C,a@example.com\nd@example.com,D,a@example.com\n"
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "manager"), (3, "manager"), (4, "manager")]
    assert result.errors[0].message == (
        "These reporting lines would form a cycle: a@example.com → b@example.com → c@example.com → a@example.com."
    )


def test_cycle_through_someone_not_in_the_file():
    # Dee reports to Ann in the directory; the file makes Ann report to Dee.
    existing = [person(1, "ann@example.com"), person(2, "dee@example.com", manager_id=1)]
    result = plan("email,name,manager\nann@example.com,Ann,dee@example.com\n", existing)
    assert errors(result) == [
        (2, "manager", "These reporting lines would form a cycle: ann@example.com → dee@example.com → ann@example.com.")
    ]


def test_a_file_without_a_manager_column_keeps_the_directory_reporting_lines():
    existing = [person(1, "ann@example.com", "Ann"), person(2, "bob@example.com", "Bob", manager_id=1)]
    result = plan("email,name\nann@example.com,Ann\nbob@example.com,Bob\n", existing)
    assert result.is_valid
    assert len(result.unchanged) == 2


def test_manager_who_is_deactivated_or_would_be():
    existing = [
        person(1, "gone@example.com", is_active=False),
        person(2, "leaving@example.com"),
        person(3, "ann@example.com"),
    ]
    result = plan(
        "email,name,manager\nann@example.com,Ann,gone@example.com\nbob@example.com,Bob,leaving@example.com\n",
        existing,
        deactivate_missing=True,
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "manager"), (3, "manager")]
    assert "is deactivated" in result.errors[0].message
    assert "would deactivate them" in result.errors[1].message


# --- Matching and the plan --------------------------------------------------------------------------


def test_existing_people_are_updated_with_field_level_changes_and_the_same_data_is_unchanged():
    existing = [
        person(1, "ann@example.com", "Ann", title="Engineer", department="Engineering", start_date=dt.date(2020, 1, 1)),
        person(2, "bob@example.com", "Bob", title="Designer", timezone="Europe/Paris"),
    ]
    result = plan(
        "email,name,title,department,start date\n"
        "ann@example.com,Ann,Staff engineer,Engineering / Platform,2020-01-01\n"
        "bob@example.com,Bob,Designer,,\n",
        existing,
    )
    assert result.is_valid
    [update] = result.updates
    assert update.person_id == 1
    assert [(c.field, c.old, c.new) for c in update.changes] == [
        ("department", "Engineering", "Engineering / Platform"),
        ("title", "Engineer", "Staff engineer"),
    ]
    assert [r.line for r in result.unchanged] == [3]
    assert result.creates == ()


def test_employee_id_is_matched_first_and_an_email_change_is_an_update():
    existing = [person(1, "ann.old@example.com", "Ann", employee_id="E1")]
    result = plan("email,name,employee id\nann.new@example.com,Ann,E1\n", existing)
    [update] = result.updates
    assert update.person_id == 1
    assert [(c.field, c.old, c.new) for c in update.changes] == [("email", "ann.old@example.com", "ann.new@example.com")]


def test_employee_id_conflicts_are_errors():
    existing = [
        person(1, "ann@example.com", "Ann", employee_id="E1"),
        person(2, "bob@example.com", "Bob", employee_id="E2"),
    ]
    result = plan("email,name,employee id\nbob@example.com,Bob,E1\nann@example.com,Ann,E9\n", existing)
    assert errors(result) == [
        (2, "email", "bob@example.com belongs to Bob, but employee E1 is Ann."),
        (3, "employee_id", "ann@example.com has the employee id E1 in the directory, but this line says E9."),
    ]


def test_two_lines_for_one_person_are_refused():
    existing = [person(1, "ann@example.com", "Ann", employee_id="E1")]
    result = plan("email,name,employee id\nann.new@example.com,Ann,E1\nann@example.com,Ann,\n", existing)
    assert errors(result) == [(3, "email", "This line and line 2 both describe Ann.")]


def test_empty_cells_clear_organization_fields_but_keep_location_time_zone_and_employee_id():
    existing = [
        person(
            1, "ann@example.com", "Ann", title="CTO", team="Core", team_department="Eng", department="Eng",
            location="Berlin", timezone="Europe/Berlin", employee_id="E1", start_date=dt.date(2020, 1, 1),
        )
    ]
    result = plan(
        "email,name,title,department,team,location,time zone,employee id,start date\n"
        "ann@example.com,Ann,,,,,,,\n",
        existing,
    )
    [update] = result.updates
    assert {c.field for c in update.changes} == {"title", "department", "team", "start_date"}


def test_full_import_deactivates_the_missing_but_never_the_acting_admin():
    existing = [
        person(1, "admin@example.com", "Ada"),
        person(2, "ann@example.com", "Ann"),
        person(3, "zed@example.com", "Zed"),
        person(4, "bob@example.com", "Bob"),
        person(5, "old@example.com", "Old", is_active=False),
    ]
    result = plan("email,name\nann@example.com,Ann\n", existing, deactivate_missing=True, protected=[1])
    assert [p.email for p in result.deactivations] == ["bob@example.com", "zed@example.com"]
    assert [n.message for n in result.notes] == [
        "admin@example.com is not in the file but stays active: you cannot deactivate yourself."
    ]
    assert plan("email,name\nann@example.com,Ann\n", existing).deactivations == ()


def test_a_deactivated_person_in_the_file_is_reactivated():
    existing = [person(1, "ann@example.com", "Ann", is_active=False)]
    result = plan("email,name\nann@example.com,Ann\n", existing)
    [update] = result.updates
    assert update.reactivates
    assert result.reactivations == (update,)


def test_the_template_imports_as_it_is():
    result = plan(template_csv())
    assert result.is_valid, errors(result)
    assert len(result.creates) == 1
    assert set(result.columns) == {
        "email", "full_name", "department", "team", "manager", "title", "location", "timezone", "start_date",
        "employee_id",
    }


def test_plans_are_deterministic():
    existing = [person(1, "ann@example.com", "Ann", title="x"), person(2, "bob@example.com", "Bob")]
    text = "email,name,title,manager\nann@example.com,Ann,y,\ncy@example.com,Cy,z,ann@example.com\n"
    first = plan(text, existing, deactivate_missing=True)
    second = plan(text, list(reversed(existing)), deactivate_missing=True)
    assert first == second
    assert first.fingerprint == second.fingerprint
    assert first.fingerprint != plan(text, existing).fingerprint


# --- Property: reporting lines ----------------------------------------------------------------------


@st.composite
def organizations(draw: st.DrawFn) -> tuple[list[int | None], list[bool]]:
    """A random forest of managers (each person's manager comes earlier) and who is in the file."""
    size = draw(st.integers(min_value=1, max_value=40))
    managers: list[int | None] = [None]
    for index in range(1, size):
        managers.append(draw(st.one_of(st.none(), st.integers(min_value=0, max_value=index - 1))))
    in_file = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return managers, in_file


def _org_plan(managers: Sequence[int | None], in_file: Sequence[bool], order: Sequence[int]) -> ImportPlan:
    """Everyone is in the directory; the file lists some of them (in ``order``) with their manager."""
    email = [f"p{index}@example.com" for index in range(len(managers))]
    existing = [
        person(index + 1, email[index], manager_id=(managers[index] + 1) if managers[index] is not None else None)
        for index in range(len(managers))
    ]
    lines = ["email,name,manager"]
    for index in order:
        if in_file[index]:
            manager = managers[index]
            lines.append(f"{email[index]},P{index},{email[manager] if manager is not None else ''}")
    return plan("\n".join(lines) + "\n", existing)


@settings(max_examples=150, deadline=None)
@given(organizations(), st.randoms(use_true_random=False))
def test_a_valid_organization_never_reports_a_cycle(org, rng):
    managers, in_file = org
    order = list(range(len(managers)))
    rng.shuffle(order)
    result = _org_plan(managers, in_file, order)
    assert result.is_valid, errors(result)


@settings(max_examples=150, deadline=None)
@given(organizations(), st.data())
def test_a_planted_cycle_is_always_reported(org, data):
    managers, in_file = org
    # Make someone in the file report to one of the people below them (or their own report, below them).
    below: dict[int, list[int]] = {index: [] for index in range(len(managers))}
    for index, manager in enumerate(managers):
        while manager is not None:
            below[manager].append(index)
            manager = managers[manager]
    candidates = [index for index in range(len(managers)) if below[index]]
    if not candidates:
        managers = [*managers, 0]
        in_file = [*in_file, data.draw(st.booleans())]
        below[0] = [len(managers) - 1]
        candidates = [0]
    top = data.draw(st.sampled_from(candidates))
    bottom = data.draw(st.sampled_from(below[top]))
    managers = list(managers)
    managers[top] = bottom
    in_file = list(in_file)
    in_file[top] = True
    result = _org_plan(managers, in_file, range(len(managers)))
    cycle_errors = [e for e in result.errors if "would form a cycle" in e.message]
    assert cycle_errors
    assert f"p{top}@example.com" in cycle_errors[0].message
    assert f"p{bottom}@example.com" in cycle_errors[0].message
