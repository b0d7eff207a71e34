from __future__ import annotations

import json
import time

from allauth.account import app_settings as allauth_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from feedback.models import Strategy, StrategyReview
from members.forms import WIZARD_STEP_NAMES, WIZARD_STEPS, DeleteAccountForm, ProfileForm
from members.services import member_delete, member_export, profile_for, profile_update
from pairing.models import Membership, MembershipStatus, Programme
from pairing.selectors import (
    active_membership_exists,
    matches_for_member,
    memberships_for_dashboard,
)
from pairing.sets.models import LearningSet
from pairing.sets.selectors import dashboard_sessions
from pairing.views.programmes import JOIN_AFTER_PROFILE, PROGRAMMES_SECTION, dashboard_card


def home(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.filter(signup_open=True)
    return render(request, "members/home.html", {"programmes": programmes})


def code_of_conduct(request: HttpRequest) -> HttpResponse:
    return render(request, "members/code_of_conduct.html")


def privacy(request: HttpRequest) -> HttpResponse:
    days = settings.RETENTION_INACTIVE_DAYS
    context = {
        "retention_days": days,
        "retention_years": f"{days / 365:.3g}",
        "warning_days": settings.RETENTION_WARNING_DAYS,
    }
    return render(request, "members/privacy.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    memberships = memberships_for_dashboard(user=request.user, today=timezone.localdate())
    in_place, elsewhere = _messages_by_place(request, [dashboard_card(m) for m in memberships])
    for membership in memberships:
        membership.card_id = dashboard_card(membership)
        membership.card_messages = in_place[membership.card_id]
    context = {
        "profile": profile,
        "missing": profile.missing_fields,
        "memberships": memberships,
        # Instead of the context processor's: base.html shows only the messages that are
        # not shown in a card (or the section) here.
        "messages": elsewhere,
        "programmes_messages": in_place[PROGRAMMES_SECTION],
        "matches": matches_for_member(user=request.user),
        "set_sessions": dashboard_sessions(user=request.user),
    }
    if not context["memberships"]:
        # Someone who left every programme is not told they never joined one.
        context["left"] = list(
            Membership.objects.filter(user=request.user, status=MembershipStatus.LEFT)
            .select_related("programme")
            .order_by("-left_at")[:3]
        )
    return render(request, "members/dashboard.html", context)


def _messages_by_place(
    request: HttpRequest, card_ids: list[str]
) -> tuple[dict[str, list[Message]], list[Message]]:
    """The messages about one programme (tagged with its card's id, or with the section's
    after leaving), by the card they are shown in: where the member's focus comes back
    to, so that they are read out with the card instead of sitting unseen at the top.
    Then the others, for the top of the page."""
    in_place: dict[str, list[Message]] = {place: [] for place in [*card_ids, PROGRAMMES_SECTION]}
    elsewhere: list[Message] = []
    for message in messages.get_messages(request):
        in_place.get(message.extra_tags, elsewhere).append(message)
    return in_place, elsewhere


@login_required
@require_http_methods(["GET", "POST"])
def wizard(request: HttpRequest, step: str) -> HttpResponse:
    names = WIZARD_STEP_NAMES
    if step not in names:
        raise Http404("No such step")
    index = names.index(step)
    _name, title, form_class = WIZARD_STEPS[index]
    profile = profile_for(request.user)
    form = form_class(request.POST if request.method == "POST" else None, instance=profile)
    _ask_meeting_format(form, profile)
    if request.method == "POST" and "back" in request.POST and index > 0:
        # "Back" keeps what was typed on this step: every answer that is valid is saved
        # (an unfinished step is no reason to stay on it), then the step before.
        form.is_valid()
        valid = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        data = {k: v for k, v in valid.items() if k != "interests"}
        profile_update(profile=profile, data=data, interests=valid.get("interests"))
        return redirect("members:wizard", step=names[index - 1])
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "interests"}
        last = index == len(names) - 1
        profile_update(
            profile=profile,
            data=data,
            interests=form.cleaned_data.get("interests"),
            finish_wizard=last,
        )
        chosen = _programme_to_join(request) if last else None
        if chosen:
            messages.success(request, "Your profile is ready. Now join the programme below.")
            return redirect("pairing:programme_detail", slug=chosen)
        if last and active_membership_exists(user=request.user):  # joined before finishing
            messages.success(request, "Your profile is ready.")
            return redirect("members:dashboard")
        if last:
            messages.success(request, "Your profile is ready. Now choose a programme to join.")
            return redirect("pairing:programme_list")
        return redirect("members:wizard", step=names[index + 1])
    context = {
        "form": form,
        "title": title,
        "step_number": index + 1,
        "step_count": len(names),
        "previous": names[index - 1] if index else None,
    }
    return render(request, "members/wizard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    _ask_meeting_format(form, profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "interests"}
        profile_update(
            profile=profile, data=data, interests=form.cleaned_data["interests"], finish_wizard=True
        )
        messages.success(request, "Your profile has been saved.")
        chosen = _programme_to_join(request)
        if chosen:
            return redirect("pairing:programme_detail", slug=chosen)
        return redirect(_came_from(request) or "members:dashboard")
    context = {"form": form, "came_from": _came_from(request)}
    return render(request, "members/profile_edit.html", context)


def _ask_meeting_format(form, profile) -> None:
    """Until the member has answered (the wizard's step with it, or the profile page, was
    saved: both require a region), "How would you like to meet?" shows no answer, not
    "Either" already ticked (walk 27: a pre-selected radio is easy to miss)."""
    if "meeting_format" in form.fields and not profile.wizard_done_at and not profile.region:
        form.initial["meeting_format"] = None


def _programme_to_join(request: HttpRequest) -> str | None:
    """The programme the member signed up from ("Sign up to join" on its page, or an
    invitation), once, while they can still join it: their profile is done, so that page
    is where they go next."""
    slug = request.session.pop(JOIN_AFTER_PROFILE, None)
    if not slug or not Programme.objects.filter(slug=slug, signup_open=True).exists():
        return None
    joined = Membership.objects.filter(user=request.user, programme__slug=slug).exclude(
        status=MembershipStatus.LEFT
    )
    return None if joined.exists() else slug


def _came_from(request: HttpRequest) -> str:
    """The page of this site that sent the member to edit their profile (`?next=`, e.g. a
    programme page's "Complete my profile"), to go back to; never another site."""
    url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe and url.startswith("/") else ""


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    payload = json.dumps(member_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-coffee-trials-data-{stamp}.json"'
    return response


def _not_just_logged_in(request: HttpRequest) -> bool:
    """Ask for the password again unless the member logged in (or confirmed it is them)
    within ACCOUNT_REAUTHENTICATION_TIMEOUT: allauth counts only its own re-check, so a
    member who had just typed their password was asked for it again at once."""
    records = get_authentication_records(request, request.user)
    newest = max((r.get("at", 0) for r in records), default=0)
    return time.time() - newest >= allauth_settings.REAUTHENTICATION_TIMEOUT


@login_required
@reauthentication_required(enabled=_not_just_logged_in)
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        member_delete(user=user)
        messages.success(request, "Your account and personal data have been deleted.")
        return redirect("home")
    user = request.user
    # Each consequence is said only to a member it applies to (a set once left counts:
    # its check-ins stay, without the name).
    context = {
        "form": form,
        "shared_strategies": Strategy.objects.filter(author=user, versions__isnull=False).exists(),
        "wrote_reviews": StrategyReview.objects.filter(reviewer=user).exists(),
        "in_learning_sets": LearningSet.objects.filter(
            Q(match__members__user=user) | Q(leavers__user=user)
        ).exists(),
    }
    return render(request, "members/account_delete.html", context)
