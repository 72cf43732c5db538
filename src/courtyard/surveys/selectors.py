"""Reads for surveys and ideas. Results are aggregates only, computed in a fixed number of queries and cached
per survey and response count; segments below the minimum group size, or derivable by subtraction, are
withheld (surveys/domain/anonymity.py). An anonymous survey's results (every figure, comment, segment, the
heat map, the pulse trend and the Insights belonging index) are released only once it is closed: figures
that moved with each answer would show each answer by difference (core.domain.anonymity). Nothing here
returns an individual anonymous answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from courtyard.accounts.models import User
from courtyard.core.access import is_admin
from courtyard.core.domain.anonymity import effective_minimum, pooled_share
from courtyard.core.domain.anonymity import results_released as released
from courtyard.groups.models import Group
from courtyard.people.models import Department, Location, Profile
from courtyard.people.selectors import directory_filter_options
from courtyard.surveys.caching import HOME_ACTIONS_KEY, results_key
from courtyard.surveys.domain import questions as q
from courtyard.surveys.domain import scores
from courtyard.surveys.domain.anonymity import (
    EVERYONE,
    TENURE_LABELS,
    Cell,
    comments_shown,
    participation_shown,
    segments_for,
    visible_segments,
)
from courtyard.surveys.mailbox import is_anonymous_author
from courtyard.surveys.models import (
    Action,
    Answer,
    AttributedAnswer,
    Idea,
    IdeaComment,
    IdeaVote,
    PulseSeries,
    Question,
    Recipient,
    Response,
    Survey,
    SurveyQuestion,
)

RESULTS_SECONDS = 600
IDEAS_PER_PAGE = 20
LOW_PARTICIPATION = 60.0
_shuffle = random.SystemRandom()


# --- Members' surveys ---------------------------------------------------------------------------


def surveys_for_member(actor: User) -> dict[str, list[Any]]:
    """The surveys a member was asked: waiting for an answer, answered (with the day it was counted), closed."""
    mine = Response.objects.filter(survey=OuterRef("pk"), member__user=actor)
    surveys: list[Any] = list(
        Survey.objects.filter(recipients__member__user=actor)
        .exclude(status=Survey.Status.DRAFT)
        .annotate(answered=Exists(mine))
        .order_by("-opened_at", "-id")[:100]
    )
    answered_on = dict(
        Response.objects.filter(member__user=actor, survey__in=[s.pk for s in surveys if s.answered])
        .values_list("survey_id", "answered_on")
    )
    for survey in surveys:
        survey.answered_on = answered_on.get(survey.pk)
    return {
        "waiting": [s for s in surveys if s.is_open and not s.answered],
        "answered": [s for s in surveys if s.answered],
        "missed": [s for s in surveys if not s.is_open and not s.answered][:10],
    }


def survey_questions(survey: Survey) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(survey=survey).select_related("question").order_by("position", "id"))


def my_response(actor: User, survey: Survey) -> Response | None:
    return Response.objects.filter(survey=survey, member__user=actor).first()


def my_attributed_answers(response: Response) -> dict[int, list[str]]:
    """An attributed survey's answers of one member, as the form's raw values (to change them)."""
    rows = Answer.objects.filter(pk__in=AttributedAnswer.objects.filter(response=response).values("answer_id"))
    answers: dict[int, list[str]] = {}
    for row in rows.select_related("question__question"):
        kind = row.question.question.kind
        if kind == q.TEXT:
            answers[row.question_id] = [row.text]
        elif kind == q.MULTIPLE and row.value is not None:
            answers[row.question_id] = [str(i) for i in range(q.MAX_OPTIONS) if row.value >> i & 1]
        elif row.value is not None:
            answers[row.question_id] = [str(row.value)]
    return answers


# --- Results ------------------------------------------------------------------------------------


def results_released(survey: Survey) -> bool:
    """Whether the survey's results may be shown: an anonymous survey's only once it is closed (it then takes
    no answer, so its figures never change again)."""
    return released(collecting=survey.status != Survey.Status.CLOSED, anonymous=survey.anonymous)


def _stats(question: Question, counts: dict[int, int]) -> dict[str, Any]:
    n = scores.total(counts)
    stats: dict[str, Any] = {"n": n}
    if question.kind == q.LIKERT:
        stats["distribution"] = [
            {"value": v, "label": label, "count": c, "share": share}
            for (v, c, share), label in zip(scores.distribution(counts, scores.LIKERT_VALUES), scores.LIKERT_LABELS,
                                            strict=True)
        ]
        stats["favourable"] = scores.favourability(counts)
        stats["mean"] = scores.mean(counts)
    elif question.kind == q.ENPS:
        stats["distribution"] = [
            {"value": v, "label": str(v), "count": c, "share": share}
            for v, c, share in scores.distribution(counts, scores.ENPS_VALUES)
        ]
        stats["enps"] = scores.enps(counts)
        stats["mean"] = scores.mean(counts)
    elif question.kind == q.SINGLE:
        stats["distribution"] = [
            {"value": v, "label": question.options[v], "count": c, "share": share}
            for v, c, share in scores.distribution(counts, range(len(question.options)))
        ]
    elif question.kind == q.MULTIPLE:
        chosen = scores.choice_counts(counts, len(question.options))
        stats["distribution"] = [
            {"value": i, "label": label, "count": c, "share": (100.0 * c / n) if n else 0.0}
            for i, (label, c) in enumerate(zip(question.options, chosen, strict=True))
        ]
    return stats


def _headline(question: Question, stats: dict[str, Any]) -> float | None:
    if question.kind == q.LIKERT:
        return stats.get("favourable")
    if question.kind == q.ENPS:
        return stats.get("enps")
    return None


def _department_subtrees(departments: list[dict[str, Any]]) -> dict[int, set[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for d in departments:
        children[d["parent_id"]].append(d["id"])
    subtrees: dict[int, set[int]] = {}

    def walk(node: int) -> set[int]:
        if node not in subtrees:
            found = {node}
            for child in children.get(node, []):
                found |= walk(child)
            subtrees[node] = found
        return subtrees[node]

    for d in departments:
        walk(d["id"])
    return subtrees


def _participation(survey: Survey, departments: list[dict[str, Any]], subtrees: dict[int, set[int]],
                   minimum: int) -> dict[str, Any]:
    invited_by = dict(Recipient.objects.filter(survey=survey).values_list("department_id").annotate(n=Count("id")))
    answered = Response.objects.filter(survey=survey).values("member_id")
    responded_by = dict(
        Recipient.objects.filter(survey=survey, member_id__in=answered).values_list("department_id").annotate(n=Count("id"))
    )
    invited_total = sum(invited_by.values())
    responded_total = sum(responded_by.values())
    rows = []
    for d in departments:
        ids = subtrees[d["id"]]
        invited = sum(n for k, n in invited_by.items() if k in ids)
        if not invited:
            continue
        responded = sum(n for k, n in responded_by.items() if k in ids)
        shown = participation_shown(invited, minimum)
        rate = 100.0 * responded / invited if shown else None
        rows.append({"key": f"dept:{d['id']}", "label": d["path"], "depth": d["depth"], "shown": shown,
                     "invited": invited if shown else None, "responded": responded if shown else None,
                     "rate": rate, "low": rate is not None and rate < LOW_PARTICIPATION})
    rate_total = 100.0 * responded_total / invited_total if invited_total else None
    return {"invited": invited_total, "responded": responded_total, "rate": rate_total,
            "low": rate_total is not None and rate_total < LOW_PARTICIPATION, "departments": rows}


def survey_results(survey: Survey) -> dict[str, Any]:
    """Everything the results page, the API and the export show, with withheld segments marked. Cached."""
    key = results_key(survey)
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    results = _compute_results(survey)
    cache.set(key, results, RESULTS_SECONDS)
    return results


def _question_rows(asked: list[SurveyQuestion]) -> list[dict[str, Any]]:
    return [
        {"id": sq.pk, "position": sq.position, "text": sq.question.text, "kind": sq.question.kind,
         "options": list(sq.question.options), "belonging": sq.question.is_belonging}
        for sq in asked
    ]


def _unreleased(survey: Survey, asked: list[SurveyQuestion], participation: dict[str, Any]) -> dict[str, Any]:
    """An open anonymous survey: who took part (not an answer) and nothing computed from the answers, not even
    whether there are comments."""
    return {
        "released": False, "minimum": effective_minimum(survey.min_group_size),
        "comment_minimum": effective_minimum(survey.min_comment_group_size), "respondents": None,
        "overall_shown": False, "questions": _question_rows(asked), "segments": [], "by_segment": {},
        "comments": {}, "comments_withheld": {}, "heat_questions": [], "heatmap": [], "participation": participation,
    }


def _compute_results(survey: Survey) -> dict[str, Any]:
    minimum = effective_minimum(survey.min_group_size)
    asked = survey_questions(survey)
    departments: list[dict[str, Any]] = [
        dict(d) for d in Department.objects.values("id", "parent_id", "path", "depth").order_by("path")
    ]
    subtrees = _department_subtrees(departments)
    participation = _participation(survey, departments, subtrees, minimum)
    if not results_released(survey):
        return _unreleased(survey, asked, participation)
    closed = [sq for sq in asked if sq.question.kind in q.CLOSED_KINDS]
    text_ids = [sq.pk for sq in asked if sq.question.kind == q.TEXT]
    rows = list(
        Answer.objects.filter(survey=survey, value__isnull=False)
        .values_list("question_id", "department_id", "location_id", "tenure_band", "value")
        .annotate(n=Count("id"))
    )
    locations = dict(Location.objects.values_list("id", "name"))
    # per question, per cell, per value
    table: dict[int, dict[Cell, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_id, department_id, location_id, band, value, n in rows:
        table[question_id][(department_id, location_id, band)][value] = n
    counting = closed[0].pk if closed else None
    cells: dict[Cell, int] = {
        cell: scores.total(values) for cell, values in table.get(counting, {}).items()
    } if counting is not None else {}
    segments = segments_for(cells, {d["id"]: subtrees[d["id"]] for d in departments})
    visibility = visible_segments(segments, cells, survey.min_group_size)
    respondents = sum(cells.values()) if closed else survey.response_count
    labels = {f"dept:{d['id']}": d["path"] for d in departments}
    labels.update({f"loc:{k}": v for k, v in locations.items()})
    labels.update({f"tenure:{k}": v for k, v in TENURE_LABELS.items()})
    labels[EVERYONE] = "Everyone"
    depth = {f"dept:{d['id']}": d["depth"] for d in departments}

    def aggregate(segment_cells: Iterable[Cell]) -> dict[int, dict[int, int]]:
        chosen = set(segment_cells)
        out: dict[int, dict[int, int]] = {}
        for sq in closed:
            counts: dict[int, int] = defaultdict(int)
            for cell, values in table.get(sq.pk, {}).items():
                if cell in chosen:
                    for value, n in values.items():
                        counts[value] += n
            out[sq.pk] = dict(counts)
        return out

    by_segment: dict[str, dict[str, Any]] = {}
    segment_list = []
    for segment in segments:
        shown = segment.key in visibility.shown
        kind = segment.key.split(":", 1)[0]
        entry: dict[str, Any] = {"key": segment.key, "kind": kind, "label": labels.get(segment.key, segment.key),
                                 "shown": shown, "reason": visibility.withheld.get(segment.key),
                                 "depth": depth.get(segment.key, 0)}
        if shown:
            counts = aggregate(segment.cells)
            entry["respondents"] = sum(cells.get(c, 0) for c in segment.cells)
            stats = {sq.pk: _stats(sq.question, counts[sq.pk]) for sq in closed}
            belonging = [counts[sq.pk] for sq in closed if sq.question.is_belonging]
            enps_counts = [counts[sq.pk] for sq in closed if sq.question.kind == q.ENPS]
            by_segment[segment.key] = {
                "questions": stats,
                "belonging_index": scores.belonging_index(belonging) if belonging else None,
                "enps": scores.enps(enps_counts[0]) if enps_counts else None,
                "headline": {sq.pk: _headline(sq.question, stats[sq.pk]) for sq in closed},
            }
        segment_list.append(entry)
    overall_shown = EVERYONE in visibility.shown or (not closed and respondents >= minimum)
    comments: dict[int, list[str]] = {}
    comments_withheld: dict[int, bool] = {}
    if text_ids:
        texts: dict[int, list[str]] = defaultdict(list)
        for question_id, text in Answer.objects.filter(survey=survey, question_id__in=text_ids).exclude(text="") \
                .values_list("question_id", "text"):
            texts[question_id].append(text)
        for question_id in text_ids:
            found = texts.get(question_id, [])
            ok = comments_shown(respondents, len(found), survey.min_group_size, survey.min_comment_group_size)
            comments_withheld[question_id] = bool(found) and not ok
            if ok:
                shuffled = list(found)
                _shuffle.shuffle(shuffled)
                comments[question_id] = shuffled
    heat_questions = [sq for sq in closed if sq.question.kind in (q.LIKERT, q.ENPS)]
    heatmap = []
    for entry in segment_list:
        if entry["kind"] != "dept":
            continue
        if entry["shown"]:
            headline = by_segment[entry["key"]]["headline"]
            row_cells = []
            for sq in heat_questions:
                value = headline.get(sq.pk)
                low = -100.0 if sq.question.kind == q.ENPS else 0.0
                row_cells.append({"value": value, "level": scores.heat_level(value, low=low)})
            heatmap.append({"label": entry["label"], "depth": entry["depth"], "shown": True, "cells": row_cells})
        else:
            heatmap.append({"label": entry["label"], "depth": entry["depth"], "shown": False, "cells": []})
    return {
        "released": True,
        "minimum": minimum,
        "comment_minimum": effective_minimum(survey.min_comment_group_size),
        "respondents": respondents if overall_shown else None,
        "overall_shown": overall_shown,
        "questions": _question_rows(asked),
        "segments": segment_list,
        "by_segment": by_segment,
        "comments": comments,
        "comments_withheld": comments_withheld,
        "heat_questions": [{"id": sq.pk, "text": sq.question.text, "kind": sq.question.kind} for sq in heat_questions],
        "heatmap": heatmap,
        "participation": participation,
    }


def results_csv_rows(survey: Survey, results: dict[str, Any]) -> list[list[Any]]:
    """The export: the same aggregates as the page, one row per shown segment and closed question."""
    header = ["segment_type", "segment", "respondents", "question", "question_kind", "answers", "favourable_pct",
              "mean", "enps", "distribution"]
    rows: list[list[Any]] = [header]
    questions = {x["id"]: x for x in results["questions"]}

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    for segment in results["segments"]:
        if not segment["shown"]:
            rows.append([segment["kind"], segment["label"], "withheld", "", "", "", "", "", "", ""])
            continue
        for question_id, stats in results["by_segment"][segment["key"]]["questions"].items():
            question = questions[question_id]
            distribution = "; ".join(f"{d['label']}={d['count']}" for d in stats.get("distribution", []))
            rows.append([
                segment["kind"], segment["label"], segment["respondents"], question["text"], question["kind"],
                stats["n"], fmt(stats.get("favourable")), fmt(stats.get("mean")), fmt(stats.get("enps")), distribution,
            ])
    return rows


def attributed_answers(survey: Survey, limit: int = 500) -> list[dict[str, Any]]:
    """For attributed surveys only (members were told): who answered what, for admins."""
    if survey.anonymous:
        return []
    links = (AttributedAnswer.objects.filter(response__survey=survey)
             .select_related("response__member", "answer__question__question")
             .order_by("response__member__full_name", "answer__question__position")[:limit])
    people: dict[int, dict[str, Any]] = {}
    for link in links:
        member = link.response.member
        entry = people.setdefault(member.pk, {"name": member.display_name, "answers": []})
        question = link.answer.question.question
        entry["answers"].append({"question": question.text, "answer": answer_label(question, link.answer)})
    return list(people.values())


def answer_label(question: Question, answer: Answer) -> str:
    if question.kind == q.TEXT:
        return answer.text
    if answer.value is None:
        return ""
    if question.kind == q.SINGLE:
        return str(question.options[answer.value]) if answer.value < len(question.options) else ""
    if question.kind == q.MULTIPLE:
        return ", ".join(o for i, o in enumerate(question.options) if answer.value >> i & 1)
    return str(answer.value)


@dataclasses.dataclass(frozen=True)
class TrendRound:
    survey: Survey
    shown: bool
    respondents: int | None
    participation: float | None
    belonging_index: float | None
    enps: float | None
    favourable: dict[int, float | None]  # bank question id → favourability


def series_trend(series: PulseSeries) -> dict[str, Any]:
    """Each round of a pulse: participation, belonging index, eNPS and favourability per bank question, for
    rounds whose results are released (closed, when anonymous) and reached the minimum group size."""
    rounds = list(Survey.objects.filter(series=series).order_by("round_number"))
    rows = (Answer.objects.filter(survey__series=series, value__isnull=False)
            .values_list("survey_id", "question__question_id", "value").annotate(n=Count("id")))
    table: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for survey_id, question_id, value, n in rows:
        table[survey_id][question_id][value] = n
    bank = {x.pk: x for x in Question.objects.filter(
        pk__in={qid for per in table.values() for qid in per})}
    trend: list[TrendRound] = []
    for survey in rounds:
        per = table.get(survey.pk, {})
        respondents = max((scores.total(c) for c in per.values()), default=0)
        shown = results_released(survey) and respondents >= effective_minimum(survey.min_group_size)
        belonging = [c for qid, c in per.items() if qid in bank and bank[qid].is_belonging]
        enps_counts = [c for qid, c in per.items() if qid in bank and bank[qid].kind == q.ENPS]
        favourable = {qid: scores.favourability(c) for qid, c in per.items()
                      if qid in bank and bank[qid].kind == q.LIKERT} if shown else {}
        trend.append(TrendRound(
            survey=survey, shown=shown, respondents=respondents if shown else None,
            participation=(100.0 * survey.response_count / survey.recipient_count)
            if survey.recipient_count else None,
            belonging_index=scores.belonging_index(belonging) if shown and belonging else None,
            enps=scores.enps(enps_counts[0]) if shown and enps_counts else None,
            favourable=favourable,
        ))
    questions = sorted({qid for r in trend for qid in r.favourable}, key=lambda i: (bank[i].theme, i))
    return {"rounds": trend, "questions": [bank[i] for i in questions]}


# --- Belonging index for insights ---------------------------------------------------------------


def _belonging_segment_key(scope_kind: str, scope_id: int) -> str | None:
    """The results segment an insights scope reads. Answers keep only department, location and tenure band,
    so groups, programs and event series have no segment (and no belonging figure)."""
    if scope_kind == "org":
        return EVERYONE
    if scope_kind == "dept":
        return f"dept:{scope_id}"
    if scope_kind == "location":
        return f"loc:{scope_id}"
    return None


def _directory_subtrees() -> dict[int, set[int]]:
    """Every department with the ids of itself and everything below it, from the directory's cached list (no
    query once warm; it is invalidated whenever the tree changes). Paths are unique and nest with " / "
    (people.services), so a department's parent is the path before its last separator."""
    departments = directory_filter_options()["departments"]
    by_path = {d["path"]: d["id"] for d in departments}
    return _department_subtrees([
        {"id": d["id"], "parent_id": by_path.get(d["path"].rsplit(" / ", 1)[0]) if " / " in d["path"] else None}
        for d in departments
    ])


