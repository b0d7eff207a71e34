"""Reading invitations and announcements: each invitation's state in one query, what an
organiser may see, and the figures other pages link to (`invitations_pending`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from members.invitations.models import Announcement, Invitation, InvitationOptOut
from members.models import BouncedEmail, EmailCategory, EmailOptOut, User
from pairing.models import Membership, MembershipStatus, OutboxEmail, OutboxKind, Programme


class State:
    SENT = "sent"
    OPENED = "opened"
    JOINED = "joined"
    BOUNCED = "bounced"
    EXPIRED = "expired"
    DECLINED = "declined"


STATE_LABELS = {
    State.SENT: "Sent",
    State.OPENED: "Opened sign-up",
    State.JOINED: "Joined",
    State.BOUNCED: "Bounced",
    State.EXPIRED: "Expired",
    State.DECLINED: "Asked not to be invited",
}
PENDING_STATES = (State.SENT, State.OPENED)


def organised_programmes(user: User) -> QuerySet[Programme]:
    """The programmes this staff user organises (a superuser: all). Anyone else: none."""
    if user.is_superuser:
        return Programme.objects.all()
    if not user.is_staff:
        return Programme.objects.none()
    return Programme.objects.filter(organisers=user)


def _joined() -> Exists:
    # Joined: the invited address's account has a membership made, or still held, since
    # the invitation (a member who left before being invited and never came back has not).
    return Exists(
        Membership.objects.annotate(address=Lower("user__email")).filter(
            Q(status__in=[MembershipStatus.ACTIVE, MembershipStatus.PAUSED])
            | Q(left_at__gte=OuterRef("created_at")),
            programme=OuterRef("programme_id"),
            address=OuterRef("email"),
        )
    )


def invitations_with_state(now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """Invitations annotated with `state` (see STATE_LABELS), `email_status` and
    `email_error` (their latest email's outbox status and reason), all in one query."""
    now = now or timezone.now()
    latest_email = OutboxEmail.objects.filter(
        kind=OutboxKind.INVITATION, ref=OuterRef("pk")
    ).order_by("-pk")
    return Invitation.objects.annotate(
        is_joined=_joined(),
        is_bounced=Exists(BouncedEmail.objects.filter(email=OuterRef("email"))),
        is_declined=Exists(InvitationOptOut.objects.filter(email_hash=OuterRef("email_hash"))),
        email_status=Subquery(latest_email.values("status")[:1]),
        email_error=Subquery(latest_email.values("last_error")[:1]),
        # Shown once they have joined (a member of the programme, named to its organisers)
        # where the invitation gave no name (walk 43: "(no name given)" beside "Joined").
        member_name=Subquery(
            User.objects.annotate(address=Lower("email"))
            .filter(address=OuterRef("email"))
            .values("profile__display_name")[:1]
        ),
    ).annotate(
        state=Case(
            When(is_joined=True, then=Value(State.JOINED)),
            When(is_bounced=True, then=Value(State.BOUNCED)),
            When(is_declined=True, then=Value(State.DECLINED)),
            When(expires_at__lte=now, then=Value(State.EXPIRED)),
            When(signed_up_at__isnull=False, then=Value(State.OPENED)),
            default=Value(State.SENT),
            output_field=CharField(),
        )
    )


def invitations_pending(programme_ids: list[int], now: dt.datetime | None = None) -> dict[int, int]:
    """Invitations still waiting for an answer (sent or opened sign-up, not expired, not
    bounced), by programme id; a programme with none is absent. One query."""
    rows = (
        invitations_with_state(now)
        .filter(programme_id__in=programme_ids, state__in=PENDING_STATES)
        .order_by()
        .values("programme_id")
        .annotate(n=Count("pk"))
    )
    return {row["programme_id"]: row["n"] for row in rows}


def invitation_counts(programme: Programme) -> dict[str, int]:
    states = invitations_with_state().filter(programme=programme).values_list("state", flat=True)
    return dict(Counter(states))


def invitation_for_link(pk: int) -> Invitation | None:
    return invitations_with_state().select_related("programme").filter(pk=pk).first()


def announcement_recipients(programme: Programme, today: dt.date | None = None) -> QuerySet[User]:
    """Active members today (a pause past its date is over), less those who stopped
    announcements."""
    today = today or timezone.localdate()
    active = Membership.objects.filter(programme=programme).filter(
        Q(status=MembershipStatus.ACTIVE)
        | Q(status=MembershipStatus.PAUSED, paused_until__lte=today)
    )
    stopped = EmailOptOut.objects.filter(user=OuterRef("pk"), category=EmailCategory.ANNOUNCEMENTS)
    return (
        User.objects.filter(pk__in=active.values("user_id"), is_active=True)
        .exclude(Exists(stopped))
        .order_by("pk")
    )


def announcements_stopped(programme: Programme, today: dt.date | None = None) -> int:
    """Active members who stopped announcements (told to the organiser beside the count)."""
    today = today or timezone.localdate()
    active = Membership.objects.filter(programme=programme).filter(
        Q(status=MembershipStatus.ACTIVE)
        | Q(status=MembershipStatus.PAUSED, paused_until__lte=today)
    )
    return EmailOptOut.objects.filter(
        user_id__in=active.values("user_id"), category=EmailCategory.ANNOUNCEMENTS
    ).count()


def announcement_list(programme: Programme) -> list[Announcement]:
    """Past announcements, newest first, each with `delivery` (sent, waiting, not sent):
    two queries whatever the count."""
    announcements = list(
        Announcement.objects.filter(programme=programme).select_related("sent_by__profile")
    )
    tally: dict[int, Counter] = defaultdict(Counter)
    rows = OutboxEmail.objects.filter(
        kind=OutboxKind.ANNOUNCEMENT, ref__in=[a.pk for a in announcements]
    ).values_list("ref", "status")
    for ref, status in rows:
        tally[ref][status] += 1
    for announcement in announcements:
        counts = tally[announcement.pk]
        announcement.delivery = {
            "sent": counts["sent"],
            "waiting": counts["pending"] + counts["sending"],
            "failed": counts["failed"],
        }
    return announcements
