"""Retention: accounts with no activity for `RETENTION_INACTIVE_DAYS` are warned by email
once, and deleted if still inactive `RETENTION_WARNING_DAYS` later. Activity is logging
in, being in a round's match, or giving feedback, so a member who meets every month
through email links alone is never "inactive". Organisers' (staff) accounts are never
deleted this way. Run by the scheduler's tick."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from members.mailing import bounced_addresses
from members.models import User
from members.services import member_delete

logger = logging.getLogger(__name__)
# An invitation nobody answered is kept this long after it expired (the organiser sees
# "expired" meanwhile), then deleted with the name and address an organiser uploaded;
# an uploaded list that was checked but never sent, this long after the upload.
INVITATION_KEPT_AFTER_EXPIRY = dt.timedelta(days=90)
UNSENT_LIST_KEPT = dt.timedelta(days=7)
BATCH = 200  # per tick: a first run on an old database spreads over a few ticks


def inactive_accounts(*, now: dt.datetime) -> QuerySet[User]:
    cutoff = now - dt.timedelta(days=settings.RETENTION_INACTIVE_DAYS)
    return (
        User.objects.filter(is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .exclude(last_login__gte=cutoff)
        .exclude(match_seats__pairing_round__scheduled_for__gte=cutoff.date())
        .exclude(evaluations__updated_at__gte=cutoff)
    )


def accounts_retention_due(*, now: dt.datetime) -> tuple[int, int]:
    """Warn newly inactive accounts, delete those warned long enough ago and still
    inactive, forget the warning of anyone active again. Returns (warned, deleted)."""
    inactive = inactive_accounts(now=now)
    User.objects.filter(retention_warned_at__isnull=False).exclude(
        pk__in=inactive.values("pk")
    ).update(retention_warned_at=None)
    grace = dt.timedelta(days=settings.RETENTION_WARNING_DAYS)
    deleted = 0
    for user in inactive.filter(retention_warned_at__lte=now - grace)[:BATCH]:
        member_delete(user=user)
        deleted += 1
    warned = 0
    for user in inactive.filter(retention_warned_at__isnull=True)[:BATCH]:
        warned += _warn(user, now=now, delete_on=(now + grace).date())
    if warned or deleted:
        logger.info("Retention: %d accounts warned, %d inactive accounts deleted", warned, deleted)
    return warned, deleted


def _warn(user: User, *, now: dt.datetime, delete_on: dt.date) -> bool:
    # Claimed first (a conditional UPDATE), so two ticks never warn twice; a failed send
    # gives the claim back for the next tick.
    if not User.objects.filter(pk=user.pk, retention_warned_at__isnull=True).update(
        retention_warned_at=now
    ):
        return False
    if bounced_addresses([user.email]):
        return True  # nothing reaches it; the deletion still waits the full notice
    context = {
        "site_name": settings.SITE_NAME,
        "login_url": settings.SITE_URL + reverse("account_login"),
        "export_url": settings.SITE_URL + reverse("members:data_export"),
        "delete_on": delete_on,
        "years": round(settings.RETENTION_INACTIVE_DAYS / 365, 1),
        "days": settings.RETENTION_INACTIVE_DAYS,
    }
    try:
        send_mail(
            subject=f"[{settings.SITE_NAME}] Your account will be deleted on "
            f"{delete_on.day} {delete_on:%B %Y}",
            message=render_to_string("emails/retention_warning.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        logger.exception("Retention warning to user %s failed; trying again next tick", user.pk)
        User.objects.filter(pk=user.pk).update(retention_warned_at=None)
        return False
    return True


def invitations_retention_due(*, now: dt.datetime) -> int:
    """Delete invitations that expired unanswered long ago and uploaded lists that were
    never sent. An invitation that led to an account is the member's: it goes with the
    account (`member_delete`). Returns how many rows were deleted."""
    from members.invitations.models import Invitation, InvitationImport

    gone, _ = Invitation.objects.filter(
        expires_at__lt=now - INVITATION_KEPT_AFTER_EXPIRY, signed_up_at__isnull=True
    ).delete()
    lists, _ = InvitationImport.objects.filter(
        sent_at__isnull=True, created_at__lt=now - UNSENT_LIST_KEPT
    ).delete()
    if gone or lists:
        logger.info("Retention: %d old invitations and %d unsent lists deleted", gone, lists)
    return gone + lists