def belonging_index(scope_kind: str, scope_id: int, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """The belonging index (0–100, ``scores.belonging_index``) of the surveys opened between ``start`` and
    ``end`` (UTC days, inclusive), for everyone (``org``), a department with its sub-departments (``dept``) or
    a location, as ``{"value", "respondents", "surveys", "minimum"}``; ``{"withheld": True, "reason",
    "minimum"}`` when it may not be shown; None when no survey in the period asked a belonging statement of
    anyone in the scope, or the scope is not one answers can be broken down by. One query.

    A survey counts whole, in the period it opened: slicing one survey's answers by week would make figures
    (the survey's total minus this period's part) that its results page never checked. Each survey adds its
    answers only when its results would show this very segment — the same ``visible_segments`` check over all
    of its segments, so its minimum group size and the subtraction rule (Engineering minus Platform, the whole
    organization minus one department) hold exactly; what is summed here is then only ever a sum of figures
    the results already show. On top of that, the figure is withheld when it rests on fewer answers than the
    strictest minimum group size among the surveys that have answers in the scope. ``respondents`` counts
    responses: someone who answered two of the surveys counts twice.

    Only closed surveys count (attributed ones too: managers read this, and they are not shown attributed
    answers), each with its whole share of the segment or none (``pooled_share``), so that two readings of
    this figure differ by no answer or by at least one survey's minimum — never by one person's answer."""
    segment_key = _belonging_segment_key(scope_kind, scope_id)
    if segment_key is None:
        return None
    rows = (
        Answer.objects.filter(
            survey__opened_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC),
            survey__opened_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC),
            question__question__key__in=q.BELONGING_KEYS, value__isnull=False,
        )
        .values_list("survey_id", "survey__min_group_size", "survey__status", "question__question_id",
                     "department_id", "location_id", "tenure_band", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    # survey → bank question → cell → value → answers
    table: dict[int, dict[int, dict[Cell, dict[int, int]]]] = defaultdict(lambda: defaultdict(dict))
    minimums: dict[int, int] = {}
    collecting: dict[int, bool] = {}
    for survey_id, min_group_size, status, question_id, department_id, location_id, band, value, n in rows:
        table[survey_id][question_id].setdefault((department_id, location_id, band), {})[value] = n
        minimums[survey_id] = effective_minimum(min_group_size)
        collecting[survey_id] = status != Survey.Status.CLOSED
    if not table:
        return None
    subtrees = _directory_subtrees()
    pooled: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    strictest = respondents = involved = surveys = 0
    derivable = False
    for survey_id, questions in sorted(table.items()):
        if collecting[survey_id]:
            continue  # not even its minimum or its count: nothing of an open survey moves this figure
        # Every closed question needs an answer, so each counts the same respondents per cell as the first
        # closed question the results count them by.
        cells: dict[Cell, int] = defaultdict(int)
        for per_cell in questions.values():
            for cell, values in per_cell.items():
                cells[cell] = max(cells[cell], scores.total(values))
        segments = segments_for(cells, subtrees)
        segment = next((s for s in segments if s.key == segment_key), None)
        if segment is None:
            continue
        in_scope = sum(cells.get(cell, 0) for cell in segment.cells)
        strictest = max(strictest, minimums[survey_id])
        involved += in_scope
        visibility = visible_segments(segments, cells, minimums[survey_id])
        if segment_key not in visibility.shown or not pooled_share(in_scope, collecting=False,
                                                                    minimum=minimums[survey_id]):
            derivable = derivable or visibility.withheld.get(segment_key) == "derivable"
            continue
        surveys += 1
        respondents += in_scope
        for question_id, per_cell in questions.items():
            for cell in segment.cells:
                for value, n in per_cell.get(cell, {}).items():
                    pooled[question_id][value] += n
    if not strictest:
        return None
    if respondents < strictest:
        reason = "derivable" if derivable and involved >= strictest else "small"
        return {"withheld": True, "reason": reason, "minimum": strictest}
    return {"value": scores.belonging_index(pooled.values()), "respondents": respondents, "surveys": surveys,
            "minimum": strictest}


# --- Managing -----------------------------------------------------------------------------------


def surveys_overview() -> dict[str, Any]:
    return {
        "surveys": list(Survey.objects.filter(series__isnull=True).order_by("-created_at", "-id")[:200]),
        "series": list(PulseSeries.objects.order_by("-created_at", "-id")),
        "rounds": list(Survey.objects.filter(series__isnull=False).select_related("series")
                       .order_by("-created_at", "-id")[:20]),
    }


def question_bank(*, include_retired: bool = False) -> list[Question]:
    questions = Question.objects.filter(in_bank=True)
    if not include_retired:
        questions = questions.filter(is_active=True)
    return list(questions.order_by("theme", "id"))


def audience_choices() -> dict[str, Any]:
    return {
        "departments": list(Department.objects.values_list("id", "path").order_by("path")),
        "locations": list(Location.objects.values_list("id", "name").order_by("name")),
        "groups": list(Group.objects.filter(archived_at__isnull=True).values_list("id", "name").order_by("name")),
    }


# --- Ideas --------------------------------------------------------------------------------------


def ideas_page(actor: User, *, sort: str = "top", status: str = "", page_number: Any = 1) -> Page[Any]:
    ideas = Idea.objects.select_related("author").annotate(
        voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), member__user=actor))
    )
    if status:
        ideas = ideas.filter(status=status)
    order = ("-vote_count", "-created_at", "-id") if sort == "top" else ("-created_at", "-id")
    return Paginator(ideas.order_by(*order), IDEAS_PER_PAGE).get_page(page_number)


