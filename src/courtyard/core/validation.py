"""The one rule for the text people send, whatever the surface: API schemas (core/schemas.py), forms
(core/web/forms.py), the CSV import and, as the last line, services. The rule itself is pure
(core/domain/text.py: which characters are refused and why); here a refusal becomes an ApplicationError.
"""

from __future__ import annotations

from typing import Any

from courtyard.core.domain.text import normalize_text, text_problem
from courtyard.core.errors import ApplicationError


def clean_text(value: str, *, multiline: bool = False, field: str = "The text") -> str:
    """``value`` normalized to NFC; an ApplicationError (400) naming ``field`` ("The title") when it carries a
    refused character."""
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise ApplicationError(f"{field} {problem}.", code="bad_text", details={field: problem})
    return normalize_text(value)


def clean_texts(data: dict[str, Any], *, multiline: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``data`` with every string (and every string in a list) cleaned; ``multiline`` names the fields that may
    have line breaks. For services, the last line before storage."""
    cleaned: dict[str, Any] = {}
    for field, value in data.items():
        label = "The " + field.replace("_", " ")
        if isinstance(value, str):
            value = clean_text(value, multiline=field in multiline, field=label)
        elif isinstance(value, list | tuple) and any(isinstance(item, str) for item in value):
            value = [clean_text(item, field=label) if isinstance(item, str) else item for item in value]
        cleaned[field] = value
    return cleaned
