"""Recognition pages: the wall and its htmx parts, the kudos form (people, teams and groups by name), +1 and
reactions without JavaScript and with htmx, the manager view, and the admins' pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courtyard.groups import services as group_services
from courtyard.recognition import services
from courtyard.recognition.models import Kudos, KudosCoSender, KudosReaction, Settings, Value
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_send_to_people_a_team_and_a_group_by_name(org):
    group = group_services.group_create(actor=org.sam.user, name="Chess Club")
    web = signed_in_client(org.ana)
    form = web.get(reverse("recognition:send") + f"?to={org.bo.pk}&team={org.team.pk}").content.decode()
    assert 'value="bo@example.com"' in form
    assert "Platform (Engineering / Platform)" in form
    response = web.post(reverse("recognition:send"), {
        "people": "Bo Builder <bo@example.com>, cy", "team": "Platform (Engineering / Platform)", "group": "chess club",
        "message": "You **all** rock", "value": org.values[0].pk,
    })
    assert response.status_code == 302
    kudos = Kudos.objects.get()
    assert response["Location"] == reverse("recognition:detail", args=[kudos.pk])
    names = [(r.profile_id, r.team_id, r.group_id) for r in kudos.recipients.all()]
    assert names == [(org.bo.pk, None, None), (org.cy.pk, None, None), (None, org.team.pk, None), (None, None, group.pk)]
    page = web.get(response["Location"]).content.decode()
    assert "<strong>all</strong>" in page
    assert "Customers first" in page
    assert "Chess Club" in page


def test_the_form_keeps_the_draft_and_says_what_is_wrong(org):
    web = signed_in_client(org.ana)
    response = web.post(reverse("recognition:send"), {"people": "gone@example.com", "message": "My long thanks"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Gus Gone is deactivated and cannot receive kudos." in body
    assert "My long thanks" in body
    response = web.post(reverse("recognition:send"), {"people": "ana@example.com", "message": "Me!"})
    assert "You cannot send kudos to yourself." in response.content.decode()
    assert not Kudos.objects.exists()


def test_suggestions(org):
    web = signed_in_client(org.ana)
    people = web.get(reverse("recognition:suggest") + "?kind=person&people=cy@example.com, b").content.decode()
    assert '<option value="cy@example.com, bo@example.com">Bo Builder</option>' in people
    teams = web.get(reverse("recognition:suggest") + "?kind=team&team=plat").content.decode()
    assert "Platform (Engineering / Platform)" in teams
    group_services.group_create(actor=org.sam.user, name="Secret Circle", join_policy="invitation")
    assert "Secret" not in web.get(reverse("recognition:suggest") + "?kind=group&group=sec").content.decode()
    # A listed members-only group is not offered either: thanking a group speaks to what only members read.
    group_services.group_create(actor=org.sam.user, name="Quiet Circle", join_policy="request")
    assert "Quiet" not in web.get(reverse("recognition:suggest") + "?kind=group&group=qui").content.decode()
    refused = web.post(reverse("recognition:send"), {"group": "Quiet Circle", "message": "Thanks, all"})
    assert "No group you can see is called Quiet Circle." in refused.content.decode()
    assert not Kudos.objects.exists()
    assert web.get(reverse("recognition:suggest") + "?kind=weird&q=").content.decode().strip() == ""


def test_wall_pages_with_htmx_and_filters(org, monkeypatch):
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((1000, 60),))
    for i in range(22):
        services.kudos_send(actor=org.ana.user, people=[org.bo if i % 2 else org.sam], message=f"Thanks number {i:02}",
                            value=org.values[i % 2])
    web = signed_in_client(org.cy)
    page = web.get(reverse("recognition:wall")).content.decode()
    assert "Thanks number 21" in page
    assert "Thanks number 01" not in page
    assert "Older kudos" in page
    cursor = page.split("?cursor=", 1)[1].split('"', 1)[0]
    more = web.get(reverse("recognition:wall") + f"?cursor={cursor}", **HTMX).content.decode()
    assert "Thanks number 01" in more
    assert "<html" not in more
    assert "Older kudos" not in more
    by_value = web.get(reverse("recognition:wall") + f"?value={org.values[1].pk}").content.decode()
    assert "Thanks number 21" in by_value
    assert "Thanks number 20" not in by_value
    by_department = web.get(reverse("recognition:wall") + f"?department={org.sam.department_id}").content.decode()
    assert "Thanks number 20" in by_department
    assert "Thanks number 21" not in by_department
    by_person = web.get(reverse("recognition:wall") + f"?person={org.bo.pk}").content.decode()
    assert "Kudos from and to Bo Builder" in by_person
    assert "Thanks number 20" not in by_person


def test_plus_one_and_reactions_with_and_without_htmx(org, reactions):
    kudos = services.kudos_send(actor=org.ana.user, people=[org.bo], message="Thanks")
    web = signed_in_client(org.cy)
    assert web.post(reverse("recognition:plus_one", args=[kudos.pk])).status_code == 302
    assert KudosCoSender.objects.filter(kudos=kudos, profile=org.cy).exists()
    part = web.post(reverse("recognition:plus_one", args=[kudos.pk]), {"agree": "0"}, **HTMX)
    assert part.status_code == 200
    assert 'aria-pressed="false"' in part.content.decode()
    assert not KudosCoSender.objects.exists()
    part = web.post(reverse("recognition:react", args=[kudos.pk]), {"kind": reactions[1].pk}, **HTMX).content.decode()
    assert "Congrats: Cy Coder" in part
    assert KudosReaction.objects.count() == 1
    detail = web.get(reverse("recognition:detail", args=[kudos.pk])).content.decode()
    assert "+1 — I agree" in detail
    assert "Thank Ana Appreciative back" in detail


def test_profile_shows_kudos_received_and_given_and_badges(org):
    services.kudos_send(actor=org.ana.user, people=[org.bo], message="Bo saved the day", value=org.values[0])
    services.kudos_send(actor=org.bo.user, teams=[org.team], message="Team Platform shipped")
    services.kudos_send(actor=org.ana.user, people=[org.bo], message="Secret thanks", is_private=True)
    page = signed_in_client(org.sam).get(reverse("people:profile", args=[org.bo.pk])).content.decode()
    assert "Bo saved the day" in page
    assert "Team Platform shipped" in page
    assert "Secret thanks" not in page
    assert "Thank Bo Builder" in page
    assert "First thanks" in page
    own = signed_in_client(org.bo).get(reverse("people:profile", args=[org.bo.pk])).content.decode()
    assert "Secret thanks" in own
    assert "Thank Bo Builder" not in own


def test_withdraw_and_restore_through_the_pages(org):
    kudos = services.kudos_send(actor=org.ana.user, people=[org.bo], message="Oops, wrong person")
    assert signed_in_client(org.ana).post(reverse("recognition:delete", args=[kudos.pk])).status_code == 302
    assert signed_in_client(org.bo).get(reverse("recognition:detail", args=[kudos.pk])).status_code == 404
    admin = signed_in_client(org.admin)
    assert "Withdrawn" in admin.get(reverse("recognition:detail", args=[kudos.pk])).content.decode()
    assert admin.post(reverse("recognition:delete", args=[kudos.pk]), {"restore": "1"}).status_code == 302
    assert signed_in_client(org.bo).get(reverse("recognition:detail", args=[kudos.pk])).status_code == 200


def test_manager_view_names_who_was_not_recognized(org):
    services.kudos_send(actor=org.ana.user, people=[org.bo], message="Thanks", value=org.values[0])
    page = signed_in_client(org.mo).get(reverse("recognition:manager")).content.decode()
    assert "2 people in your team were not recognized this month" in page
    assert "🤝 Customers first × 1" in page
    nobody = signed_in_client(org.sam).get(reverse("recognition:manager")).content.decode()
    assert "Nobody reports to you" in nobody


def test_admin_pages(org):
    admin = signed_in_client(org.admin)
    assert admin.get(reverse("recognition:manage")).status_code == 200
    response = admin.post(reverse("recognition:manage"), {"allowance_enabled": "on", "monthly_points": "0",
                                                          "per_recipient_limit": "5", "max_points_per_kudos": "5"})
    assert response.status_code == 400
    assert "at least 1" in response.content.decode()
    assert not Settings.objects.exists()
    assert admin.post(reverse("recognition:manage"), {"allowance_enabled": "on", "monthly_points": "80",
                                                      "per_recipient_limit": "30", "max_points_per_kudos": "10"}).status_code == 302
    assert Settings.objects.get().monthly_points == 80
    duplicate = admin.post(reverse("recognition:value_create"), {"name": "Own it"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.content.decode()
    assert admin.post(reverse("recognition:value_edit", args=[org.values[1].pk]),
                      {"name": "Own it", "emoji": "🔧", "position": "1"}).status_code == 302
    assert Value.objects.get(pk=org.values[1].pk).is_active is False  # unticked: retired
    form = signed_in_client(org.ana).get(reverse("recognition:send")).content.decode()
    assert "Own it" not in form
    assert "Points for each person" in form
    assert admin.post(reverse("recognition:badge_create"), {"name": ""}).status_code == 400
    points = signed_in_client(org.ana).get(reverse("recognition:points")).content.decode()
    assert "80" in points
