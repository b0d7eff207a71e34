"""Organisers' page for a learning-set cycle, inside the admin: the sets with their
members and size flags (merge into another set, or continue smaller), facilitators,
and every session (move, cancel, check-ins so far)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from members.models import User
from pairing.kinds import kind_of
from pairing.sets import selectors, services
from pairing.sets.forms import MoveForm
from pairing.sets.merging import merge_check
from pairing.sets.models import Cycle, Facilitation, LearningSet, Session
from pairing.sets.notify import session_changes
from pairing.sets.page import cancel_turns
from pairing.sets.plan import zone_named
from pairing.sets.words import change_words, presenter_names


def _move_form(session) -> MoveForm:
    """A session's move form, filled with its day and start time in the set's zone (as the
    member's move page is)."""
    local = timezone.localtime(session.starts_at, zone_named(session.time_zone))
    return MoveForm(
        prefix=f"s{session.pk}",
        time_zone=session.time_zone,
        initial={"day": local.date(), "time": local.time().replace(tzinfo=None)},
    )


def _int(value: str | None) -> int:
    # A tampered or empty id is a 404, never a server error.
    return int(value) if value and value.isdigit() else 0


def _cycle_for(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("programme", "forming_round"), pk=pk)
    if not (
        selectors.is_organiser(request.user, cycle.programme)
        or request.user.has_perm("pairing.change_programme")
    ):
        # Another programme's pages do not exist for this organiser: a 404, never a 403.
        raise Http404
    return cycle


def _sessions(sets: list[LearningSet]) -> dict[int, list[Session]]:
    """Every set's sessions by date (as `selectors.sessions_of`, with `presenter_ids` and
    `checkin_count`), in two queries for the whole cycle."""
    by_pk = {s.pk: s for s in sets}
    sessions: dict[int, list[Session]] = {pk: [] for pk in by_pk}
    for session in (
        Session.objects.filter(learning_set__in=list(by_pk))
        .annotate(checkin_count=Count("checkins"))
        .order_by("starts_at", "number")
        .prefetch_related("presenters")
    ):
        session.learning_set = by_pk[session.learning_set_id]
        session.presenter_ids = [p.user_id for p in session.presenters.all()]
        sessions[session.learning_set_id].append(session)
    return sessions


def _sets(cycle: Cycle, now: object) -> list[dict]:
    """The cycle's sets, read once for the whole cycle: the page makes as many queries
    for ten sets as for two."""
    minimum = kind_of(cycle.programme).min_group_size
    maximum = kind_of(cycle.programme).max_group_size
    sets = list(cycle.sets.select_related("facilitator__profile", "merged_into"))
    members, leavers = selectors.sets_members(sets)
    sessions = _sessions(sets)
    changes = session_changes([s for found in sessions.values() for s in found])
    # Held sessions keep who presented and facilitated, even someone who left since.
    names = {u.pk: u.profile.display_name for found in members.values() for u in found}
    names |= {
        x.user_id: x.user.profile.display_name
        for found in leavers.values()
        for x in found
        if x.user
    }
    referenced = {p for found in sessions.values() for s in found for p in s.presenter_ids}
    referenced |= {s.facilitator_id for found in sessions.values() for s in found}
    names |= selectors.display_names(referenced - set(names) - {None})
    rows = []
    for learning_set in sets:
        rows.append(
            {
                "set": learning_set,
                "merged": _merged_words(learning_set, sets),
                **_facilitation(cycle, learning_set, members[learning_set.pk]),
                "members": members[learning_set.pk],
                # Who left, and when: the members line lists only those still in the set.
                "leavers": [
                    (names.get(x.user_id, "A former member"), x) for x in leavers[learning_set.pk]
                ],
                # A finished set (no session to come) is not offered a merge (walk 45).
                "small": len(members[learning_set.pk]) < minimum
                and not learning_set.merged_into_id
                and selectors.has_session_to_come(sessions[learning_set.pk], now),
                "sessions": [
                    {
                        "session": s,
                        "presenters": presenter_names(s.presenter_ids, names),
                        # Rotating facilitation: who facilitates this session.
                        "facilitator": "A former member"
                        if s.facilitator_gone
                        else names.get(s.facilitator_id, ""),
                        "checkins": s.checkin_count,
                        # A new facilitator is not a move: each is counted apart.
                        "moved": changes[s.pk]["moved"],
                        "refacilitated": changes[s.pk]["facilitator"],
                        "updated": changes[s.pk]["updated"],
                        "changes": change_words(
                            changes[s.pk]["moved"],
                            changes[s.pk]["facilitator"],
                            changes[s.pk]["updated"],
                        ),
                        "future": selectors.is_future(s, now),
                        "form": _move_form(s),
                    }
                    for s in sessions[learning_set.pk]
                ],
                # Only the sets a merge could join: never past the kind's maximum.
                "others": [
                    s
                    for s in sets
                    if s.pk != learning_set.pk
                    and not s.merged_into_id
                    and len(members[s.pk]) + len(members[learning_set.pk]) <= maximum
                ],
            }
        )
    return rows


def _merged_words(learning_set: LearningSet, sets: list[LearningSet]) -> str:
    """Where a merged set's members are now: "merged into set 2", and when set 2 was
    merged in turn, "merged into set 2, since merged into set 3" (the last set)."""
    by_pk = {s.pk: s for s in sets}
    first = by_pk.get(learning_set.merged_into_id)
    if first is None:
        return ""
    final, seen = first, {learning_set.pk}
    while final.merged_into_id in by_pk and final.pk not in seen:
        seen.add(final.pk)
        final = by_pk[final.merged_into_id]
    words = f"merged into set {first.number}"
    return words if final is first else f"{words}, since merged into set {final.number}"


def _facilitation(cycle: Cycle, learning_set: LearningSet, members: list[User]) -> dict:
    """The set's facilitation as the organisers read it, and whether a member is still to
    be named (the cycle has a named member of each set facilitate, and none is)."""
    named = next((u for u in members if u.pk == learning_set.facilitator_id), None)
    if learning_set.facilitator_email:
        words = f"{learning_set.facilitator_name or 'external'} ({learning_set.facilitator_email})"
    elif named is not None:
        words = f"{named.profile.display_name} facilitates"
    elif cycle.facilitation == Facilitation.MEMBER:
        words = "no member named yet"
    elif cycle.facilitation == Facilitation.EXTERNAL:
        words = "no external facilitator given"
    else:
        words = "rotating among the members"
    to_name = (
        cycle.facilitation == Facilitation.MEMBER
        and named is None
        and not learning_set.facilitator_email
        and not learning_set.merged_into_id
    )
    return {"facilitation": words, "to_name": to_name}


def cycle_sets(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    if request.method == "POST":
        return _action(request, cycle)
    return _page(request, cycle)


def _page(request: HttpRequest, cycle: Cycle, typed: dict | None = None) -> HttpResponse:
    """The page; `typed`: a refused facilitation form's values by set, shown again."""
    rows = _sets(cycle, timezone.now())
    for row in rows:
        found = row["set"]
        row["typed"] = (typed or {}).get(found.pk)
        row["form"] = row["typed"] or {
            "member": str(found.facilitator_id or ""),
            "name": found.facilitator_name,
            "email": found.facilitator_email,
        }
    context = {
        **admin.site.each_context(request),
        "title": f"Sets: {cycle}",
        "cycle": cycle,
        "opts": Cycle._meta,
        "sets": rows,
        "to_name": [row["set"].number for row in rows if row["to_name"]],
        "minimum": kind_of(cycle.programme).min_group_size,
        "maximum": kind_of(cycle.programme).max_group_size,
    }
    return render(request, "admin/pairing/cycle_sets.html", context)


def _action(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    action = request.POST.get("action", "")
    now = timezone.now()
    learning_set = get_object_or_404(LearningSet, cycle=cycle, pk=_int(request.POST.get("set")))
    if action in {"merge", "cancel"} and request.POST.get("confirmed") != "yes":
        return _confirm(request, cycle, learning_set, action)
    try:
        if action == "merge":
            into = get_object_or_404(LearningSet, cycle=cycle, pk=_int(request.POST.get("into")))
            services.set_merge(learning_set=learning_set, into=into, by=request.user, now=now)
            messages.success(request, f"Set {learning_set.number} merged into set {into.number}.")
        elif action == "continue":
            services.set_continue_smaller(learning_set=learning_set, by=request.user)
            messages.success(request, f"Set {learning_set.number} continues smaller.")
        elif action == "facilitator":
            try:
                _facilitator(request, learning_set, now)
            except services.SetError as error:
                # Refused: the page again with what the organiser typed, nothing lost.
                messages.error(request, str(error))
                typed = {k: request.POST.get(k, "").strip() for k in ("member", "name", "email")}
                return _page(request, cycle, {learning_set.pk: typed})
        elif action in {"move", "cancel"}:
            _session_action(request, learning_set, action, now)
        else:
            messages.error(request, "Unknown action.")
    except services.SetError as error:
        messages.error(request, str(error))
    return redirect("admin:pairing_cycle_sets", cycle.pk)


def _when(session: Session) -> str:
    local = timezone.localtime(session.starts_at, zone_named(session.time_zone))
    return f"{local:%A %-d %B %Y at %H:%M} ({session.time_zone})"


def _confirm(
    request: HttpRequest, cycle: Cycle, learning_set: LearningSet, action: str
) -> HttpResponse:
    """Say what a merge or a cancellation will do, and ask again before doing it."""
    now = timezone.now()
    members = selectors.set_members(learning_set)
    names = ", ".join(u.profile.display_name for u in members) or "nobody"
    ext = " and its external facilitator" if learning_set.facilitator_email else ""
    if action == "merge":
        into = get_object_or_404(LearningSet, cycle=cycle, pk=_int(request.POST.get("into")))
        try:
            # A merge that breaks a hard rule is refused here, before asking again.
            merge_check(learning_set, into)
        except services.SetError as error:
            messages.error(request, str(error))
            return redirect("admin:pairing_cycle_sets", cycle.pk)
        size = len(selectors.set_member_ids(into))
        own = [s for s in learning_set.sessions.all() if selectors.is_future(s, now)]
        theirs = [s for s in selectors.sessions_of(into) if selectors.is_future(s, now)]
        title = f"Merge set {learning_set.number} into set {into.number}?"
        points = [
            f"Set {learning_set.number}'s {len(members)} member{'s' * (len(members) != 1)} "
            f"({names}) move into set {into.number}, which goes from {size} to "
            f"{size + len(members)} members.",
            f"Set {into.number} meets next on {_when(theirs[0])}."
            if theirs
            else f"Set {into.number} has no session to come.",
            f"Emails: each moving member gets one, saying set {into.number} is now their set, "
            f"with a calendar file cancelling each of set {learning_set.number}'s {len(own)} "
            f"session{'s' * (len(own) != 1)} to come and one for each of set {into.number}'s "
            f"{len(theirs)}"
            + (
                f"; set {learning_set.number}'s external facilitator one cancelling its sessions"
                if learning_set.facilitator_email and own
                else ""
            )
            + f"; set {into.number}'s members one each saying who joined. Set {into.number}'s "
            "rota is re-balanced so everyone has a turn.",
        ]
    else:
        session = get_object_or_404(
            Session, learning_set=learning_set, pk=_int(request.POST.get("session"))
        )
        title = f"Cancel session {session.number} of set {learning_set.number}?"
        points = [
            f"Session {session.number} on {_when(session)} is cancelled.",
            *cancel_turns(session=session, user=request.user, now=now),
            f"Emails: a cancellation to each of the set's {len(members)} members ({names})"
            f"{ext}; a presenter's says where their turn went.",
        ]
    context = {
        **admin.site.each_context(request),
        "title": title,
        "cycle": cycle,
        "opts": Cycle._meta,
        "points": points,
        "fields": [(k, v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"],
    }
    return render(request, "admin/pairing/cycle_confirm.html", context)


def _facilitator(request: HttpRequest, learning_set: LearningSet, now: object) -> None:
    member_id = request.POST.get("member", "")
    member = None
    if member_id:
        member = User.objects.filter(pk=_int(member_id)).first()
        if member is None:
            raise services.SetError("Choose a member of the set.")
    email = request.POST.get("email", "").strip()
    if email and ("@" not in email or len(email) > 254):
        raise services.SetError("Enter a valid email address for the external facilitator.")
    updated = services.set_facilitator_update(
        learning_set=learning_set,
        by=request.user,
        member=member,
        email=email,
        name=request.POST.get("name", "").strip()[:80],
        now=now,
    )
    # Each sentence only when it happened: the notices queued, the address released.
    told = (
        f" {updated.released} is told by email that they no longer facilitate, with their "
        "sessions cancelled for them."
        if updated.released
        else ""
    )
    if member is None:
        messages.success(request, f"Set {learning_set.number}: facilitation updated.{told}")
    elif updated.members_told:
        messages.success(
            request,
            f"Set {learning_set.number}: {member.profile.display_name} facilitates. "
            f"The set's members are told by email.{told}",
        )
    else:
        messages.success(
            request,
            f"Set {learning_set.number}: {member.profile.display_name} still facilitates; "
            f"nobody is emailed.{told}",
        )


def _session_action(
    request: HttpRequest, learning_set: LearningSet, action: str, now: object
) -> None:
    session = get_object_or_404(
        Session, learning_set=learning_set, pk=_int(request.POST.get("session"))
    )
    if action == "cancel":
        services.session_cancel(session=session, by=request.user, now=now)
        messages.success(request, f"Set {learning_set.number}, session {session.number} cancelled.")
        return
    form = MoveForm(request.POST, prefix=f"s{session.pk}", time_zone=session.time_zone)
    # Which of the page's sessions was not moved, and why (walk 36: only "Set 2 meets ...").
    named = f"Set {learning_set.number}, session {session.number} not moved"
    if not form.is_valid():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        raise services.SetError(f"{named}: {problems}")
    try:
        services.session_move(session=session, by=request.user, starts_at=form.starts_at(), now=now)
    except services.SetError as error:
        raise services.SetError(f"{named}: {error}") from error
    messages.success(request, f"Set {learning_set.number}, session {session.number} moved.")
