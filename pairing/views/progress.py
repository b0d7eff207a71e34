"""A round's page once it has run: delivery of its introductions, its matches or sets,
who was left out, and for search review who has shared and reviewed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from feedback.strategy_status import sharing_lines
from pairing.choices import RUN_KINDS
from pairing.kinds import kind_of
from pairing.models import Match, OutboxEmail, OutboxKind, Round, RoundStatus
from pairing.outbox.delivery import delivery_counts, with_not_sent
from pairing.sets.models import Cycle
from pairing.views.organiser_base import admin_context, named, round_for


def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    pairing_round = round_for(request, pk)
    # What the run itself sent: introductions and notices to whom it left out. Later
    # emails about the same matches (follow-ups, shared strategies, reviews) and the
    # day-before notice are not part of its delivery.
    emails = OutboxEmail.objects.filter(pairing_round=pairing_round, kind__in=RUN_KINDS)
    # Those not sent on purpose (unsubscribed, bouncing) are counted apart, never as failed.
    counts = emails.aggregate(**delivery_counts())
    matches = (
        Match.objects.filter(pairing_round=pairing_round)
        .prefetch_related(
            "members__user__profile",
            # The introduction only: a set's session invitations share the match.
            Prefetch(
                "emails",
                queryset=with_not_sent(OutboxEmail.objects.filter(kind=OutboxKind.INTRO)),
                to_attr="introductions",
            ),
        )
        .select_related("host__profile")
    )
    page = Paginator(matches, 100).get_page(request.GET.get("page"))
    busy = pairing_round.status == RoundStatus.RUNNING or (
        pairing_round.status == RoundStatus.DONE and counts["waiting"] > 0
    )
    stable = kind_of(pairing_round.programme).stable_groups
    shares_work = kind_of(pairing_round.programme).shares_work
    if shares_work:  # who has shared and reviewed, to chase a pair (walk 44)
        page.object_list = list(page.object_list)
        lines = sharing_lines(page.object_list)
        for match in page.object_list:
            match.sharing = lines.get(match.pk, [])
    return render(
        request,
        "admin/pairing/round_progress.html",
        admin_context(
            request,
            named(pairing_round),
            pairing_round=pairing_round,
            counts=counts,
            page=page,
            busy=busy,
            opts=Round._meta,
            left_out=pairing_round.left_out.select_related("user__profile"),
            preview_url=reverse("admin:pairing_round_preview", args=[pairing_round.pk]),
            # A learning set's times are its sessions (on the cycle's page), not one slot.
            stable=stable,
            shares_work=shares_work,
            cycle=Cycle.objects.filter(forming_round=pairing_round).only("pk").first()
            if stable
            else None,
        ),
    )
