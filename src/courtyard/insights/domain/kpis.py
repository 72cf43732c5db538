"""The catalogue of KPIs: one key per figure, shared by the pages, the API, goals and CSV exports."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str  # count, share, per_member, hours, days
    rising: bool  # higher is better
    help: str


KPIS: tuple[Kpi, ...] = (
    Kpi("active_members", "Active members", "count", True,
        "People who opened Courtyard or took part in anything during the period."),
    Kpi("weekly_active", "Weekly active members", "count", True,
        "Distinct active people per calendar week, averaged over the weeks that start in the period."),
    Kpi("monthly_active", "Monthly active members", "count", True,
        "Distinct active people per calendar month, averaged over the months that start in the period."),
    Kpi("participation_rate", "Participation rate", "share", True,
        "Share of the scope's members who took part in anything (posted, replied, reacted, attended, met, …)."),
    Kpi("event_participation", "Event participation", "share", True,
        "Share of the scope's members who were checked in at an event."),
    Kpi("rsvp_conversion", "RSVP → attendance", "share", True,
        "Of the people who said they were going to an event held in the period, the share who came."),
    Kpi("contributions_per_member", "Contributions per active member", "per_member", True,
        "Discussions, questions, replies, shared resources and idea comments, per active member."),
    Kpi("reply_rate", "Reply rate", "share", True,
        "Share of discussions started in the period that got a reply from someone else."),
    Kpi("time_to_first_reply", "Median time to first reply", "hours", False,
        "Median hours from a discussion to its first reply by someone else."),
    Kpi("recognition_reach", "Recognition reach", "share", True,
        "Share of the scope's members who were thanked with kudos."),
    Kpi("recognition_givers", "Members who recognized someone", "share", True,
        "Share of the scope's members who thanked someone with kudos."),
    Kpi("coffee_meeting_rate", "Coffee meeting rate", "share", True,
        "Of the people paired for coffee, the share who confirmed they met."),
    Kpi("mentorship_completion", "Mentorship completion", "share", True,
        "Completed mentorships per sign-up, to the end of the period."),
    Kpi("survey_participation", "Survey participation", "share", True,
        "Share of the scope's members who answered a survey (who answered, never what)."),
    Kpi("newcomer_days_to_cross", "Newcomers: days to a first cross-department tie", "days", False,
        "Median days from a newcomer's start to their first interaction with another department."),
    Kpi("newcomer_connected_30", "Newcomers with 3+ cross-department ties by day 30", "share", True,
        "Of the newcomers who started in the period and are 30 days in."),
    Kpi("newcomer_connected_60", "Newcomers with 3+ cross-department ties by day 60", "share", True,
        "Of the newcomers who started in the period and are 60 days in."),
    Kpi("newcomer_connected_90", "Newcomers with 3+ cross-department ties by day 90", "share", True,
        "Of the newcomers who started in the period and are 90 days in."),
    Kpi("cross_department_ei", "Cross-department E-I index", "index", True,
        "(ties across departments − ties inside) / all ties: −1 all inside, +1 all across."),
)

BY_KEY = {kpi.key: kpi for kpi in KPIS}
GOAL_KPIS = tuple(kpi for kpi in KPIS if kpi.key not in ("weekly_active", "monthly_active"))


def format_value(unit: str, value: float | None) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f} %"
    if unit == "count":
        return f"{value:,.0f}"
    if unit in ("hours", "days"):
        return f"{value:.1f} {unit}"
    if unit == "index":
        return f"{value:+.2f}"
    return f"{value:.2f}"
