"""Which survey segments may be shown without exposing a small group of respondents.

An anonymous answer keeps only the respondent's segments at answer time: department, location and tenure
band. A respondent therefore belongs to one *cell* (department, location, band). A segment shown in the
results (everyone, a department with its sub-departments, a location, a tenure band) is a set of cells,
and every figure shown for it (respondent counts, distributions, favourability, eNPS) is a sum over its
cells.

Two rules decide what is withheld (the floor comes from ``courtyard.core.domain.anonymity``):

1. *Primary*: a segment with fewer respondents than the minimum group size is withheld.
2. *Differencing*: whoever sees several segments can add and subtract their figures. Engineering (12)
   minus its Platform team (10) is the two other engineers, whose answers are then known exactly. So the
   shown segments must not let anyone derive, by any linear combination, the figures of a set of
   respondents that is non-empty and smaller than the minimum. While such a set exists, the smallest
   shown segment that touches it is withheld too, and the check runs again.

The check is exact for linear combinations. The indicator vectors of the shown segments span a space over
the cells; a set of cells ``U`` is derivable when its indicator lies in that span. In the reduced row
echelon form of the segment matrix (columns ordered from the largest cell to the smallest), every vector
of the span is the sum of the rows of its pivot columns weighted by its own values there. A derivable
``U`` of fewer than ``minimum`` respondents contains only small cells, so its pivot cells are small too,
and ``1_U`` is the plain sum of the rows of those pivots. Enumerating the sets of small pivot cells whose
respondents add up to less than the minimum therefore finds every such ``U``. The enumeration has a budget;
past it the check assumes the worst and withholds (never the other way round).

Free-text comments are never broken down by segment at all: a distinctive sentence can be recognised in
several overlapping segments and so be traced to their intersection, which no count check prevents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from courtyard.core.domain.anonymity import effective_minimum

Cell = tuple[int | None, int | None, str]  # (department id, location id, tenure band)

EVERYONE = "all"
SEARCH_BUDGET = 50_000
_EPS = 1e-7

# Tenure bands, from the start date to the day of answering. The first one is "newcomer".
TENURE_BANDS: tuple[tuple[str, str], ...] = (
    ("new", "Under 3 months"),
    ("lt1y", "3–12 months"),
    ("1-3y", "1–3 years"),
    ("3y+", "3 years or more"),
    ("unknown", "Start date unknown"),
)
TENURE_LABELS = dict(TENURE_BANDS)


def tenure_band(start_date: dt.date | None, on: dt.date) -> str:
    if start_date is None or start_date > on:
        return "unknown"
    days = (on - start_date).days
    if days < 90:
        return "new"
    if days < 365:
        return "lt1y"
    if days < 3 * 365:
        return "1-3y"
    return "3y+"


def coarse_week(day: dt.date) -> dt.date:
    """The only date an anonymous answer keeps: the Monday of its (UTC) week."""
    return day - dt.timedelta(days=day.weekday())


@dataclasses.dataclass(frozen=True)
class Segment:
    key: str
    cells: frozenset[Cell]


def segments_for(
    cells: Iterable[Cell], department_subtrees: Mapping[int, Iterable[int]]
) -> list[Segment]:
    """The segments results are shown for: everyone, every department with its sub-departments, every
    location and every tenure band that has respondents. ``department_subtrees`` maps a department to the
    ids of itself and everything below it."""
    present = frozenset(cells)
    segments = [Segment(EVERYONE, present)]
    for department, subtree in sorted(department_subtrees.items()):
        members = set(subtree)
        chosen = frozenset(c for c in present if c[0] in members)
        if chosen:
            segments.append(Segment(f"dept:{department}", chosen))
    for location in sorted({c[1] for c in present if c[1] is not None}):
        segments.append(Segment(f"loc:{location}", frozenset(c for c in present if c[1] == location)))
    for band, _label in TENURE_BANDS:
        chosen = frozenset(c for c in present if c[2] == band)
        if chosen:
            segments.append(Segment(f"tenure:{band}", chosen))
    return segments


def _count(cells: Iterable[Cell], counts: Mapping[Cell, int]) -> int:
    return sum(counts.get(cell, 0) for cell in cells)


def _rref_pivots(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form, pivots taken in column order (so large cells become pivots first)."""
    rows = matrix.astype(float)
    pivots: list[int] = []
    r = 0
    n_rows, n_cols = rows.shape
    for col in range(n_cols):
        if r >= n_rows:
            break
        candidate = r + int(np.argmax(np.abs(rows[r:, col])))
        if abs(rows[candidate, col]) < _EPS:
            continue
        rows[[r, candidate]] = rows[[candidate, r]]
        rows[r] /= rows[r, col]
        others = np.abs(rows[:, col]) > _EPS
        others[r] = False
        rows[others] -= np.outer(rows[others, col], rows[r])
        pivots.append(col)
        r += 1
    return rows[: len(pivots)], pivots