def idea_detail(actor: User, idea: Idea) -> dict[str, Any]:
    comments = list(IdeaComment.objects.filter(idea=idea).select_related("author"))
    profile = Profile.objects.filter(user=actor).values_list("pk", flat=True).first()
    return {
        "comments": comments,
        "voted": IdeaVote.objects.filter(idea=idea, member__user=actor).exists(),
        "is_anonymous_author": profile is not None and is_anonymous_author(profile, idea),
        "actions": list(Action.objects.filter(idea=idea).select_related("published_by")),
    }


def ideas_mine(actor: User) -> list[Idea]:
    """The member's own ideas: open ones by author, anonymous ones by recomputing their keyed mailbox tags.
    Nothing is stored or cached that links the member to an anonymous idea; each visit recomputes it."""
    profile = Profile.objects.filter(user=actor).values_list("pk", flat=True).first()
    if profile is None:
        return []
    anonymous = Idea.objects.filter(anonymous=True).only("pk", "anonymous", "mailbox_nonce", "mailbox_tag")
    mine_anonymous = [idea.pk for idea in anonymous if is_anonymous_author(profile, idea)]
    ideas = list(Idea.objects.filter(Q(author_id=profile) | Q(pk__in=mine_anonymous))
                 .order_by("-created_at", "-id"))
    official = defaultdict(list)
    for comment in IdeaComment.objects.filter(idea__in=ideas, official=True).select_related("author"):
        official[comment.idea_id].append(comment)
    for idea in ideas:
        idea.official_replies = official.get(idea.pk, [])  # type: ignore[attr-defined]
    return ideas


