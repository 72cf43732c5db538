"""Pure rules of the directory: what is searchable, who counts as a newcomer, what others may see.

How text is folded and matched (shared with the global search) is ``courtyard.search.domain.text``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from courtyard.search.domain.text import normalize_text


def build_search_document(
    *,
    full_name: str,
    preferred_name: str,
    email: str,
    title: str,
    department_path: str,
    team: str,
    location: str,
    interests: Iterable[str],
    skills: Iterable[str],
    ask_me_about: str,
    languages: str,
) -> str:
    """One normalized text for full-text search. The bio is not in it: short, deliberate fields rank better."""
    local_part = email.split("@", 1)[0].replace(".", " ").replace("_", " ")
    parts = [
        full_name, preferred_name, local_part, title, department_path, team, location,
        " ".join(interests), " ".join(skills), ask_me_about, languages,
    ]
    return normalize_text(" ".join(part for part in parts if part))


def is_newcomer(start_date: dt.date | None, today: dt.date, newcomer_days: int) -> bool:
    if start_date is None:
        return False
    return today - dt.timedelta(days=newcomer_days) <= start_date <= today


def newcomer_since(today: dt.date, newcomer_days: int) -> dt.date:
    return today - dt.timedelta(days=newcomer_days)


def tenure_years(start_date: dt.date | None, today: dt.date) -> int | None:
    if start_date is None or start_date > today:
        return None
    years = today.year - start_date.year
    if (today.month, today.day) < (start_date.month, start_date.day):
        years -= 1
    return years


def visible_optional_fields(
    optional_fields: Sequence[str], hidden_fields: Iterable[str], *, viewer_sees_all: bool
) -> frozenset[str]:
    """The optional fields a viewer may see: all for the person and admins, the unhidden for others."""
    if viewer_sees_all:
        return frozenset(optional_fields)
    hidden = set(hidden_fields)
    return frozenset(field for field in optional_fields if field not in hidden)


def split_tag_names(raw: str | Iterable[str], *, max_tags: int = 30, max_length: int = 60) -> list[str]:
    """Tag names from a comma-separated string or a list: trimmed, de-duplicated ignoring case, in order."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    seen: set[str] = set()
    names: list[str] = []
    for item in items:
        name = " ".join(str(item).split())[:max_length]
        key = normalize_text(name)
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return names[:max_tags]


def slugify_tag(name: str) -> str:
    return re.sub(r"[^\w]+", "-", normalize_text(name)).strip("-")[:80] or "tag"
