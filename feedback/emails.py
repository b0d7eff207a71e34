"""The "did you meet?" follow-up and its reminder: one member each, three one-click
answers. Built at send time, so the links are fresh and names are as they are now."""

from __future__ import annotations

from feedback.links import make_feedback_link
from feedback.models import Evaluation, Met
from pairing.emails.text import and_join, dashboard_url
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox.render import renderer
from pairing.selectors import shared_profile


@renderer(OutboxKind.FOLLOWUP)
def followup_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    return "followup", [outbox.user.email], _context(outbox), []


@renderer(OutboxKind.REMINDER)
def reminder_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    return "reminder", [outbox.user.email], _context(outbox), []


def _context(outbox: OutboxEmail) -> dict:
    seat = (
        MatchMember.objects.select_related("match__pairing_round__programme", "user__profile")
        .defer("match__pairing_round__draft")
        .get(match_id=outbox.match_id, user_id=outbox.user_id)
    )
    partners = [
        shared_profile(other.user).display_name
        for other in seat.match.members.select_related("user__profile").order_by("pk")
        if other.pk != seat.pk
    ]
    said_not_yet = Evaluation.objects.filter(
        match_id=seat.match_id, user_id=seat.user_id, met=Met.NOT_YET
    ).exists()
    return {
        "name": shared_profile(seat.user).display_name,
        "partners": and_join(partners) or "your partner",
        "partner_count": len(partners),
        "programme": seat.match.pairing_round.programme,
        "pairing_round": seat.match.pairing_round,
        "said_not_yet": said_not_yet,
        "met_url": make_feedback_link(seat, Met.YES),
        "not_yet_url": make_feedback_link(seat, Met.NOT_YET),
        "not_met_url": make_feedback_link(seat, Met.NO),
        "dashboard_url": dashboard_url(),
    }
