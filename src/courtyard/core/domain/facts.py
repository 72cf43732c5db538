"""The vocabulary of the activity-facts ledger (docs/architecture.md, "The activity-facts ledger"), in one place.

Services record facts with these names and insights reads them, so both sides agree on what a verb
or an interaction kind means. A new capability adds its lines here. ``scope`` says which id column a
fact of that verb fills beside the member: a group, an event, a program (coffee, mentorship, team
formation, survey), or nothing.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Verb:
    key: str
    meaning: str
    contribution: bool = False  # counts towards "contributions per member"


VERBS: tuple[Verb, ...] = (
    Verb("visited", "Opened Courtyard on a day (at most one fact per member per UTC day)."),
    # groups
    Verb("created_group", "Created a group."),
    Verb("joined_group", "Joined a group."),
    Verb("posted", "Started a discussion.", contribution=True),
    Verb("asked", "Asked a question.", contribution=True),
    Verb("replied", "Replied in a discussion.", contribution=True),
    Verb("answered", "Had a reply accepted as the answer."),
    Verb("reacted", "Reacted to a post."),
    Verb("shared_resource", "Shared a resource in a group.", contribution=True),
    # events
    Verb("hosted_event", "Hosted (organized) an event occurrence."),
    Verb("rsvped", "Said they are going to an event occurrence."),
    Verb("attended", "Was checked in at an event occurrence (the truth insights use)."),
    Verb("no_show", "Said they were going but did not come."),
    Verb("gave_event_feedback", "Answered an event's feedback pulse (time coarsened when anonymous)."),
    # pairing
    Verb("joined_coffee", "Opted into a coffee program."),
    Verb("paired", "Was paired in a coffee round."),
    Verb("met", "Confirmed that a coffee pairing met."),
    Verb("joined_mentorship", "Signed up to a mentorship program (as mentor or mentee)."),
    Verb("mentoring_checkin", "Logged a mentoring check-in."),
    Verb("completed_mentorship", "Completed a mentorship."),
    Verb("joined_team", "Was placed in a cross-functional team."),
    # recognition
    Verb("gave_kudos", "Thanked someone with kudos (or added +1 to one)."),
    Verb("received_kudos", "Was thanked with kudos."),
    # surveys and ideas (never what was answered; anonymous ones only with a coarse date)
    Verb("answered_survey", "Answered a survey (the date only, never the answer)."),
    Verb("posted_idea", "Posted an idea openly (anonymous ideas record no author)."),
    Verb("voted_idea", "Voted for an idea."),
    Verb("commented_idea", "Commented on an idea.", contribution=True),
)


@dataclasses.dataclass(frozen=True)
class InteractionKind:
    key: str
    meaning: str
    tie: bool = True  # counts as a tie in the silo map


INTERACTION_KINDS: tuple[InteractionKind, ...] = (
    InteractionKind("reply", "Replied to someone's discussion or reply."),
    InteractionKind("reaction", "Reacted to someone's post.", tie=False),
    InteractionKind("co_attendance", "Both attended the same small event occurrence (one row per pair, both ways)."),
    InteractionKind("coffee_met", "A coffee pairing that met (one row per pair, both ways)."),
    InteractionKind("kudos", "Thanked someone with kudos."),
    InteractionKind("mentoring_checkin", "A mentoring check-in between mentor and mentee."),
    InteractionKind("teammates", "Placed in the same cross-functional team.", tie=False),
    InteractionKind("buddy_met", "A newcomer and their buddy said they met (one row per pair, both ways)."),
)

VERB_KEYS = frozenset(verb.key for verb in VERBS)
INTERACTION_KEYS = frozenset(kind.key for kind in INTERACTION_KINDS)
CONTRIBUTION_VERBS = frozenset(verb.key for verb in VERBS if verb.contribution)
TIE_KINDS = frozenset(kind.key for kind in INTERACTION_KINDS if kind.tie)
