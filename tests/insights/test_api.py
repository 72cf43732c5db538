"""The insights API answers within its OpenAPI document, refuses bad input with a 4xx, and matches the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from courtyard.core import clock
from courtyard.insights.models import ConnectorOptIn, Goal
from tests.api.conftest import api_for
from tests.helpers import db_snapshot
from tests.insights.conftest import client_for

pytestmark = pytest.mark.django_db


def test_kpis_silo_goals_and_me_validate_against_the_document(org):
    api = api_for(org.admin)
    body = api.get("/api/insights/kpis?period=quarter").body
    assert body["scope"]["kind"] == "org"
    assert {f["key"] for f in body["figures"]} >= {"active_members", "rsvp_conversion", "newcomer_connected_30"}
    assert len(body["trend_periods"]) == 4
    active = next(f for f in body["figures"] if f["key"] == "active_members")
    assert active["value"] >= 1
    silo = api.get("/api/insights/silo?level=all").body
    assert {d["name"] for d in silo["departments"]} >= {"Engineering", "Sales"}
    assert silo["overall_ei_index"] is not None
    due = (clock.now().date() + dt.timedelta(days=40)).isoformat()
    created = api.request("post", "/api/insights/goals", {"metric": "reply_rate", "target": 0.75, "due": due,
                                               "scope": f"dept:{org.manager.department_id}"})
    assert created.status_code == 201
    assert created.body["scope"]["name"] == "Engineering"
    assert [g["id"] for g in api.get("/api/insights/goals").body] == [created.body["id"]]
    assert api.get("/api/insights/scopes").body["manage_goals"] is True
    me = api_for(org.member).get("/api/insights/me?period=week").body
    assert me["connector"] is False
    assert api_for(org.member).request("put", "/api/insights/me/connector", {"enabled": True}).body == {"enabled": True}
    assert ConnectorOptIn.objects.filter(profile=org.member).exists()
    assert api.request("delete", f"/api/insights/goals/{created.body['id']}").body == {"ok": True}
    assert not Goal.objects.exists()


def test_a_manager_reads_only_their_department_row(org):
    silo = api_for(org.manager).get("/api/insights/silo?level=all").body
    assert [d["name"] for d in silo["departments"]] == ["Engineering"]
    assert {c["department_id"] for c in silo["cells"]} == {org.manager.department_id}
    assert silo["communities"] == []
    assert silo["connectors"] == []
    assert api_for(org.manager).get("/api/insights/kpis").body["scope"]["name"] == "Engineering"


@pytest.mark.parametrize(("path", "status"), [
    ("/api/insights/kpis?period=decade", 422),
    ("/api/insights/kpis?period=custom&start=2025-02-01", 400),
    ("/api/insights/kpis?period=custom&start=2025-02-01&end=2024-01-01", 400),
    ("/api/insights/kpis?period=custom&start=2020-01-01&end=2025-01-01", 400),
    ("/api/insights/kpis?start=31-12-2025", 400),
    ("/api/insights/kpis?start=1800-01-01", 400),
    ("/api/insights/kpis?scope=dept:0", 404),
    ("/api/insights/kpis?scope=planet:1", 404),
    ("/api/insights/kpis?scope=dept:99999999999999999999999", 404),
    ("/api/insights/silo?level=planet", 422),
    ("/api/insights/goals/abc", 404),
])
def test_bad_input_is_a_clear_4xx_and_changes_nothing(org, path, status):
    api = api_for(org.admin)
    before = db_snapshot()
    method = "delete" if path.startswith("/api/insights/goals/") else "get"
    response = api.request(method, path)
    assert response.status_code == status, response.body
    assert response.body["message"]
    assert db_snapshot() == before


@pytest.mark.parametrize("payload", [
    {"metric": "reply_rate", "target": 60, "due": "2099-01-01"},  # a share above 1, and too far ahead
    {"metric": "reply_rate", "target": 0.6, "due": "2001-01-01"},
    {"metric": "engagement_score", "target": 1, "due": "2030-01-01"},
    {"metric": "reply_rate", "target": 0.6, "due": "2030-01-01", "unknown": 1},
    {"metric": "cross_department_ei", "target": 3, "due": "2030-01-01"},
    {"metric": "reply_rate", "target": 0.6, "due": "2030-01-01", "scope": "dept:123456"},
])
def test_bad_goals_are_refused(org, payload):
    api = api_for(org.admin)
    before = db_snapshot()
    response = api.request("post", "/api/insights/goals", payload)
    assert 400 <= response.status_code < 500
    assert db_snapshot() == before


def test_csv_exports(org):
    client = client_for(org.admin)
    response = client.get(reverse("insights:dashboard_csv") + "?period=month")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["kpi", "label", "unit"]
    assert len(rows[0]) == 3 + 6  # six months of trend
    assert {r[0] for r in rows[1:]} >= {"active_members", "participation_rate", "survey_participation"}
    silo = list(csv.reader(io.StringIO(client.get(reverse("insights:silo_csv") + "?level=all").content.decode())))
    assert silo[0][:3] == ["department", "members", "ei_index"]
    assert {r[0] for r in silo[1:]} >= {"Engineering", "Sales"}


def test_htmx_swaps_only_the_body_and_the_goal_form_keeps_errors(org):
    client = client_for(org.admin)
    partial = client.get(reverse("insights:dashboard") + "?period=week", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "Active members" in partial
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert "chart.umd.min.js" in page
    assert 'id="trend-data"' in page
    assert "<script>" not in page  # data goes through json_script, no inline code (CSP)
    response = client.post(reverse("insights:goals"), {"metric": "reply_rate", "scope": "org", "period_kind": "month",
                                                      "target": "150", "due": "2030-01-01", "note": "Too much"})
    assert response.status_code == 400
    assert "between 0 % and 100 %" in response.content.decode()
    assert 'value="Too much"' in response.content.decode()
    assert not Goal.objects.exists()


def test_series_and_program_kpis_validate_against_the_document(org):
    from courtyard.events import services as event_services
    from courtyard.insights import rollups
    from courtyard.pairing.models import Program
    from tests.events.conftest import event_data

    series = event_services.event_create(actor=org.organizer.user, data=event_data(
        title="Bridge night", frequency="weekly", repeat_count=4, group=org.group))
    program = Program.objects.create(kind=Program.Kind.COFFEE, name="Coffee", owner=org.member, created_at=clock.now())
    from courtyard.core.activity import participation_record

    participation_record(member_id=org.member.pk, verb="paired", department_id=org.member.department_id,
                         program_id=program.pk)
    participation_record(member_id=org.report.pk, verb="attended", department_id=org.report.department_id,
                         event_id=series.pk, group_id=org.group.pk)
    rollups.rollups_update()
    body = api_for(org.member).get(f"/api/insights/kpis?scope=program:{program.pk}&period=week").body
    assert body["scope"] == {"kind": "program", "id": program.pk, "name": "Coffee"}
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["active_members"]["value"] == 1
    assert figures["event_participation"]["trend"] == [None] * 8
    assert api_for(org.member).get("/api/insights/scopes").body["scopes"] == [
        {"kind": "program", "id": program.pk, "name": "Coffee"}]
    body = api_for(org.organizer).get(f"/api/insights/kpis?scope=series:{series.pk}").body
    assert body["scope"]["name"] == "Bridge night"
    assert body["headcount"] == 1
    assert {"kind": "series", "id": series.pk, "name": "Bridge night"} in api_for(org.organizer).get(
        "/api/insights/scopes").body["scopes"]
    due = (clock.now().date() + dt.timedelta(days=40)).isoformat()
    created = api_for(org.admin).request("post", "/api/insights/goals", {
        "metric": "coffee_meeting_rate", "target": 0.8, "due": due, "scope": f"program:{program.pk}"})
    assert created.status_code == 201
    assert created.body["scope"]["name"] == "Coffee"
    assert [g["id"] for g in api_for(org.member).get("/api/insights/goals").body] == [created.body["id"]]
    assert api_for(org.organizer).get("/api/insights/goals").body == []  # not their program


@pytest.mark.parametrize("path", [
    "/api/insights/kpis?scope=series:abc", "/api/insights/kpis?scope=series:0", "/api/insights/kpis?scope=program:-1",
    "/api/insights/kpis?scope=program:424242",
])
def test_unknown_series_and_programs_are_404(org, path):
    response = api_for(org.admin).request("get", path)
    assert response.status_code == 404, response.body
    assert response.body["message"]
