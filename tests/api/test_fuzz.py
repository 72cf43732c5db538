"""A schema-driven fuzzer (schemathesis) over the whole OpenAPI document: no 5xx, and every answer —
success or refusal — matches the document. (schemathesis' own pytest plugin does not run on pytest 9,
so each operation is driven through hypothesis directly.)"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from courtyard.accounts.services import api_token_create
from courtyard.api.api import api
from tests.factories import make_profile

OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes database connections when a request ends, which would end the test's
    transaction; Django's own test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db) -> dict[str, str]:
    member = make_profile(email="fuzz@example.com", full_name="Fuzz Tester", department="Engineering",
                          interests=["Chess"], skills=["SQL"])
    make_profile(email="peer@example.com", full_name="Peer Person", department="Engineering / Data")
    _, raw = api_token_create(actor=member.user, name="fuzzer")
    return {"Authorization": f"Bearer {raw}"}


def operation(method: str, path: str):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())[path][method]


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 7


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_answers_generated_requests_within_its_document(method, path, bearer):
    @FUZZ
    @given(case=operation(method, path).as_strategy())
    def fuzz(case):
        # A schema-valid value can still be refused by a business rule (an unknown time zone name, say),
        # with a 400 in the documented shape: that is not a failure, so positive-data acceptance is off.
        case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])

    fuzz()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_refuses_anonymous_callers_in_the_error_shape(method, path, db):
    @settings(FUZZ, max_examples=5)
    @given(case=operation(method, path).as_strategy())
    def fuzz(case):
        # No credentials at all: the generator may invent a session cookie from the security scheme.
        case.cookies = {}
        case.headers = {key: value for key, value in (case.headers or {}).items() if key.lower() != "authorization"}
        response = case.call()
        assert response.status_code == 401, (case.method, case.formatted_path, response.status_code)
        assert {"code", "message"} <= set(response.json())

    fuzz()
