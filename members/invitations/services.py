"""Every write for invitations and announcements: checking an import, sending it once,
resending once, an invitee's sign-up and "never invite me again", announcing."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from members.invitations.mailing import email_hash, email_normalise, expiry_days, opted_out
from members.invitations.models import (
    Announcement,
    Invitation,
    InvitationImport,
    InvitationOptOut,
)
from members.invitations.reading import Reading
from members.invitations.selectors import announcement_recipients
from members.models import BouncedEmail, User
from members.services import profile_for, profile_update
from pairing.models import Membership, MembershipStatus, OutboxEmail, OutboxKind, Programme
from pairing.outbox.queue import outbox_queue

CHUNK = 1000


class InvitationError(ValueError):
    """Refused in words, e.g. a resend of an invitation already resent."""


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def _blockers(programme: Programme, emails: list[str]) -> dict[str, str]:
    """Why each of these addresses must not be invited to this programme now."""
    why: dict[str, str] = {}
    for chunk in _chunks(emails):
        members = Membership.objects.filter(programme=programme).exclude(
            status=MembershipStatus.LEFT
        )
        for address in (
            members.annotate(address=Lower("user__email"))
            .filter(address__in=chunk)
            .values_list("address", flat=True)
        ):
            why[address] = "Already a member of this programme."
    # Asking never to be invited outweighs an earlier invitation (often the one declined).
    for address in opted_out(emails):
        why.setdefault(address, "Asked never to be invited.")
    for chunk in _chunks(emails):
        for address, created in Invitation.objects.filter(
            programme=programme, email__in=chunk
        ).values_list("email", "created_at"):
            why.setdefault(address, f"Already invited on {created:%-d %B %Y}.")
        for address in BouncedEmail.objects.filter(email__in=chunk).values_list("email", flat=True):
            why.setdefault(address, "Email to this address bounced before.")
    return why


def _with_accounts(emails: list[str]) -> set[str]:
    """Which of these addresses someone can already log in with."""
    found: set[str] = set()
    for chunk in _chunks(emails):
        found.update(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=chunk)
            .values_list("address", flat=True)
        )
        found.update(
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=chunk)
            .values_list("address", flat=True)
        )
    return found


def invitation_import_create(
    *, programme: Programme, reading: Reading, source: str, by: User
) -> InvitationImport:
    """Keep what was read, with the database's checks added, for the organiser to look at
    before anything is sent."""
    emails = [row["email"] for row in reading.rows]
    why = _blockers(programme, emails)
    accounts = _with_accounts([email for email in emails if email not in why])
    rows, problems = [], list(reading.problems)
    for row in reading.rows:
        if row["email"] in why:
            text = ", ".join(v for v in (row["name"], row["email"]) if v)
            problems.append({"row": row["row"], "text": text, "problem": why[row["email"]]})
            continue
        if row["email"] in accounts:
            known = "Has an account (will be asked to log in)."
            row = {**row, "note": " ".join(n for n in (known, row["note"]) if n)}
        rows.append(row)
    problems.sort(key=lambda p: p["row"])
    return InvitationImport.objects.create(
        programme=programme, created_by=by, source=source[:200], rows=rows, problems=problems
    )


def _invitation_email(invitation: Invitation, number: int) -> OutboxEmail:
    return OutboxEmail(
        key=f"invitation:{invitation.pk}:{number}",
        kind=OutboxKind.INVITATION,
        address=invitation.email,
        ref=invitation.pk,
    )


@transaction.atomic
def invitation_import_send(
    *, invitation_import: InvitationImport, by: User, now: dt.datetime | None = None
) -> int:
    """Invite every row of the import, once (a second press finds it sent: 0). Rows that
    became members, were invited or asked not to be since the check are left out."""
    now = now or timezone.now()
    if not invitation_import.programme.signup_open:
        raise InvitationError(
            "Sign-up for this programme is closed, so nobody could join: open it first."
        )
    claimed = InvitationImport.objects.filter(pk=invitation_import.pk, sent_at__isnull=True).update(
        sent_at=now
    )
    if not claimed:
        return 0
    programme = invitation_import.programme
    why = _blockers(programme, [row["email"] for row in invitation_import.rows])
    expires = now + dt.timedelta(days=expiry_days())
    invitations = [
        Invitation(
            programme=programme,
            email=row["email"],
            email_hash=email_hash(row["email"]),
            name=row["name"],
            organisation=row["organisation"],
            sector=row["sector"],
            region=row["region"],
            invited_by=by,
            expires_at=expires,
        )
        for row in invitation_import.rows
        if row["email"] not in why
    ]
    # Another organiser may have invited one of them a moment ago: their row stands, and
    # its email's key (invitation:<id>:1) is already in the outbox, so nobody gets two.
    Invitation.objects.bulk_create(invitations, batch_size=CHUNK, ignore_conflicts=True)
    emails = [invitation.email for invitation in invitations]
    invitations = [
        invitation
        for chunk in _chunks(emails)
        for invitation in Invitation.objects.filter(programme=programme, email__in=chunk)
    ]
    outbox_queue([_invitation_email(invitation, 1) for invitation in invitations])
    # The list has done its job: the invitations hold who was invited, and the rows left
    # out (an address that asked never to be invited among them) are not kept.
    InvitationImport.objects.filter(pk=invitation_import.pk).update(
        sent_count=len(invitations), rows=[], problems=[]
    )
    return len(invitations)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """Send the invitation once more, with a fresh link and expiry. Only once."""
    now = now or timezone.now()
    if invitation.state not in ("sent", "expired"):
        raise InvitationError("Only an invitation with no answer yet can be sent again.")
    resent = Invitation.objects.filter(pk=invitation.pk, resent_at__isnull=True).update(
        resent_at=now, expires_at=now + dt.timedelta(days=expiry_days())
    )
    if not resent:
        raise InvitationError("This invitation has been sent again already (once is the limit).")
    outbox_queue([_invitation_email(invitation, 2)])
    invitation.refresh_from_db()
    return invitation


def invitation_signed_up(
    *, invitation: Invitation, user: User, now: dt.datetime | None = None
) -> bool:
    """An account was made from the invitation's link: with the invited address, the
    invitation reads "opened sign-up" (another address does not count as the invitee)."""
    if email_normalise(user.email) != invitation.email:
        return False
    marked = Invitation.objects.filter(pk=invitation.pk, signed_up_at__isnull=True).update(
        signed_up_at=now or timezone.now()
    )
    # What the organiser's list said (organisation, sector, region) starts the profile;
    # the sign-up page says so, and the member changes it in the profile steps.
    profile = profile_for(user)
    given = {
        name: getattr(invitation, name)
        for name in ("organisation", "sector", "region")
        if getattr(invitation, name) and not getattr(profile, name)
    }
    if given:
        profile_update(profile=profile, data=given)
    return bool(marked)


def invitation_opt_out(*, hashed: str) -> None:
    """Never invite this address again (to any programme)."""
    InvitationOptOut.objects.get_or_create(email_hash=hashed)


def invitation_opt_in(*, hashed: str) -> None:
    InvitationOptOut.objects.filter(email_hash=hashed).delete()


@transaction.atomic
def announcement_send(
    *, programme: Programme, subject: str, body: str, nonce: str, by: User
) -> tuple[Announcement, bool]:
    """Write the announcement and one outbox row per recipient, once per preview (the
    nonce): a second press returns the first announcement and False."""
    existing = Announcement.objects.filter(nonce=nonce).first()
    if existing is not None:
        return existing, False
    recipients = list(announcement_recipients(programme).values_list("pk", flat=True))
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(
                programme=programme,
                subject=subject,
                body=body,
                sent_by=by,
                nonce=nonce,
                recipients=len(recipients),
            )
    except IntegrityError:  # the same preview sent twice at the same moment
        return Announcement.objects.get(nonce=nonce), False
    outbox_queue(
        [
            OutboxEmail(
                key=f"announcement:{announcement.pk}:{user_id}",
                kind=OutboxKind.ANNOUNCEMENT,
                user_id=user_id,
                ref=announcement.pk,
            )
            for user_id in recipients
        ]
    )
    return announcement, True
