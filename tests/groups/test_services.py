from __future__ import annotations

import pytest

from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import Interaction, Participation
from courtyard.groups import services
from courtyard.groups.models import Group, Membership, Post, Reaction, Revision, Thread

pytestmark = pytest.mark.django_db


def test_creator_becomes_the_only_organizer(open_group, organizer):
    membership = Membership.objects.get(group=open_group)
    assert (membership.profile, membership.role, membership.status) == (organizer, "organizer", "active")
    assert open_group.member_count == 1
    assert open_group.slug == "python-guild"
    assert "<em>Python</em>" in open_group.description_html
    assert sorted(t.name for t in open_group.tags.all()) == ["Open source", "Python"]


def test_group_names_are_unique_and_reserved_slugs_avoided(organizer):
    services.group_create(actor=organizer.user, name="New")
    assert Group.objects.get(name="New").slug == "new-group"
    with pytest.raises(Conflict):
        services.group_create(actor=organizer.user, name="new")


def test_joining_an_open_group_counts_and_records_participation(open_group, member):
    services.membership_join(actor=member.user, group=open_group)
    services.membership_join(actor=member.user, group=open_group)  # twice is once
    open_group.refresh_from_db()
    assert open_group.member_count == 2
    assert Participation.objects.filter(member_id=member.pk, verb="joined_group", group_id=open_group.pk).count() == 1


def test_request_to_join_notifies_organizers_and_approval_notifies_the_member(request_group, organizer, member, sent):
    with pytest.raises(PermissionDenied):
        services.membership_join(actor=member.user, group=request_group)
    membership = services.membership_request(actor=member.user, group=request_group)
    assert membership.status == "requested"
    assert [(c["recipient"], c["kind"]) for c in sent] == [(organizer.user, "join_request")]
    with pytest.raises(PermissionDenied):
        services.membership_decide(actor=member.user, membership=membership, approve=True)
    services.membership_decide(actor=organizer.user, membership=membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert sent[-1]["kind"] == "join_approved"
    assert sent[-1]["recipient"] == member.user
    with pytest.raises(Conflict):
        services.membership_decide(actor=organizer.user, membership=membership, approve=False)


def test_private_group_needs_an_invitation(private_group, organizer, member, other_member, sent):
    with pytest.raises(PermissionDenied):
        services.membership_join(actor=member.user, group=private_group)
    with pytest.raises(PermissionDenied):
        services.membership_request(actor=member.user, group=private_group)
    with pytest.raises(PermissionDenied):
        services.membership_invite(actor=other_member.user, group=private_group, profile=member)
    services.membership_invite(actor=organizer.user, group=private_group, profile=member)
    assert sent[-1]["kind"] == "group_invitation"
    services.membership_join(actor=member.user, group=private_group)
    assert Membership.objects.get(group=private_group, profile=member).status == "active"


def test_the_last_organizer_cannot_leave_or_step_down(open_group, organizer, member):
    with pytest.raises(Conflict):
        services.membership_leave(actor=organizer.user, group=open_group)
    services.membership_join(actor=member.user, group=open_group)
    mine = Membership.objects.get(group=open_group, profile=organizer)
    with pytest.raises(Conflict):
        services.membership_set_role(actor=organizer.user, membership=mine, role="member")
    theirs = Membership.objects.get(group=open_group, profile=member)
    services.membership_set_role(actor=organizer.user, membership=theirs, role="organizer")
    services.membership_leave(actor=organizer.user, group=open_group)
    open_group.refresh_from_db()
    assert open_group.member_count == 1


def test_thread_and_reply_record_facts_and_notify(open_group, organizer, member, other_member, sent):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=organizer.user, group=open_group, title="Typing tips?",
                                    body="Ask @member and @nobody", is_question=True)
    assert '<a href="/people/' in thread.body_html
    assert "@nobody" in thread.body_html
    assert [(c["recipient"], c["kind"]) for c in sent] == [(member.user, "mention")]
    post = services.post_create(actor=member.user, thread=thread, body="Use mypy **strict**.")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert "<strong>strict</strong>" in post.body_html
    assert sent[-1]["kind"] == "reply_to_thread"
    assert sent[-1]["recipient"] == organizer.user
    assert Participation.objects.filter(verb="asked", member_id=organizer.pk).count() == 1
    assert Participation.objects.filter(verb="replied", member_id=member.pk).count() == 1
    reply = Interaction.objects.get(kind="reply")
    assert (reply.actor_id, reply.other_id) == (member.pk, organizer.pk)
    assert reply.actor_department_id == member.department_id
    assert reply.other_department_id == organizer.department_id
    with pytest.raises(PermissionDenied):
        services.post_create(actor=other_member.user, thread=thread, body="I am not a member")


