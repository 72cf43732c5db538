"""Every schema the API uses has a component name of its own in the OpenAPI document.

django-ninja names a component after its class, and a second class of the same name silently replaces the
first one in the document: a client then reads the wrong fields (it happened to the discussions' and kudos'
ReactionIn). These tests fail as soon as two classes would share a name."""

from __future__ import annotations

import typing
from collections import defaultdict

from pydantic import BaseModel

from courtyard.api.api import api
from tests.api.openapi import document


def _models_in(annotation: typing.Any) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def schemas_used_by_the_api() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    # Parameter models are ninja's own wrappers; the schemas are their fields' types.
                    for field in model.model_fields.values():
                        pending.extend(_models_in(field.annotation))
                for response in operation.response_models.values():
                    if response is not None:
                        for field in response.model_fields.values():
                            pending.extend(_models_in(field.annotation))
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for field in model.model_fields.values():
            pending.extend(_models_in(field.annotation))
    return found


def test_no_two_schemas_share_a_component_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in schemas_used_by_the_api():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    collisions = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert not collisions, f"rename one of each (e.g. with the app's name as a prefix): {collisions}"


def test_the_walk_finds_the_schemas_of_every_app():
    modules = {model.__module__ for model in schemas_used_by_the_api()}
    for app in ("people", "groups", "events", "pairing", "recognition", "surveys", "insights"):
        assert f"courtyard.{app}.api" in modules


def _request_schema(method: str, path: str) -> dict[str, typing.Any]:
    operation = document()["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]


def test_discussion_reactions_document_the_thread_or_reply_they_are_for(db):
    assert {"kind_id", "thread_id", "reply_id"} <= set(_request_schema("post", "/api/discussions/reactions")["properties"])


def test_kudos_reactions_document_only_the_kind(db):
    assert set(_request_schema("post", "/api/recognition/kudos/{kudos_id}/reactions")["properties"]) == {"kind_id"}


def test_event_questions_are_documented_with_the_fields_events_accept(db):
    event = _request_schema("post", "/api/events/")
    ref = event["properties"]["questions"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert set(document()["components"]["schemas"][ref]["properties"]) == {"text", "required"}
