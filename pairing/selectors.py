"""Read-only queries shared by views."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from members.models import User
from pairing.models import Membership, MembershipStatus


def memberships_for_dashboard(*, user: User, today: dt.date) -> list[Membership]:
    memberships = list(
        Membership.objects.filter(user=user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("programme")
    )
    for membership in memberships:
        membership.current_status = membership.effective_status(today)
    return memberships


def membership_of(*, user: User, pk: int) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, pk=pk).select_related("programme")
