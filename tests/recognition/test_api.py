"""The recognition API: the same rules as the pages, every answer checked against the OpenAPI document."""

from __future__ import annotations

import pytest

from courtyard.groups import services as group_services
from courtyard.recognition import services
from tests.api.conftest import api_for
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def test_send_agree_react_and_read_back(org, allowance_on, reactions):
    ana, sam = api_for(org.ana), api_for(org.sam)
    created = ana.request("post", "/api/recognition/kudos", {
        "message": "Thanks for *the* demo", "person_ids": [org.bo.pk], "team_ids": [org.team.pk],
        "value_id": org.values[0].pk, "points": 10,
    })
    assert created.status_code == 201
    body = created.body
    assert [r["kind"] for r in body["recipients"]] == ["person", "team"]
    assert body["message_html"] == "<p>Thanks for <em>the</em> demo</p>\n"
    assert body["value"]["emoji"] == "🤝"
    kudos_id = body["id"]
    agreed = sam.request("post", f"/api/recognition/kudos/{kudos_id}/plus-one")
    assert agreed.body["i_agree"] is True
    assert [p["display_name"] for p in agreed.body["co_senders"]] == ["Sam Seller"]
    reacted = sam.request("post", f"/api/recognition/kudos/{kudos_id}/reactions", {"kind_id": reactions[1].pk})
    assert reacted.body["reacted"] is True
    assert reacted.body["reactions"][1]["people"] == ["Sam Seller"]
    wall = sam.request("get", "/api/recognition/kudos").body
    assert [k["id"] for k in wall["items"]] == [kudos_id]
    assert sam.request("get", f"/api/recognition/kudos?value_id={org.values[1].pk}").body["items"] == []
    assert len(sam.request("get", f"/api/recognition/kudos?person_id={org.bo.pk}").body["items"]) == 1
    assert len(sam.request("get", f"/api/recognition/kudos?team_id={org.team.pk}").body["items"]) == 1
    assert len(sam.request("get", f"/api/recognition/kudos?department_id={org.bo.department_id}").body["items"]) == 1
    assert sam.request("get", f"/api/recognition/kudos?department_id={org.sam.department_id}").body["items"] == []
    mine = ana.request("get", "/api/recognition/allowance").body
    assert (mine["granted"], mine["spent"], mine["remaining"]) == (100, 10, 90)
    assert [e["kind"] for e in mine["entries"]] == ["grant", "spend"]
    assert api_for(org.bo).request("get", "/api/recognition/allowance").body["received"] == 10
    taken_back = sam.request("delete", f"/api/recognition/kudos/{kudos_id}/plus-one")
    assert taken_back.body["co_senders"] == []


def test_wall_pages_by_cursor(org, monkeypatch):
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((1000, 60),))
    for i in range(25):
        services.kudos_send(actor=org.ana.user, people=[org.bo], message=f"Thanks number {i}")
    api = api_for(org.cy)
    first = api.request("get", "/api/recognition/kudos").body
    assert len(first["items"]) == 20
    assert first["next_cursor"]
    second = api.request("get", f"/api/recognition/kudos?cursor={first['next_cursor']}").body
    assert len(second["items"]) == 5
    assert second["next_cursor"] is None
    assert {k["id"] for k in first["items"]}.isdisjoint({k["id"] for k in second["items"]})
    bad = api.request("get", "/api/recognition/kudos?cursor=nonsense")
    assert bad.status_code == 400
    assert bad.body["code"] == "bad_cursor"


def test_refusals_are_clear_and_change_nothing(org, allowance_on):
    ana = api_for(org.ana)
    before = db_snapshot()
    for payload, status, code in [
        ({"message": "hi", "person_ids": [org.ana.pk]}, 400, "self_kudos"),
        ({"message": "hi", "person_ids": [org.gone.pk]}, 400, "inactive"),
        ({"message": "hi"}, 400, "no_recipient"),
        ({"message": "", "person_ids": [org.bo.pk]}, 400, "required"),
        ({"message": "hi", "person_ids": [org.bo.pk], "points": 25}, 400, "too_many_points"),
        ({"message": "hi", "team_ids": [org.team.pk], "is_private": True}, 400, "private_to_people"),
        ({"message": "hi", "person_ids": [987654]}, 404, "not_found"),
        ({"message": "hi", "team_ids": [987654]}, 404, "not_found"),
        ({"message": "hi", "person_ids": [org.bo.pk], "value_id": 987654}, 404, "not_found"),
        ({"message": "hi", "person_ids": [org.bo.pk], "surprise": True}, 422, "invalid"),
        ({"message": "hi", "person_ids": [0]}, 422, "invalid"),
    ]:
        response = ana.request("post", "/api/recognition/kudos", payload)
        assert (response.status_code, response.body["code"]) == (status, code), payload
        assert response.body["message"]
    assert db_snapshot() == before


def test_private_groups_stay_private(org):
    secret = group_services.group_create(actor=org.bo.user, name="Secret Circle", join_policy="invitation")
    kudos = services.kudos_send(actor=org.bo.user, groups=[secret], message="Top secret thanks")
    outsider = api_for(org.sam)
    assert outsider.request("get", f"/api/recognition/kudos/{kudos.pk}").status_code == 404
    assert outsider.request("get", f"/api/recognition/kudos?group_id={secret.pk}").body["items"] == []
    assert outsider.request("post", "/api/recognition/kudos", {"message": "x", "group_ids": [secret.pk]}).status_code == 404
    assert api_for(org.admin).request("get", f"/api/recognition/kudos/{kudos.pk}").body["recipients"][0]["name"] == "Secret Circle"


