from __future__ import annotations

import pytest

from courtyard.notifications import services, targets

# The notifications app's own tests are about its rules (choices, duplicates, pages, cursors), not about any
# app's targets: they send about "probe" targets, which the member may read unless the test revokes them.
# Real targets of every app are covered by test_privacy.py.
PROBE = "probe"
REVOKED: set[int] = set()


def _probe_readable(user, object_id) -> bool:
    return object_id is not None and object_id not in REVOKED


@pytest.fixture(autouse=True)
def probe_targets():
    targets.register(PROBE, _probe_readable)
    REVOKED.clear()
    yield REVOKED
    targets.unregister(PROBE)
    REVOKED.clear()


def send(recipient, actor=None, kind="mention", object_id=1, url="/groups/", text="Something happened"):
    """One notification about object `object_id`, through the one entry point."""
    return services.notification_send(
        recipient=recipient.user, kind=kind, actor=actor.user if actor else None, text=text, url=url,
        object_type=PROBE, object_id=object_id,
    )
