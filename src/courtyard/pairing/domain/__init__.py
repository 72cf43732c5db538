"""The matching engine: coffee rounds, mentorship cohorts and cross-functional teams, as pure functions.

Import from here; the plain data types are in ``types``.
"""

from courtyard.pairing.domain.baselines import baseline_coffee, baseline_deferred_acceptance
from courtyard.pairing.domain.coffee import coffee_evaluate, coffee_round
from courtyard.pairing.domain.mentorship import mentorship_assign
from courtyard.pairing.domain.scoring import (
    coffee_pair_blocker,
    coffee_pair_score,
    mentorship_pair_blocker,
    mentorship_pair_score,
)
from courtyard.pairing.domain.teams import teams_evaluate, teams_form

__all__ = [
    "baseline_coffee",
    "baseline_deferred_acceptance",
    "coffee_evaluate",
    "coffee_pair_blocker",
    "coffee_pair_score",
    "coffee_round",
    "mentorship_assign",
    "mentorship_pair_blocker",
    "mentorship_pair_score",
    "teams_evaluate",
    "teams_form",
]