def test_admin_manages_values_settings_badges_and_the_spotlight(org, reactions):
    admin, member = api_for(org.admin), api_for(org.ana)
    value = admin.request("post", "/api/recognition/values", {"name": "Be kind", "emoji": "💛"})
    assert value.status_code == 201
    retired = admin.request("patch", f"/api/recognition/values/{value.body['id']}", {"is_active": False})
    assert retired.body["is_active"] is False
    assert "Be kind" not in [v["name"] for v in member.request("get", "/api/recognition/values").body]
    assert "Be kind" in [v["name"] for v in admin.request("get", "/api/recognition/values").body]
    duplicate = admin.request("post", "/api/recognition/values", {"name": "own it"})
    assert (duplicate.status_code, duplicate.body["code"]) == (409, "duplicate_value")
    settings = admin.request("put", "/api/recognition/settings", {"allowance_enabled": True, "monthly_points": 60,
                                                                   "per_recipient_limit": 30, "max_points_per_kudos": 10})
    assert settings.body["monthly_points"] == 60
    assert member.request("get", "/api/recognition/settings").body["allowance_enabled"] is True
    badge = admin.request("post", "/api/recognition/badges", {"name": "Night owl", "emoji": "🦉"})
    award = admin.request("post", f"/api/recognition/badges/{badge.body['id']}/awards", {"person_id": org.bo.pk})
    assert award.status_code == 201
    held = member.request("get", f"/api/recognition/people/{org.bo.pk}/badges").body
    assert [b["name"] for b in held] == ["Night owl"]
    catalogue = member.request("get", "/api/recognition/badges").body
    assert [b["key"] for b in catalogue["automatic"]] == ["first_kudos", "kudos_10", "host", "mentor", "helper_10"]
    assert catalogue["custom"][0]["holders"] == 1
    kudos = services.kudos_send(actor=org.ana.user, people=[org.bo], message="Spotlight-worthy")
    entry = admin.request("post", "/api/recognition/spotlight", {"kudos_id": kudos.pk, "note": "Great"})
    assert entry.status_code == 201
    assert entry.body["kudos"]["id"] == kudos.pk
    assert [e["note"] for e in member.request("get", "/api/recognition/spotlight").body] == ["Great"]
    again = admin.request("post", "/api/recognition/spotlight", {"kudos_id": kudos.pk})
    assert again.status_code == 409
    private = services.kudos_send(actor=org.ana.user, people=[org.admin], message="Private", is_private=True)
    refused = admin.request("post", "/api/recognition/spotlight", {"kudos_id": private.pk})
    assert (refused.status_code, refused.body["code"]) == (400, "not_public")
    assert admin.request("delete", f"/api/recognition/spotlight/{entry.body['id']}").body == {"ok": True}
    assert member.request("get", "/api/recognition/spotlight").body == []


def test_celebration_preferences(org):
    api = api_for(org.ana)
    assert api.request("get", "/api/recognition/celebrations/preferences").body["anniversary"] is True
    saved = api.request("put", "/api/recognition/celebrations/preferences",
                        {"birthday_month": 2, "birthday_day": 29, "anniversary": False})
    assert saved.body == {"birthday_month": 2, "birthday_day": 29, "anniversary": False, "welcome": True, "milestone": True}
    for payload in ({"birthday_month": 2, "birthday_day": 30}, {"birthday_month": 2}):
        response = api.request("put", "/api/recognition/celebrations/preferences", payload)
        assert (response.status_code, response.body["code"]) == (400, "bad_birthday")
    assert api.request("get", "/api/recognition/celebrations").status_code == 200


def test_manager_summary(org, allowance_on):
    services.kudos_send(actor=org.ana.user, people=[org.bo], message="Public thanks", value=org.values[0], points=10)
    services.kudos_send(actor=org.sam.user, people=[org.bo], message="Shared", is_private=True, share_with_manager=True)
    services.kudos_send(actor=org.sam.user, people=[org.bo], message="Just for Bo", is_private=True)
    rows = {r["person"]["display_name"]: r for r in api_for(org.mo).request("get", "/api/recognition/manager/summary").body}
    assert set(rows) == {"Ana Appreciative", "Bo Builder", "Cy Coder"}
    assert (rows["Bo Builder"]["kudos"], rows["Bo Builder"]["points"]) == (2, 10)
    assert rows["Bo Builder"]["values"] == {"🤝 Customers first": 1}
    assert rows["Cy Coder"]["kudos"] == 0
    assert api_for(org.sam).request("get", "/api/recognition/manager/summary").body == []
    old = api_for(org.mo).request("get", "/api/recognition/manager/summary?month=2001-01").body
    assert all(r["kudos"] == 0 for r in old)
    bad = api_for(org.mo).request("get", "/api/recognition/manager/summary?month=2001-13")
    assert bad.status_code == 422


def test_anonymous_callers_get_401(org):
    api = api_for()
    for method, path in [("get", "/api/recognition/kudos"), ("post", "/api/recognition/kudos"),
                         ("get", "/api/recognition/values"), ("get", "/api/recognition/spotlight")]:
        assert api.request(method, path, {"message": "x"} if method == "post" else None).status_code == 401
