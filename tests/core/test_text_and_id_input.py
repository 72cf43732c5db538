"""Bad text and absurd ids, on every surface: the API, forms, the CSV import, services and the .ics output.

A NUL byte, a right-to-left override (U+202E, which makes a name read backwards from that point) or an id
past what the database stores must be a clear 4xx that changes nothing, never a 500 or a stored value."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core.domain.text import text_problem, without_refused
from courtyard.core.errors import ApplicationError
from courtyard.events.domain import ics
from courtyard.groups import services as groups
from courtyard.groups.models import Group, Thread
from courtyard.pairing import services as pairing
from courtyard.pairing.models import Program, Signup
from courtyard.people import services as people
from courtyard.people.domain.orgimport import plan_import
from courtyard.surveys.models import PulseSeries, Survey
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.helpers import db_snapshot

RLO = "\u202e"
HUGE = 2**63


# --- The rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", f"Ann{RLO}nimda", "a\u2066b", "a\u200bb", "a\x85b", "a\x7fb", "a\nb", "a\tb"])
def test_single_line_text_refuses_control_bidi_and_invisible_characters(text):
    assert text_problem(text) is not None


@pytest.mark.parametrize("text", ["Zoë Ørsted", "محمد", "👩\u200d💻 dev", "می\u200cخواهم", "日本語"])
def test_ordinary_text_of_any_script_passes(text):
    assert text_problem(text) is None


def test_multiline_text_keeps_line_breaks_and_tabs_but_not_the_rest():
    assert text_problem("one\r\ntwo\tthree", multiline=True) is None
    assert text_problem("one\n\x00", multiline=True) is not None
    assert text_problem(f"one\n{RLO}", multiline=True) is not None


def test_output_drops_what_the_rule_refuses():
    assert without_refused(f"a\x00b{RLO}c\nd") == "abc d"
    assert without_refused("a\r\nb\x01", multiline=True) == "a\nb"


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Mia\x00", f"Mia{RLO}nimda"])
def test_api_refuses_a_spoofing_display_name_and_changes_nothing(member, bad):
    api = api_for(member)
    before = db_snapshot()
    response = api.request("patch", "/api/people/me", {"preferred_name": bad})
    assert response.status_code == 422
    assert response.body["details"][0]["loc"][-1] == "preferred_name"
    assert db_snapshot() == before


@pytest.mark.django_db
def test_api_refuses_a_nul_in_a_group_name_or_thread_title(member):
    api = api_for(member)
    assert api.request("post", "/api/groups/", {"name": "Run\x00ners"}).status_code == 422
    assert not Group.objects.exists()
    group = groups.group_create(actor=member.user, name="Runners")
    response = api.request("post", f"/api/groups/{group.slug}/threads", {"title": f"Hi{RLO}", "body": "text"})
    assert response.status_code == 422
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_api_keeps_line_breaks_in_multiline_text_and_normalizes_it(member):
    api = api_for(member)
    group = groups.group_create(actor=member.user, name="Runners")
    response = api.request("post", f"/api/groups/{group.slug}/threads", {"title": "Cafe\u0301", "body": "one\ntwo"})
    assert response.status_code == 201
    thread = Thread.objects.get()
    assert thread.title == "Café"  # NFC: one code point, as typed on another keyboard


@pytest.mark.django_db
def test_api_patch_of_a_group_refuses_null_tags_with_a_422(member):
    group = groups.group_create(actor=member.user, name="Runners", tags=["Running"])
    api = api_for(member)
    before = db_snapshot()
    response = api.request("patch", f"/api/groups/{group.slug}", {"tags": None})
    assert response.status_code == 422
    assert response.body["details"][0]["loc"][-1] == "tags"
    assert db_snapshot() == before


@pytest.mark.django_db
def test_api_refuses_a_preferred_mentor_id_past_the_database_range(member, admin):
    program = pairing.program_create(actor=admin.user, kind=Program.Kind.MENTORSHIP, name="Cohort")
    response = api_for(member).request(
        "post", f"/api/pairing/programs/{program.pk}/signup", {"role": "mentee", "preferred_mentor_ids": [HUGE]}
    )
    assert response.status_code == 422
    assert not Signup.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["question_ids", "department_ids", "location_ids", "group_ids"])
def test_api_refuses_survey_ids_past_the_database_range(admin, field):
    body = {"title": "Spring", "question_ids": [1], field: [HUGE]}
    response = api_for(admin).request("post", "/api/surveys/", body)
    assert response.status_code == 422
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_api_refuses_pulse_department_ids_past_the_database_range(admin):
    response = api_for(admin).request("post", "/api/surveys/pulses", {"title": "Pulse", "department_ids": [HUGE]})
    assert response.status_code == 422
    assert not PulseSeries.objects.exists()


# --- Forms --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Run\x00ners", f"Run{RLO}srennur"])
def test_form_refuses_a_spoofing_group_name_and_creates_nothing(member, bad):
    client = signed_in_client(member)
    response = client.post("/groups/new/", {"name": bad, "kind": "interest", "visibility": "open", "description": ""})
    assert response.status_code in (200, 400, 422)
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_form_refuses_a_spoofing_display_name(member):
    client = signed_in_client(member)
    client.post("/people/me/edit/", {"full_name": "Mia Member", "preferred_name": f"Mia{RLO}", "timezone": "UTC"})
    member.refresh_from_db()
    assert member.preferred_name == ""


# --- Services, the last line --------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_service_refuses_a_bidi_override(member):
    with pytest.raises(ApplicationError, match="direction"):
        people.profile_update(actor=member.user, profile=member, data={"preferred_name": f"Mia{RLO}"})
    with pytest.raises(ApplicationError, match="control"):
        groups.group_create(actor=member.user, name="Run\x00ners")


# --- CSV import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Ann\x00", f"Ann{RLO}"])
def test_import_refuses_control_and_bidi_characters_on_their_line(bad):
    text = f"email,name\nann@example.com,{bad}\n"
    result = plan_import(text.encode(), [], timezones={"utc": "UTC"}, deactivate_missing=False, protected_ids=())
    assert not result.is_valid
    # A NUL is refused when the file is read, anything else in the cell's own column.
    assert [e.line for e in result.errors] == [2]
    assert result.errors[0].column in ("", "full_name")


# --- .ics ---------------------------------------------------------------------------------------


def test_ics_never_carries_a_control_or_bidi_character_even_from_old_data():
    moment = dt.datetime(2030, 3, 8, 17, 0, tzinfo=dt.UTC)
    entry = ics.Entry(
        uid="occurrence-1@example.com", sequence=0, title=f"Drinks\x00{RLO}", description="a\x07b\nc",
        location="Roof\x1btop", url="https://example.com/e/1", tz_name="Europe/Berlin", all_day=False,
        start=moment, end=moment + dt.timedelta(hours=2), start_date=moment.date(), end_date=moment.date(),
        cancelled=False, created=moment, modified=moment, categories=("So\x00cial",),
    )
    text = ics.build([entry], name="Org\x00", now=moment).decode()
    assert "SUMMARY:Drinks\r\n" in text
    body = text.replace("\r\n", "")
    assert not [char for char in body if text_problem(char) is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/search/", "/api/groups/", "/api/events/", "/api/people/tags"])
def test_api_refuses_control_characters_in_any_query_parameter(member, path):
    params = {"q": "a\x00b", **({"kind": "interest"} if path == "/api/people/tags" else {})}
    response = api_for(member).request("get", path, params)
    assert response.status_code == 422
    assert response.body["details"][0]["loc"] == ["query", "q"]


@pytest.mark.django_db
def test_api_answers_404_for_a_path_parameter_with_a_control_character(member):
    groups.group_create(actor=member.user, name="Runners")
    response = api_for(member).request("get", f"/api/groups/runners{RLO}")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["department", "team", "location", "page"])
def test_form_refuses_an_id_past_the_database_range_without_a_server_error(member, name):
    response = signed_in_client(member).get("/people/", {name: str(HUGE)})
    assert response.status_code in (200, 400)
    assert name in response.context["form"].errors
