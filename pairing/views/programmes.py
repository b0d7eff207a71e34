from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.http import post_only
from members.forms import WIZARD_STEP_NAMES, wizard_resume_step
from pairing import services
from pairing.emails.text import and_join
from pairing.forms import JoinForm, PauseForm, RoleForm
from pairing.kinds import kind_of
from pairing.models import Membership, MembershipStatus, Programme
from pairing.selectors import matches_for_member, membership_of

# The "My programmes" section of the dashboard: after leaving, the card is gone, so the
# member comes back to the section, with the message in it.
PROGRAMMES_SECTION = "programmes"


def dashboard_card(membership: Membership) -> str:
    """The id of the membership's card on the dashboard. A change made from the card
    comes back to it, with its message tagged with this id and shown inside it, so
    keyboard focus is not sent back to the top of the page."""
    return f"membership-{membership.programme.slug}"


def _back_to(request: HttpRequest, place: str, text: str) -> HttpResponse:
    messages.success(request, text, extra_tags=place)
    return redirect(f"{reverse('members:dashboard')}#{place}")


def _own_membership(request: HttpRequest, pk: int) -> Membership:
    # Another member's membership is a 404, never a 403: we do not confirm it exists.
    return get_object_or_404(membership_of(user=request.user, pk=pk))


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.filter(signup_open=True)
    joined: set[int] = set()
    if request.user.is_authenticated:
        joined = set(
            Membership.objects.filter(user=request.user)
            .exclude(status=MembershipStatus.LEFT)
            .values_list("programme_id", flat=True)
        )
    return render(
        request, "pairing/programme_list.html", {"programmes": programmes, "joined": joined}
    )


@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.filter(user=request.user, programme=programme).first()
    form = JoinForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                joined = services.membership_join(
                    user=request.user, programme=programme, **form.cleaned_data
                )
            except services.MembershipError as error:
                messages.error(request, str(error))
            else:
                text = f"You have joined {programme.name}."
                return _back_to(request, dashboard_card(joined), text)
    profile = getattr(request.user, "profile", None)
    incomplete = request.user.is_authenticated and (profile is None or not profile.complete)
    return render(
        request,
        "pairing/programme_detail.html",
        {
            "programme": programme,
            "membership": membership,
            "form": form,
            "offer_and_seek": kind_of(programme).offer_and_seek,
            # Joining works, but nobody is matched until the profile is complete.
            "profile_incomplete": incomplete,
            "complete_profile_url": _complete_profile_url(request, profile) if incomplete else "",
        },
    )


def _complete_profile_url(request: HttpRequest, profile) -> str:
    """Where "Complete my profile" leads: the wizard, at the step to resume, for a member
    who has not been through it (walk 39: a new member from an invitation was sent to the
    long profile page), else the profile page, coming back here."""
    if profile is None or profile.wizard_done_at is None:
        step = wizard_resume_step(profile) if profile else WIZARD_STEP_NAMES[0]
        return reverse("members:wizard", args=[step])
    return f"{reverse('members:profile_edit')}?{urlencode({'next': request.path})}"


# The programme a visitor chose "Sign up to join" on: the profile wizard ends there.
JOIN_AFTER_PROFILE = "join_after_profile"


def programme_signup(request: HttpRequest, slug: str) -> HttpResponse:
    """Sign up from a programme's page: remembered in the session (which survives the
    code and the log-in), so the profile wizard's last step comes back here to join."""
    programme = get_object_or_404(Programme, slug=slug, signup_open=True)
    if request.user.is_authenticated:
        return redirect("pairing:programme_detail", slug=programme.slug)
    request.session[JOIN_AFTER_PROFILE] = programme.slug
    return redirect("account_signup")


