"""Invitations are not kept for ever: an unanswered one goes 90 days after it expired, an
uploaded list that was never sent goes after a week, and an account's deletion takes the
invitations sent to its address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.invitations.models import Invitation, InvitationImport
from members.retention import invitations_retention_due
from members.services import member_delete
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invitation(programme, email, *, expired_days_ago, signed_up=False):
    now = timezone.now()
    return Invitation.objects.create(
        programme=programme,
        email=email,
        name="Ada",
        expires_at=now - dt.timedelta(days=expired_days_ago),
        signed_up_at=now if signed_up else None,
    )


def test_old_unanswered_invitations_and_unsent_lists_are_deleted():
    programme = ProgrammeFactory()
    old = _invitation(programme, "old@example.org", expired_days_ago=91)
    recent = _invitation(programme, "recent@example.org", expired_days_ago=89)
    joined = _invitation(programme, "joined@example.org", expired_days_ago=400, signed_up=True)
    stale = InvitationImport.objects.create(programme=programme, rows=[{"email": "x@y.org"}])
    InvitationImport.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    fresh = InvitationImport.objects.create(programme=programme, rows=[{"email": "x@y.org"}])

    assert invitations_retention_due(now=timezone.now()) == 2

    left = set(Invitation.objects.values_list("pk", flat=True))
    assert left == {recent.pk, joined.pk} and old.pk not in left
    assert list(InvitationImport.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_deleting_an_account_deletes_the_invitations_to_its_address():
    programme = ProgrammeFactory()
    user = UserFactory(email="ada@example.org")
    _invitation(programme, "ada@example.org", expired_days_ago=-10, signed_up=True)
    other = _invitation(programme, "grace@example.org", expired_days_ago=-10)

    member_delete(user=user)

    assert list(Invitation.objects.values_list("pk", flat=True)) == [other.pk]
