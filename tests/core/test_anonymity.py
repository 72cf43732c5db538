import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.domain import anonymity


def test_the_default_minimum_is_five_and_never_below_three():
    assert anonymity.effective_minimum(None) == 5
    assert anonymity.effective_minimum(2) == 3
    assert anonymity.effective_minimum(8) == 8


@given(st.integers(0, 50), st.one_of(st.none(), st.integers(-5, 20)))
def test_withheld_exactly_below_the_effective_minimum(respondents, minimum):
    assert anonymity.withheld(respondents, minimum) == (respondents < max(3, 5 if minimum is None else minimum))


def test_coarse_date_is_the_utc_day():
    tz = dt.timezone(dt.timedelta(hours=-8))
    assert anonymity.coarse_date(dt.datetime(2026, 3, 1, 20, 30, tzinfo=tz)) == dt.date(2026, 3, 2)
