"""Checks JSON responses against the API's own OpenAPI document (/api/openapi.json)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from django.test import Client
from jsonschema import Draft202012Validator

# Errors the API maps once (courtyard.api.api): every 4xx body has this shape, declared or not.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string", "minLength": 1}, "message": {"type": "string", "minLength": 1}},
}


@functools.cache
def document() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    return doc


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$")


def operation_for(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The documented operation a request hits. Literal paths win over templated ones, as in the router."""
    paths = document()["paths"]
    candidates = sorted(paths, key=lambda template: "{" in template)
    for template in candidates:
        if _template_regex(template).match(path) and method.lower() in paths[template]:
            return template, paths[template][method.lower()]
    raise AssertionError(f"{method.upper()} {path} is not in the OpenAPI document")


def validate_response(method: str, path: str, response) -> Any:
    """Validate a response's body against what the document declares for its status; return the body."""
    _template, operation = operation_for(method, path.split("?", 1)[0])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    declared = operation["responses"].get(str(response.status_code))
    if declared is not None:
        schema = declared["content"]["application/json"]["schema"]
    elif response.status_code >= 400:
        schema = ERROR_SCHEMA
    else:
        raise AssertionError(f"{method.upper()} {path} answered {response.status_code}, which is not documented")
    validator = Draft202012Validator({**schema, "components": document()["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return body


class ApiClient:
    """A test client whose every JSON answer is checked against the OpenAPI document."""

    def __init__(self, client: Client | None = None, **defaults: Any) -> None:
        self.client = client or Client(**defaults)

    def request(self, method: str, path: str, data: Any = None, **extra: Any):
        if method in ("get", "delete"):
            response = getattr(self.client, method)(path, data, **extra)
        else:
            response = getattr(self.client, method)(
                path, json.dumps(data if data is not None else {}), content_type="application/json", **extra
            )
        response.body = validate_response(method, path, response)
        return response

    def get(self, path: str, data: Any = None, **extra: Any):
        return self.request("get", path, data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any):
        return self.request("patch", path, data, **extra)
