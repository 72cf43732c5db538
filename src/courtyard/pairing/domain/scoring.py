"""Why two people fit: the score of a coffee pair or a mentorship match as a list of reasons.

Each score exists twice: a readable per-pair version (``coffee_pair_score``, ``mentorship_pair_score``)
that explains a result, and a vectorized version over arrays that the solvers use on many pairs at
once. Both compute the same numbers in the same order; tests hold them equal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from courtyard.pairing.domain.types import (
    CoffeeRules,
    CoffeeWeights,
    Mentee,
    Mentor,
    MentorshipRules,
    MentorshipWeights,
    PairHistory,
    PairScore,
    Person,
    Reason,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DAY = 1440
MAX_SMALL_GROUPS = 2
MAX_INTERESTS = 3
SIDES = ("a", "b")


# ------------------------------------------------------------------------------------ shared pieces


def _window(p: Person) -> tuple[int, int]:
    """Working hours as [start, start + length) minutes in UTC, start within the day."""
    h0, h1 = p.work_hours
    length = (h1 - h0) * 60
    if length <= 0:
        length += DAY
    return (h0 * 60 - p.utc_offset_minutes) % DAY, min(length, DAY)


def _overlap_minutes(a: tuple[int, int], b: tuple[int, int]) -> int:
    (sa, la), (sb, lb) = a, b
    total = 0
    for shift in (-DAY, 0, DAY):
        total += max(0, min(sa + la, sb + shift + lb) - max(sa, sb + shift))
    return min(total, la, lb)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours}h" if not rest else f"{hours}h{rest:02d}"


def _rounds_ago(rounds: int) -> str:
    return "met last round" if rounds == 1 else f"met {rounds} rounds ago"


def _overlap_vec(start: IntArray, length: IntArray, i: IntArray, j: IntArray) -> tuple[IntArray, IntArray]:
    """Overlapping minutes and the shorter day's length for pairs (i, j)."""
    sa, la, sb, lb = start[i], length[i], start[j], length[j]
    total = np.zeros(len(i), dtype=np.int64)
    for shift in (-DAY, 0, DAY):
        total += np.maximum(0, np.minimum(sa + la, sb + shift + lb) - np.maximum(sa, sb + shift))
    shorter = np.minimum(la, lb)
    return np.minimum(total, shorter), shorter


def _incidence(sets: Sequence[Iterable[object]]) -> sparse.csr_matrix:
    """Rows = items of ``sets``, one column per distinct element (0/1 entries). Columns are numbered
    in order of first appearance, each set read in sorted order: the same columns in every process
    (a set's own iteration order of strings changes with the hash seed), so a solver that ranks
    columns at random stays deterministic for a seed."""
    index: dict[object, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for r, items in enumerate(sets):
        for item in sorted(items, key=str):
            rows.append(r)
            cols.append(index.setdefault(item, len(index)))
    data = np.ones(len(rows), dtype=np.int64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(index))))


def _shared_counts(m: sparse.csr_matrix, i: IntArray, j: IntArray) -> IntArray:
    if m.nnz == 0 or len(i) == 0:
        return np.zeros(len(i), dtype=np.int64)
    return np.asarray(m[i].multiply(m[j]).sum(axis=1), dtype=np.int64).ravel()


# ------------------------------------------------------------------------------------------- coffee


def coffee_pair_blocker(a: Person, b: Person, *, rules: CoffeeRules) -> str | None:
    """Why ``a`` and ``b`` may never share a coffee group ("same person", "do-not-pair", "manager",
    "same side", "no side"), or None when they may."""
    if a.id == b.id:
        return "same person"
    if frozenset((a.id, b.id)) in rules.do_not_pair:
        return "do-not-pair"
    if a.manager_id == b.id or b.manager_id == a.id:
        return "manager"
    if rules.cross:
        if a.side not in SIDES or b.side not in SIDES:
            return "no side"
        if a.side == b.side:
            return "same side"
    return None


