"""Cursor pagination at the edge: a page link or API cursor that was not made by Courtyard is a 400."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.utils.translation import gettext as _

from courtyard.core.errors import ApplicationError


@contextlib.contextmanager
def cursor_checked() -> Iterator[None]:
    """Wrap the selector call that decodes a cursor: selectors raise ValueError for one they did not make
    (core/domain/cursors.py), which becomes the same clear 400 on every page and API list."""
    try:
        yield
    except ValueError:
        raise ApplicationError(_("That page link is not valid."), code="bad_cursor") from None
