from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.models import Group, Membership, Post, Reaction, Resource, Thread
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(open_group, organizer, member, reactions):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=organizer.user, group=open_group, title="Which linter?",
                                    body="Opinions welcome", is_question=True)
    post = services.post_create(actor=member.user, thread=thread, body="ruff, clearly")
    return thread, post


def test_browse_search_and_suggestions(member, open_group, request_group, private_group):
    member.interests.set(open_group.tags.all())
    client = signed_in_client(member)
    page = client.get(reverse("groups:browse")).content.decode()
    assert "Python Guild" in page
    assert "Book Club" in page
    assert "Leadership Circle" not in page  # private: invisible to outsiders
    assert "Suggested for you" in page
    found = client.get(reverse("groups:browse"), {"q": "book"}).content.decode()
    assert "Book Club" in found
    assert "Python Guild" not in found
    assert client.get(reverse("groups:browse"), {"page": "x"}).status_code == 400


def test_create_group_keeps_the_draft_on_error(member, open_group):
    client = signed_in_client(member)
    response = client.post(reverse("groups:create"), {"name": "Python Guild", "kind": "interest",
                                                      "join_policy": "open", "description": "My long text"})
    assert response.status_code == 400
    assert "My long text" in response.content.decode()
    response = client.post(reverse("groups:create"), {"name": "Runners", "kind": "interest", "join_policy": "open",
                                                      "description": "We run", "tags": "Running"})
    group = Group.objects.get(name="Runners")
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=[group.slug])


def test_group_pages_render(organizer, open_group, discussion):
    client = signed_in_client(organizer)
    for name in ("detail", "edit", "members", "resources", "thread_new"):
        assert client.get(reverse(f"groups:{name}", args=[open_group.slug])).status_code == 200, name
    thread, post = discussion
    page = client.get(reverse("groups:thread", args=[open_group.slug, thread.pk])).content.decode()
    assert "ruff, clearly" in page
    assert "Accept as answer" in page
    assert client.get(reverse("groups:history", args=[open_group.slug, "threads", thread.pk])).status_code == 200
    assert client.get(reverse("groups:history", args=[open_group.slug, "posts", post.pk])).status_code == 200
    assert client.get(reverse("groups:post_edit", args=[open_group.slug, post.pk])).status_code == 403
    assert client.get(reverse("groups:thread", args=["other-slug", thread.pk])).status_code == 404


def test_reply_with_error_keeps_the_text(member, discussion, open_group):
    thread, _post = discussion
    client = signed_in_client(member)
    url = reverse("groups:thread", args=[open_group.slug, thread.pk])
    response = client.post(url, {"body": "x" * 50_001})
    assert response.status_code == 400
    assert "x" * 100 in response.content.decode()
    response = client.post(url, {"body": "Also black"})
    assert response.status_code == 302
    assert Post.objects.filter(body="Also black").exists()


