"""A schema-driven fuzzer (schemathesis) over the whole OpenAPI document: no 5xx, and every answer —
success or refusal — matches the document. (schemathesis' own pytest plugin does not run on pytest 9,
so each operation is driven through hypothesis directly.)"""

from __future__ import annotations

import functools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import positive_data_acceptance

from courtyard.accounts.services import api_token_create
from courtyard.api.api import api
from tests.factories import make_profile

OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
)
# The operations that take a body or query parameters: where values that no schema allows can be sent.
WITH_INPUT = [
    (method, path)
    for method, path in OPERATIONS
    if any(
        "requestBody" in details or any(p["in"] == "query" for p in details.get("parameters", []))
        for details in [api.get_openapi_schema()["paths"][path][method.lower()]]
    )
]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
# One generated request per operation, never shrunk: the hostile values are then tried exhaustively.
ONCE = settings(FUZZ, max_examples=1, phases=[Phase.generate])


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


@functools.cache
def _loaded_schema():
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def operation(method: str, path: str):
    return _loaded_schema()[path][method]


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


# Values a schema-following generator never sends, but a client (or an attacker) can: integers past what the
# database stores, nulls where the document promises a value, text with a NUL or a right-to-left override.
HOSTILE = (None, 2**63, "a\x00\u202eb")
DOCUMENT = api.get_openapi_schema()


def _documented_fields(method: str, path: str) -> list[str]:
    """The top-level fields of an operation's JSON body, as documented (sent or not by the generator)."""
    body = DOCUMENT["paths"][path][method.lower()].get("requestBody")
    if body is None:
        return []
    schema = body["content"].get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def _places(case, fields: list[str]):
    """Every place a hostile value can go: each documented body field, each field of the first item of a list of
    objects, and each query parameter. (Path parameters: see the tests of bad ids, which are 404s.)"""
    places = []
    if isinstance(case.body, dict):
        places += [("body", (field,)) for field in fields]
        for key, value in case.body.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                places += [("body", (key, 0, inner)) for inner in value[0]]
    places += [("query", (name,)) for name in case.query or {}]
    return places


def _hostile_values(current):
    # A list of ids gets one past the database's range as an item, too.
    return (*HOSTILE, [2**63]) if isinstance(current, list) else HOSTILE


def _at(value, path):
    for key in path:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(copy[path[0]] if path[0] in copy or isinstance(copy, list) else None, path[1:], new)
    return copy


@pytest.fixture
def world(db) -> tuple[dict[str, str], dict[str, object]]:
    """An admin's token, and real objects for the path parameters: a generated id would be a 404 before the
    body ever reached a service."""
    import datetime as dt

    from courtyard.events import services as events
    from courtyard.groups import services as groups
    from courtyard.pairing import services as pairing
    from courtyard.pairing.models import Program

    admin = make_profile(email="fuzz-admin@example.com", full_name="Fuzz Admin", is_admin=True, department="People")
    peer = make_profile(email="peer@example.com", full_name="Peer Person", department="Engineering / Data")
    group = groups.group_create(actor=admin.user, name="Fuzz Circle")
    thread = groups.thread_create(actor=admin.user, group=group, title="A thread", body="Hello", is_question=True)
    reply = groups.post_create(actor=admin.user, thread=thread, body="A reply")
    event = events.event_create(actor=admin.user, data=events.EventData(
        title="Fuzz social", start_date=dt.date(2030, 3, 8), start_time=dt.time(18, 0), end_time=dt.time(20, 0),
        timezone="Europe/Berlin", place="Rooftop"))
    program = pairing.program_create(actor=admin.user, kind=Program.Kind.MENTORSHIP, name="Fuzz cohort")
    _, raw = api_token_create(actor=admin.user, name="fuzzer")
    known = {
        "slug": group.slug, "thread_id": thread.pk, "reply_id": reply.pk, "event_id": event.pk,
        "occurrence_id": event.occurrences.first().pk, "program_id": program.pk, "person_id": peer.pk,
    }
    return {"Authorization": f"Bearer {raw}"}, known


@pytest.mark.parametrize(("method", "path"), WITH_INPUT)
def test_operation_refuses_huge_integers_nulls_and_control_characters_without_a_server_error(method, path, world):
    """One generated request per operation, then every hostile value in every place of it, one at a time."""
    bearer, known = world
    fields = _documented_fields(method, path)

    @ONCE
    @given(case=operation(method, path).as_strategy())
    def fuzz(case):
        body, query = case.body, dict(case.query or {})
        path_parameters = {name: known.get(name, value) for name, value in (case.path_parameters or {}).items()}
        for where, place in _places(case, fields):
            for value in _hostile_values(_at(body if where == "body" else query, place)):
                case.body, case.query, case.path_parameters = body, dict(query), dict(path_parameters)
                if where == "body":
                    case.body = _replaced(body, place, value)
                elif where == "query":
                    # A query string carries text: a null arrives as an empty value, a list as a repeated one.
                    case.query[place[0]] = "" if value is None else value
                response = case.call(headers=bearer)
                assert response.status_code < 500, (method, path, where, place, value)
                if response.status_code >= 400:
                    assert {"code", "message"} <= set(response.json()), response.content

    fuzz()
