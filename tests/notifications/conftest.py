from __future__ import annotations

from courtyard.notifications import services


def send(recipient, actor=None, kind="mention", object_id=1, url="/groups/", text="Something happened"):
    """One notification about object `object_id`, through the one entry point."""
    return services.notification_send(
        recipient=recipient.user, kind=kind, actor=actor.user if actor else None, text=text, url=url,
        object_type="post", object_id=object_id,
    )
