"""The "did you meet?" follow-up and its reminder: one member each, three one-click
answers. Built at send time, so the links are fresh and names are as they are now."""

from __future__ import annotations

from feedback.links import make_feedback_link
from feedback.models import Evaluation, Met
from pairing.emails.text import and_join, dashboard_url
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox.render import renderer
from pairing.selectors import seat_role, shared_profile


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
    others = [
        other
        for other in seat.match.members.select_related("user__profile").order_by("pk")
        if other.pk != seat.pk
    ]
    said_not_yet = Evaluation.objects.filter(
        match_id=seat.match_id, user_id=seat.user_id, met=Met.NOT_YET
    ).exists()
    return {
        "name": shared_profile(seat.user).display_name,
        "partners": partners_with_roles(seat, others, roles=False),
        # The question asked ("Did you meet Priya Shah (your mentor)?"), as the form asks it.
        "partners_asked": partners_with_roles(seat, others),
        "partner_count": len(others),
        "programme": seat.match.pairing_round.programme,
        "pairing_round": seat.match.pairing_round,
        "said_not_yet": said_not_yet,
        "met_url": make_feedback_link(seat, Met.YES),
        "not_yet_url": make_feedback_link(seat, Met.NOT_YET),
        "not_met_url": make_feedback_link(seat, Met.NO),
        "dashboard_url": dashboard_url(),
    }


def partners_with_roles(
    seat: MatchMember, others: list[MatchMember] | None = None, *, roles: bool = True
) -> str:
    """Who a question names mid-sentence ("Did you meet ...?", "never shown to ..."):
    "Grace Hopper and Alan Turing"; with each partner's role where the kind has roles
    (`roles`): "Priya Shah (your mentor)". A partner whose account is gone is "your
    partner" (or "your mentor"), or "the others" when a whole group is gone; beside
    partners still here, "a former member". `others`: the match's other seats, with their
    profiles, if already read."""
    programme = seat.match.pairing_round.programme
    if others is None:
        seats = seat.match.members.select_related("user__profile").order_by("pk")
        others = [other for other in seats if other.pk != seat.pk]
    if len(others) > 1 and not any(other.user_id for other in others):
        return "the others"
    names = []
    for other in others:
        role = seat_role(other, programme) if roles else ""
        if other.user_id is None and len(others) == 1:
            names.append(f"your {role}" if role else "your partner")
        elif other.user_id is None:
            names.append(f"a former member (your {role})" if role else "a former member")
        else:
            name = shared_profile(other.user).display_name
            names.append(f"{name} (your {role})" if role else name)
    return and_join(names) or "your partner"
