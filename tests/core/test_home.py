import datetime as dt

import pytest

from courtyard.core import clock
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_home_welcomes_newcomers_but_not_one_who_hides_their_start_date(member_client):
    """Being listed as new tells when someone started: hiding the start date keeps a newcomer off the list."""
    today = clock.now().date()
    make_profile(full_name="Nia Open", start_date=today - dt.timedelta(days=3))
    hidden = make_profile(full_name="Hal Hidden", start_date=today - dt.timedelta(days=5))
    hidden.hidden_fields = ["start_date"]
    hidden.save()
    page = member_client.get("/").content.decode()
    assert "Nia Open" in page
    assert f"started {(today - dt.timedelta(days=3)).day}" in page
    assert "Hal Hidden" not in page
