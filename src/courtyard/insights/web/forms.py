"""Parsing the insights pickers (scope, period) and the goal form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.errors import ApplicationError
from courtyard.core.web.forms import CleanForm
from courtyard.insights.access import Scope, Viewer, access_scope
from courtyard.insights.domain import kpis

# The scope picker's lists (selectors.scope_options), each with the kind its values carry and its heading.
SCOPE_LISTS = (
    ("departments", "dept", gettext_lazy("Departments")),
    ("locations", "location", gettext_lazy("Locations")),
    ("groups", "group", gettext_lazy("Groups")),
    ("series", "series", gettext_lazy("Event series")),
    ("programs", "program", gettext_lazy("Programs")),
)
SCOPE_KIND_LABELS = {"org": gettext_lazy("Organization"), "dept": gettext_lazy("Department"),
                     "location": gettext_lazy("Location"), "group": gettext_lazy("Group"),
                     "series": gettext_lazy("Event series"), "program": gettext_lazy("Program")}


def scope_choices(options: Mapping[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scope picker's options as headed lists of ("kind:id", name); the organization comes first, unheaded."""
    choices: list[tuple[str, list[tuple[str, str]]]] = []
    if options["org"]:
        choices.append(("", [("org", _("The whole organization"))]))
    for key, kind, heading in SCOPE_LISTS:
        if options[key]:
            choices.append((str(heading), [(f"{kind}:{pk}", str(name)) for pk, name in options[key]]))
    return choices


class GoalForm(CleanForm):
    metric = forms.ChoiceField(label=gettext_lazy("KPI"), choices=[(k.key, k.label) for k in kpis.GOAL_KPIS],
                               widget=forms.Select(attrs={"class": "form-select"}))
    scope = forms.CharField(label=gettext_lazy("For"), max_length=40, initial="org")
    period_kind = forms.ChoiceField(
        label=gettext_lazy("Measured per"),
        choices=[("month", gettext_lazy("Month")), ("quarter", gettext_lazy("Quarter")), ("week", gettext_lazy("Week"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    target = forms.FloatField(
        label=gettext_lazy("Target"), help_text=gettext_lazy("Shares in percent (60 for 60 %); other KPIs in their unit."),
        min_value=-100, max_value=10_000_000,
    )
    due = forms.DateField(label=gettext_lazy("By"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_scope(self) -> Scope:
        """The scope as access_scope sees it: one the viewer may open, with its real name; a bad, missing or
        foreign id is refused like any other input (the same message whether it exists or not)."""
        kind, _sep, scope_id = self.cleaned_data["scope"].partition(":")
        try:
            return access_scope(self.viewer, kind, scope_id or 0)
        except ApplicationError:
            raise forms.ValidationError(
                _("Choose the organization or a department, location, group, event series or program from the list."),
                code="invalid_scope",
            ) from None

    def target_value(self) -> float:
        """The target in the KPI's own unit: percent becomes a share."""
        kpi = kpis.BY_KEY[self.cleaned_data["metric"]]
        target = float(self.cleaned_data["target"])
        return target / 100 if kpi.unit == "share" else target