def coffee_pair_score(
    a: Person, b: Person, *, history: PairHistory, rules: CoffeeRules, weights: CoffeeWeights
) -> PairScore:
    """The score of pairing ``a`` with ``b`` in a coffee round, with one Reason per contribution."""
    w = weights
    reasons: list[Reason] = []
    if a.department_id is not None and b.department_id is not None and a.department_id != b.department_id:
        reasons.append(Reason("different departments", w.different_department))
    if a.team_id is not None and a.team_id == b.team_id:
        reasons.append(Reason("same team", w.same_team))
    groups = len(a.small_groups & b.small_groups)
    if groups:
        counted = min(groups, MAX_SMALL_GROUPS)
        label = "already share a small group" if groups == 1 else f"already share {groups} small groups"
        reasons.append(Reason(label, counted * w.shared_small_group))
    for interest in sorted(a.interests & b.interests)[:MAX_INTERESTS]:
        reasons.append(Reason(f"shared interest: {interest}", w.shared_interest))
    wa, wb = _window(a), _window(b)
    overlap = _overlap_minutes(wa, wb)
    if overlap > 0:
        reasons.append(
            Reason(
                f"working hours overlap {_duration(overlap)}", w.hours_overlap * overlap / min(wa[1], wb[1])
            )
        )
    else:
        reasons.append(Reason("no overlapping working hours", w.no_hours_overlap))
    rounds = history.get(frozenset((a.id, b.id)))
    if rounds is None:
        reasons.append(Reason("never met", w.never_met))
    elif rounds <= rules.lookback_rounds:
        reasons.append(Reason(_rounds_ago(rounds), w.met_within_lookback))
    else:
        reasons.append(Reason(_rounds_ago(rounds), w.met_before))
    return PairScore(score=_total(reasons), reasons=tuple(reasons))


def _total(reasons: Sequence[Reason]) -> float:
    total = 0.0
    for r in reasons:
        total += r.points
    return total


def _steps(points: float, most: int, *, counted: bool = False) -> FloatArray:
    """Points for a count 0..most, summed as the explanation sums them: one reason per item, or one
    reason of ``count * points`` (``counted``)."""
    out = [0.0]
    for k in range(1, most + 1):
        out.append(k * points if counted else out[-1] + points)
    return np.asarray(out, dtype=np.float64)


