"""Writes a member makes about their programmes and matches: join, leave, pause, resume,
skip; block a partner; report a concern. (Rounds live in `pairing.rounds`.)"""

from __future__ import annotations

import datetime as dt
import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from members.models import User
from pairing.kinds import kind_of
from pairing.models import Block, Concern, Match, Membership, MembershipStatus, Programme
from pairing.selectors import shared_profile
from pairing.sets.services import sets_member_left_programme

logger = logging.getLogger(__name__)
# The same concern posted again within this window is one concern (one email).
CONCERN_REPEAT_WINDOW = dt.timedelta(minutes=1)


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
    offer_and_seek = kind_of(programme).offer_and_seek
    if offer_and_seek and not mentoring_role:
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
    membership.mentoring_role = mentoring_role if offer_and_seek else ""
    if programme.ground_rules:
        membership.ground_rules_accepted_at = now
    membership.save()
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, now: dt.datetime | None = None) -> Membership:
    membership.status = MembershipStatus.LEFT
    membership.paused_until = None
    membership.skip_next_round = False
    membership.left_at = now or timezone.now()
    membership.save(update_fields=["status", "paused_until", "skip_next_round", "left_at"])
    # A learning set goes on without them: they leave its future sessions only.
    sets_member_left_programme(
        user=membership.user, programme=membership.programme, now=membership.left_at
    )
    return membership


def membership_pause(
    *, membership: Membership, until: dt.date, today: dt.date | None = None
) -> Membership:
    """Pause until a date; from that date the member is matched again by itself.

    A "skip the next round" is dropped when the pause covers that round: the pause keeps
    them out of it already, and the round only clears the skips it honoured, so a skip
    left set would outlive the pause and take them out of the first round after it. A
    pause that ends before the next round keeps the skip: they asked to sit that one out."""
    today = today or timezone.localdate()
    if until <= today:
        raise MembershipError("Choose a date after today.")
    if until > today + dt.timedelta(days=366):
        raise MembershipError("You can pause for up to a year. Choose an earlier date.")
    if membership.status == MembershipStatus.LEFT:
        raise MembershipError("You have left this programme.")
    next_round_on = membership.programme.next_round_on
    if next_round_on is not None and until > next_round_on:
        membership.skip_next_round = False
    membership.status = MembershipStatus.PAUSED
    membership.paused_until = until
    membership.save(update_fields=["status", "paused_until", "skip_next_round"])
    return membership


def membership_resume(*, membership: Membership) -> Membership:
    """Back in now, from "Resume now": the member asked to be included, so a skip of the
    next round goes too. (A pause that ends by itself, `memberships_resume_due`, keeps
    the skip.)"""
    if membership.status != MembershipStatus.LEFT:
        membership.status = MembershipStatus.ACTIVE
        membership.paused_until = None
        membership.skip_next_round = False
        membership.save(update_fields=["status", "paused_until", "skip_next_round"])
    return membership


def membership_skip_next_round(*, membership: Membership, skip: bool) -> Membership:
    membership.skip_next_round = skip
    membership.save(update_fields=["skip_next_round"])
    return membership


def memberships_resume_due(*, today: dt.date) -> int:
    """Flip pauses whose date has come back to active; returns how many. A skip of the
    next round stays: the member asked to sit that round out."""
    return Membership.objects.filter(
        status=MembershipStatus.PAUSED, paused_until__lte=today
    ).update(status=MembershipStatus.ACTIVE, paused_until=None)


def block_create(*, user: User, blocked: User) -> Block:
    """Never pair `user` with `blocked` again. Idempotent, and confidential: nothing is
    sent to `blocked` and nothing they can open changes."""
    block, _created = Block.objects.get_or_create(user=user, blocked=blocked)
    return block


def block_remove(*, user: User, blocked: User) -> bool:
    """Undo `block_create` (the member changed their mind): True if there was one."""
    removed, _by_kind = Block.objects.filter(user=user, blocked=blocked).delete()
    return bool(removed)


