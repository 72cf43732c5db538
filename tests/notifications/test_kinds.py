"""The registry of kinds is pure Python: no database."""

from __future__ import annotations

import pytest

from courtyard.notifications.domain.kinds import BY_KEY, KINDS, enabled, is_known, is_local_path


def test_the_kinds_the_groups_app_sends_are_registered_with_labels():
    for key in ("mention", "reply_to_thread", "join_request", "join_approved"):
        assert is_known(key)
        assert BY_KEY[key].label
        assert BY_KEY[key].description
    assert len({k.key for k in KINDS}) == len(KINDS)
    assert not is_known("nonsense")


def test_a_members_own_choice_wins_over_the_default():
    assert enabled("mention", {}) is BY_KEY["mention"].default_on
    assert enabled("mention", {"mention": False}) is False
    assert enabled("mention", {"reply_to_thread": False}) is True


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
