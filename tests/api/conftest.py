from __future__ import annotations

import pytest
from django.test import Client

from tests.api.openapi import ApiClient


def api_for(profile=None, **defaults) -> ApiClient:
    client = Client(**defaults)
    if profile is not None:
        client.force_login(profile.user)
        client.get("/healthz")  # the first signed-in request records the session: do it before any snapshot
    return ApiClient(client)


@pytest.fixture
def api_anonymous() -> ApiClient:
    return api_for()


@pytest.fixture
def api_member(member) -> ApiClient:
    return api_for(member)


@pytest.fixture
def api_other(other_member) -> ApiClient:
    return api_for(other_member)


@pytest.fixture
def api_admin(admin) -> ApiClient:
    return api_for(admin)
