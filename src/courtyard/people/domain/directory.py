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


# --- Interests on a directory card --------------------------------------------------------------

CARD_TAGS = 4


def tag_matches(name: str, slug: str, *, interest: str, words: Sequence[str]) -> bool:
    """Whether a tag is what the directory was asked for: the interest filter's tag (by slug), or a tag one
    of whose words starts with a searched word (the rule the full-text search matches profiles by)."""
    if interest and slug == interest:
        return True
    tag_words = re.findall(r"\w+", normalize_text(name))
    return any(tag_word.startswith(word) for word in words for tag_word in tag_words)


def card_tags(tags: Sequence[tuple[str, str]], *, interest: str, words: Sequence[str],
              limit: int = CARD_TAGS) -> list[tuple[int, bool]]:
    """Which of a person's tags (``(name, slug)`` pairs, in their usual order) a card shows, and whether each
    matched: the matched ones first, so a filter or a search never hides the very tag it found, then the
    others, up to ``limit``. Returns ``(index into tags, matched)`` pairs."""
    flags = [tag_matches(name, slug, interest=interest, words=words) for name, slug in tags]
    matched = [(i, True) for i, flag in enumerate(flags) if flag]
    others = [(i, False) for i, flag in enumerate(flags) if not flag]
    return (matched + others)[:limit]


# --- The time-zone menu -----------------------------------------------------------------------

# Zones many people know, offered first beside the ones the organization uses most.
WELL_KNOWN_TIMEZONES = (
    "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
    "Asia/Tokyo", "Australia/Sydney",
)
# Areas made only of old aliases kept for compatibility ("US/Eastern", "Etc/GMT+5", "SystemV/EST5").
ALIAS_AREAS = frozenset({"Etc", "SystemV", "US", "Brazil", "Canada", "Chile", "Mexico"})


def canonical_timezones(available: Iterable[str], listed: Iterable[str] | None = None) -> list[str]:
    """The zones worth offering a person, sorted: ``available`` without the compatibility aliases (names with
    no area such as "EST" or "Cuba", except UTC; the alias areas above). When the time-zone database's own
    list of zones for people (``zone.tab``: one per region of a country, current names only, so "Asia/Calcutta"
    and "Europe/Kiev" are not in it) is given, only the zones in it are kept."""
    keep = set(listed) if listed is not None else None
    names = []
    for name in available:
        if name == "UTC":
            names.append(name)
            continue
        area, slash, _rest = name.partition("/")
        if not slash or area in ALIAS_AREAS or name.startswith(("posix/", "right/")):
            continue
        if keep is not None and name not in keep:
            continue
        names.append(name)
    return sorted(names)


def timezone_menu(canonical: Sequence[str], most_used: Sequence[str], *, size: int = 12) -> tuple[list[str], list[str]]:
    """The time-zone menu in two parts: the common zones (the organization's most used first, then well-known
    ones, ``size`` at most) and every other canonical zone. A most-used zone that is an old alias is left out
    of the menu (a member who has it keeps it: validation accepts every valid name)."""
    known = set(canonical)
    common: list[str] = []
    for name in [*most_used, *WELL_KNOWN_TIMEZONES]:
        if name in known and name not in common and len(common) < size:
            common.append(name)
    chosen = set(common)
    return common, [name for name in canonical if name not in chosen]
