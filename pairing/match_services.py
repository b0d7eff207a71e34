"""Writes a member makes about their own matches: block a partner, report a concern."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from members.models import User
from pairing.models import Block, Concern, Match

logger = logging.getLogger(__name__)


def block_create(*, user: User, blocked: User) -> Block:
    """Never pair `user` with `blocked` again. Idempotent, and confidential: nothing is
    sent to `blocked` and nothing they can open changes."""
    block, _created = Block.objects.get_or_create(user=user, blocked=blocked)
    return block


def _organiser_emails(match: Match) -> list[str]:
    programme = match.pairing_round.programme
    emails = [settings.ORGANISERS_EMAIL, *programme.organisers.values_list("email", flat=True)]
    return list(dict.fromkeys(email for email in emails if email))


def _concern_message(concern: Concern, match: Match) -> tuple[str, str]:
    pairing_round = match.pairing_round
    where = f"{pairing_round.programme.name}, round {pairing_round.number}"
    admin_url = settings.SITE_URL + reverse("admin:pairing_concern_change", args=[concern.pk])
    reporter = concern.reporter
    subject = f"[{settings.SITE_NAME}] Concern reported in {where}"
    body = (
        f"{reporter} ({reporter.email}) reported a concern about match {match.pk} in {where}.\n\n"
        f"{concern.text}\n\n"
        f"Read it and mark it handled in the admin:\n{admin_url}\n"
    )
    return subject, body


def concern_report(*, reporter: User, match: Match, text: str) -> Concern:
    """Save a member's concern about one of their matches and email the organisers."""
    concern = Concern.objects.create(reporter=reporter, match=match, text=text)
    subject, body = _concern_message(concern, match)
    recipients = _organiser_emails(match)
    if not recipients:
        logger.warning("Concern %s saved but no organiser address is configured", concern.pk)
        return concern
    try:
        send_mail(subject, body, None, recipients)
    except (SMTPException, OSError):
        # The concern is already saved and listed as unhandled in the admin, so a mail
        # outage must not turn the member's report into an error page.
        logger.exception("Could not email organisers about concern %s", concern.pk)
    return concern