def derivable_small_set(
    visible: Sequence[Segment], counts: Mapping[Cell, int], minimum: int, budget: int = SEARCH_BUDGET
) -> frozenset[Cell] | None:
    """A set of cells with 1..minimum-1 respondents whose figures follow from the visible segments' figures,
    or None when there is none. Past the search budget, the smallest small pivot cell is returned (unsafe)."""
    cells = sorted({c for s in visible for c in s.cells if counts.get(c, 0) > 0},
                   key=lambda c: (-counts[c], repr(c)))
    if not visible or not cells:
        return None
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(visible), len(cells)))
    for row, segment in enumerate(visible):
        for cell in segment.cells:
            if cell in index:
                matrix[row, index[cell]] = 1.0
    reduced, pivots = _rref_pivots(matrix)
    sizes = np.array([counts[c] for c in cells])
    small = [(i, p) for i, p in enumerate(pivots) if sizes[p] < minimum]
    tried = 0
    # Depth-first over sets of small pivots whose respondents add up to less than the minimum.
    stack: list[tuple[int, list[int], int]] = [(0, [], 0)]
    while stack:
        start, chosen, total = stack.pop()
        for k in range(start, len(small)):
            row_index, pivot = small[k]
            new_total = total + int(sizes[pivot])
            if new_total >= minimum:
                continue
            tried += 1
            if tried > budget:
                return frozenset({cells[small[0][1]]})
            picked = [*chosen, row_index]
            vector = reduced[picked].sum(axis=0)
            ones = np.abs(vector - 1.0) < 1e-6
            zeros = np.abs(vector) < 1e-6
            if bool(np.all(ones | zeros)):
                respondents = int(sizes[ones].sum())
                if 0 < respondents < minimum:
                    return frozenset(cells[i] for i in np.flatnonzero(ones))
            stack.append((k + 1, picked, new_total))
    return None


def _spans(shown: Sequence[Segment], leak: frozenset[Cell]) -> bool:
    """Whether the figures of ``leak`` follow from those of ``shown`` (its indicator is in their span)."""
    if not shown:
        return False
    cells = sorted({c for s in shown for c in s.cells} | leak, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(cells), len(shown)))
    for col, segment in enumerate(shown):
        for cell in segment.cells:
            matrix[index[cell], col] = 1.0
    target = np.zeros(len(cells))
    for cell in leak:
        target[index[cell]] = 1.0
    coefficients, *_ = np.linalg.lstsq(matrix, target, rcond=None)
    return bool(np.allclose(matrix @ coefficients, target, atol=1e-6))


def _victim(shown: Sequence[Segment], leak: frozenset[Cell], counts: Mapping[Cell, int]) -> Segment:
    """The segment to withhold: the smallest whose absence alone stops ``leak`` being derived (so Engineering
    minus Platform withholds Platform, not some unrelated small segment), else the smallest touching it.
    Everyone is kept whenever anything else can go: alone it never exposes a small set."""
    ordered = sorted((s for s in shown if s.key != EVERYONE), key=lambda s: (_count(s.cells, counts), s.key))
    for candidate in ordered:
        if not _spans([s for s in shown if s.key != candidate.key], leak):
            return candidate
    touching = [s for s in ordered if s.cells & leak] or list(shown)
    return touching[0]


@dataclasses.dataclass(frozen=True)
class Visibility:
    shown: frozenset[str]
    # Withheld segments and why: "small" (under the minimum) or "derivable" (by subtracting others).
    withheld: dict[str, str]


def visible_segments(
    segments: Sequence[Segment], counts: Mapping[Cell, int], minimum: int | None
) -> Visibility:
    """Which segments may be shown, given the respondents per cell and the survey's minimum group size."""
    floor = effective_minimum(minimum)
    withheld: dict[str, str] = {}
    shown: list[Segment] = []
    for segment in segments:
        n = _count(segment.cells, counts)
        if n < floor:
            withheld[segment.key] = "small"
        else:
            shown.append(segment)
    while True:
        leak = derivable_small_set(shown, counts, floor)
        if leak is None:
            break
        victim = _victim(shown, leak, counts)
        withheld[victim.key] = "derivable"
        shown = [s for s in shown if s.key != victim.key]
    return Visibility(shown=frozenset(s.key for s in shown), withheld=withheld)


def comments_shown(respondents: int, comments: int, minimum: int | None, comment_minimum: int | None) -> bool:
    """Comments are listed (for everyone only, shuffled, undated) when both floors hold."""
    return respondents >= effective_minimum(minimum) and comments >= effective_minimum(comment_minimum)


def participation_shown(invited: int, minimum: int | None) -> bool:
    """A segment's participation rate is shown only when it was asked of at least the minimum group size."""
    return invited >= effective_minimum(minimum)
