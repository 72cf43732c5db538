"""The home page: it combines groups (the feed, unanswered questions), people (newcomers, shared interests) and
welcome (a newcomer's checklist)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from courtyard.accounts.http import AuthedRequest
from courtyard.core.htmx import render_page
from courtyard.core.pagination import cursor_checked
from courtyard.groups.selectors import home_feed, unanswered_questions
from courtyard.people.selectors import home_overview
from courtyard.welcome.selectors import welcome_card


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The home page: the feed from the member's groups and the people they follow, questions waiting for an
    answer, newcomers and people with shared interests. With ?cursor=, the next page of the feed (htmx)."""
    cursor = request.GET.get("cursor") or None
    with cursor_checked():
        feed = home_feed(request.user, cursor=cursor)
    if cursor:
        return render_page(request, "site/home.html", "site/_feed_items.html", {"feed": feed, "more_only": True})
    overview = home_overview(request.user)
    context = {**overview, "feed": feed, "unanswered": unanswered_questions(request.user),
               "welcome_card": welcome_card(request.user, profile=overview["profile"])}
    return render(request, "site/home.html", context)
