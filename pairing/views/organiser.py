"""Organiser pages inside the admin: preview, edit, run a round; watch its delivery."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pairing import rounds, tasks
from pairing.kinds import kind_of
from pairing.models import (
    MembershipStatus,
    Programme,
    Round,
)
from pairing.rounds.preview import OPEN
from pairing.rounds.run import failure_words
from pairing.sets.selectors import forming_notes
from pairing.templatetags.programme_words import (
    in_group_words,
    match_count,
    round_word,
)
from pairing.views.organiser_base import admin_context, named, programme_for, round_for
from pairing.views.preview_page import (
    edit_words,
    group_from,
    page_after_edit,
    preview_page_context,
    reshuffled,
    unlocked,
)
from pairing.views.progress import round_progress

logger = logging.getLogger(__name__)
# Rounds this large run in the worker, and the organiser watches the progress page.
INLINE_LIMIT = 2000


def _waits(programme: Programme) -> str:
    """Why no round of the programme can run today ("" when one can)."""
    return rounds.round_waits(programme=programme, today=timezone.localdate())


def next_round(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk)
    today = timezone.localdate()
    held = rounds.round_held_today(programme=programme, today=today)
    day = programme.next_round_on or today
    # After a round ran today, a preview for today would plan a second round that day
    # (learning sets wait for their cycle's end anyway, and say so).
    can_preview = held is None or kind_of(programme).stable_groups or day > today
    if request.method == "POST":
        if not can_preview:
            # A preview would plan a second round for today: say when the next can run.
            messages.warning(request, rounds.held_today_words(held, today))
            return redirect("admin:pairing_programme_next_round", programme.pk)
        # An open round left on another day (the date cleared, say) becomes this one.
        if moved := rounds.round_move_open(programme=programme, to=day):
            messages.info(request, rounds.moved_words(moved))
        pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
        if pairing_round.status not in OPEN:
            # That day's round has run: say so, not open its delivery page (walk 22).
            messages.warning(
                request,
                f"Round {pairing_round.number} has already run: set the date of the next "
                "round (edit the programme) to preview another.",
            )
            return redirect("admin:pairing_programme_next_round", programme.pk)
        if pairing_round.draft:
            # The page promises the draft is kept: back to it, as the organiser left it.
            messages.info(
                request,
                "Your draft is kept as you left it. Reshuffle to form the unlocked groups afresh.",
            )
            return redirect("admin:pairing_round_preview", pairing_round.pk)
        _form_preview(request, pairing_round, reshuffle=True)
        return redirect("admin:pairing_round_preview", pairing_round.pk)
    eligibility = rounds.round_eligibility(
        programme=programme, today=today, round_on=programme.next_round_on
    )
    return render(
        request,
        "admin/pairing/next_round.html",
        admin_context(
            request,
            f"Next {round_word(programme)}: {programme}",
            programme=programme,
            eligibility=eligibility,
            # Addresses only for staff allowed to view members; others see names.
            show_emails=request.user.has_perm("members.view_user"),
            opts=Programme._meta,
            recent=programme.rounds.all()[:10],
            sets_meeting=_waits(programme),
            held_today=held,
            can_preview=can_preview,
        ),
    )


def round_preview(request: HttpRequest, pk: int) -> HttpResponse:
    pairing_round = round_for(request, pk)
    state = rounds.preview_state(pairing_round, now=timezone.now())
    if request.GET.get("poll") == "1":
        # The forming page reloads once this is false (shown, failed, stalled or run).
        return JsonResponse({"forming": bool(state and state.forming and not state.stale)})
    if pairing_round.status not in OPEN:
        return redirect("admin:pairing_round_progress", pairing_round.pk)
    if request.method == "POST":
        return _preview_action(request, pairing_round)
    if state is None and not pairing_round.draft:
        # Nothing previewed yet (a round the schedule planned): form the groups now.
        _form_preview(request, pairing_round, reshuffle=False)
        state = rounds.preview_state(pairing_round, now=timezone.now())
    if state is not None:
        return _forming_page(request, pairing_round, state)
    try:
        preview = rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate())
    except rounds.RoundError as error:
        messages.error(request, str(error))
        return redirect("admin:pairing_programme_next_round", pairing_round.programme_id)
    waits = _waits(pairing_round.programme)
    confirming = request.GET.get("confirm") == "1" and not waits
    return render(
        request,
        "admin/pairing/round_preview.html",
        admin_context(
            request,
            f"Run {named(pairing_round)}?" if confirming else f"Preview: {named(pairing_round)}",
            preview=preview,
            pairing_round=pairing_round,
            **preview_page_context(request, preview),
            confirming=confirming,
            # Run off its planned day, the round is dated the day it runs (Round.held_on).
            days_ahead=(pairing_round.scheduled_for - timezone.localdate()).days,
            days_ago=(timezone.localdate() - pairing_round.scheduled_for).days,
            # Learning sets: the next cycle follows the last session, not the schedule.
            round_after=None
            if kind_of(pairing_round.programme).stable_groups
            else rounds.next_round_on_after(pairing_round, timezone.localdate()),
            opts=Round._meta,
            can_run=not any(g["violations"] for g in preview.groups),
            sets_meeting=waits,
            forming_notes=forming_notes(
                programme=pairing_round.programme,
                scheduled_for=pairing_round.scheduled_for,
                sizes=[len(g["members"]) for g in preview.groups],
            )
            if kind_of(pairing_round.programme).stable_groups
            else [],
        ),
    )


def _preview_action(request: HttpRequest, pairing_round: Round) -> HttpResponse:
    action = request.POST.get("action", "")

    def _in_words(text: str) -> str:  # "set 2" for a learning set's sets
        return in_group_words(text, pairing_round.programme)

    state = rounds.preview_state(pairing_round, now=timezone.now())
    refused = False
    try:
        if action == "reshuffle":
            before = unlocked(pairing_round)
            if _form_preview(request, pairing_round, reshuffle=True):
                messages.success(request, _in_words(reshuffled(before, unlocked(pairing_round))))
        elif action == "keep":
            rounds.preview_dismiss(pairing_round=pairing_round)
        elif state is not None and state.forming and not state.stale:
            messages.error(
                request,
                _in_words(
                    "The groups are still being formed: wait for them before you edit or "
                    f"run the {kind_of(pairing_round.programme).round_word}."
                ),
            )
        elif action in {"move", "swap", "lock", "unlock"}:
            alone = rounds.round_draft_edit(
                pairing_round=pairing_round,
                action=action,
                member=request.POST.get("member", ""),
                other=request.POST.get("other", ""),
                group=group_from(request.POST),
            )
            messages.success(
                request, _in_words(edit_words(action, request.POST, alone, pairing_round.draft))
            )
        elif action == "run" and (waiting := _waits(pairing_round.programme)):
            # Refused here, before the round is claimed: it stays a draft, not a failure.
            messages.error(request, waiting)
        elif action == "run":
            return _run(request, pairing_round)
        else:
            messages.error(request, "Unknown action.")
    except rounds.RoundError as error:
        messages.error(request, _in_words(str(error)))
        refused = True
    # Back to the page of groups the organiser was on (a refused edit's choices kept).
    preview = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    return redirect(preview + page_after_edit(request.POST, refused=refused))


def _run(request: HttpRequest, pairing_round: Round) -> HttpResponse:
    # What the organiser confirmed, or nothing: a draft someone's leaving (say) has
    # changed since is shown again, as a run would now save it, to be confirmed afresh.
    if changed := rounds.round_draft_recheck(
        pairing_round=pairing_round, today=timezone.localdate()
    ):
        messages.warning(request, changed)
        preview = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
        return redirect(f"{preview}?confirm=1")
    draft = pairing_round.draft or {}
    group_size = pairing_round.programme.group_size
    size = len(draft.get("groups", [])) * group_size
    # The draft's groups are kept; the engine places only who is left (everyone, no draft).
    rest = len(draft["unplaced"]) if draft else _members(pairing_round.programme)
    slow = rounds.preview_is_slow(group_size=group_size, members=rest)
    word = round_word(pairing_round.programme)
    if (size <= INLINE_LIMIT and not slow) or not _worker_runs_tasks():
        try:
            done = rounds.round_run(
                pairing_round=pairing_round, now=timezone.now(), run_by=request.user
            )
        except Exception as error:  # shown to the organiser; the round is marked failed
            messages.error(request, f"The {word} failed: {failure_words(error)}.")
        else:
            said = match_count(done.programme, done.matches.count())
            messages.success(request, f"{named(done)} has run: {said}.")
        return redirect("admin:pairing_round_progress", pairing_round.pk)
    transaction.on_commit(lambda: _queue_run(pairing_round, request.user.pk))
    messages.success(request, f"The {word} is running; this page shows its progress.")
    return redirect("admin:pairing_round_progress", pairing_round.pk)


def _queue_run(pairing_round: Round, user_id: int) -> None:
    from kombu.exceptions import OperationalError

    try:
        tasks.round_run.delay(pairing_round.pk, user_id)
    except OperationalError:
        # No broker: run it here rather than leave the organiser waiting for nothing.
        logger.warning("Broker unavailable; running round %s in the web process", pairing_round.pk)
        rounds.round_run_by_id(round_id=pairing_round.pk, now=timezone.now(), run_by_id=user_id)


def _worker_runs_tasks() -> bool:
    """False on the embedded default (no Redis): tasks run in-process when queued."""
    from config.celery_app import app

    return not app.conf.task_always_eager


def _members(programme: Programme) -> int:
    """At most this many members can be eligible (one count: an estimate's input)."""
    return programme.memberships.exclude(status=MembershipStatus.LEFT).count()


def _form_preview(request: HttpRequest, pairing_round: Round, *, reshuffle: bool) -> bool:
    """Form the round's preview: here if it is quick (or there is no worker), else in the
    worker while the preview page shows progress. Returns whether it finished here."""
    now = timezone.now()
    kept = sum(
        len(g["members"])
        for g in (pairing_round.draft or {}).get("groups", [])
        if g.get("locked") or not reshuffle
    )
    members = max(0, _members(pairing_round.programme) - kept)
    if not rounds.preview_claim(pairing_round=pairing_round, now=now, members=members):
        if pairing_round.status in OPEN:
            messages.info(
                request, "The groups are already being formed: this page shows them when ready."
            )
        return False
    today = timezone.localdate()
    slow = rounds.preview_is_slow(group_size=pairing_round.programme.group_size, members=members)
    if slow and _worker_runs_tasks():
        transaction.on_commit(lambda: _queue_preview(pairing_round.pk, now, today, reshuffle))
        return False
    rounds.preview_form(round_id=pairing_round.pk, claimed_at=now, today=today, reshuffle=reshuffle)
    pairing_round.refresh_from_db()
    state = rounds.preview_state(pairing_round, now=now)
    return state is None


def _queue_preview(round_id: int, now: object, today: object, reshuffle: bool) -> None:
    from kombu.exceptions import OperationalError

    try:
        tasks.round_preview_form.delay(round_id, now.isoformat(), today.isoformat(), reshuffle)
    except OperationalError:
        # No broker: form it here rather than leave the organiser waiting for nothing.
        logger.warning("Broker unavailable; forming the preview of round %s here", round_id)
        rounds.preview_form(round_id=round_id, claimed_at=now, today=today, reshuffle=reshuffle)


def _forming_page(
    request: HttpRequest, pairing_round: Round, state: rounds.PreviewState
) -> HttpResponse:
    return render(
        request,
        "admin/pairing/round_forming.html",
        admin_context(
            request,
            f"Preview: {named(pairing_round)}",
            pairing_round=pairing_round,
            state=state,
            waiting=state.forming and not state.stale,
            opts=Round._meta,
        ),
    )


# The admin's URLs name every organiser view from this module (pairing/admin.py).
__all__ = ["next_round", "round_preview", "round_progress"]
