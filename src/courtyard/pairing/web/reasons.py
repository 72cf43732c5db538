"""Why a coffee match was made, in words a member reads ("You both like climbing"), from the engine's reasons.

The engine explains a score with short English labels and points (``"shared interest: climbing", 1.8``,
``pairing/domain/scoring.py``), stored on the match. Members see sentences; the program's owner and admins
also see the points, which are the program's weights at work. A group of three or four has one set of
reasons per pair (``"#12 & #15: never met"``, person ids): each pair becomes a titled block, "You and Ana"
or "Ana and Bo", in the second or third person.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from courtyard.people.models import Profile

_PAIR = re.compile(r"^#(\d+) & #(\d+): (.*)$")
_INTEREST = "shared interest: "
_SMALL_GROUPS = re.compile(r"^already share (\d+) small groups$")
_OVERLAP = re.compile(r"^working hours overlap (.+)$")
_ROUNDS_AGO = re.compile(r"^met (\d+) rounds ago$")


@dataclasses.dataclass
class Line:
    text: str
    points: float


@dataclasses.dataclass
class Block:
    title: str  # "" for a pair: the page already says who they are
    lines: list[Line]


def _sentence(label: str, *, you: bool) -> str:
    """One engine label as a sentence about "you" (the reader and their partner) or "they" (two others)."""
    fixed = {
        "different departments": (_("You work in different departments"), _("They work in different departments")),
        "same team": (_("You are on the same team"), _("They are on the same team")),
        "already share a small group": (_("You already share a small group"), _("They already share a small group")),
        "no overlapping working hours": (_("Your working hours do not overlap"), _("Their working hours do not overlap")),
        "never met": (_("You have not met before"), _("They have not met before")),
        "met last round": (_("You met last round"), _("They met last round")),
    }
    if label in fixed:
        return fixed[label][0 if you else 1]
    if found := _SMALL_GROUPS.match(label):
        values = {"n": found.group(1)}
        return (_("You already share %(n)s small groups") if you else _("They already share %(n)s small groups")) % values
    if found := _OVERLAP.match(label):
        values = {"time": found.group(1)}
        return (_("Your working hours overlap by %(time)s") if you else _("Their working hours overlap by %(time)s")) % values
    if found := _ROUNDS_AGO.match(label):
        values = {"n": found.group(1)}
        return (_("You last met %(n)s rounds ago") if you else _("They last met %(n)s rounds ago")) % values
    return label[:1].upper() + label[1:]


def _lines(reasons: Iterable[tuple[str, float]], *, you: bool) -> list[Line]:
    """Sentences in the engine's order; every shared interest in one sentence at the place of the first."""
    lines: list[Line] = []
    interests: list[str] = []
    interest_line: Line | None = None
    for label, points in reasons:
        if label.startswith(_INTEREST):
            interests.append(label[len(_INTEREST):])
            if interest_line is None:
                interest_line = Line("", 0.0)
                lines.append(interest_line)
            interest_line.points += points
            continue
        lines.append(Line(_sentence(label, you=you), points))
    if interest_line is not None:
        joined = get_text_list(interests, _("and"))
        interest_line.text = (_("You both like %(things)s") if you else _("They both like %(things)s")) % {"things": joined}
    return lines


def match_reasons(reasons: list[dict[str, Any]], *, me: int, people: Mapping[int, Profile]) -> list[Block]:
    """The stored reasons of a coffee match as blocks of sentences for the member ``me`` (a profile id);
    ``people`` are the match's members by profile id. The reader's own pairs come first."""
    pairs: dict[tuple[int, int], list[tuple[str, float]]] = {}
    single: list[tuple[str, float]] = []
    for reason in reasons or []:
        label, points = str(reason.get("label", "")), float(reason.get("points", 0) or 0)
        found = _PAIR.match(label)
        if found:
            pairs.setdefault((int(found.group(1)), int(found.group(2))), []).append((found.group(3), points))
        else:
            single.append((label, points))
    blocks = [Block("", _lines(single, you=True))] if single else []

    def name(pk: int) -> str:
        person = people.get(pk)
        return person.display_name if person is not None else _("someone who left")

    for (a, b), items in sorted(pairs.items(), key=lambda pair: me not in pair[0]):
        if me in (a, b):
            title = _("You and %(name)s") % {"name": name(b if a == me else a)}
        else:
            title = _("%(first)s and %(second)s") % {"first": name(a), "second": name(b)}
        blocks.append(Block(title, _lines(items, you=me in (a, b))))
    return blocks
