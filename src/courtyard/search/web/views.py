from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from courtyard.accounts.http import AuthedRequest
from courtyard.core.htmx import render_page
from courtyard.search import selectors

KINDS = [("", _("Everything")), ("person", _("People")), ("group", _("Groups")), ("thread", _("Discussions")),
         ("post", _("Replies")), ("resource", _("Library"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=KINDS)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


@login_required
@require_GET
def search_page(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render_page(request, "search/search.html", "search/_results.html",
                           {"form": form, "kinds": KINDS, "result": None}, status=400)
    data = form.cleaned_data
    result = selectors.search(request.user, data["q"], kind=data["kind"] if data["kind"] != "person" else "person",
                              page_number=data["page"] or 1)
    if data["kind"] == "person":
        result["page"] = None
    context = {"form": form, "kinds": KINDS, "result": result, "kind": data["kind"], "q": data["q"]}
    return render_page(request, "search/search.html", "search/_results.html", context)
