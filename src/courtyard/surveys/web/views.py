"""Voice: surveys, pulses, results, the idea board and "you said, we did". Thin: parse, access, call, render."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core.access import is_admin, require_admin
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.surveys import selectors, services
from courtyard.surveys.access import (
    access_action,
    access_idea,
    access_question,
    access_series,
    access_survey,
    access_survey_admin,
    is_recipient,
)
from courtyard.surveys.domain import questions as q
from courtyard.surveys.domain import scores
from courtyard.surveys.domain.anonymity import EVERYONE
from courtyard.surveys.models import Idea, Survey, SurveyQuestion
from courtyard.surveys.web.forms import (
    ActionForm,
    CommentForm,
    IdeaForm,
    IdeasFilterForm,
    PulseForm,
    QuestionForm,
    ReplyForm,
    StatusForm,
    SurveyForm,
    set_choices,
)

LIKERT_CHOICES = list(zip(scores.LIKERT_VALUES, scores.LIKERT_LABELS, strict=True))


# --- Members ------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Voice: the surveys waiting for the member, the ones they answered, what was done, and the idea board."""
    mine = selectors.ideas_mine(request.user)
    context = {
        **selectors.surveys_for_member(request.user),
        "actions": selectors.actions_for(request.user, limit=5),
        "replied_ideas": [i for i in mine if i.anonymous and i.official_replies],  # type: ignore[attr-defined]
        "is_admin": is_admin(request.user),
    }
    return render(request, "surveys/index.html", context)


def _answer_form(asked: list[SurveyQuestion], values: dict[int, list[str]], errors: dict[str, str]) -> list[dict[str, Any]]:
    items = []
    for sq in asked:
        question = sq.question
        if question.kind == q.LIKERT:
            choices = [(str(v), label) for v, label in LIKERT_CHOICES]
        elif question.kind == q.ENPS:
            choices = [(str(v), str(v)) for v in range(11)]
        else:
            choices = [(str(i), option) for i, option in enumerate(question.options)]
        items.append({"sq": sq, "question": question, "name": f"q{sq.pk}", "choices": choices,
                      "values": values.get(sq.pk, []), "error": errors.get(str(sq.pk), ""),
                      "required": question.kind in q.CLOSED_KINDS})
    return items


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: AuthedRequest, survey_id: str) -> HttpResponse:
    """A survey: the answer form (labelled anonymous or attributed before answering), or the receipt."""
    current = access_survey(request.user, survey_id)
    asked = selectors.survey_questions(current)
    response = selectors.my_response(request.user, current)
    asked_me = is_recipient(request.user, current)
    changing = bool(response and current.allow_changes and not current.anonymous and current.is_open)
    values: dict[int, list[str]] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {sq.pk: request.POST.getlist(f"q{sq.pk}") for sq in asked}
        try:
            if response is not None:
                services.response_change(actor=request.user, survey=current, answers=values)
                messages.success(request, _("Your answers were updated."))
            else:
                services.response_submit(actor=request.user, survey=current, answers=values)
                messages.success(request, _("Thank you! Your answer was counted."))
        except ApplicationError as error:
            if error.code != "invalid_answers":
                raise
            errors = error.details or {}
            status = 400
        else:
            return redirect("surveys:survey", survey_id=current.pk)
    elif response is not None and changing:
        values = selectors.my_attributed_answers(response)
    context = {
        "survey": current, "response": response, "asked_me": asked_me, "changing": changing,
        "can_answer": asked_me and current.is_open and (response is None or changing),
        "items": _answer_form(asked, values, errors), "has_errors": bool(errors),
        "actions": selectors.survey_actions(current), "is_admin": is_admin(request.user),
    }
    return render(request, "surveys/survey.html", context, status=status)


# --- Results ------------------------------------------------------------------------------------


def _segment_view(results: dict[str, Any], key: str) -> dict[str, Any]:
    if not results["released"]:
        if key != EVERYONE:
            raise ApplicationError(_("Results are broken down by group once the survey closes."), code="bad_segment")
        return {"segment": {"key": key, "label": _("Everyone"), "shown": False, "reason": "open"}, "items": []}
    segment = next((s for s in results["segments"] if s["key"] == key), None)
    if segment is None:
        if key != EVERYONE:
            raise ApplicationError(_("There is no such segment in these results."), code="bad_segment")
        return {"segment": {"key": EVERYONE, "label": _("Everyone"), "shown": False, "reason": None}, "items": []}
    items = []
    data = results["by_segment"].get(key) if segment["shown"] else None
    for question in results["questions"]:
        item: dict[str, Any] = {"question": question, "stats": None}
        if question["kind"] == q.TEXT:
            item["comments"] = results["comments"].get(question["id"]) if key == EVERYONE else None
            item["comments_withheld"] = results["comments_withheld"].get(question["id"], False)
        elif data is not None:
            item["stats"] = data["questions"].get(question["id"])
        items.append(item)
    return {"segment": segment, "items": items, "data": data}


