"""Question kinds, the built-in question bank (with the belonging set) and validation of one answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

LIKERT = "likert"
ENPS = "enps"
SINGLE = "single"
MULTIPLE = "multiple"
TEXT = "text"
KINDS: tuple[tuple[str, str], ...] = (
    (LIKERT, "Agree scale (1–5)"),
    (ENPS, "0–10 (eNPS)"),
    (SINGLE, "Single choice"),
    (MULTIPLE, "Multiple choice"),
    (TEXT, "Free text"),
)
CLOSED_KINDS = frozenset({LIKERT, ENPS, SINGLE, MULTIPLE})
MAX_OPTIONS = 12
MAX_TEXT = 2000


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is for the member."""


@dataclasses.dataclass(frozen=True)
class BankQuestion:
    key: str
    text: str
    kind: str
    theme: str
    options: tuple[str, ...] = ()


BELONGING: tuple[BankQuestion, ...] = (
    BankQuestion("belonging.belong", "I feel I belong here.", LIKERT, "belonging"),
    BankQuestion("belonging.heard", "My voice is heard.", LIKERT, "belonging"),
    BankQuestion("belonging.myself", "I can be myself at work.", LIKERT, "belonging"),
    BankQuestion("belonging.someone", "I have someone to turn to.", LIKERT, "belonging"),
)
BELONGING_KEYS = frozenset(q.key for q in BELONGING)

BANK: tuple[BankQuestion, ...] = (
    *BELONGING,
    BankQuestion("enps.recommend", "How likely are you to recommend working here to a friend?", ENPS, "engagement"),
    BankQuestion("engagement.proud", "I am proud to work here.", LIKERT, "engagement"),
    BankQuestion("engagement.motivated", "I feel motivated to go beyond what is expected of me.", LIKERT, "engagement"),
    BankQuestion("wellbeing.workload", "My workload is manageable.", LIKERT, "wellbeing"),
    BankQuestion("wellbeing.switch_off", "I can switch off from work when I need to.", LIKERT, "wellbeing"),
    BankQuestion("growth.learning", "I have opportunities to learn and grow.", LIKERT, "growth"),
    BankQuestion("growth.career", "I can see a path for my career here.", LIKERT, "growth"),
    BankQuestion("manager.support", "My manager supports me.", LIKERT, "manager"),
    BankQuestion("manager.feedback", "I receive useful feedback on my work.", LIKERT, "manager"),
    BankQuestion("connection.cross_team", "I know people in other teams I can ask for help.", LIKERT, "connection"),
    BankQuestion("connection.recognised", "I am recognised when I do good work.", LIKERT, "connection"),
    BankQuestion("communication.informed", "I am kept informed about what matters.", LIKERT, "communication"),
    BankQuestion("open.better", "What one thing would make working here better?", TEXT, "open"),
)
THEMES: tuple[tuple[str, str], ...] = (
    ("belonging", "Belonging"), ("engagement", "Engagement"), ("wellbeing", "Wellbeing"), ("growth", "Growth"),
    ("manager", "Manager"), ("connection", "Connection"), ("communication", "Communication"), ("open", "Open"),
    ("custom", "Own questions"),
)


def scale(kind: str, options: Sequence[str] = ()) -> tuple[int, ...]:
    """The stored values a closed question can take (a single choice stores the option's index)."""
    if kind == LIKERT:
        return (1, 2, 3, 4, 5)
    if kind == ENPS:
        return tuple(range(11))
    if kind == SINGLE:
        return tuple(range(len(options)))
    return ()


def clean_options(kind: str, options: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(o.strip() for o in options if o.strip())
    if kind in (SINGLE, MULTIPLE):
        if len(cleaned) < 2:
            raise AnswerError("A choice question needs at least two options.")
        if len(cleaned) > MAX_OPTIONS:
            raise AnswerError(f"A choice question has at most {MAX_OPTIONS} options.")
        if len(set(cleaned)) != len(cleaned):
            raise AnswerError("Each option must be different.")
        if any(len(o) > 200 for o in cleaned):
            raise AnswerError("An option is longer than 200 characters.")
        return cleaned
    return ()


def parse_answer(kind: str, options: Sequence[str], raw: Sequence[str]) -> tuple[int | None, str]:
    """The stored (value, text) of one answer from the submitted strings; (None, "") means unanswered.

    Likert 1–5 and 0–10 store the number, a single choice its option index, a multiple choice a bit mask of
    the chosen options, free text its words."""
    values = [r.strip() for r in raw if r is not None and r.strip() != ""]
    if kind == TEXT:
        text = "\n".join(values).strip()
        if len(text) > MAX_TEXT:
            raise AnswerError(f"Please keep your comment under {MAX_TEXT} characters.")
        return None, text
    if not values:
        return None, ""
    try:
        numbers = [int(v) for v in values]
    except ValueError:
        raise AnswerError("Choose one of the offered answers.") from None
    if kind == MULTIPLE:
        if any(n < 0 or n >= len(options) for n in numbers) or len(set(numbers)) != len(numbers):
            raise AnswerError("Choose from the offered options.")
        mask = 0
        for n in numbers:
            mask |= 1 << n
        return mask, ""
    if len(numbers) != 1 or numbers[0] not in scale(kind, options):
        raise AnswerError("Choose one of the offered answers.")
    return numbers[0], ""
