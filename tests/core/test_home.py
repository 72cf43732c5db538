import datetime as dt

import pytest

from courtyard.core import clock
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_home_welcomes_newcomers_without_revealing_a_hidden_start_date(member_client):
    today = clock.now().date()
    make_profile(full_name="Nia Open", start_date=today - dt.timedelta(days=3))
    hidden = make_profile(full_name="Hal Hidden", start_date=today - dt.timedelta(days=5))
    hidden.hidden_fields = ["start_date"]
    hidden.save()
    page = member_client.get("/").content.decode()
    assert "Nia Open" in page
    assert "Hal Hidden" in page
    assert f"started {(today - dt.timedelta(days=3)).day}" in page
    hidden_row = page[page.index("Hal Hidden"):page.index("Hal Hidden") + 400]
    assert "new here" in hidden_row
    assert "started" not in hidden_row
