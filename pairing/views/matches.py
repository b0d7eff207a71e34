"""A member's own matches: who they were introduced to, "don't pair me with this person
again" and "report a concern to the organisers"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.forms import MaxLength
from config.http import post_only
from feedback.closing import feedback_closing
from feedback.models import Evaluation
from feedback.strategies.selectors import match_strategies
from members.models import User
from pairing.emails.intro import met_before_sentence
from pairing.kinds import kind_of
from pairing.models import Match, Membership, MembershipStatus, Programme
from pairing.selectors import (
    ConcernTrace,
    blocked_ids,
    concern_trace,
    local_start,
    match_of,
    match_partner_ids,
    seat_role,
    shared_profile,
)
from pairing.services import block_create, block_remove, concern_report
from pairing.shared_topics import topic_sentences

CONCERN_MAX = 2000


def _others_words(match: Match, viewer: User) -> str:
    """Who else is in the match, as the start of a sentence; "" when every one of them has
    deleted their account (nobody is left to be told anything)."""
    others = [seat for seat in match.members.all() if seat.user_id != viewer.pk]
    if others and all(seat.user_id is None for seat in others):
        return ""
    if kind_of(match.pairing_round.programme).stable_groups:
        return "The other members of your set"
    return "Your partners" if len(others) > 1 else "Your partner"


def _concern_form(
    match: Match, viewer: User, data: object = None, *, adding: bool = False
) -> ConcernForm:
    form = ConcernForm(data)
    others = _others_words(match, viewer)
    field = form.fields["text"]
    told = f" {others} {'is' if others == 'Your partner' else 'are'} not told." if others else ""
    field.help_text = f"Only the organisers read this.{told} Up to {CONCERN_MAX:,} characters."
    if adding:
        # The member already reported a concern: a second post adds to it, not a new report.
        field.label = "What would you like to add?"
        field.error_messages["required"] = "Write what you would like to add for the organisers."
    return form


class ConcernForm(forms.Form):
    # A validator rather than max_length: a browser maxlength would silently cut off
    # pasted text, and nothing typed may be lost.
    text = forms.CharField(
        label="What would you like the organisers to know?",
        help_text="Only the organisers read this. Your partner is not told. "
        f"Up to {CONCERN_MAX:,} characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[
            MaxLength(
                CONCERN_MAX,
                "Keep your message to %(limit_value)s characters or fewer (it has %(show_value)s).",
            )
        ],
        error_messages={"required": "Tell the organisers what happened."},
    )


def _own_match(request: HttpRequest, pk: int) -> Match:
    # A match the viewer is not in is a 404, never a 403: we do not confirm it exists.
    return get_object_or_404(match_of(user=request.user, pk=pk))


def _partner(request: HttpRequest, match: Match) -> User:
    try:
        partner_id = int(request.POST.get("partner", ""))
    except ValueError:
        raise Http404("No such partner") from None
    if partner_id not in match_partner_ids(match=match, user=request.user):
        raise Http404("No such partner")
    return User.objects.select_related("profile").get(pk=partner_id)


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    programme = match.pairing_round.programme
    seats = [seat for seat in match.members.all() if seat.user_id != request.user.pk]
    partners = [shared_profile(seat.user, seat_role(seat, programme)) for seat in seats]
    mine = next((s for s in match.members.all() if s.user_id == request.user.pk), None)
    names = {partner.user_id: partner.display_name for partner in partners}
    # Only the viewer's own concerns, as dates: never their text or the organisers' triage.
    reported = concern_trace(user=request.user, match=match)
    strategies = match_strategies(match=match, viewer=request.user)
    # Every partner has deleted their account: nobody is left to meet.
    partners_gone = bool(partners) and not any(partner.user_id for partner in partners)
    nobody_remains = partners_gone or bool(strategies and strategies["alone"])
    context = {
        "match": match,
        "partners": partners,
        "partners_gone": partners_gone,
        "what_next": _what_next(programme, request.user) if nobody_remains else "",
        "blocked": blocked_ids(user=request.user, among=set(names) - {None}),
        "host_is_me": match.host_id == request.user.pk,
        "host_name": names.get(match.host_id) if match.host_id else None,
        "start": local_start(match=match, user=request.user),
        "reported": reported,
        "concern_form": _concern_form(match, request.user, adding=reported is not None),
        "stable_groups": kind_of(programme).stable_groups,
        # Learning sets check in after each session on the set page: no "did you meet?".
        "evaluates_matches": kind_of(programme).evaluates_matches,
        "feedback": _feedback_state(match, request.user),
        "my_role": seat_role(mine, programme) if mine else "",
        # Search review: the viewer's strategy and the reviews sent to them, and each
        # partner's strategy with the viewer's own review (None for other kinds).
        "strategies": strategies,
        "shared": _shared(match, request.user, names),
        "met_before": _met_before(match, request.user, names, programme),
    }
    return render(request, "pairing/match_detail.html", context)


def _met_before(match: Match, viewer: User, names: dict, programme: Programme) -> str:
    """The introduction's "Introduced before" / "In a set together before" sentence, for
    the viewer: "You were last introduced in March 2026." (walk 45: only the email said
    it). In a group the viewer is "you"."""
    people = [{"user_id": u, "name": name} for u, name in names.items() if u is not None]
    people.append({"user_id": viewer.pk, "name": "you"})
    sets = kind_of(programme).stable_groups
    return met_before_sentence(match, people, today=timezone.localdate(), sets=sets)


def _what_next(programme: Programme, viewer: User) -> str:
    """What happens next for a member left alone in an introduction: still in the
    programme, when they are next included; nothing once they have left it."""
    membership = Membership.objects.filter(user=viewer, programme=programme).first()
    if membership is None:
        return ""
    status = membership.effective_status(timezone.localdate())
    if status == MembershipStatus.LEFT:
        return ""
    still = f"You are still in {programme.name}"
    if status == MembershipStatus.PAUSED:
        return (
            f"{still}: you are paused until {membership.paused_until:%-d %B %Y}, "
            "and we will include you again from then."
        )
    kind = kind_of(programme)
    day = programme.next_round_on
    if day is None:
        return f"{still}: we will include you in its next {kind.round_word}."
    if kind.stable_groups:
        return f"{still}: new sets form on {day:%-d %B %Y}."
    if membership.skip_next_round:
        return (
            f"{still}: you are sitting out its next {kind.round_word}, on {day:%-d %B %Y}, "
            "and will be included again after it."
        )
    return f"{still}: the next {kind.round_word} is on {day:%-d %B %Y}."


def _feedback_state(match: Match, viewer: User) -> dict:
    """What the viewer has told us about this match (None yet) and whether they can still
    change it: the link reads "Change your answers" only while the form would accept them."""
    closing = feedback_closing(pairing_round=match.pairing_round)
    given = Evaluation.objects.filter(match=match, user=viewer).only("met", "updated_at").first()
    return {
        "given": given,
        "closing": closing,
        "open": closing is not None and timezone.now() < closing["ends_at"],
    }


def _shared(match: Match, viewer: User, partners: dict[int | None, str]) -> list[str]:
    """ "You and Max both listed Archives.": who listed each shared topic, the viewer as
    "you" (a partner whose account is gone is still counted, as one of the group)."""
    names = {**partners, viewer.pk: viewer.profile.display_name}
    return topic_sentences(topics=match.shared_interests or [], names=names, viewer=viewer.pk)


@login_required
@post_only("pairing:match_detail", keep_pk=True)
def match_block(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    partner = _partner(request, match)
    block_create(user=request.user, blocked=partner)
    messages.success(
        request,
        f"We will not pair you with {shared_profile(partner).display_name} again. "
        "They will not be told.",
    )
    return redirect("pairing:match_detail", pk=match.pk)


@login_required
@post_only("pairing:match_detail", keep_pk=True)
def match_unblock(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    partner = _partner(request, match)
    if block_remove(user=request.user, blocked=partner):
        messages.success(
            request,
            f"You may be paired with {shared_profile(partner).display_name} again. "
            "They were never told.",
        )
    return redirect("pairing:match_detail", pk=match.pk)


@login_required
@require_http_methods(["GET", "POST"])
def match_concern(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    reported = concern_trace(user=request.user, match=match)
    data = request.POST if request.method == "POST" else None
    form = _concern_form(match, request.user, data, adding=reported is not None)
    if request.method == "POST" and form.is_valid():
        concern_report(reporter=request.user, match=match, text=form.cleaned_data["text"])
        messages.success(request, _concern_thanks(match, request.user, reported))
        return redirect("pairing:match_detail", pk=match.pk)
    context = {"match": match, "form": form, "reported": reported}
    return render(request, "pairing/match_concern.html", context)


def _concern_thanks(match: Match, viewer: User, reported: ConcernTrace | None) -> str:
    others = _others_words(match, viewer)
    sent = "What you added has" if reported else "Your concern has"
    told = (
        f" {others} {'has' if others == 'Your partner' else 'have'} not been told."
        if others
        else ""
    )
    return f"Thank you. {sent} been sent to the organisers, who may contact you by email.{told}"