class CoffeeData:
    """The people of one round as arrays (index = position in ``people``), to score many pairs at once."""

    def __init__(
        self, people: Sequence[Person], *, history: PairHistory, rules: CoffeeRules, weights: CoffeeWeights
    ) -> None:
        self.people = people
        self.rules = rules
        self.weights = weights
        n = len(people)
        self.n = n
        self.ids = np.fromiter((p.id for p in people), dtype=np.int64, count=n)
        self.index = {p.id: k for k, p in enumerate(people)}
        self.dept = np.fromiter(
            (-1 if p.department_id is None else p.department_id for p in people), np.int64, n
        )
        self.team = np.fromiter((-1 if p.team_id is None else p.team_id for p in people), np.int64, n)
        self.manager = np.fromiter(
            (self.index.get(p.manager_id, -1) if p.manager_id is not None else -1 for p in people),
            np.int64,
            n,
        )
        windows = [_window(p) for p in people]
        self.start = np.fromiter((s for s, _ in windows), np.int64, n)
        self.length = np.fromiter((ln for _, ln in windows), np.int64, n)
        # Few distinct working windows: their pairwise hour terms, computed once, as a table.
        kinds: dict[tuple[int, int], int] = {}
        self.window_kind = np.fromiter((kinds.setdefault(x, len(kinds)) for x in windows), np.int64, n)
        ks = np.asarray(list(kinds), dtype=np.int64).reshape(-1, 2)
        u = len(ks)
        a, b = np.repeat(np.arange(u), u), np.tile(np.arange(u), u)
        overlap, shorter = _overlap_vec(ks[:, 0], ks[:, 1], a, b)
        self.hours_table = np.where(
            overlap > 0, weights.hours_overlap * overlap / np.maximum(shorter, 1), weights.no_hours_overlap
        ).reshape(u, u)
        self.side = np.fromiter((SIDES.index(p.side) if p.side in SIDES else -1 for p in people), np.int64, n)
        self.interests = _incidence([p.interests for p in people])
        self.small_groups = _incidence([p.small_groups for p in people])
        # History as sorted keys lo * n + hi over indices, for vectorized look-ups (built without a
        # Python loop per pair: a year of history is hundreds of thousands of pairs).
        pairs = [k for k in history if len(k) == 2] if any(len(k) != 2 for k in history) else list(history)
        flat = np.fromiter(itertools.chain.from_iterable(pairs), dtype=np.int64, count=2 * len(pairs))
        ago_all = np.fromiter((history[k] for k in pairs), dtype=np.int64, count=len(pairs))
        xs, ys = self._indices(flat[0::2]), self._indices(flat[1::2])
        known = (xs >= 0) & (ys >= 0)
        key_arr = np.minimum(xs, ys)[known] * n + np.maximum(xs, ys)[known]
        order = np.argsort(key_arr, kind="stable")
        self.hist_keys = key_arr[order]
        self.hist_ago = ago_all[known][order]
        # The same, per person (both directions, CSR-like): a block's matrix reads only its members'
        # past partners instead of the whole history.
        lo, hi = self.hist_keys // max(n, 1), self.hist_keys % max(n, 1)
        src, dst = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        by_src = np.argsort(src, kind="stable")
        self.hist_partner = dst[by_src]
        self.hist_partner_ago = np.concatenate([self.hist_ago, self.hist_ago])[by_src]
        self.hist_ptr = np.searchsorted(src[by_src], np.arange(n + 1))
        # Private do-not-pair choices as keys too.
        dnp: list[int] = []
        for pair in rules.do_not_pair:
            if len(pair) != 2:
                continue
            x, y = pair
            ix, iy = self.index.get(x), self.index.get(y)
            if ix is not None and iy is not None:
                dnp.append(min(ix, iy) * n + max(ix, iy))
        self.dnp_keys = np.unique(np.asarray(dnp, dtype=np.int64))

    def _indices(self, person_ids: IntArray) -> IntArray:
        """Positions of person ids (people are sorted by id), -1 for ids not in the round."""
        if self.n == 0:
            return np.full(len(person_ids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.ids, person_ids), self.n - 1)
        return np.where(self.ids[pos] == person_ids, pos, -1)

    def rounds_ago(self, i: IntArray, j: IntArray) -> IntArray:
        """Rounds since (i, j) last met, 0 when never."""
        if len(self.hist_keys) == 0:
            return np.zeros(len(i), dtype=np.int64)
        keys = np.minimum(i, j) * self.n + np.maximum(i, j)
        pos = np.searchsorted(self.hist_keys, keys)
        pos = np.minimum(pos, len(self.hist_keys) - 1)
        found = self.hist_keys[pos] == keys
        return np.where(found, self.hist_ago[pos], 0)

    def allowed(self, i: IntArray, j: IntArray, *, relax_side: bool = False) -> BoolArray:
        """Pairs the hard rules allow. ``relax_side``: two people of one side sharing a cross-program
        trio (each of them meets the other side there)."""
        ok: BoolArray = (i != j) & (self.manager[i] != j) & (self.manager[j] != i)
        if len(self.dnp_keys):
            keys = np.minimum(i, j) * self.n + np.maximum(i, j)
            ok &= ~np.isin(keys, self.dnp_keys)
        if self.rules.cross:
            ok &= (self.side[i] >= 0) & (self.side[j] >= 0)
            if not relax_side:
                ok &= self.side[i] != self.side[j]
        return ok

    def dense(
        self, members: IntArray, others: IntArray | None = None
    ) -> tuple[FloatArray, BoolArray, BoolArray]:
        """Scores, recent-meeting flags and allowed flags of ``members`` (rows) against ``others``
        (columns; ``members`` when None) as matrices, by broadcasting (much faster than ``score`` over
        all index pairs). Same numbers as ``score``; a person is never allowed with themself."""
        w = self.weights
        cols = members if others is None else others
        m, k = len(members), len(cols)
        d, dc = self.dept[members], self.dept[cols]
        total = np.where(
            (d >= 0)[:, None] & (dc >= 0)[None, :] & (d[:, None] != dc[None, :]), w.different_department, 0.0
        )
        t, tc = self.team[members], self.team[cols]
        total += np.where((t[:, None] >= 0) & (t[:, None] == tc[None, :]), w.same_team, 0.0)
        sg = self.small_groups[members]
        if sg.nnz:
            shared = sg @ self.small_groups[cols].T
            groups = np.minimum(np.asarray(shared.todense(), dtype=np.int64), MAX_SMALL_GROUPS)
            total += _steps(w.shared_small_group, MAX_SMALL_GROUPS, counted=True)[groups]
        it = self.interests[members]
        if it.nnz:
            shared = it @ self.interests[cols].T
            interests = np.minimum(np.asarray(shared.todense(), dtype=np.int64), MAX_INTERESTS)
            total += _steps(w.shared_interest, MAX_INTERESTS)[interests]
        total += self.hours_table[self.window_kind[members][:, None], self.window_kind[cols][None, :]]
        ago = np.zeros((m, k), dtype=np.int64)
        row = np.full(self.n, -1, dtype=np.int64)
        row[members] = np.arange(m)
        col = np.full(self.n, -1, dtype=np.int64)
        col[cols] = np.arange(k)
        if len(self.hist_keys):
            first, last = self.hist_ptr[members], self.hist_ptr[members + 1]
            counts = last - first
            at = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
            r = np.repeat(np.arange(m), counts)
            c = col[self.hist_partner[at]]
            inside = c >= 0
            ago[r[inside], c[inside]] = self.hist_partner_ago[at][inside]
        recent = (ago > 0) & (ago <= self.rules.lookback_rounds)
        total += np.where(ago == 0, w.never_met, np.where(recent, w.met_within_lookback, w.met_before))
        ok = (self.manager[members][:, None] != cols[None, :]) & (self.manager[cols][None, :] != members[:, None])
        ok &= members[:, None] != cols[None, :]
        if len(self.dnp_keys):
            lo, hi = self.dnp_keys // self.n, self.dnp_keys % self.n
            for x, y in ((lo, hi), (hi, lo)):
                r, c = row[x], col[y]
                inside = (r >= 0) & (c >= 0)
                ok[r[inside], c[inside]] = False
        if self.rules.cross:
            s, sc = self.side[members], self.side[cols]
            ok &= (s[:, None] >= 0) & (sc[None, :] >= 0) & (s[:, None] != sc[None, :])
        return total, recent, ok

    def score(self, i: IntArray, j: IntArray) -> tuple[FloatArray, BoolArray]:
        """Scores of pairs (i, j) as ``coffee_pair_score`` computes them, and whether each pair met
        within the look-back."""
        w = self.weights
        total = np.zeros(len(i), dtype=np.float64)
        di, dj = self.dept[i], self.dept[j]
        total += np.where((di >= 0) & (dj >= 0) & (di != dj), w.different_department, 0.0)
        ti = self.team[i]
        total += np.where((ti >= 0) & (ti == self.team[j]), w.same_team, 0.0)
        groups = np.minimum(_shared_counts(self.small_groups, i, j), MAX_SMALL_GROUPS)
        total += _steps(w.shared_small_group, MAX_SMALL_GROUPS, counted=True)[groups]
        interests = np.minimum(_shared_counts(self.interests, i, j), MAX_INTERESTS)
        total += _steps(w.shared_interest, MAX_INTERESTS)[interests]
        total += self.hours_table[self.window_kind[i], self.window_kind[j]]
        ago = self.rounds_ago(i, j)
        recent = (ago > 0) & (ago <= self.rules.lookback_rounds)
        total += np.where(ago == 0, w.never_met, np.where(recent, w.met_within_lookback, w.met_before))
        return total, recent


