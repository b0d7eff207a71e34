"""The pages behind the one-click links in emails: "skip the next round" and "pause".

The links work without logging in, so the token is the authority. Link scanners
(Outlook SafeLinks and friends) fetch every link in an email, so GET only ever shows a
confirm page; the change happens on the POST from that page.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pairing import services
from pairing.forms import PauseForm
from pairing.links import MAX_AGE, PAUSE_DEFAULT, SALT, LinkProblem, check_holder, member_name
from pairing.models import Membership, MembershipStatus, Round, RoundStatus


@require_http_methods(["GET", "POST"])
def link_skip(request: HttpRequest, token: str) -> HttpResponse:
    try:
        membership = _membership_from(request, token, "skip")
    except LinkProblem as problem:
        return _problem_page(request, problem)
    context = {
        "membership": membership,
        "action": "skip",
        "name": member_name(membership),
        # A day-before notice's link opened after its round ran skips the one after: the
        # page says that round has run (walk 43).
        "ran_on": _ran_lately(membership),
    }
    if request.method == "GET" and (already := _already(membership, "skip")):
        return render(request, "pairing/link_confirm.html", {**context, "already": already})
    if request.method == "POST":
        services.membership_skip_next_round(membership=membership, skip=True)
        return render(request, "pairing/link_done.html", context)
    return render(request, "pairing/link_confirm.html", context)


@require_http_methods(["GET", "POST"])
def link_pause(request: HttpRequest, token: str) -> HttpResponse:
    try:
        membership = _membership_from(request, token, "pause")
    except LinkProblem as problem:
        return _problem_page(request, problem)
    today = timezone.localdate()
    context = {"membership": membership, "action": "pause", "name": member_name(membership)}
    if request.method == "GET" and (already := _already(membership, "pause", today)):
        return render(request, "pairing/link_confirm.html", {**context, "already": already})
    form = PauseForm(
        request.POST if request.method == "POST" else None,
        # An ISO string: PauseForm's DateInput would otherwise localise the date
        # ("21/12/2026"), which an <input type="date"> cannot show.
        initial={"until": (today + PAUSE_DEFAULT).isoformat()},
        programme=membership.programme,
    )
    if request.method == "POST" and form.is_valid():
        until = form.cleaned_data["until"]
        try:
            services.membership_pause(membership=membership, until=until, today=today)
        except services.MembershipError as error:
            form.add_error("until", str(error))
        else:
            return render(request, "pairing/link_done.html", {**context, "until": until})
    return render(request, "pairing/link_confirm.html", {**context, "form": form})


def _ran_lately(membership: Membership) -> dt.date | None:
    """The day the programme's latest round ran, when that was in the last week."""
    last = (
        Round.objects.filter(
            programme_id=membership.programme_id,
            status=RoundStatus.DONE,
            finished_at__isnull=False,  # (PostgreSQL puts NULLs first in a descending order)
        )
        .order_by("-finished_at")
        .only("scheduled_for", "finished_at")
        .first()
    )
    if last is None or last.held_on < timezone.localdate() - dt.timedelta(days=7):
        return None
    return last.held_on


def _already(membership: Membership, action: str, today: dt.date | None = None) -> str:
    """How things stand when the link would change nothing: "paused" or "skipping", else
    "". A link opened again once used (or after the same change on the dashboard) then
    says so instead of showing a form. A skip link of a member paused through the next
    round has nothing to add either."""
    today = today or timezone.localdate()
    if action == "pause":
        return "paused" if membership.is_paused_on(today) else ""
    if membership.is_paused_on(max(today, membership.programme.next_round_on or today)):
        return "paused"
    return "skipping" if membership.skip_next_round else ""


def _membership_from(request: HttpRequest, token: str, action: str) -> Membership:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkProblem(
            400,
            "This link has expired",
            "Links in our emails work for 45 days. Log in to skip a round or pause instead.",
            login=True,
        ) from error
    except signing.BadSignature as error:
        raise _not_valid() from error
    if not isinstance(data, dict) or data.get("a") != action or not isinstance(data.get("m"), int):
        raise _not_valid()
    membership = (
        Membership.objects.select_related("user__profile", "programme")
        .filter(pk=data["m"])
        .exclude(status=MembershipStatus.LEFT)
        .first()
    )
    if membership is None:
        raise LinkProblem(
            404,
            "This membership no longer exists",
            "The programme membership this link was for has ended, so there is nothing to "
            "change. If you rejoin, the links in your next email will work.",
        )
    check_holder(
        request, membership.user_id, "To change your own membership, go to your dashboard."
    )
    return membership


def _not_valid() -> LinkProblem:
    return LinkProblem(
        400,
        "This link is not valid",
        "The link may have been cut short or changed. Copy the whole link from the email, "
        "or log in to skip a round or pause.",
        login=True,
    )


def _problem_page(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request,
        "pairing/link_invalid.html",
        {"heading": problem.heading, "text": problem.text, "show_login": problem.login},
        status=problem.status,
    )