@login_required
@require_http_methods(["GET", "POST"])
def membership_leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    left = membership.status == MembershipStatus.LEFT
    if request.method == "POST" and not left:
        services.membership_leave(membership=membership)
        return _back_to(request, PROGRAMMES_SECTION, f"You have left {membership.programme.name}.")
    if request.method == "POST":
        # A second press (another tab, the back button) changes nothing: they left already.
        return redirect("pairing:membership_leave", pk=membership.pk)
    programme = membership.programme
    current = [
        match
        for match in ([] if left else matches_for_member(user=request.user).current)
        if match.pairing_round.programme_id == programme.pk
    ]
    for match in current:
        match.partner_names = and_join([p.display_name for p in match.partners])
    context = {
        "membership": membership,
        "left": left,
        # What becomes of the introductions they are in now (walk 28: the page said
        # nothing of a live search review, where a partner waited for a strategy).
        "current": current,
        "sets": kind_of(programme).stable_groups,
        "reviews": bool(kind_of(programme).review_headings),
    }
    return render(request, "pairing/membership_leave.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_pause(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    form = PauseForm(
        request.POST if request.method == "POST" else None,
        initial={"until": membership.paused_until},
        programme=membership.programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_pause(membership=membership, until=form.cleaned_data["until"])
        except services.MembershipError as error:
            form.add_error("until", str(error))
        else:
            return _back_to(request, dashboard_card(membership), _paused(membership))
    back = f"{reverse('members:dashboard')}#{dashboard_card(membership)}"
    return render(
        request,
        "pairing/membership_pause.html",
        {"membership": membership, "form": form, "back": back},
    )


def _paused(membership: Membership) -> str:
    # Named: a member in two programmes pauses one of them.
    text = f"Paused {membership.programme.name} until {membership.paused_until:%-d %B %Y}."
    if not membership.skip_next_round:
        return f"{text} We will include you again from then."
    # The pause ends before the round they chose to skip: the skip stands.
    word = kind_of(membership.programme).round_word
    return f"{text} You still sit out the next {word}{_on(membership)}, as you asked."


def _on(membership: Membership) -> str:
    day = membership.programme.next_round_on
    return f", on {day:%-d %B %Y}" if day else ""


@login_required
@post_only("members:dashboard")
def membership_resume(request: HttpRequest, pk: int) -> HttpResponse:
    membership = services.membership_resume(membership=_own_membership(request, pk))
    word = kind_of(membership.programme).round_word
    # "Resume now" also cancels a skip: they are in the very next round.
    text = (
        f"Welcome back: you are active in {membership.programme.name} "
        f"and will be included in its next {word}{_on(membership)}."
    )
    return _back_to(request, dashboard_card(membership), text)


@login_required
@post_only("members:dashboard")
def membership_skip(request: HttpRequest, pk: int) -> HttpResponse:
    skip = request.POST.get("skip") == "1"
    membership = services.membership_skip_next_round(
        membership=_own_membership(request, pk), skip=skip
    )
    word = kind_of(membership.programme).round_word
    text = f"You will sit out the next {word}" if skip else f"You are back in the next {word}"
    text = f"{text} of {membership.programme.name}{_on(membership)}."
    return _back_to(request, dashboard_card(membership), text)


@login_required
@require_http_methods(["GET", "POST"])
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request, pk)
    if not kind_of(membership.programme).offer_and_seek:
        raise Http404("This programme has no mentor and mentee roles.")
    left = membership.status == MembershipStatus.LEFT
    # Back where the member came from: the programme page (?from=programme) or the dashboard.
    back = (
        reverse("pairing:programme_detail", args=[membership.programme.slug])
        if request.GET.get("from") == "programme"
        else f"{reverse('members:dashboard')}#{dashboard_card(membership)}"
    )
    form = RoleForm(
        request.POST if request.method == "POST" and not left else None,
        initial={"mentoring_role": membership.mentoring_role},
    )
    if form.is_bound and form.is_valid():
        role = form.cleaned_data["mentoring_role"]
        try:
            changed = services.membership_change_role(membership=membership, mentoring_role=role)
        except services.MembershipError as error:
            form.add_error("mentoring_role", str(error))
        else:
            text = _role_message(membership, changed=changed)
            if request.GET.get("from") == "programme":
                messages.success(request, text)
                return redirect(back)
            return _back_to(request, dashboard_card(membership), text)
    return render(
        request,
        "pairing/membership_role.html",
        {"membership": membership, "form": form, "left": left, "back": back},
    )


def _role_message(membership: Membership, *, changed: bool) -> str:
    choice = membership.get_mentoring_role_display().lower()
    name = membership.programme.name
    if not changed:
        return f"Nothing changed: you already {choice} in {name}."
    word = kind_of(membership.programme).round_word
    return (
        f"Saved: you now {choice} in {name}, from the next {word}. "
        "Introductions already made stay as they are."
    )