# --------------------------------------------------------------------------------------- mentorship


def reporting_chain(person_id: int, managers: Mapping[int, int | None]) -> set[int]:
    """Everyone above ``person_id``: manager, manager's manager, ... (cycles tolerated)."""
    chain: set[int] = set()
    current = managers.get(person_id)
    while current is not None and current not in chain and current != person_id:
        chain.add(current)
        current = managers.get(current)
    return chain


def _shares_language(mentee: Mentee, mentor: Mentor) -> bool | None:
    """None when either side listed no language (unknown)."""
    mine, theirs = mentee.person.languages, mentor.spoken
    if not mine or not theirs:
        return None
    return bool(mine & theirs)


def mentorship_pair_blocker(
    mentee: Mentee, mentor: Mentor, *, managers: Mapping[int, int | None], rules: MentorshipRules
) -> str | None:
    """Why ``mentor`` may never mentor ``mentee`` ("same person", "reporting line", "no shared
    language"), or None. ``managers`` maps person id -> manager's person id (the reporting chain).
    The language rule applies when both sides listed languages."""
    if mentee.id == mentor.id:
        return "same person"
    if rules.forbid_reporting_line and mentor.id in reporting_chain(mentee.id, managers):
        return "reporting line"
    if rules.require_shared_language and _shares_language(mentee, mentor) is False:
        return "no shared language"
    return None


