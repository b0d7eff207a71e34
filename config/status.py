"""The organisers' status panel (/admin/status/): is the site doing its background work?
The last tick, emails waiting and failed (with their errors and a "try again" button),
and rounds that failed (with a link to fix and re-run them). Staff only; it names
members, never their addresses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from config.health import LAST_TICK_KEY
from pairing.models import OutboxEmail, OutboxKind, OutboxStatus, Round, RoundStatus
from pairing.outbox.delivery import failed_q, not_sent_q
from pairing.outbox.retry import outbox_retry_failed

FAILED_SHOWN = 50


def _member(row: OutboxEmail) -> str:
    profile = getattr(row.user, "profile", None) if row.user else None
    if profile is not None:
        return profile.display_name
    return "the people in an introduction" if row.match_id else "a member"


@staff_member_required
def status_panel(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("pairing.change_outboxemail"):
            messages.error(request, "Your account may not resend emails.")
            return redirect("admin_status")
        raw = request.POST.getlist("email")
        ids = [int(v) for v in raw if v.isdigit()] if raw else None
        count = outbox_retry_failed(ids=ids)
        messages.success(request, f"{count} email(s) will be tried again, each sent once.")
        return redirect("admin_status")
    last = cache.get(LAST_TICK_KEY)
    counts = dict(
        OutboxEmail.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    # Rows the outbox deliberately did not send (unsubscribed, bounced address) are not
    # failures: counted apart, never offered for "try again".
    not_sent = OutboxEmail.objects.filter(not_sent_q()).count()
    # The site's counts are for every organiser; whose email failed, and which rounds,
    # only for the programmes they organise (a superuser, or staff allowed to view the
    # outbox, runs the site and sees all).
    emails, failed_rounds = OutboxEmail.objects.all(), Round.objects.all()
    if not request.user.has_perm("pairing.view_outboxemail"):
        emails = emails.filter(pairing_round__programme__organisers=request.user)
        failed_rounds = failed_rounds.filter(programme__organisers=request.user)
    failed = list(
        emails.filter(failed_q())
        .select_related("user__profile")
        .only("kind", "last_error", "created_at", "match_id", "user__profile__display_name")
        .order_by("-created_at")[:FAILED_SHOWN]
    )
    kinds = dict(OutboxKind.choices)
    context = {
        **admin.site.each_context(request),
        "title": "Status",
        "last_tick": dt.datetime.fromisoformat(last) if last else None,
        # No broker (`make run`): no beat either, and each process keeps its own cache.
        "in_process": not settings.REDIS_URL,
        "pending": counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
        "failed_count": counts.get(OutboxStatus.FAILED, 0) - not_sent,
        "not_sent": not_sent,
        "sent": counts.get(OutboxStatus.SENT, 0),
        "failed": [
            {"pk": r.pk, "kind": kinds.get(r.kind, r.kind), "to": _member(r), "row": r}
            for r in failed
        ],
        "failed_rounds": list(
            failed_rounds.filter(status=RoundStatus.FAILED)
            .select_related("programme")
            .only("number", "scheduled_for", "error", "programme__name")
            .order_by("-scheduled_for")
        ),
        "can_retry": request.user.has_perm("pairing.change_outboxemail"),
    }
    return render(request, "admin/status.html", context)