@login_required
@require_GET
def results(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    computed = selectors.survey_results(current)
    key = request.GET.get("segment") or EVERYONE
    context = {
        "survey": current, "results": computed, **_segment_view(computed, key),
        "selected": key, "trend": selectors.series_trend(current.series) if current.series is not None else None,
        "actions": selectors.survey_actions(current),
        "people": selectors.attributed_answers(current) if not current.anonymous else [],
        "families": [("dept", _("Departments")), ("loc", _("Locations")), ("tenure", _("Tenure"))],
    }
    return render(request, "surveys/results.html", context)


@login_required
@require_GET
def results_csv(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    rows = selectors.results_csv_rows(current, selectors.survey_results(current))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{current.pk}-results.csv"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row])
    return response


# --- Managing -----------------------------------------------------------------------------------


@login_required
@require_GET
def manage(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    return render(request, "surveys/manage.html", selectors.surveys_overview())


def _survey_form(data: Any = None, initial: dict[str, Any] | None = None) -> SurveyForm:
    form = SurveyForm(data, initial=initial)
    form.set_audience_choices(selectors.audience_choices())
    set_choices(form.fields["questions"], [
        (x.pk, f"{x.text} ({x.get_kind_display()})") for x in selectors.question_bank()
    ])
    return form


def _survey_data(form: SurveyForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"], "description": data["description"], "anonymous": data["anonymous"],
        "allow_changes": data["allow_changes"], "audience": data["audience"],
        "department_ids": data["departments"], "location_ids": data["locations"], "group_ids": data["groups"],
        "question_ids": data["questions"], "min_group_size": data["min_group_size"],
        "min_comment_group_size": data["min_comment_group_size"], "closes_at": data["closes_at"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    services.question_bank_ensure()
    form = _survey_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.survey_create(actor=request.user, **_survey_data(form))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved. Check it, then open it to send it."))
            return redirect("surveys:survey", survey_id=created.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    if current.status != Survey.Status.DRAFT:
        raise ApplicationError(_("Only a draft can be edited; an open survey stays as announced."), code="not_draft",
                               status=409)
    initial = {
        "title": current.title, "description": current.description, "anonymous": current.anonymous,
        "allow_changes": current.allow_changes, "audience": current.audience,
        "departments": [d.pk for d in current.departments.all()], "locations": [x.pk for x in current.locations.all()],
        "groups": [g.pk for g in current.groups.all()],
        "questions": list(SurveyQuestion.objects.filter(survey=current).values_list("question_id", flat=True)),
        "min_group_size": current.min_group_size, "min_comment_group_size": current.min_comment_group_size,
        "closes_at": current.closes_at,
    }
    form = _survey_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=request.user, survey=current, data=_survey_data(form))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("surveys:survey", survey_id=current.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": current},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def survey_open(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    opened = services.survey_open(actor=request.user, survey=current)
    messages.success(request, _("The survey is open: %(n)d people were asked.") % {"n": opened.recipient_count})
    return redirect("surveys:survey", survey_id=current.pk)


@login_required
@require_POST
def survey_close(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    services.survey_close(actor=request.user, survey=current)
    messages.success(request, _("The survey is closed."))
    return redirect("surveys:results", survey_id=current.pk)


@login_required
@require_POST
def survey_remind(request: AuthedRequest, survey_id: str) -> HttpResponse:
    current = access_survey_admin(request.user, survey_id)
    reminded = services.survey_remind(actor=request.user, survey=current)
    messages.success(request, _("%(n)d people who have not answered yet were reminded.") % {"n": reminded})
    return redirect("surveys:results", survey_id=current.pk)


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    services.question_bank_ensure()
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(actor=request.user, text=form.cleaned_data["text"],
                                     kind=form.cleaned_data["kind"], theme=form.cleaned_data["theme"],
                                     options=form.option_list())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Question added to the bank."))
            return redirect("surveys:questions")
    context = {"form": form, "bank": selectors.question_bank(include_retired=True)}
    return render(request, "surveys/questions.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def question_retire(request: AuthedRequest, question_id: str) -> HttpResponse:
    question = access_question(request.user, question_id)
    active = request.POST.get("active") == "1"
    services.question_set_active(actor=request.user, question=question, active=active)
    messages.success(request, _("Question restored.") if active else _("Question retired from the bank."))
    return redirect("surveys:questions")


@login_required
@require_http_methods(["GET", "POST"])
def pulse_new(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = PulseForm(request.POST or None)
    form.set_audience_choices(selectors.audience_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.series_create(
                actor=request.user, title=data["title"], description=data["description"],
                anonymous=data["anonymous"], interval_days=data["interval_days"], open_days=data["open_days"],
                questions_per_round=data["questions_per_round"], include_belonging=data["include_belonging"],
                themes=data["themes"], audience=data["audience"], department_ids=data["departments"],
                location_ids=data["locations"], group_ids=data["groups"], min_group_size=data["min_group_size"],
                min_comment_group_size=data["min_comment_group_size"], first_open_at=data["first_open_at"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            services.pulse_round_open(series_id=series.pk)
            messages.success(request, _("Pulse saved. Rounds open on schedule."))
            return redirect("surveys:pulse", series_id=series.pk)
    return render(request, "surveys/pulse_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def pulse(request: AuthedRequest, series_id: str) -> HttpResponse:
    series = access_series(request.user, series_id)
    return render(request, "surveys/pulse.html", {"series": series, "trend": selectors.series_trend(series)})


@login_required
@require_POST
def pulse_active(request: AuthedRequest, series_id: str) -> HttpResponse:
    series = access_series(request.user, series_id)
    active = request.POST.get("active") == "1"
    services.series_set_active(actor=request.user, series=series, active=active)
    messages.success(request, _("Pulse resumed.") if active else _("Pulse paused: no new rounds open."))
    return redirect("surveys:pulse", series_id=series.pk)


# --- Ideas --------------------------------------------------------------------------------------


@login_required
@require_GET
def ideas(request: AuthedRequest) -> HttpResponse:
    form = IdeasFilterForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(_("Choose a sort order and a status from the lists."), code="bad_filter")
    page = selectors.ideas_page(request.user, sort=form.cleaned_data["sort"] or "top",
                                status=form.cleaned_data["status"], page_number=form.cleaned_data["page"] or 1)
    return render(request, "surveys/ideas.html", {"page": page, "form": form, "statuses": Idea.Status.choices})


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: AuthedRequest) -> HttpResponse:
    form = IdeaForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            if idea.anonymous:
                messages.success(request, _("Posted anonymously. Replies from admins will appear on “My ideas”."))
            else:
                messages.success(request, _("Your idea is on the board."))
            return redirect("surveys:idea", idea_id=idea.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "surveys/idea_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def idea(request: AuthedRequest, idea_id: str) -> HttpResponse:
    current = access_idea(request.user, idea_id)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_comment(actor=request.user, idea=current, body=form.cleaned_data["body"])
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return redirect("surveys:idea", idea_id=current.pk)
    if form.errors and status == 200:
        status = 400
    context = {"idea": current, "form": form, **selectors.idea_detail(request.user, current),
               "is_admin": is_admin(request.user), "status_form": StatusForm(initial={"status": current.status}),
               "reply_form": ReplyForm()}
    return render(request, "surveys/idea.html", context, status=status)


@login_required
@require_POST
def idea_vote(request: AuthedRequest, idea_id: str) -> HttpResponse:
    current = access_idea(request.user, idea_id)
    on = request.POST.get("vote", "1") != "0"
    updated = services.idea_vote(actor=request.user, idea=current, on=on)
    if request.htmx:
        return render(request, "surveys/partials/_vote.html", {"idea": updated, "voted": on})
    return redirect("surveys:idea", idea_id=current.pk)


@login_required
@require_POST
def idea_status(request: AuthedRequest, idea_id: str) -> HttpResponse:
    current = access_idea(request.user, idea_id)
    require_admin(request.user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Choose a status from the list."), code="invalid_choice")
    services.idea_set_status(actor=request.user, idea=current, status=form.cleaned_data["status"],
                             note=form.cleaned_data["note"])
    messages.success(request, _("Status saved."))
    return redirect("surveys:idea", idea_id=current.pk)


@login_required
@require_POST
def idea_reply(request: AuthedRequest, idea_id: str) -> HttpResponse:
    current = access_idea(request.user, idea_id)
    require_admin(request.user)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Write a reply first."), code="required")
    services.idea_comment(actor=request.user, idea=current, body=form.cleaned_data["reply"], official=True)
    messages.success(request, _("Reply sent. The author sees it, even when anonymous, without anyone learning who they are."))
    return redirect("surveys:idea", idea_id=current.pk)


@login_required
@require_GET
def ideas_mine(request: AuthedRequest) -> HttpResponse:
    return render(request, "surveys/ideas_mine.html", {"ideas": selectors.ideas_mine(request.user)})


# --- You said, we did ---------------------------------------------------------------------------


@login_required
@require_GET
def actions(request: AuthedRequest) -> HttpResponse:
    return render(request, "surveys/actions.html", {"actions": selectors.actions_for(request.user),
                                                    "is_admin": is_admin(request.user)})


@login_required
@require_GET
def action(request: AuthedRequest, action_id: str) -> HttpResponse:
    return render(request, "surveys/action.html", {"action": access_action(request.user, action_id)})


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    initial = {"survey": request.GET.get("survey") or None, "idea": request.GET.get("idea") or None}
    form = ActionForm(request.POST or None, initial=initial)
    set_choices(form.fields["survey"], [("", "—"), *Survey.objects.exclude(status=Survey.Status.DRAFT)
                                        .order_by("-created_at").values_list("pk", "title")[:200]])
    set_choices(form.fields["idea"], [("", "—"), *Idea.objects.order_by("-created_at").values_list("pk", "title")[:200]])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = access_survey_admin(request.user, data["survey"]) if data["survey"] else None
            idea = access_idea(request.user, data["idea"]) if data["idea"] else None
            published = services.action_publish(actor=request.user, title=data["title"], body=data["body"],
                                                survey=survey, idea=idea)
        except (ApplicationError, NotFound) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Published. Members see it on the survey, the idea and the home page."))
            return redirect("surveys:action", action_id=published.pk)
    return render(request, "surveys/action_form.html", {"form": form}, status=400 if form.errors else 200)