def _seniority_gap(mentee: Person, mentor: Person) -> float:
    """Levels between them plus a level per four years of tenure."""
    return (mentor.seniority - mentee.seniority) + (mentor.tenure_days - mentee.tenure_days) / (4 * 365)


def mentorship_pair_score(mentee: Mentee, mentor: Mentor, *, weights: MentorshipWeights) -> PairScore:
    """The fit of ``mentor`` for ``mentee``, with one Reason per contribution."""
    w = weights
    a, b = mentee.person, mentor.person
    reasons: list[Reason] = []
    wanted = mentee.skills_wanted
    if wanted:
        offered = sorted(wanted & mentor.offers)
        if offered:
            label = f"offers {len(offered)} of {len(wanted)} wanted skills: {', '.join(offered)}"
            reasons.append(Reason(label, w.skill_fit * len(offered) / len(wanted)))
    if a.department_id is not None and b.department_id is not None and a.department_id != b.department_id:
        reasons.append(Reason("different departments", w.department_difference))
    gap = _seniority_gap(a, b)
    points = w.seniority_gap * max(-1.0, min(1.0, gap / 2))
    if points:
        levels = b.seniority - a.seniority
        years = (b.tenure_days - a.tenure_days) / 365
        detail = f"{levels:+d} levels, {years:+.1f} years tenure"
        label = "more senior" if gap > 0 else "not more senior"
        reasons.append(Reason(f"{label} ({detail})", points))
    wa, wb = _window(a), _window(b)
    overlap = _overlap_minutes(wa, wb)
    if overlap > 0:
        reasons.append(
            Reason(
                f"working hours overlap {_duration(overlap)}",
                w.timezone_overlap * overlap / min(wa[1], wb[1]),
            )
        )
    shared = _shares_language(mentee, mentor)
    if shared is True:
        common = ", ".join(sorted(a.languages & mentor.spoken))
        reasons.append(Reason(f"shared language: {common}", w.language))
    elif shared is False:
        reasons.append(Reason("no shared language", -w.language))
    for wish, mine, theirs, what in (
        (mentee.same_location, a.location_id, b.location_id, "location"),
        (mentee.same_department, a.department_id, b.department_id, "department"),
    ):
        if wish is None or mine is None or theirs is None:
            continue
        same = mine == theirs
        kind = "same" if wish else "different"
        if same == wish:
            reasons.append(Reason(f"{kind} {what}, as asked", w.preference))
        else:
            reasons.append(Reason(f"not the {kind} {what} asked for", -w.preference))
    prefs = mentee.preferred_mentor_ids
    if mentor.id in prefs:
        rank = prefs.index(mentor.id)
        reasons.append(
            Reason(
                f"preferred mentor (choice {rank + 1})", w.preferred_mentor * (len(prefs) - rank) / len(prefs)
            )
        )
    return PairScore(score=_total(reasons), reasons=tuple(reasons))