def test_edits_keep_revisions_and_only_authors_edit(open_group, organizer, member):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=organizer.user, group=open_group, title="Hello", body="First words")
    with pytest.raises(PermissionDenied):
        services.thread_update(actor=member.user, thread=thread, title="Hijack", body="x")
    services.thread_update(actor=organizer.user, thread=thread, title="Hello all", body="Better words")
    thread.refresh_from_db()
    assert thread.edited_at is not None
    revision = Revision.objects.get(thread=thread)
    assert (revision.title, revision.body) == ("Hello", "First words")


def test_soft_delete_and_restore(open_group, organizer, member):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=organizer.user, group=open_group, title="Hello", body="Hi")
    post = services.post_create(actor=member.user, thread=thread, body="A reply")
    services.content_set_deleted(actor=member.user, target=post, deleted=True)
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert Post.objects.filter(pk=post.pk, body="A reply").exists()  # the words are kept
    with pytest.raises(PermissionDenied):
        services.content_set_deleted(actor=member.user, target=post, deleted=False)
    services.content_set_deleted(actor=organizer.user, target=post, deleted=False)
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_locked_threads_take_replies_only_from_moderators(open_group, organizer, member):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=member.user, group=open_group, title="Hello", body="Hi")
    with pytest.raises(PermissionDenied):
        services.thread_moderate(actor=member.user, thread=thread, locked=True)
    services.thread_moderate(actor=organizer.user, thread=thread, locked=True, pinned=True)
    with pytest.raises(PermissionDenied):
        services.post_create(actor=member.user, thread=thread, body="Can I?")
    services.post_create(actor=organizer.user, thread=thread, body="Moderator note")


def test_accepting_an_answer(open_group, organizer, member, other_member, sent):
    services.membership_join(actor=member.user, group=open_group)
    services.membership_join(actor=other_member.user, group=open_group)
    question = services.thread_create(actor=member.user, group=open_group, title="How?", body="?", is_question=True)
    answer = services.post_create(actor=other_member.user, thread=question, body="Like this")
    with pytest.raises(PermissionDenied):
        services.thread_accept_answer(actor=other_member.user, thread=question, post=answer)
    services.thread_accept_answer(actor=member.user, thread=question, post=answer)
    question.refresh_from_db()
    assert question.accepted_post == answer
    assert sent[-1]["kind"] == "answer_accepted"
    assert Participation.objects.filter(verb="answered", member_id=other_member.pk).exists()
    chat = services.thread_create(actor=member.user, group=open_group, title="Chat", body="!")
    with pytest.raises(ApplicationError):
        services.thread_accept_answer(actor=member.user, thread=chat, post=None)


def test_reactions_toggle_and_count_as_interactions(open_group, organizer, member, reactions):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=organizer.user, group=open_group, title="Hi", body="Hello")
    thanks = reactions[0]
    assert services.reaction_toggle(actor=member.user, target=thread, kind=thanks) is True
    assert Reaction.objects.filter(thread=thread).count() == 1
    assert Interaction.objects.filter(kind="reaction", actor_id=member.pk, other_id=organizer.pk).count() == 1
    assert services.reaction_toggle(actor=member.user, target=thread, kind=thanks) is False
    assert not Reaction.objects.exists()


def test_archived_groups_are_read_only(open_group, organizer, admin, member):
    with pytest.raises(PermissionDenied):
        services.group_set_archived(actor=organizer.user, group=open_group, archived=True)
    services.group_set_archived(actor=admin.user, group=open_group, archived=True)
    with pytest.raises(PermissionDenied):
        services.membership_join(actor=member.user, group=open_group)
    with pytest.raises(PermissionDenied):
        services.thread_create(actor=organizer.user, group=open_group, title="x", body="y")


