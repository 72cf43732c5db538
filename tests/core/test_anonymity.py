import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.domain import anonymity


def test_the_default_minimum_is_five_and_never_below_three():
    assert anonymity.effective_minimum(None) == 5
    assert anonymity.effective_minimum(2) == 3
    assert anonymity.effective_minimum(8) == 8


@given(st.integers(0, 50), st.one_of(st.none(), st.integers(-5, 20)))
def test_withheld_exactly_below_the_effective_minimum(respondents, minimum):
    assert anonymity.withheld(respondents, minimum) == (respondents < max(3, 5 if minimum is None else minimum))


def test_coarse_date_is_the_utc_day():
    tz = dt.timezone(dt.timedelta(hours=-8))
    assert anonymity.coarse_date(dt.datetime(2026, 3, 1, 20, 30, tzinfo=tz)) == dt.date(2026, 3, 2)


# --- Released results cannot be differenced ------------------------------------------------------------
# A model of every surface: collections (surveys, feedback on an event date) take answers, each with a
# segment and a value, until they close (a closed one takes no more, as the services refuse them). After
# every step somebody reads (a) each collection's own figures and (b) each segment's figure pooled over
# all collections. Whatever two readings are compared, every figure must differ by no answer at all or by at
# least the minimum: never by a single person's answer.

SEGMENTS = ("eng", "sales", "ops")
steps = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 2), st.sampled_from(SEGMENTS), st.integers(1, 5)),
        st.tuples(st.just("close"), st.integers(0, 2)),
    ),
    max_size=60,
)


def _readings(history, minimum, share):
    """Every reading along the history: {figure name: (answers it rests on, sum of their values)}."""
    answers: dict[int, list[tuple[str, int]]] = {0: [], 1: [], 2: []}
    closed: set[int] = set()
    readings = []
    for step in history:
        if step[0] == "close":
            closed.add(step[1])
        elif step[1] not in closed:
            answers[step[1]].append((step[2], step[3]))
        reading: dict[str, tuple[int, int]] = {}
        for collection, given_answers in answers.items():
            collecting = collection not in closed
            released = anonymity.results_released(collecting=collecting)
            shown = given_answers if released and not anonymity.withheld(len(given_answers), minimum) else []
            reading[f"c{collection}"] = (len(shown), sum(v for _s, v in shown))
            for segment in SEGMENTS:
                in_segment = [v for s, v in given_answers if s == segment]
                n = share(len(in_segment), collecting=collecting, minimum=minimum)
                part = in_segment if n else []
                total = reading.get(segment, (0, 0))
                reading[segment] = (total[0] + len(part), total[1] + sum(part))
        readings.append(reading)
    return readings


def _differenced(readings, minimum) -> list[str]:
    found = []
    for i, before in enumerate(readings):
        for after in readings[i + 1:]:
            for figure, (n, total) in after.items():
                dn, dtotal = n - before[figure][0], total - before[figure][1]
                if (dn == 0 and dtotal != 0) or 0 < abs(dn) < minimum:
                    found.append(figure)
    return found


@given(steps, st.integers(3, 6))
def test_no_two_readings_differ_by_fewer_answers_than_the_minimum(history, minimum):
    assert _differenced(_readings(history, minimum, anonymity.pooled_share), minimum) == []


def test_the_model_catches_live_figures():
    """The same check finds the leak of figures that follow each answer once past the minimum."""

    def live(count, *, collecting, minimum):
        return 0 if anonymity.withheld(count, minimum) else count

    history = [("answer", 0, "eng", 4)] * 5 + [("answer", 0, "eng", 1)]
    assert "eng" in _differenced(_readings(history, 3, live), 3)
    assert anonymity.results_released(collecting=False)
    assert not anonymity.results_released(collecting=True)
    assert anonymity.results_released(collecting=True, anonymous=False)


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "f", 0]), st.integers(1, 6)), max_size=30))
def test_a_community_names_no_department_below_the_floor(counted):
    named, others = anonymity.named_departments(counted, unnamed=(0,))
    totals: dict[object, int] = {}
    for key, n in counted:
        totals[key] = totals.get(key, 0) + n
    assert all(n >= anonymity.MIN_GROUP_SIZE_FLOOR and key != 0 for key, n in named)
    assert len(named) <= anonymity.DEPARTMENTS_NAMED
    assert len(named) + others == len(totals)
    assert [n for _k, n in named] == sorted((n for _k, n in named), reverse=True)


def test_communities_are_listed_from_the_minimum_group_size():
    assert not anonymity.community_listed(anonymity.DEFAULT_MIN_GROUP_SIZE - 1)
    assert anonymity.community_listed(anonymity.DEFAULT_MIN_GROUP_SIZE)
    assert anonymity.named_departments([("Solo", 1), ("Sales", 5), ("Sales", 1)]) == ([("Sales", 6)], 1)
