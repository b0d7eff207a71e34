"""Every write about programmes and memberships (rounds come later in this module)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import User
from pairing.models import Membership, MembershipStatus, Programme


class MembershipError(Exception):
    """A membership change that cannot be made; the message is shown to the member."""


@transaction.atomic
def membership_join(
    *,
    user: User,
    programme: Programme,
    mentoring_role: str = "",
    accept_ground_rules: bool = False,
    now: dt.datetime | None = None,
) -> Membership:
    """Join (or rejoin after leaving). Only ever called from the member's own action."""
    now = now or timezone.now()
    if not programme.signup_open:
        raise MembershipError("Sign-up for this programme is closed.")
    if programme.is_mentoring and not mentoring_role:
        raise MembershipError("Say whether you offer mentoring or seek a mentor.")
    if programme.ground_rules and not accept_ground_rules:
        raise MembershipError("Please accept the ground rules to join.")
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=user, programme=programme
    )
    membership.status = MembershipStatus.ACTIVE
    membership.paused_until = None
    membership.skip_next_round = False
    membership.left_at = None
    membership.mentoring_role = mentoring_role if programme.is_mentoring else ""
    if programme.ground_rules:
        membership.ground_rules_accepted_at = now
    membership.save()
    return membership


def membership_leave(*, membership: Membership, now: dt.datetime | None = None) -> Membership:
    membership.status = MembershipStatus.LEFT
    membership.paused_until = None
    membership.skip_next_round = False
    membership.left_at = now or timezone.now()
    membership.save(update_fields=["status", "paused_until", "skip_next_round", "left_at"])
    return membership


def membership_pause(
    *, membership: Membership, until: dt.date, today: dt.date | None = None
) -> Membership:
    """Pause until a date; from that date the member is matched again by itself."""
    today = today or timezone.localdate()
    if until <= today:
        raise MembershipError("Choose a date after today.")
    if until > today + dt.timedelta(days=366):
        raise MembershipError("You can pause for up to a year. Choose an earlier date.")
    if membership.status == MembershipStatus.LEFT:
        raise MembershipError("You have left this programme.")
    membership.status = MembershipStatus.PAUSED
    membership.paused_until = until
    membership.save(update_fields=["status", "paused_until"])
    return membership


def membership_resume(*, membership: Membership) -> Membership:
    if membership.status == MembershipStatus.PAUSED:
        membership.status = MembershipStatus.ACTIVE
        membership.paused_until = None
        membership.save(update_fields=["status", "paused_until"])
    return membership


def membership_skip_next_round(*, membership: Membership, skip: bool) -> Membership:
    membership.skip_next_round = skip
    membership.save(update_fields=["skip_next_round"])
    return membership


def memberships_resume_due(*, today: dt.date) -> int:
    """Flip pauses whose date has come back to active; returns how many."""
    return Membership.objects.filter(
        status=MembershipStatus.PAUSED, paused_until__lte=today
    ).update(status=MembershipStatus.ACTIVE, paused_until=None)
