"""Emails to one member about a round: left out (with the reason), the day-before
notice with "skip this one", and a partner in a current introduction who deleted their
account."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from members.models import User
from pairing.emails.partner_gone import remaining_ids
from pairing.emails.text import dashboard_url, site_url
from pairing.kinds import kind_of
from pairing.links import make_link
from pairing.models import LeftOut, Membership, MembershipStatus, OutboxEmail, OutboxKind, Programme
from pairing.outbox.render import renderer
from pairing.rounds.reasons import FIRST_IN_LINE
from pairing.rounds.unplaced import in_round_words

DEFAULT_LEFT_OUT_REASON = "there were not enough people available to make another match"


@renderer(OutboxKind.LEFT_OUT)
def left_out_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    user, programme = outbox.user, outbox.pairing_round.programme
    left_out = LeftOut.objects.filter(pairing_round=outbox.pairing_round, user=user).first()
    round_word = kind_of(programme).round_word
    context = {
        "name": user.profile.display_name,
        "programme": programme,
        "pairing_round": outbox.pairing_round,
        # Reasons are sentence fragments; the template adds the full stop.
        # The template adds the promise with the next round's date.
        "reason": in_round_words(
            (left_out.reason if left_out else DEFAULT_LEFT_OUT_REASON)
            .removesuffix(f": {FIRST_IN_LINE}")
            .rstrip(". "),
            round_word,
            kind_of(programme).group_word,
        ),
        "round_word": round_word,
        "first_in_line": left_out.first_in_line if left_out else True,
        # Where the member changes what the reason may ask of them (meeting format, region).
        "profile_url": settings.SITE_URL + reverse("members:profile_edit"),
        "dashboard_url": dashboard_url(),
        **_membership_links(user, programme),
    }
    return "left_out", [user.email], context, []


@renderer(OutboxKind.NOTICE)
def notice_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    user, programme = outbox.user, outbox.pairing_round.programme
    context = {
        "name": user.profile.display_name,
        "programme": programme,
        "pairing_round": outbox.pairing_round,
        # Learning sets: new sets form for a cycle of sessions, not "a round" (walk 44).
        "sets": kind_of(programme).stable_groups,
        "dashboard_url": dashboard_url(),
        **_membership_links(user, programme),
    }
    return "notice", [user.email], context, []


@renderer(OutboxKind.PARTNER_GONE)
def partner_gone_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    """Never names who left: their account, and so their name, is gone."""
    user, match = outbox.user, outbox.match
    programme, kind = match.pairing_round.programme, kind_of(match.pairing_round.programme)
    context = {
        "name": user.profile.display_name,
        "programme": programme,
        "pairing_round": match.pairing_round,
        "round_word": kind.round_word,
        "group": match.members.count() > 2,
        "others_remain": bool(set(remaining_ids(match)) - {user.pk}),
        "match_url": site_url("pairing:match_detail", match.pk),
        "feedback_url": site_url("feedback:evaluate_own", match.pk)
        if kind.evaluates_matches
        else "",
        "dashboard_url": dashboard_url(),
    }
    return "partner_gone", [user.email], context, []


def _membership_links(user: User, programme: Programme) -> dict:
    membership = active_membership(user, programme)
    if membership is None:
        return {"skip_url": "", "pause_url": ""}
    return {"skip_url": make_link(membership, "skip"), "pause_url": make_link(membership, "pause")}


def active_membership(user: User, programme: Programme) -> Membership | None:
    return (
        Membership.objects.filter(user=user, programme=programme)
        .exclude(status=MembershipStatus.LEFT)
        .first()
    )
