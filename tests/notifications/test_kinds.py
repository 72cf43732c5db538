"""The registry of kinds is pure Python: no database."""

from __future__ import annotations

import pytest

from courtyard.notifications.domain.kinds import (
    APP,
    BY_KEY,
    DIGEST,
    EMAIL,
    KINDS,
    OFF,
    channel,
    channel_from_choice,
    enabled,
    is_known,
    is_local_path,
)


def test_the_kinds_the_groups_app_sends_are_registered_with_labels():
    for key in ("mention", "reply_to_thread", "join_request", "join_approved"):
        assert is_known(key)
        assert BY_KEY[key].label
        assert BY_KEY[key].description
    assert len({k.key for k in KINDS}) == len(KINDS)
    assert not is_known("nonsense")


def test_a_members_own_choice_wins_over_the_default():
    assert enabled("mention", {}) is BY_KEY["mention"].default_on
    assert enabled("mention", {"mention": OFF}) is False
    assert enabled("mention", {"reply_to_thread": OFF}) is True
    assert channel("mention", {}) == EMAIL
    assert channel("mention", {"mention": APP}) == APP
    assert channel("mention", {"mention": "nonsense"}) == EMAIL  # a stored value nobody knows: the default


EMAIL_NOW = {
    "mention", "reply_to_thread", "answer_accepted", "coffee_match", "event_changed", "event_cancelled",
    "event_waitlist_promoted", "kudos_received", "mentorship_match", "survey_opened",
    # Kinds added later that are just as personal and time-bound: meeting a buddy, a coffee time to answer,
    # being taken off an event's list.
    "buddy_introduced", "coffee_time", "event_rsvp_removed",
}

OFF_BY_DEFAULT = {"event_rsvp_received"}


def test_the_default_channels_follow_the_kind():
    """What matters to one member now is emailed at once; group activity and the rest wait for the digest."""
    assert {kind.key for kind in KINDS if kind.default_channel == EMAIL} == EMAIL_NOW
    # Off until a member asks for it: a host hearing of every answer to their events.
    assert {kind.key for kind in KINDS if not kind.default_on} == OFF_BY_DEFAULT
    assert {kind.default_channel for kind in KINDS if kind.key not in EMAIL_NOW | OFF_BY_DEFAULT} == {DIGEST}


def test_choices_as_channels_or_the_older_true_and_false():
    assert channel_from_choice("mention", APP, EMAIL) == APP
    assert channel_from_choice("mention", False, EMAIL) == OFF
    assert channel_from_choice("mention", True, APP) == APP  # on already: stays on its channel
    assert channel_from_choice("mention", True, OFF) == EMAIL  # back on: the default
    assert channel_from_choice("mention", "maybe", EMAIL) is None


@pytest.mark.parametrize("url", ["/", "/groups/chess/threads/4/#post-9", "/people/3/?tab=a"])
def test_local_paths_are_accepted(url):
    assert is_local_path(url)


@pytest.mark.parametrize(
    "url",
    ["", "https://evil.example/", "//evil.example/", "/\\evil.example", "/a\\b", "javascript:alert(1)",
     "groups/", "/a b", "/a\nLocation: x", "\t/path"],
)
def test_anything_that_could_leave_the_site_is_refused(url):
    assert not is_local_path(url)
