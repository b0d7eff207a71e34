"""Outbox renderers: an invitation (to an address with no account) and an announcement
(to one member). Registered when the members app is ready."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from members.invitations.mailing import invite_url
from members.invitations.models import Announcement, Invitation
from members.models import User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox.render import renderer


def _account_name(address: str) -> str | None:
    """The name of the account the address belongs to (its login or another of its
    addresses), "" for an account without one; None when no account has the address."""
    user = User.objects.filter(email__iexact=address).select_related("profile").first()
    if user is None:
        other = EmailAddress.objects.filter(email__iexact=address).select_related("user__profile")
        user = getattr(other.first(), "user", None)
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else ""


def _organiser_name(user: object) -> str:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.display_name if profile and profile.display_name else ""


@renderer(OutboxKind.INVITATION)
def invitation_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    invitation = Invitation.objects.select_related("programme", "invited_by__profile").get(
        pk=outbox.ref
    )
    programme = invitation.programme
    # Someone with an account is greeted by the name they chose, not the one on the list.
    account_name = _account_name(outbox.address)
    context = {
        # The second email of an invitation is the organiser's one reminder.
        "reminder": not outbox.key.endswith(":1"),
        "invited_at": invitation.created_at,
        "name": invitation.name if account_name is None else account_name,
        "has_account": account_name is not None,
        "programme": programme,
        "organiser": _organiser_name(invitation.invited_by),
        "invite_url": invite_url(invitation_id=invitation.pk),
        "expires_at": invitation.expires_at,
        "programme_url": settings.SITE_URL
        + reverse("pairing:programme_detail", args=[programme.slug]),
    }
    return "invitation", [outbox.address], context, []


@renderer(OutboxKind.ANNOUNCEMENT)
def announcement_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    announcement = Announcement.objects.select_related("programme", "sent_by__profile").get(
        pk=outbox.ref
    )
    user = outbox.user
    profile = getattr(user, "profile", None)
    context = {
        "name": profile.display_name if profile else "",
        "announcement": announcement,
        "programme": announcement.programme,
        "organiser": _organiser_name(announcement.sent_by),
        "programme_url": settings.SITE_URL
        + reverse("pairing:programme_detail", args=[announcement.programme.slug]),
        "dashboard_url": settings.SITE_URL + reverse("members:dashboard"),
    }
    return "announcement", [user.email], context, []
