"""Survey scores from answer counts: distributions, favourability, eNPS, belonging index. Pure and exact.

Every function takes counts (value → number of answers), never individual answers, so the same code serves
a whole survey, a segment or a pulse round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LIKERT_VALUES = (1, 2, 3, 4, 5)
LIKERT_LABELS = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
ENPS_VALUES = tuple(range(11))
FAVOURABLE = frozenset({4, 5})
PROMOTERS = frozenset({9, 10})
DETRACTORS = frozenset(range(7))


def total(counts: Mapping[int, int]) -> int:
    return sum(counts.values())


def distribution(counts: Mapping[int, int], values: Iterable[int]) -> list[tuple[int, int, float]]:
    """(value, count, share in percent) for every value of the scale, zeros included."""
    n = total(counts)
    return [(v, counts.get(v, 0), (100.0 * counts.get(v, 0) / n) if n else 0.0) for v in values]


def favourability(counts: Mapping[int, int]) -> float | None:
    """The share (percent) of Likert answers that agree or strongly agree (4 or 5)."""
    n = total(counts)
    if not n:
        return None
    return 100.0 * sum(c for v, c in counts.items() if v in FAVOURABLE) / n


def mean(counts: Mapping[int, int]) -> float | None:
    n = total(counts)
    if not n:
        return None
    return sum(v * c for v, c in counts.items()) / n


def enps(counts: Mapping[int, int]) -> float | None:
    """Employee Net Promoter Score, the standard way: percent of 9–10 minus percent of 0–6 (−100…100)."""
    n = total(counts)
    if not n:
        return None
    promoters = sum(c for v, c in counts.items() if v in PROMOTERS)
    detractors = sum(c for v, c in counts.items() if v in DETRACTORS)
    return 100.0 * (promoters - detractors) / n


def belonging_index(per_question: Iterable[Mapping[int, int]]) -> float | None:
    """The belonging index: the mean favourability of the belonging statements that were asked (0–100),
    i.e. on average, how many percent agree that they belong, are heard, can be themselves, have someone."""
    scores = [f for f in (favourability(c) for c in per_question) if f is not None]
    if not scores:
        return None
    return sum(scores) / len(scores)


def choice_counts(masks: Mapping[int, int], options: int) -> list[int]:
    """Per option, how many chose it; multiple-choice answers are stored as bit masks of the chosen options."""
    result = [0] * options
    for mask, count in masks.items():
        for i in range(options):
            if mask >> i & 1:
                result[i] += count
    return result


def heat_level(score: float | None, *, low: float = 0.0, high: float = 100.0) -> int | None:
    """A 0–10 colour step for a heat-map cell (favourability 0–100, eNPS −100–100)."""
    if score is None:
        return None
    clamped = min(max(score, low), high)
    return round(10 * (clamped - low) / (high - low))
