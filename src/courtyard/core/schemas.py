"""Shapes the API shares, and the base of every API input: text and ids are checked here, once.

Every body schema derives from ``InputSchema`` (unknown fields refused) and every query schema from
``QuerySchema``. Both run the rule of core/domain/text.py over every string and integer they receive,
however deeply nested, so a new field is covered without anyone remembering to: control, bidi-override and
invisible characters are refused (422 naming the field), text is NFC-normalized, and an integer the
database cannot store is refused before it reaches a query. Single-line is the default; a field that may hold line breaks
says so with ``CleanText``. Ids are typed ``DbId`` so the document states their range too.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, get_args

from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator

from courtyard.core.domain.text import DB_ID_MAX, DB_ID_MIN, int_problem, normalize_text, text_problem


class _Multiline:
    """Marks a text field whose value may contain line breaks and tabs."""

    def __repr__(self) -> str:
        return "Multiline"


MULTILINE = _Multiline()

DbId = Annotated[int, Field(ge=DB_ID_MIN, le=DB_ID_MAX)]
CleanText = Annotated[str, MULTILINE]


def _clean(value: Any, *, field: str, multiline: bool) -> Any:
    if isinstance(value, str):
        problem = text_problem(value, multiline=multiline)
        if problem is not None:
            raise ValueError(f"{field} {problem}")
        return normalize_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        problem = int_problem(value)
        if problem is not None:
            raise ValueError(f"{field} {problem}")
        return value
    if isinstance(value, list):
        return [_clean(item, field=field, multiline=multiline) for item in value]
    if isinstance(value, dict):
        return {
            _clean(key, field=field, multiline=False): _clean(item, field=field, multiline=multiline)
            for key, item in value.items()
        }
    return value  # nested schemas clean themselves; dates, enums and the like are typed already


def _marked_multiline(annotation: Any) -> bool:
    """Whether ``CleanText`` appears anywhere in a type (``CleanText | None``, ``dict[str, CleanText]``)."""
    if any(item is MULTILINE for item in getattr(annotation, "__metadata__", ())):
        return True
    return any(_marked_multiline(arg) for arg in get_args(annotation))


@cache
def _multiline_fields(schema: type[CleanSchema]) -> frozenset[str]:
    return frozenset(
        name
        for name, field in schema.model_fields.items()
        if any(item is MULTILINE for item in field.metadata) or _marked_multiline(field.annotation)
    )


class CleanSchema(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _clean_every_field(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or "value"
        return _clean(value, field=name, multiline=name in _multiline_fields(cls))


class InputSchema(CleanSchema):
    """A request body: unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class QuerySchema(CleanSchema):
    """Query parameters gathered in a schema."""


class Ok(Schema):
    ok: bool = True


class PersonRef(Schema):
    id: int
    display_name: str
