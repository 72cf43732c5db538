"""What the newcomer journey tells people. Every notification goes through notifications.services."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.notifications.services import notifications_send_bulk
from courtyard.notifications.targets import register, through
from courtyard.welcome.access import access_buddying
from courtyard.welcome.models import Buddying


def buddies_introduced(*, buddying_ids: Sequence[int], changed_by: User | None) -> None:
    """Introduce each newcomer and their buddy to each other, with first steps to take (after commit)."""
    for buddying in Buddying.objects.filter(pk__in=list(buddying_ids)).select_related(
        "newcomer", "newcomer__user", "buddy", "buddy__user"
    ):
        url = reverse("welcome:buddying", args=[buddying.pk])
        newcomer, buddy = buddying.newcomer, buddying.buddy
        notifications_send_bulk(
            recipients=[newcomer.user], kind="buddy_introduced", actor=changed_by,
            text=(_("Meet %(name)s, your buddy (%(why)s). Start with a coffee this week.")
                  % {"name": buddy.display_name, "why": buddying.why})[:300],
            url=url, object_type="buddying", object_id=buddying.pk,
        )
        notifications_send_bulk(
            recipients=[buddy.user], kind="buddy_introduced", actor=changed_by,
            text=(_("You are %(name)s's buddy. First steps: a coffee, show them a few groups, check in at two weeks.")
                  % {"name": newcomer.display_name})[:300],
            url=url, object_type="buddying", object_id=buddying.pk,
        )


def newcomer_nudged(*, buddying_id: int) -> None:
    """A gentle nudge to the newcomer's manager and buddy: no connection yet after three weeks."""
    buddying = Buddying.objects.select_related("newcomer", "newcomer__manager__user", "buddy__user").filter(
        pk=buddying_id).first()
    if buddying is None:
        return
    manager = buddying.newcomer.manager
    recipients = [buddying.buddy.user] + ([manager.user] if manager is not None else [])
    notifications_send_bulk(
        recipients=recipients, kind="newcomer_nudge", actor=None,
        text=(_("%(name)s has made no connection yet after three weeks. A coffee, an introduction to a colleague "
                "or an event together could help.") % {"name": buddying.newcomer.display_name})[:300],
        url=reverse("welcome:buddying", args=[buddying.pk]), object_type="buddying", object_id=buddying.pk,
    )


def register_notification_targets() -> None:
    """A buddy pairing is read by the newcomer, the buddy, the newcomer's manager and admins."""
    register("buddying", through(access_buddying))
