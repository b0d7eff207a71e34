"""Emails of a search-strategy review, each to one member: a partner shared a strategy
(or a revision), your strategy is due soon, a review of your strategy arrived. They say
what happened and link to the match page behind login; no strategy or review text is
put in an email."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from feedback.models import StrategyReview, StrategyVersion
from pairing.emails.text import dashboard_url
from pairing.kinds import kind_of
from pairing.models import Match, OutboxEmail, OutboxKind
from pairing.outbox.render import renderer
from pairing.selectors import shared_profile


def _match(outbox: OutboxEmail) -> Match:
    return (
        Match.objects.select_related("pairing_round__programme")
        .defer("pairing_round__draft")
        .get(pk=outbox.match_id)
    )


def _base(outbox: OutboxEmail, match: Match, anchor: str) -> dict:
    return {
        "name": shared_profile(outbox.user).display_name,
        "programme": match.pairing_round.programme,
        "pairing_round": match.pairing_round,
        "match_url": settings.SITE_URL
        + reverse("pairing:match_detail", args=[match.pk])
        + f"#{anchor}",
        "dashboard_url": dashboard_url(),
    }


@renderer(OutboxKind.STRATEGY_SHARED)
def strategy_shared_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    version_id = int(outbox.key.split(":")[1])
    version = StrategyVersion.objects.select_related("strategy__author__profile").get(pk=version_id)
    match = _match(outbox)
    context = _base(outbox, match, f"strategy-{version.strategy_id}")
    context |= {
        "author": shared_profile(version.strategy.author).display_name,
        "version": version,
        # A revision after this member's review: see what changed, no second review.
        "reviewed": StrategyReview.objects.filter(
            strategy_id=version.strategy_id, reviewer_id=outbox.user_id, submitted_at__isnull=False
        ).exists(),
    }
    return "strategy_shared", [outbox.user.email], context, []


@renderer(OutboxKind.STRATEGY_REMINDER)
def strategy_reminder_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    match = _match(outbox)
    context = _base(outbox, match, "my-strategy")
    context["due_on"] = kind_of(match.pairing_round.programme).share_due_on(match.pairing_round)
    return "strategy_reminder", [outbox.user.email], context, []


@renderer(OutboxKind.REVIEW_RECEIVED)
def review_received_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    review = StrategyReview.objects.select_related("reviewer__profile", "version").get(
        pk=int(outbox.key.split(":")[1])
    )
    match = _match(outbox)
    context = _base(outbox, match, "my-strategy")
    context |= {"reviewer": shared_profile(review.reviewer).display_name, "review": review}
    return "review_received", [outbox.user.email], context, []
