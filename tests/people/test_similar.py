import pytest

from courtyard.people.selectors import similar_people
from courtyard.people.services import member_set_active
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_people_sharing_most_interests_come_first_without_self_or_deactivated(admin):
    me = make_profile(full_name="Me Myself", interests=["Chess", "Jazz", "Climbing"])
    two = make_profile(full_name="Two Shared", interests=["Chess", "Jazz", "Golf"])
    one = make_profile(full_name="One Shared", interests=["Climbing"])
    make_profile(full_name="None Shared", interests=["Golf"])
    gone = make_profile(full_name="Gone Three", interests=["Chess", "Jazz", "Climbing"])
    member_set_active(actor=admin.user, profile=gone, active=False)
    result = similar_people(me)
    assert [(p.full_name, p.shared) for p in result] == [("Two Shared", 2), ("One Shared", 1)]
    assert one in result
    assert two in result


def test_nobody_similar_without_interests():
    assert similar_people(make_profile(full_name="No Interests")) == []