def mentorship_matrix(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    *,
    managers: Mapping[int, int | None],
    rules: MentorshipRules,
    weights: MentorshipWeights,
) -> tuple[FloatArray, BoolArray]:
    """Scores (mentees x mentors) as ``mentorship_pair_score`` computes them, and which pairs the hard
    rules allow."""
    w = weights
    m, k = len(mentees), len(mentors)
    if m == 0 or k == 0:
        return np.zeros((m, k), dtype=np.float64), np.ones((m, k), dtype=np.bool_)
    A = [x.person for x in mentees]
    B = [x.person for x in mentors]
    # Skill fit: a small dense product (mentees x skills) @ (skills x mentors) starts the matrix.
    vocab: dict[str, int] = {}
    wanted = _incidence_with(vocab, [x.skills_wanted for x in mentees])
    offers = _incidence_with(vocab, [x.offers for x in mentors])
    cols = max(1, len(vocab))
    wanted.resize((m, cols))
    offers.resize((k, cols))
    n_wanted = np.fromiter((len(x.skills_wanted) for x in mentees), np.float64, m)
    share = wanted.toarray() * (w.skill_fit / np.maximum(n_wanted, 1))[:, None]
    score = share @ offers.toarray().T
    # Seniority gap: levels plus a level per four years of tenure, half of it, clipped to [-1, 1].
    level_a = np.fromiter((p.seniority + p.tenure_days / (4 * 365) for p in A), np.float64, m)
    level_b = np.fromiter((p.seniority + p.tenure_days / (4 * 365) for p in B), np.float64, k)
    gap = np.subtract.outer(level_a, level_b)  # mentee - mentor
    gap *= -0.5
    np.minimum(gap, 1.0, out=gap)
    np.maximum(gap, -1.0, out=gap)
    gap *= w.seniority_gap
    score += gap
    del gap
    # Everything else depends on a few categories per person (department, location, working
    # window, language set, the mentee's wishes): computed once per pair of distinct profiles, then
    # gathered into the matrix.
    table, barred, kind_a, kind_b = _mentorship_profile_tables(mentees, mentors, weights=w)
    score += table[kind_a[:, None], kind_b[None, :]]
    allowed = np.ones((m, k), dtype=np.bool_)
    if rules.require_shared_language and barred.any():
        allowed &= ~barred[kind_a[:, None], kind_b[None, :]]
    # Preferred mentors.
    column = {x.id: c for c, x in enumerate(mentors)}
    for r, mentee in enumerate(mentees):
        prefs = mentee.preferred_mentor_ids
        for rank, mentor_id in enumerate(prefs):
            c = column.get(mentor_id)
            if c is not None and prefs.index(mentor_id) == rank:
                score[r, c] += w.preferred_mentor * (len(prefs) - rank) / len(prefs)
    # Hard rules.
    for r, mentee in enumerate(mentees):
        c = column.get(mentee.id)
        if c is not None:
            allowed[r, c] = False
        if rules.forbid_reporting_line:
            for boss in reporting_chain(mentee.id, managers):
                c = column.get(boss)
                if c is not None:
                    allowed[r, c] = False
    return score, allowed