def test_join_leave_request_and_moderation_flow(member, other_member, organizer, open_group, request_group, discussion):
    client = signed_in_client(other_member)
    assert client.post(reverse("groups:join", args=[open_group.slug])).status_code == 302
    assert Membership.objects.filter(group=open_group, profile=other_member, status="active").exists()
    client.post(reverse("groups:mute", args=[open_group.slug]), {"muted": "1"})
    assert Membership.objects.get(group=open_group, profile=other_member).muted
    client.post(reverse("groups:leave", args=[open_group.slug]))
    assert not Membership.objects.filter(group=open_group, profile=other_member).exists()
    client.post(reverse("groups:request", args=[request_group.slug]))
    membership = Membership.objects.get(group=request_group, profile=other_member)
    org = signed_in_client(organizer)
    assert "Asking to join" in org.get(reverse("groups:members", args=[request_group.slug])).content.decode()
    org.post(reverse("groups:decide", args=[request_group.slug, membership.pk]), {"approve": "1"})
    membership.refresh_from_db()
    assert membership.status == "active"
    org.post(reverse("groups:set_role", args=[request_group.slug, membership.pk]), {"role": "moderator"})
    membership.refresh_from_db()
    assert membership.role == "moderator"
    org.post(reverse("groups:remove", args=[request_group.slug, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    org.post(reverse("groups:invite", args=[request_group.slug]), {"email": member.user.email})
    assert Membership.objects.get(group=request_group, profile=member).status == "invited"


def test_thread_actions(organizer, member, open_group, discussion, reactions):
    thread, post = discussion
    org = signed_in_client(organizer)
    slug = open_group.slug
    org.post(reverse("groups:thread_moderate", args=[slug, thread.pk]), {"action": "pin"})
    org.post(reverse("groups:thread_accept", args=[slug, thread.pk]), {"post": post.pk})
    thread.refresh_from_db()
    assert thread.pinned_at is not None
    assert thread.accepted_post == post
    assert org.post(reverse("groups:thread_moderate", args=[slug, thread.pk]), {"action": "explode"}).status_code == 400
    mem = signed_in_client(member)
    response = mem.post(reverse("groups:react", args=[slug]), {"post": post.pk, "kind": reactions[0].pk},
                        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Mia Member" in response.content.decode()
    assert Reaction.objects.filter(post=post).count() == 1
    mem.post(reverse("groups:post_edit", args=[slug, post.pk]), {"body": "ruff and mypy"})
    post.refresh_from_db()
    assert post.body == "ruff and mypy"
    mem.post(reverse("groups:post_delete", args=[slug, post.pk]))
    post.refresh_from_db()
    assert post.deleted_at is not None
    org.post(reverse("groups:post_delete", args=[slug, post.pk]), {"restore": "1"})
    post.refresh_from_db()
    assert post.deleted_at is None
    org.post(reverse("groups:thread_edit", args=[slug, thread.pk]), {"title": "Which linter, 2026?", "body": "Go"})
    thread.refresh_from_db()
    assert thread.title == "Which linter, 2026?"
    org.post(reverse("groups:thread_delete", args=[slug, thread.pk]))
    assert Thread.objects.get(pk=thread.pk).deleted_at is not None
    assert mem.get(reverse("groups:thread", args=[slug, thread.pk])).status_code == 404
    assert org.get(reverse("groups:thread", args=[slug, thread.pk])).status_code == 200


def test_resources_links_and_files(member, open_group, other_member):
    services.membership_join(actor=member.user, group=open_group)
    client = signed_in_client(member)
    url = reverse("groups:resources", args=[open_group.slug])
    client.post(url, {"title": "Style guide", "url": "https://peps.python.org/pep-0008/"})
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(url, {"title": "Meeting notes", "file": pdf})
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")
    response = client.post(url, {"title": "Tool", "file": bad})
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert Resource.objects.count() == 2
    note = Resource.objects.get(title="Meeting notes")
    download = signed_in_client(other_member).get(reverse("groups:resource_download", args=[open_group.slug, note.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    link = Resource.objects.get(title="Style guide")
    assert client.get(reverse("groups:resource_download", args=[open_group.slug, link.pk]))["Location"].startswith("https://peps")
    client.post(reverse("groups:resource_delete", args=[open_group.slug, note.pk]))
    assert Resource.objects.get(pk=note.pk).deleted_at is not None


def test_archive_and_mentions_autocomplete(admin, open_group, member):
    client = signed_in_client(admin)
    client.post(reverse("groups:archive", args=[open_group.slug]), {"archived": "1"})
    open_group.refresh_from_db()
    assert open_group.archived_at is not None
    options = signed_in_client(member).get(reverse("groups:mention_suggestions"), {"body": "hello @mem"}).content.decode()
    assert 'value="hello @member ' in options


def test_pinned_threads_come_first_then_latest_activity(organizer, open_group):
    old = services.thread_create(actor=organizer.user, group=open_group, title="Old but pinned", body="x")
    services.thread_create(actor=organizer.user, group=open_group, title="Newer", body="y")
    services.thread_create(actor=organizer.user, group=open_group, title="Newest", body="z")
    services.thread_moderate(actor=organizer.user, thread=old, pinned=True)
    page = signed_in_client(organizer).get(reverse("groups:detail", args=[open_group.slug])).content.decode()
    assert page.index("Old but pinned") < page.index("Newest") < page.index("Newer")


def test_cover_picture_is_cropped_served_to_those_who_see_the_group_and_removable(organizer, member, private_group, open_group):
    from PIL import Image

    from tests.helpers import image_upload

    client = signed_in_client(organizer)
    data = {"name": open_group.name, "kind": "interest", "join_policy": "open", "description": "x",
            "cover": image_upload("cover.png", size=(1600, 900))}
    assert client.post(reverse("groups:edit", args=[open_group.slug]), data).status_code == 302
    open_group.refresh_from_db()
    with Image.open(open_group.cover.path) as cover:
        assert cover.size == (1200, 400)
    url = reverse("media", args=[open_group.cover.name])
    assert signed_in_client(member).get(url).status_code == 200
    assert f'src="{url}"' in signed_in_client(member).get(reverse("groups:detail", args=[open_group.slug])).content.decode()
    private = {"name": private_group.name, "kind": "interest", "join_policy": "invitation", "read_access": "members", "description": "",
               "cover": image_upload("secret.png")}
    client.post(reverse("groups:edit", args=[private_group.slug]), private)
    private_group.refresh_from_db()
    assert signed_in_client(member).get(reverse("media", args=[private_group.cover.name])).status_code == 404
    client.post(reverse("groups:edit", args=[open_group.slug]), {**data, "cover": "", "remove_cover": "on"})
    open_group.refresh_from_db()
    assert not open_group.cover


def test_the_form_offers_both_settings_and_by_request_defaults_to_members_only(member):
    client = signed_in_client(member)
    form = client.get(reverse("groups:create")).content.decode()
    assert "Who can join" in form
    assert "Who can read the discussions, library and member list" in form
    assert "Members only: others see the group&#x27;s name, description and size" in form
    response = client.post(reverse("groups:create"), {"name": "Quiet Room", "kind": "interest",
                                                      "join_policy": "request"})
    assert response.status_code == 302
    group = Group.objects.get(name="Quiet Room")
    assert (group.read_access, group.join_policy) == ("members", "request")
    edit = client.get(reverse("groups:edit", args=[group.slug])).content.decode()
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*\bchecked\b', edit)
    assert set(checked) == {("join_policy", "request"), ("read_access", "members")}
    client.post(reverse("groups:edit", args=[group.slug]), {"name": "Quiet Room", "kind": "interest",
                                                            "join_policy": "request", "read_access": "organization"})
    group.refresh_from_db()
    assert (group.read_access, group.join_policy) == ("organization", "request")
    header = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "Readable by everyone" in header
    assert "join by request" in header


def test_a_bad_setting_in_the_form_is_a_400_that_changes_nothing(member):
    client = signed_in_client(member)
    for data in ({"join_policy": "private"}, {"join_policy": "open", "read_access": "everyone"}):
        response = client.post(reverse("groups:create"), {"name": "Odd Room", "kind": "interest", **data})
        assert response.status_code == 400
    assert not Group.objects.filter(name="Odd Room").exists()


def test_admins_filter_groups_by_both_settings_in_the_django_admin(admin, organizer, open_group, request_group):
    client = signed_in_client(admin)
    members_only = client.get("/admin/groups/group/", {"read_access__exact": "members"})
    assert members_only.status_code == 200
    assert "Book Club" in members_only.content.decode()
    assert "Python Guild" not in members_only.content.decode()
    assert client.get(f"/admin/groups/group/{request_group.pk}/change/").status_code == 200
