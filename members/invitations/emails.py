"""Outbox renderers: an invitation (to an address with no account) and an announcement
(to one member). Registered when the members app is ready."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from members.invitations.mailing import invite_url
from members.invitations.models import Announcement, Invitation
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox.render import renderer


def _organiser_name(user: object) -> str:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.display_name if profile and profile.display_name else ""


@renderer(OutboxKind.INVITATION)
def invitation_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    invitation = Invitation.objects.select_related("programme", "invited_by__profile").get(
        pk=outbox.ref
    )
    programme = invitation.programme
    context = {
        "name": invitation.name,
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
