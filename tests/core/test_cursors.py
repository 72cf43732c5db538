import base64
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.domain.cursors import decode_cursor, encode_cursor


@given(st.datetimes(timezones=st.just(dt.UTC)), st.integers(min_value=1, max_value=2**63 - 1))
def test_round_trip(moment, pk):
    assert decode_cursor(encode_cursor(moment, pk)) == (moment, pk)


@pytest.mark.parametrize("raw", ["2026-01-01T00:00:00|5", "2026-01-01T00:00:00+00:00|0",
                                 "2026-01-01T00:00:00+00:00|99999999999999999999", "nonsense", ""])
def test_hand_made_cursors_are_refused(raw):
    assert decode_cursor(base64.urlsafe_b64encode(raw.encode()).decode()) is None
    assert decode_cursor("%%%") is None


@pytest.mark.django_db
def test_home_refuses_a_hand_made_feed_cursor(member_client):
    naive = base64.urlsafe_b64encode(b"2026-01-01T00:00:00|5").decode()
    assert member_client.get("/", {"cursor": naive}).status_code == 400
    assert member_client.get("/", {"cursor": "@@@"}).status_code == 400
