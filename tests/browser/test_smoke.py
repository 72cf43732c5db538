import pytest

from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_renders(live_server, page, member, sign_in, password):
    sign_in(member.user.email, password)
    check_accessibility(page, "home")
