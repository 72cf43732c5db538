"""Writes for pairing: programs, sign-ups, coffee rounds, mentorship cohorts and team formations.

Each write checks permission, validates before saving, runs in one transaction, records the audit log
and the activity facts insights need (core/domain/facts.py), and tells people through ``notify``.
The matching itself is the engine's (``courtyard.pairing.domain``); here rows become its plain data
and its results become rows.

The writes are split by kind of program; callers import them from here (``from courtyard.pairing import
services``), whichever module holds them:

- ``programs``: starting a program, its settings, pausing, resuming or closing it;
- ``signups``: joining, withdrawing, snoozing, and one's private never-pair list;
- ``coffee``: running a round (once), the rounds due, "did you meet?" and its answer;
- ``mentorship``: the cohort's assignment, review and publication, and what a pair does afterwards;
- ``teams``: the split of a pool into teams, adjustments, publication and a team's group;
- ``_common``: the private helpers the others share.
"""

from __future__ import annotations

from courtyard.pairing.services.coffee import (
    FOLLOW_UP_AFTER,
    HISTORY_ROUNDS,
    coffee_follow_ups_send,
    coffee_outcome_set,
    coffee_round_run,
    coffee_round_run_now,
    coffee_rounds_due,
    coffee_time_suggest,
)
from courtyard.pairing.services.mentorship import (
    MENTORSHIP_WEIGHT_FIELDS,
    checkin_add,
    mentorship_complete,
    mentorship_inputs,
    mentorship_match_lock,
    mentorship_match_swap,
    mentorship_progress_set,
    mentorship_publish,
    mentorship_rematch_request,
    mentorship_run,
    pulse_answer,
    pulse_phases,
)
from courtyard.pairing.services.programs import (
    SETTINGS_FIELDS,
    TENURES,
    program_create,
    program_set_status,
    program_update,
)
from courtyard.pairing.services.signups import (
    MAX_SNOOZE,
    cross_side,
    do_not_pair_add,
    do_not_pair_remove,
    signup_join,
    signup_snooze,
    signup_withdraw,
)
from courtyard.pairing.services.teams import (
    team_group_create,
    team_member_move,
    team_request_add,
    team_request_remove,
    teams_publish,
    teams_run,
)

__all__ = [
    "FOLLOW_UP_AFTER",
    "HISTORY_ROUNDS",
    "MAX_SNOOZE",
    "MENTORSHIP_WEIGHT_FIELDS",
    "SETTINGS_FIELDS",
    "TENURES",
    "checkin_add",
    "coffee_follow_ups_send",
    "coffee_outcome_set",
    "coffee_round_run",
    "coffee_round_run_now",
    "coffee_rounds_due",
    "coffee_time_suggest",
    "cross_side",
    "do_not_pair_add",
    "do_not_pair_remove",
    "mentorship_complete",
    "mentorship_inputs",
    "mentorship_match_lock",
    "mentorship_match_swap",
    "mentorship_progress_set",
    "mentorship_publish",
    "mentorship_rematch_request",
    "mentorship_run",
    "program_create",
    "program_set_status",
    "program_update",
    "pulse_answer",
    "pulse_phases",
    "signup_join",
    "signup_snooze",
    "signup_withdraw",
    "team_group_create",
    "team_member_move",
    "team_request_add",
    "team_request_remove",
    "teams_publish",
    "teams_run",
]
