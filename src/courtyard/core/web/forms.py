"""The base of every form: the text and integer rule of core/domain/text.py, applied once for all fields.

Django's CharField already refuses a NUL; this also refuses the other control characters, text-direction
overrides and invisible characters (line breaks and tabs only in a Textarea), NFC-normalizes what it keeps,
and refuses integers the database cannot store, so a field added later is covered without anyone
remembering to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from courtyard.core.domain.text import int_problem, normalize_text, text_problem


def _checked(value: Any, *, multiline: bool) -> tuple[Any, str | None]:
    """The value normalized, and the first problem found in it (or None)."""
    if isinstance(value, str):
        problem = text_problem(value, multiline=multiline)
        return (value if problem else normalize_text(value)), problem
    if isinstance(value, int) and not isinstance(value, bool):
        return value, int_problem(value)
    if isinstance(value, list | tuple):
        cleaned = []
        for item in value:
            item, problem = _checked(item, multiline=False)
            if problem:
                return value, problem
            cleaned.append(item)
        return type(value)(cleaned), None
    return value, None


class CleanForm(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        cleaned_data = getattr(self, "cleaned_data", None)
        if cleaned_data is None:
            return
        for name, field in self.fields.items():
            if name not in cleaned_data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            value, problem = _checked(cleaned_data[name], multiline=multiline)
            if problem:
                self.add_error(name, _("This value %(problem)s.") % {"problem": problem})
            else:
                cleaned_data[name] = value
