"""What the groups app sends arrives through the one entry point."""

from __future__ import annotations

import pytest

from courtyard.groups import services as groups
from courtyard.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_reply_with_a_mention_tells_the_thread_author_once(member, other_member):
    group = groups.group_create(actor=member.user, name="Chess")
    groups.membership_join(actor=other_member.user, group=group)
    thread = groups.thread_create(actor=member.user, group=group, title="Openings", body="Which one?")
    groups.post_create(actor=other_member.user, thread=thread, body="Sicilian! cc @member")
    notification = Notification.objects.get(recipient=member.user)
    assert notification.kind == "mention"  # mentioned and replied to at once: one notification, the mention
    assert notification.url.startswith(f"/groups/chess/threads/{thread.pk}/")