def _mentorship_profile_tables(
    mentees: Sequence[Mentee], mentors: Sequence[Mentor], *, weights: MentorshipWeights
) -> tuple[FloatArray, BoolArray, IntArray, IntArray]:
    """The department, time-zone, language and location/department-wish terms for each pair of
    distinct profiles: (points table, "no shared language" table, mentee profile index, mentor
    profile index)."""
    w = weights
    languages: dict[frozenset[str], int] = {}
    windows: dict[tuple[int, int], int] = {}

    def code(value: int | None) -> int:
        return -1 if value is None else value

    def wish(value: bool | None) -> int:
        return -1 if value is None else int(value)

    profiles_a: dict[tuple[int, ...], int] = {}
    kind_a = np.fromiter(
        (
            profiles_a.setdefault(
                (
                    code(x.person.department_id),
                    code(x.person.location_id),
                    windows.setdefault(_window(x.person), len(windows)),
                    languages.setdefault(frozenset(x.person.languages), len(languages)),
                    wish(x.same_department),
                    wish(x.same_location),
                ),
                len(profiles_a),
            )
            for x in mentees
        ),
        np.int64,
        len(mentees),
    )
    profiles_b: dict[tuple[int, ...], int] = {}
    kind_b = np.fromiter(
        (
            profiles_b.setdefault(
                (
                    code(x.person.department_id),
                    code(x.person.location_id),
                    windows.setdefault(_window(x.person), len(windows)),
                    languages.setdefault(frozenset(x.spoken), len(languages)),
                ),
                len(profiles_b),
            )
            for x in mentors
        ),
        np.int64,
        len(mentors),
    )
    pa = np.asarray(list(profiles_a), dtype=np.int64).reshape(-1, 6).T[:, :, None]
    pb = np.asarray(list(profiles_b), dtype=np.int64).reshape(-1, 4).T[:, None, :]
    dept_a, loc_a, win_a, lang_a, wish_dept, wish_loc = pa
    dept_b, loc_b, win_b, lang_b = pb
    table = np.where((dept_a >= 0) & (dept_b >= 0) & (dept_a != dept_b), w.department_difference, 0.0)
    # Working hours: the overlap of each pair of distinct windows.
    ws = np.asarray(list(windows), dtype=np.int64).reshape(-1, 2)
    u = len(ws)
    ii, jj = np.repeat(np.arange(u), u), np.tile(np.arange(u), u)
    overlap, shorter = _overlap_vec(ws[:, 0], ws[:, 1], ii, jj)
    tz = np.where(overlap > 0, w.timezone_overlap * overlap / np.maximum(shorter, 1), 0.0).reshape(u, u)
    table = table + tz[win_a, win_b]
    # Languages: known when both sides listed some.
    sets = list(languages)
    known_set = np.asarray([bool(x) for x in sets])
    shared_set = np.asarray([[bool(x & y) for y in sets] for x in sets]).reshape(len(sets), len(sets))
    known = known_set[lang_a] & known_set[lang_b]
    shared = shared_set[lang_a, lang_b]
    table = table + np.where(known, np.where(shared, w.language, -w.language), 0.0)
    # The mentee's wishes for the same (or a different) location and department.
    for wanted, mine, theirs in ((wish_loc, loc_a, loc_b), (wish_dept, dept_a, dept_b)):
        applies = (wanted >= 0) & (mine >= 0) & (theirs >= 0)
        met = (mine == theirs) == (wanted == 1)
        table = table + np.where(applies, np.where(met, w.preference, -w.preference), 0.0)
    return table, known & ~shared, kind_a, kind_b


def _incidence_with(vocab: dict[str, int], sets: Sequence[Iterable[str]]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for r, items in enumerate(sets):
        for item in items:
            rows.append(r)
            cols.append(vocab.setdefault(item, len(vocab)))
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(vocab))))