def test_posting_is_rate_limited_and_nothing_is_saved_when_refused(open_group, organizer):
    for i in range(8):
        services.thread_create(actor=organizer.user, group=open_group, title=f"T{i}", body="b")
    with pytest.raises(ApplicationError) as refused:
        services.thread_create(actor=organizer.user, group=open_group, title="One too many", body="b")
    assert refused.value.status == 429
    assert not Thread.objects.filter(title="One too many").exists()


# --- Who may read and who may join -------------------------------------------------------------------


@pytest.mark.parametrize(("join_policy", "read_access"), [("open", "organization"), ("request", "members"),
                                                          ("invitation", "members")])
def test_who_may_read_defaults_to_members_only_unless_anyone_may_join(organizer, join_policy, read_access):
    group = services.group_create(actor=organizer.user, name="Quiet Room", join_policy=join_policy)
    assert (group.read_access, group.join_policy) == (read_access, join_policy)
    chosen = services.group_create(actor=organizer.user, name="Loud Room", join_policy=join_policy,
                                   read_access="organization")
    assert chosen.read_access == "organization"


@pytest.mark.parametrize("fields", [{"join_policy": "private"}, {"join_policy": ""}, {"read_access": "everyone"},
                                    {"read_access": ""}, {"kind": "club"}])
def test_unknown_settings_are_refused_and_change_nothing(organizer, open_group, fields):
    from tests.helpers import db_snapshot

    before = db_snapshot()
    with pytest.raises(ApplicationError) as refused:
        services.group_create(actor=organizer.user, name="Odd Group", **fields)
    assert refused.value.code == "invalid_choice"
    with pytest.raises(ApplicationError):
        services.group_update(actor=organizer.user, group=open_group, data={"name": "Renamed", **fields})
    assert db_snapshot() == before


def test_changing_who_may_read_keeps_who_may_join_and_is_audited(organizer, request_group):
    from courtyard.core.models import AuditEntry

    services.group_update(actor=organizer.user, group=request_group, data={"read_access": "organization"})
    request_group.refresh_from_db()
    assert (request_group.read_access, request_group.join_policy) == ("organization", "request")
    services.group_update(actor=organizer.user, group=request_group, data={"join_policy": "invitation",
                                                                          "read_access": None})
    request_group.refresh_from_db()
    assert (request_group.read_access, request_group.join_policy) == ("organization", "invitation")
    audited = [e.data["fields"] for e in AuditEntry.objects.filter(action="groups.group.updated").order_by("id")]
    assert audited == [["read_access"], ["join_policy"]]


def test_mentions_and_replies_reach_only_those_who_may_read(organizer, member, other_member, sent):
    """An outsider @mentioned in a members-only group, or an author who left it, hears nothing of it."""
    group = services.group_create(actor=organizer.user, name="Inner Circle", join_policy="request")
    services.membership_invite(actor=organizer.user, group=group, profile=member)
    services.membership_join(actor=member.user, group=group)
    handle = other_member.user.email.split("@")[0]
    thread = services.thread_create(actor=member.user, group=group, title="Plans", body=f"Hi @{handle} and @olga.org",
                                    is_question=True)
    assert {c["recipient"] for c in sent if c["kind"] == "mention"} == {organizer.user}
    own_answer = services.post_create(actor=member.user, thread=thread, body="I answer myself")
    services.membership_leave(actor=member.user, group=group)
    sent.clear()
    services.post_create(actor=organizer.user, thread=thread, body=f"Answer, @{handle}")
    services.thread_accept_answer(actor=organizer.user, thread=thread, post=own_answer)
    assert sent == []
    services.group_update(actor=organizer.user, group=group, data={"read_access": "organization"})
    services.post_create(actor=organizer.user, thread=thread, body=f"Now you may read it, @{handle}")
    assert {(c["recipient"], c["kind"]) for c in sent} == {(other_member.user, "mention"), (member.user, "reply_to_thread")}