def _organiser_emails(match: Match) -> list[str]:
    programme = match.pairing_round.programme
    emails = [settings.ORGANISERS_EMAIL, *programme.organisers.values_list("email", flat=True)]
    return list(dict.fromkeys(email for email in emails if email))


def _concern_message(
    concern: Concern, match: Match, first: Concern | None = None
) -> tuple[str, str]:
    """The organisers' email; `first`, the reporter's earlier concern about this match,
    when this one adds to it."""
    pairing_round = match.pairing_round
    where = f"{pairing_round.programme.name}, round {pairing_round.number}"
    admin_url = settings.SITE_URL + reverse("admin:pairing_concern_change", args=[concern.pk])
    reporter = concern.reporter
    what = "reported a concern"
    subject = f"[{settings.SITE_NAME}] Concern reported in {where}"
    if first is not None:
        on = date_format(timezone.localtime(first.created_at), "j F Y")
        what = f"added to the concern they reported on {on}"
        subject = f"[{settings.SITE_NAME}] Concern added to in {where}"
    body = (
        f"{reporter} ({reporter.email}) {what} about their introduction to "
        f"{_partner_names(match, reporter)} in {where}.\n\n"
        f"{concern.text}\n\n"
        f"Read it, and set its status and who handles it, in the admin:\n{admin_url}\n"
    )
    return subject, body


def _partner_names(match: Match, reporter: User) -> str:
    names = [
        shared_profile(seat.user).display_name
        for seat in match.members.select_related("user__profile").order_by("pk")
        if seat.user_id != reporter.pk
    ]
    return ", ".join(names) or "nobody else"


def concern_report(*, reporter: User, match: Match, text: str) -> Concern:
    """Save a member's concern about one of their matches and email the organisers. The
    same text posted again within a minute (a double click, a retried request) is the
    same concern: saved and emailed once."""
    with transaction.atomic():
        # Serialise one member's posts, so two at once cannot both find no earlier copy.
        User.objects.select_for_update().filter(pk=reporter.pk).first()
        earlier = Concern.objects.filter(
            reporter=reporter,
            match=match,
            text=text,
            created_at__gte=timezone.now() - CONCERN_REPEAT_WINDOW,
        ).first()
        if earlier is not None:
            return earlier
        first = Concern.objects.filter(reporter=reporter, match=match).order_by("pk").first()
        concern = Concern.objects.create(reporter=reporter, match=match, text=text)
    subject, body = _concern_message(concern, match, first)
    recipients = _organiser_emails(match)
    if not recipients:
        logger.warning("Concern %s saved but no organiser address is configured", concern.pk)
        return concern
    try:
        send_mail(subject, body, None, recipients)
    except (SMTPException, OSError):
        # The concern is already saved and listed as new in the admin, so a mail
        # outage must not turn the member's report into an error page.
        logger.exception("Could not email organisers about concern %s", concern.pk)
    return concern


def membership_change_role(*, membership: Membership, mentoring_role: str) -> bool:
    """Switch between offering and seeking mentoring, from the next round on: matches
    already made keep the role each seat had, and a draft previewed before the change is
    re-checked when the round runs (a pair that would now be two mentees breaks up).
    Returns whether anything changed; a member who left cannot change it."""
    kind = kind_of(membership.programme)
    if not kind.offer_and_seek:
        raise MembershipError("This programme has no mentor and mentee roles.")
    if not kind.role_of(mentoring_role):
        raise MembershipError("Say whether you offer mentoring or seek a mentor.")
    left = "You have left this programme: join it again to take part."
    if membership.status == MembershipStatus.LEFT:
        raise MembershipError(left)
    if membership.mentoring_role == mentoring_role:
        return False
    # Conditional, so a leave in another tab at the same moment is not undone or ignored.
    changed = (
        Membership.objects.filter(pk=membership.pk)
        .exclude(status=MembershipStatus.LEFT)
        .update(mentoring_role=mentoring_role)
    )
    if not changed:
        raise MembershipError(left)
    membership.mentoring_role = mentoring_role
    return True
