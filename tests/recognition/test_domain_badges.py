from __future__ import annotations

from courtyard.core.domain.facts import VERB_KEYS
from courtyard.recognition.domain import badges


def test_every_badge_reads_a_known_verb_and_keys_are_unique():
    assert len(badges.BY_KEY) == len(badges.BADGES)
    assert badges.VERBS <= VERB_KEYS
    assert {"first_kudos", "kudos_10", "host", "mentor", "helper_10"} == set(badges.BY_KEY)


def test_thresholds():
    assert badges.earned({}) == []
    assert badges.earned({("gave_kudos", ""): 1}) == ["first_kudos"]
    assert badges.earned({("received_kudos", ""): 9}) == []
    assert badges.earned({("received_kudos", ""): 10}) == ["kudos_10"]
    assert badges.earned({("completed_mentorship", ""): 3}) == []  # as a mentee: no mentor badge
    assert badges.earned({("completed_mentorship", "mentor"): 1}) == ["mentor"]
    assert badges.earned({("answered", ""): 10, ("hosted_event", ""): 1}) == ["host", "helper_10"]
