"""Who can be matched in a round, and a reason in words for everyone who cannot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef

from pairing.kinds import kind_of
from pairing.models import Membership, MembershipStatus, Programme


@dataclass
class Eligibility:
    eligible: list[Membership] = field(default_factory=list)
    ineligible: list[tuple[Membership, str]] = field(default_factory=list)


def round_eligibility(
    *, programme: Programme, today: dt.date, round_on: dt.date | None = None
) -> Eligibility:
    """Split the programme's members into eligible and not, with a reason for each, as of
    `today`; a pause that ends by `round_on` (the round's own date, later) says so."""
    verified = EmailAddress.objects.filter(user=OuterRef("user_id"), verified=True)
    memberships = (
        Membership.objects.filter(programme=programme)
        .exclude(status=MembershipStatus.LEFT)
        .annotate(verified=Exists(verified))
        .select_related("user__profile", "programme")
        .order_by("user_id")
    )
    result = Eligibility()
    for membership in memberships:
        reason = _ineligible_reason(membership, today, round_on)
        if reason:
            result.ineligible.append((membership, reason))
        else:
            result.eligible.append(membership)
    return result


def _ineligible_reason(membership: Membership, today: dt.date, round_on: dt.date | None) -> str:
    profile = getattr(membership.user, "profile", None)
    if not membership.user.is_active:
        return "account deactivated"
    if not membership.verified:
        return "email address not verified"
    if profile is None or not profile.complete:
        return "profile incomplete"
    if membership.is_paused_on(today):
        until = f"paused until {membership.paused_until:%-d %B %Y}"
        if round_on is not None and not membership.is_paused_on(round_on):
            return f"{until}: back in time for this round if it runs on {round_on:%-d %B %Y}"
        return until
    if membership.skip_next_round:
        return "skipping this round"
    return kind_of(membership.programme).ineligible_reason(membership)
