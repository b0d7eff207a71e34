"""Email that reaches inboxes: which categories a member has stopped (one-click
unsubscribe, RFC 8058), and which addresses bounced or complained. The outbox asks these
before sending; providers' webhooks (django-anymail's `tracking` signal) and permanent
SMTP refusals record bounces here."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.headers import ListHeader
from members.invitations.mailing import email_hash
from members.invitations.models import InvitationOptOut
from members.models import BouncedEmail, BounceKind, EmailCategory, EmailOptOut, User

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "members.unsubscribe"
# Long enough for an old email in an archive; after that the member's email settings
# page (behind login) does the same.
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=365)
RECHECK_SALT = "members.email-recheck"
RECHECK_MAX_AGE = dt.timedelta(days=3)


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": str(category)}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str]:
    """The member and category a token names. Raises `signing.BadSignature` (tampered,
    `SignatureExpired` when too old) or `User.DoesNotExist` (account deleted)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or data.get("c") not in EmailCategory.values:
        raise signing.BadSignature("unknown category")
    return User.objects.get(pk=data.get("u")), data["c"]


def unsubscribe_url(*, user_id: int, category: str) -> str:
    token = unsubscribe_token(user_id=user_id, category=category)
    return settings.SITE_URL + reverse("email:unsubscribe", args=[token])


def unsubscribe_headers(*, user_id: int, category: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: the signed one-click URL (a POST stops the category
    without login) and a mailto the organisers can act on by hand."""
    url = unsubscribe_url(user_id=user_id, category=category)
    # The organisers read this subject: the sender's address says who, the category's
    # name what (never a database id, walk 22).
    subject = quote(f"Unsubscribe me from {EmailCategory(category).label}")
    return {
        "List-Unsubscribe": ListHeader(
            "List-Unsubscribe",
            [f"<{url}>", f"<mailto:{settings.ORGANISERS_EMAIL}?subject={subject}>"],
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_opt_out(*, user: User, category: str) -> None:
    EmailOptOut.objects.get_or_create(user=user, category=category)


def email_opt_in(*, user: User, category: str) -> None:
    EmailOptOut.objects.filter(user=user, category=category).delete()


@transaction.atomic
def email_preferences_set(*, user: User, stopped: set[str]) -> None:
    """Stop exactly the categories in `stopped` (the member's settings page)."""
    EmailOptOut.objects.filter(user=user).exclude(category__in=stopped).delete()
    for category in stopped:
        email_opt_out(user=user, category=category)


def stopped_categories(user_id: int) -> set[str]:
    return set(EmailOptOut.objects.filter(user_id=user_id).values_list("category", flat=True))


def bounced_addresses(emails: list[str]) -> dict[str, BouncedEmail]:
    found = BouncedEmail.objects.filter(email__in=[e.lower() for e in emails])
    return {bounce.email: bounce for bounce in found}


def bounce_for(user: User) -> BouncedEmail | None:
    return BouncedEmail.objects.filter(email=user.email.lower()).first()


def bounce_record(
    *, email: str, kind: str, detail: str, source: str, now: dt.datetime | None = None
) -> BouncedEmail:
    """Stop all email to `email` until its owner fixes or re-confirms it."""
    bounce, _ = BouncedEmail.objects.update_or_create(
        email=email.strip().lower(),
        defaults={
            "kind": kind,
            "detail": detail[:500],
            "source": source[:40],
            "bounced_at": now or timezone.now(),
        },
    )
    logger.warning("Email to %s %s (%s): %s", bounce.email, kind, source, detail[:200])
    return bounce


def bounce_clear(*, email: str) -> bool:
    return BouncedEmail.objects.filter(email=email.strip().lower()).delete()[0] > 0


def recheck_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=RECHECK_SALT)


def recheck_read(token: str) -> User:
    """The member whose current address a re-confirm link proves works. Raises
    `signing.BadSignature` or `User.DoesNotExist` (also when the address changed since)."""
    data = signing.loads(token, salt=RECHECK_SALT, max_age=RECHECK_MAX_AGE)
    if not isinstance(data, dict):
        raise signing.BadSignature("bad payload")
    return User.objects.get(pk=data.get("u"), email__iexact=data.get("e"))


def tracking_received(sender: object, event: object, esp_name: str, **kwargs: object) -> None:
    """django-anymail's `tracking` signal (a provider's webhook, already authenticated):
    permanent bounces, rejections and spam complaints stop email to the address; the
    provider's own unsubscribe stops every category for the member."""
    from anymail.signals import EventType, RejectReason

    recipient = (getattr(event, "recipient", None) or "").strip()
    if not recipient:
        return
    detail = getattr(event, "mta_response", None) or getattr(event, "description", None) or ""
    when = getattr(event, "timestamp", None) or timezone.now()
    # A rejection is the provider refusing to send: the address's fault only when it
    # bounced before or is invalid (not, say, a sending limit).
    refused = event.event_type == EventType.REJECTED and getattr(event, "reject_reason", None) in (
        RejectReason.BOUNCED,
        RejectReason.INVALID,
    )
    if event.event_type == EventType.BOUNCED or refused:
        bounce_record(
            email=recipient, kind=BounceKind.BOUNCED, detail=detail, source=esp_name, now=when
        )
    elif event.event_type == EventType.COMPLAINED:
        bounce_record(
            email=recipient, kind=BounceKind.COMPLAINED, detail=detail, source=esp_name, now=when
        )
    elif event.event_type == EventType.UNSUBSCRIBED:
        for user in User.objects.filter(email__iexact=recipient):
            for category in EmailCategory.values:
                email_opt_out(user=user, category=category)
        # Someone with no account unsubscribes from an invitation: never invite them again.
        InvitationOptOut.objects.get_or_create(email_hash=email_hash(recipient))


def address_confirmed(sender: object, email_address: object, **kwargs: object) -> None:
    """allauth's `email_confirmed`: a confirmed address evidently receives email."""
    bounce_clear(email=getattr(email_address, "email", ""))
