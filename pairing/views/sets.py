"""A member's learning set: the set page (members, ground rules, sessions, rota, swaps),
leaving the set, a session's calendar file, moving or cancelling a session (facilitator
or host), the check-in after a session and the end-of-cycle evaluation. Another
member's set or session is a 404."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.http import post_only
from members.models import User
from pairing.sets import selectors, services
from pairing.sets.calendar import session_calendar
from pairing.sets.forms import CheckInForm, MoveForm, SetEvaluationForm, SwapForm
from pairing.sets.models import (
    LearningSet,
    RotaSwap,
    Session,
    SetEvaluation,
    SetLeaver,
    SwapStatus,
)
from pairing.sets.page import cancel_turns, set_page
from pairing.sets.plan import zone_named
from pairing.sets.words import turn_words


def _own_set(request: HttpRequest, pk: int) -> LearningSet:
    return get_object_or_404(selectors.set_of(user=request.user, pk=pk))


def _own_session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(selectors.session_of(user=request.user, pk=pk))


def _swap_form(request: HttpRequest, learning_set: LearningSet, data: object = None) -> SwapForm:
    page = set_page(learning_set=learning_set, user=request.user, now=timezone.now())
    return SwapForm(data, my_turns=page["my_turns"], their_turns=page["their_turns"])


def _render_set(
    request: HttpRequest, learning_set: LearningSet, swap_form: SwapForm | None = None
) -> HttpResponse:
    context = set_page(learning_set=learning_set, user=request.user, now=timezone.now())
    context["swap_form"] = swap_form or SwapForm(
        my_turns=context["my_turns"], their_turns=context["their_turns"]
    )
    return render(request, "pairing/set_detail.html", context)


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.set_of(user=request.user, pk=pk).exists():
        # Someone who left the set, or whose set was merged into another, is told so; for
        # anyone else it stays a 404.
        merged = selectors.merged_into_for(user=request.user, pk=pk)
        if merged is not None:
            messages.info(request, f"Your set was merged into set {merged.number}: this is it.")
            return redirect("pairing:set_detail", pk=merged.pk)
        leaver = get_object_or_404(
            SetLeaver.objects.select_related("learning_set__cycle__programme"),
            learning_set_id=pk,
            user=request.user,
        )
        return render(request, "pairing/set_left.html", {"leaver": leaver})
    return _render_set(request, _own_set(request, pk))


@login_required
@post_only("pairing:set_detail", keep_pk=True)
def set_swap(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _own_set(request, pk)
    form = _swap_form(request, learning_set, request.POST)
    if form.is_valid():
        partner_id, their_session = form.partner_and_session()
        try:
            services.swap_propose(
                learning_set=learning_set,
                proposer=request.user,
                my_session=get_object_or_404(Session, pk=form.cleaned_data["mine"]),
                partner=get_object_or_404(User, pk=partner_id),
                their_session=get_object_or_404(Session, pk=their_session),
                now=timezone.now(),
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Swap proposed. It happens when the other member accepts.")
            return redirect("pairing:set_detail", pk=learning_set.pk)
    return _render_set(request, learning_set, form)


@login_required
@post_only("members:dashboard")
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    swap = get_object_or_404(
        RotaSwap.objects.filter(learning_set__in=selectors.sets_of(user=request.user)),
        pk=pk,
    )
    if request.user.pk not in {swap.proposer_id, swap.partner_id}:
        raise Http404("No such swap")
    accept = request.POST.get("decision") == "accept"
    try:
        swap = services.swap_decide(swap=swap, by=request.user, accept=accept, now=timezone.now())
    except services.SetError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _swap_decided(swap, request.user))
    return redirect("pairing:set_detail", pk=swap.learning_set_id)


def _swap_decided(swap: RotaSwap, viewer: User) -> str:
    """ "Swap accepted: you now present at session 4 (Tuesday 13 July 2027) and Ada at
    session 2 (...). Everyone in the set has been emailed." (`swap_news` emails every
    member); declined or withdrawn, nothing changed and nobody was emailed."""
    if swap.status != SwapStatus.ACCEPTED:
        return f"Swap {swap.get_status_display().lower()}."
    # The partner accepted: they now present at the proposer's session, and back.
    zone = _member_zone(viewer)
    proposer = getattr(swap.proposer, "profile", None)
    name = proposer.display_name if proposer else "the member who asked"
    return (
        f"Swap accepted: you now present at {turn_words(swap.proposer_session, zone)} "
        f"and {name} at {turn_words(swap.partner_session, zone)}. "
        "Everyone in the set has been emailed."
    )


def _member_zone(user: User) -> dt.tzinfo:
    # As the set page shows its dates: the member's own zone, else the site's.
    try:
        return zoneinfo.ZoneInfo(user.profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return timezone.get_current_timezone()


@login_required
@require_http_methods(["GET", "POST"])
def set_leave(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _own_set(request, pk)
    if not selectors.has_session_to_come(learning_set.sessions.all(), timezone.now()):
        messages.info(request, services.NOTHING_TO_LEAVE)
        return redirect("pairing:set_detail", pk=learning_set.pk)
    if request.method == "POST":
        try:
            services.set_leave(learning_set=learning_set, user=request.user, now=timezone.now())
        except services.SetError as error:
            messages.error(request, str(error))
            return redirect("pairing:set_detail", pk=learning_set.pk)
        messages.success(request, "You have left the set. The others carry on without you.")
        return redirect("members:dashboard")
    return render(request, "pairing/set_leave.html", {"learning_set": learning_set})


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    profile = request.user.profile
    content = session_calendar(
        session,
        method="PUBLISH",
        sequence=session.sequence,
        attendee=(profile.display_name, request.user.email),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="learning-set-session-{session.number}.ics"'
    )
    return response


def _changeable_session(request: HttpRequest, pk: int) -> Session:
    session = _own_session(request, pk)
    if not selectors.can_change_sessions(session.learning_set, request.user):
        raise Http404("Only the facilitator or host changes sessions")
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    session = _changeable_session(request, pk)
    current = timezone.localtime(session.starts_at, zone_named(session.time_zone))
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        time_zone=session.time_zone,
        initial={"day": current.date(), "time": current.time().replace(tzinfo=None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_move(
                session=session, by=request.user, starts_at=form.starts_at(), now=timezone.now()
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Session moved. Everyone gets an updated invitation.")
            return redirect("pairing:set_detail", pk=session.learning_set_id)
    context = {"session": session, "form": form, "current": current}
    return render(request, "pairing/session_move.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _changeable_session(request, pk)
    if request.method == "POST":
        try:
            services.session_cancel(session=session, by=request.user, now=timezone.now())
        except services.SetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Session cancelled. Everyone has been told.")
        return redirect("pairing:set_detail", pk=session.learning_set_id)
    current = timezone.localtime(session.starts_at, zone_named(session.time_zone))
    context = {
        "session": session,
        "current": current,
        "turns": cancel_turns(session=session, user=request.user, now=timezone.now()),
    }
    return render(request, "pairing/session_cancel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    done = session.checkins.filter(user=request.user).exists()
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.checkin_submit(
                session=session, user=request.user, data=form.cleaned_data, now=timezone.now()
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you: your check-in is in your CPD record.")
            return redirect("pairing:set_detail", pk=session.learning_set_id)
    context = {
        "session": session,
        "form": form,
        "done": done,
        "started": selectors.has_started(session, timezone.now()),
    }
    return render(request, "pairing/session_checkin.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def set_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    learning_set = _own_set(request, pk)
    done = SetEvaluation.objects.filter(learning_set=learning_set, user=request.user).exists()
    form = SetEvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.set_evaluation_submit(
                learning_set=learning_set,
                user=request.user,
                data=form.cleaned_data,
                now=timezone.now(),
            )
        except services.SetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you for evaluating your set.")
            return redirect("pairing:set_detail", pk=learning_set.pk)
    context = {
        "learning_set": learning_set,
        "form": form,
        "done": done,
        "open": selectors.cycle_over(learning_set, timezone.now()),
    }
    return render(request, "pairing/set_evaluate.html", context)
