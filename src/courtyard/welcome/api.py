"""The newcomer journey API: the member's own checklist, and buddy pairings (read; change for managers and
admins). Thin handlers over access, services and selectors."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema

from courtyard.accounts.http import ApiRequest
from courtyard.core import clock
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.core.schemas import DbId, InputSchema, PersonRef
from courtyard.people.domain.directory import is_newcomer
from courtyard.people.models import Profile
from courtyard.welcome import selectors, services
from courtyard.welcome.access import access_buddying, actor_profile, can_change_buddy
from courtyard.welcome.models import Buddying, Journey

router = Router()


class StepOut(Schema):
    key: str
    done: bool
    optional: bool


class JourneyOut(Schema):
    newcomer: bool
    dismissed: bool = False
    done: int = 0
    total: int = 0
    steps: list[StepOut] = Field(default_factory=list)
    buddying_id: int | None = None
    buddy: PersonRef | None = None


class BuddyingOut(Schema):
    id: int
    newcomer: PersonRef
    buddy: PersonRef
    why: str
    buddy_steps: list[StepOut]
    may_change: bool


class BuddyChangeIn(InputSchema):
    buddy_id: DbId


def _person(profile: Profile) -> dict[str, Any]:
    return {"id": profile.pk, "display_name": profile.display_name}


def _buddying_out(request: ApiRequest, buddying: Buddying) -> dict[str, Any]:
    checklist = selectors.buddy_checklist(buddying)
    return {
        "id": buddying.pk, "newcomer": _person(buddying.newcomer), "buddy": _person(buddying.buddy),
        "why": buddying.why, "may_change": can_change_buddy(request.auth, buddying),
        "buddy_steps": [{"key": s.key, "done": s.done, "optional": s.optional} for s in checklist.steps],
    }


@router.get("/me", response=JourneyOut, summary="Your own newcomer checklist (progress from what you did)")
def journey_me(request: ApiRequest) -> dict[str, Any]:
    me = actor_profile(request.auth)
    today = clock.now().date()
    if not is_newcomer(me.start_date, today, selectors.newcomer_days()):
        return {"newcomer": False}
    journey = Journey.objects.filter(profile=me).first()
    overview = selectors.journey_overview(me, journey=journey, today=today)
    checklist, buddying = overview["checklist"], overview["buddying"]
    return {
        "newcomer": True, "dismissed": overview["dismissed"], "done": checklist.done, "total": checklist.total,
        "steps": [{"key": s.key, "done": s.done, "optional": s.optional} for s in checklist.steps],
        "buddying_id": buddying.pk if buddying else None, "buddy": _person(buddying.buddy) if buddying else None,
    }


@router.get("/buddies/{buddying_id}", response=BuddyingOut, summary="A buddy pairing (the two of them, the manager, admins)")
def buddying_detail(request: ApiRequest, buddying_id: int) -> dict[str, Any]:
    return _buddying_out(request, access_buddying(request.auth, buddying_id))


@router.put("/buddies/{buddying_id}", response=BuddyingOut, summary="Change the buddy (the newcomer's manager, admins)")
def buddying_change(request: ApiRequest, buddying_id: int, payload: BuddyChangeIn) -> dict[str, Any]:
    buddying = access_buddying(request.auth, buddying_id)
    if not can_change_buddy(request.auth, buddying):
        raise PermissionDenied("Only the newcomer's manager or a community admin can change their buddy.")
    buddy = Profile.objects.filter(pk=payload.buddy_id).first()
    if buddy is None:
        raise ApplicationError("No such person in the directory.", code="unknown_person")
    changed = services.buddy_change(actor=request.auth, buddying=buddying, buddy=buddy)
    return _buddying_out(request, access_buddying(request.auth, changed.pk))