# --- You said, we did ---------------------------------------------------------------------------


def actions_for(actor: User, *, limit: int = 50) -> list[Action]:
    actions = Action.objects.select_related("survey", "idea", "published_by")
    if not is_admin(actor):
        asked = Recipient.objects.filter(survey=OuterRef("survey_id"), member__user=actor)
        actions = actions.filter(Q(survey__isnull=True) | Exists(asked))
    return list(actions.order_by("-published_at", "-id")[:limit])


def _action_about(action: Action) -> str:
    """What an update is about (its survey or idea), or "" when its title already says it: "Done: Quiet
    room" about the idea "Quiet room" reads once, not "Done: Quiet room · Quiet room"."""
    about = action.survey.title if action.survey else (action.idea.title if action.idea else "")
    if about and " ".join(about.casefold().split()) in " ".join(action.title.casefold().split()):
        return ""
    return about


def home_actions(limit: int = 3) -> list[dict[str, Any]]:
    """The latest "we did" that every member may see (about ideas, feedback in general, or surveys asked of
    everyone), for the home page card. Cached: the home page pays no query for it once warm."""
    cached = cache.get(HOME_ACTIONS_KEY)
    if cached is None:
        cached = [
            {"id": a.pk, "title": a.title, "published_at": a.published_at, "about": _action_about(a)}
            for a in Action.objects.filter(Q(survey__isnull=True) | Q(survey__audience="everyone"))
            .select_related("survey", "idea").order_by("-published_at", "-id")[:limit]
        ]
        cache.set(HOME_ACTIONS_KEY, cached, 600)
    return list(cached)


def survey_actions(survey: Survey) -> list[Action]:
    return list(Action.objects.filter(survey=survey).select_related("published_by"))


def recipients_waiting(survey: Survey) -> QuerySet[Recipient]:
    return Recipient.objects.filter(survey=survey).exclude(
        member_id__in=Response.objects.filter(survey=survey).values("member_id"))
