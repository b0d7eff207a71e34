"""The evaluation form: from the signed link in a follow-up email (no log-in needed) or
from the member's own match page.

GET only ever shows the form (link scanners fetch every link in an email); the answer
is saved on the POST from the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from feedback.closing import feedback_closing
from feedback.emails import partners_with_roles
from feedback.forms import EvaluationForm
from feedback.links import FeedbackLinkError, FeedbackLinkExpired, seat_id_from_token
from feedback.models import CheckIn, Evaluation, Met
from feedback.services import (
    EvaluationError,
    ask_again_day,
    evaluation_submit,
)
from pairing.kinds import kind_of
from pairing.links import LinkProblem, check_holder
from pairing.models import MatchMember
from pairing.sets.models import LearningSet


@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        seat = _seat_from(request, token)
    except LinkProblem as problem:
        return render(
            request,
            "pairing/link_invalid.html",
            {"heading": problem.heading, "text": problem.text, "show_login": problem.login},
            status=problem.status,
        )
    # Whoever holds the link may not be the member (a forwarded email, a shared inbox):
    # without their login, their earlier comment for the organisers is never shown back.
    return _evaluation_page(request, seat, hide_comment=request.user.pk != seat.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def evaluate_own(request: HttpRequest, match_id: int) -> HttpResponse:
    # A match the viewer is not in is a 404, never a 403: we do not confirm it exists.
    seat = get_object_or_404(_seats(), match_id=match_id, user=request.user)
    return _evaluation_page(request, seat)


def _seats() -> QuerySet[MatchMember]:
    # A planned round's draft can be large: this page never needs it.
    return MatchMember.objects.select_related(
        "match__pairing_round__programme", "user__profile"
    ).defer("match__pairing_round__draft")


def _seat_from(request: HttpRequest, token: str) -> MatchMember:
    try:
        seat_id = seat_id_from_token(token)
    except FeedbackLinkExpired as error:
        raise LinkProblem(
            400,
            "This link has expired",
            "Links in our emails work for 60 days. Log in and open the introduction from "
            "your dashboard to tell us how it went.",
            login=True,
        ) from error
    except FeedbackLinkError as error:
        raise LinkProblem(
            400,
            "This link is not valid",
            "The link may have been cut short or changed. Copy the whole link from the "
            "email, or log in and open the introduction from your dashboard.",
            login=True,
        ) from error
    seat = _seats().filter(pk=seat_id, user__isnull=False).first()
    if seat is None:
        raise LinkProblem(
            404,
            "This introduction no longer exists",
            "The introduction this link was for has been removed, so there is nothing to "
            "give feedback on.",
        )
    check_holder(
        request,
        seat.user_id,
        "To give your own feedback, open the introduction from your dashboard.",
    )
    return seat


def _evaluation_page(
    request: HttpRequest, seat: MatchMember, *, hide_comment: bool = False
) -> HttpResponse:
    match, now = seat.match, timezone.now()
    seats = match.members.select_related("user__profile").order_by("pk")
    others = [other for other in seats if other.pk != seat.pk]
    context = {
        "match": match,
        "programme": match.pairing_round.programme,
        "partners": partners_with_roles(seat, others),
        # Every other seat's account is gone: there is no meeting to wait for, so "Not
        # yet" is not offered and nobody promises to ask again.
        "nobody_remains": bool(others) and not any(other.user_id for other in others),
    }
    if not kind_of(context["programme"]).evaluates_matches:
        # A learning set is not one meeting: its members check in after each session
        # and evaluate the set at the end of the cycle, on the set page.
        # The cycle's first session week, as the admin and the set page name the cycle
        # (never the day the forming round ran, weeks before).
        context["learning_set"] = (
            LearningSet.objects.filter(match=match)
            .select_related("cycle")
            .only("pk", "cycle__first_session_on")
            .first()
        )
        return render(request, "feedback/evaluate_set.html", context)
    closing = feedback_closing(pairing_round=match.pairing_round)
    if closing is None or now >= closing["ends_at"]:
        return render(request, "feedback/evaluate_closed.html", context)
    existing = Evaluation.objects.filter(match=match, user_id=seat.user_id).first()
    if request.method == "GET" and request.GET.get("sent") == "1" and existing:
        return _sent_page(request, context, seat, existing)
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        instance=existing or Evaluation(match=match, user_id=seat.user_id),
        programme=context["programme"],
        initial=_preselected(request),
        nobody_remains=context["nobody_remains"],
    )
    # Read before validation: a ModelForm writes what was posted onto its instance.
    kept_comment = existing.private_comment if hide_comment and existing else ""
    if kept_comment:
        form.initial["private_comment"] = ""
        form.fields["private_comment"].help_text = (
            "You wrote a comment for the organisers before; it is kept and not shown here. "
            "Anything you type replaces it. Log in to read it."
        )
    if request.method == "POST" and form.is_valid():
        data = form.evaluation_data()
        if kept_comment and not data.get("private_comment", "").strip():
            data["private_comment"] = kept_comment
        try:
            evaluation_submit(
                match=match,
                user=seat.user,
                data=data,
                topics=form.cleaned_data["topics"],
                now=now,
            )
        except EvaluationError:
            return render(request, "feedback/evaluate_closed.html", context)
        # Post, redirect, get: a reload of the thank-you page does not send the form again
        # (walk 27). The same address (own or signed link) shows it with ?sent=1.
        return redirect(f"{request.path}?sent=1")
    context |= {
        "form": form,
        "existing": existing,
        "closing": closing,
        # "we will ask again in a week" only where feedback is still open then (walk 45).
        "asks_again": ask_again_day(closing, timezone.localdate(now)) is not None,
    }
    return render(request, "feedback/evaluate.html", context)


def _sent_page(
    request: HttpRequest, context: dict, seat: MatchMember, evaluation: Evaluation
) -> HttpResponse:
    checkin = CheckIn.objects.filter(seat=seat).first()
    return render(
        request,
        "feedback/evaluate_done.html",
        {**context, "evaluation": evaluation, "ask_again_on": checkin and checkin.ask_again_on},
    )


def _preselected(request: HttpRequest) -> dict:
    # The one-click answers in the email arrive as ?met=...: preselect, never save.
    met = request.GET.get("met", "")
    return {"met": met} if met in Met.values else {}
