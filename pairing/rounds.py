"""Round services: who is eligible, the engine's problem, preview, run, schedule."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from members.models import User
from pairing import matching
from pairing.matching.evaluate import evaluate_groups
from pairing.models import (
    Block,
    LeftOut,
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Programme,
    Round,
    RoundStatus,
)
from pairing.outbox import outbox_enqueue
from pairing.slots import suggest_slot

logger = logging.getLogger(__name__)
FORMATS = {"online", "in_person", "either"}


class RoundError(Exception):
    """A round action that cannot be done; the message is shown to the organiser."""


@dataclass
class Eligibility:
    eligible: list[Membership] = field(default_factory=list)
    ineligible: list[tuple[Membership, str]] = field(default_factory=list)


def round_eligibility(*, programme: Programme, today: dt.date) -> Eligibility:
    """Split the programme's members into eligible and not, with a reason for each."""
    verified = EmailAddress.objects.filter(user=OuterRef("user_id"), verified=True)
    memberships = (
        Membership.objects.filter(programme=programme)
        .exclude(status=MembershipStatus.LEFT)
        .annotate(verified=Exists(verified))
        .select_related("user__profile", "programme")
        .order_by("user_id")
    )
    result = Eligibility()
    for membership in memberships:
        reason = _ineligible_reason(membership, today)
        if reason:
            result.ineligible.append((membership, reason))
        else:
            result.eligible.append(membership)
    return result


def _ineligible_reason(membership: Membership, today: dt.date) -> str:
    profile = getattr(membership.user, "profile", None)
    if not membership.user.is_active:
        return "account deactivated"
    if not membership.verified:
        return "email address not verified"
    if profile is None or not profile.complete:
        return "profile incomplete"
    if membership.is_paused_on(today):
        return f"paused until {membership.paused_until:%-d %B %Y}"
    if membership.skip_next_round:
        return "skipping this round"
    if membership.programme.is_mentoring and not membership.mentoring_role:
        return "has not said whether they offer or seek mentoring"
    return ""


def round_problem(*, pairing_round: Round, memberships: list[Membership]) -> dict:
    """The engine's input for this round, in the `match_file` format (matching.md)."""
    programme = pairing_round.programme
    user_ids = [m.user_id for m in memberships]
    interests = _interest_slugs(user_ids)
    blocked = _blocks(user_ids)
    previous = programme.rounds.filter(
        status=RoundStatus.DONE, number__lt=pairing_round.number
    ).order_by("number")
    left_out_last = (
        set(LeftOut.objects.filter(pairing_round=previous.last()).values_list("user_id", flat=True))
        if previous.exists()
        else set()
    )
    hosted = dict(
        Match.objects.filter(pairing_round__programme=programme, host__in=user_ids)
        .values_list("host")
        .annotate(n=Count("id"))
        .values_list("host", "n")
    )
    members = []
    for membership in memberships:
        profile = membership.user.profile
        members.append(
            {
                "id": str(membership.user_id),
                "interests": interests.get(membership.user_id, []),
                "sector": profile.sector or None,
                "region": profile.region or None,
                "organisation": profile.organisation or None,
                "experience": profile.experience,
                "format": profile.meeting_format if profile.meeting_format in FORMATS else "either",
                "mentoring": membership.mentoring_role or None,
                "blocked": sorted(str(b) for b in blocked.get(membership.user_id, ())),
                "left_out_last_round": membership.user_id in left_out_last,
                "hosted": hosted.get(membership.user_id, 0),
            }
        )
    return {
        "programme": {
            "group_size": programme.group_size,
            "sector_mix": programme.sector_mix,
            "avoid_same_organisation": programme.avoid_same_organisation,
            "repeat_window": programme.repeat_window,
            "mentoring": programme.is_mentoring,
            "randomness": programme.randomness,
            "seed": pairing_round.seed,
        },
        "members": members,
        "history": _history(previous, set(user_ids)),
    }


def _interest_slugs(user_ids: list[int]) -> dict[int, list[str]]:
    from members.models import Profile

    result: dict[int, list[str]] = {}
    rows = Profile.interests.through.objects.filter(profile__user_id__in=user_ids).values_list(
        "profile__user_id", "interest__slug"
    )
    for user_id, slug in rows:
        result.setdefault(user_id, []).append(slug)
    return result


def _blocks(user_ids: list[int]) -> dict[int, set[int]]:
    # The engine needs both directions only from one side; giving the blocker's list is
    # enough, and the blocked person never learns of it.
    result: dict[int, set[int]] = {}
    ids = set(user_ids)
    for user_id, blocked_id in Block.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "blocked_id"
    ):
        if blocked_id in ids:
            result.setdefault(user_id, set()).add(blocked_id)
    return result


def _history(previous: object, present: set[int]) -> list[dict]:
    groups: dict[int, dict[int, list[str]]] = {}
    seats = (
        MatchMember.objects.filter(pairing_round__in=previous, user__isnull=False)
        .values_list("pairing_round__number", "match_id", "user_id")
        .order_by("match_id")
    )
    for number, match_id, user_id in seats:
        groups.setdefault(number, {}).setdefault(match_id, []).append(user_id)
    history = []
    for number in sorted(groups):
        kept = [[str(u) for u in g if u in present] for g in groups[number].values()]
        kept = [g for g in kept if len(g) >= 2]
        if kept:
            history.append({"round": number, "groups": kept})
    return history


def round_plan(*, programme: Programme, scheduled_for: dt.date) -> Round:
    """The round of this programme for that date, created (planned) if it does not exist."""
    existing = Round.objects.filter(programme=programme, scheduled_for=scheduled_for).first()
    if existing:
        return existing
    for _attempt in range(3):
        number = (
            programme.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        try:
            with transaction.atomic():
                return Round.objects.create(
                    programme=programme,
                    number=number,
                    scheduled_for=scheduled_for,
                    seed=secrets.randbelow(2**31),
                )
        except IntegrityError:
            existing = Round.objects.filter(
                programme=programme, scheduled_for=scheduled_for
            ).first()
            if existing:
                return existing
    raise RoundError("Could not plan the round: please try again.")


# --- Preview and organiser edits --------------------------------------------------------


@dataclass
class Preview:
    pairing_round: Round
    groups: list[dict]
    unplaced: list[dict]
    ineligible: list[tuple[Membership, str]]
    warnings: list[str]
    objective: int
    bound: float | None


def round_preview(*, pairing_round: Round, today: dt.date, reshuffle: bool = False) -> Preview:
    """Solve (or re-check) the round without saving any match. The organiser's draft,
    with locked groups kept on reshuffle, is stored on the round so edits persist."""
    if pairing_round.status != RoundStatus.PLANNED:
        raise RoundError("This round has already run.")
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    draft = pairing_round.draft or {}
    keep = [g for g in draft.get("groups", []) if g.get("locked") or not reshuffle]
    solution = _solve_with_fixed(problem, [g["members"] for g in keep] if draft else [])
    locked = {tuple(g["members"]) for g in keep if g.get("locked")}
    pairing_round.draft = {
        "groups": [
            {"members": g["members"], "locked": tuple(g["members"]) in locked}
            for g in solution["groups"]
        ],
        "unplaced": solution["unplaced"],
    }
    pairing_round.save(update_fields=["draft"])
    return _preview_from(pairing_round, problem, solution, eligibility)


def _solve_with_fixed(problem: dict, fixed: list[list[str]]) -> dict:
    """Keep `fixed` groups (those still fully eligible) and let the engine place the rest."""
    present = {m["id"] for m in problem["members"]}
    fixed = [g for g in fixed if len(g) >= 2 and set(g) <= present]
    # A kept group that now breaks a rule (a new block, a changed profile) is dissolved
    # and its members matched afresh: a hard rule is never broken.
    fixed = [
        g
        for g, e in zip(fixed, evaluate_groups(problem, fixed), strict=True)
        if not e["violations"]
    ]
    taken = {member for group in fixed for member in group}
    rest = {**problem, "members": [m for m in problem["members"] if m["id"] not in taken]}
    solved = matching.solve(rest) if rest["members"] else {"groups": [], "unplaced": [], "bound": 0}
    evaluated = evaluate_groups(problem, fixed)
    groups = [
        {"members": g, "score": e["score"], "host": e["host"]}
        for g, e in zip(fixed, evaluated, strict=True)
    ] + solved["groups"]
    bound = solved.get("bound")
    return {
        "groups": groups,
        "unplaced": solved["unplaced"],
        "objective": sum(g["score"] for g in groups),
        "bound": None if fixed or bound is None else bound,
    }


def _preview_from(
    pairing_round: Round, problem: dict, solution: dict, eligibility: Eligibility
) -> Preview:
    by_id = {str(m.user_id): m for m in eligibility.eligible}
    evaluated = evaluate_groups(problem, [g["members"] for g in solution["groups"]])
    locked = [g["locked"] for g in pairing_round.draft["groups"]]
    names = _slug_names()
    groups = [
        {
            "index": i,
            "members": [by_id[m] for m in g["members"]],
            "score": e["score"],
            "shared": [names.get(slug, slug) for slug in e["shared"]],
            "host": by_id.get(g.get("host") or e["host"]),
            "violations": e["violations"],
            "locked": locked[i],
        }
        for i, (g, e) in enumerate(zip(solution["groups"], evaluated, strict=True))
    ]
    unplaced = [{"membership": by_id[u["id"]], "reason": u["reason"]} for u in solution["unplaced"]]
    return Preview(
        pairing_round,
        groups,
        unplaced,
        eligibility.ineligible,
        _warnings(problem, groups, unplaced, eligibility),
        sum(g["score"] for g in groups),
        solution.get("bound"),
    )


def _warnings(
    problem: dict, groups: list[dict], unplaced: list[dict], eligibility: Eligibility
) -> list[str]:
    warnings = []
    met: dict[str, set[str]] = {}
    for past in problem["history"]:
        for group in past["groups"]:
            for member in group:
                met.setdefault(member, set()).update(m for m in group if m != member)
    everyone = {m["id"] for m in problem["members"]}
    exhausted = [m for m in everyone if len(everyone) > 1 and everyone - {m} <= met.get(m, set())]
    if exhausted:
        warnings.append(
            f"Pool nearly exhausted: {len(exhausted)} member(s) have met everyone "
            "eligible this round."
        )
    if unplaced:
        warnings.append(
            f"{len(unplaced)} member(s) cannot be placed this round; they will be "
            "told why and come first next round."
        )
    broken = sum(1 for g in groups if g["violations"])
    if broken:
        warnings.append(f"{broken} edited group(s) break a matching rule: fix them before running.")
    if len(eligibility.eligible) < 2:
        warnings.append("Fewer than two members are eligible: nobody can be matched.")
    return warnings


def round_draft_edit(
    *,
    pairing_round: Round,
    action: str,
    member: str = "",
    other: str = "",
    group: int | None = None,
) -> None:
    """Organiser edits on the preview: move a member to a group, swap two members,
    lock or unlock a group. Refused (RoundError) if the result breaks a hard rule."""
    if pairing_round.status != RoundStatus.PLANNED or not pairing_round.draft:
        raise RoundError("Preview the round before editing it.")
    groups = [dict(g, members=list(g["members"])) for g in pairing_round.draft["groups"]]
    unplaced = list(pairing_round.draft.get("unplaced", []))
    where = {m: i for i, g in enumerate(groups) for m in g["members"]}
    if action in {"lock", "unlock"}:
        if group is None or not 0 <= group < len(groups):
            raise RoundError("Choose a group.")
        groups[group]["locked"] = action == "lock"
    elif action == "swap":
        if member not in where or other not in where or where[member] == where[other]:
            raise RoundError("Choose two members from different groups to swap.")
        a, b = groups[where[member]]["members"], groups[where[other]]["members"]
        a[a.index(member)], b[b.index(other)] = other, member
    elif action == "move":
        if group is None or not 0 <= group < len(groups) or where.get(member) == group:
            raise RoundError("Choose a member and a different group to move them to.")
        if member in where:
            groups[where[member]]["members"].remove(member)
        elif any(u["id"] == member for u in unplaced):
            unplaced = [u for u in unplaced if u["id"] != member]
        else:
            raise RoundError("That member is not in this preview.")
        groups[group]["members"].append(member)
    else:
        raise RoundError("Unknown edit.")
    for emptied in [g for g in groups if len(g["members"]) < 2]:
        unplaced += [
            {"id": m, "reason": "moved out of their group by an organiser"}
            for m in emptied["members"]
        ]
    groups = [g for g in groups if len(g["members"]) >= 2]
    _check_rules(pairing_round, [g["members"] for g in groups])
    pairing_round.draft = {"groups": groups, "unplaced": unplaced}
    pairing_round.save(update_fields=["draft"])


def _check_rules(pairing_round: Round, groups: list[list[str]]) -> None:
    eligibility = round_eligibility(programme=pairing_round.programme, today=timezone.localdate())
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    for evaluated in evaluate_groups(problem, groups):
        if evaluated["violations"]:
            raise RoundError("That change is not allowed: " + evaluated["violations"][0])


# --- Running a round ---------------------------------------------------------------------


def round_run(*, pairing_round: Round, now: dt.datetime, run_by: User | None = None) -> Round:
    """Run the round once: match (the organiser's draft if there is one), save the matches
    and their outbox rows in one transaction, queue the emails after commit.

    Claiming the round with a conditional UPDATE means a second call, a retry, or a
    second organiser pressing "run" at the same moment does nothing."""
    claimed = Round.objects.filter(
        pk=pairing_round.pk, status__in=[RoundStatus.PLANNED, RoundStatus.FAILED]
    ).update(
        status=RoundStatus.RUNNING,
        started_at=now,
        run_by=run_by,
        error="",
        progress_note="Finding eligible members",
        progress_done=0,
        progress_total=0,
    )
    pairing_round.refresh_from_db()
    if not claimed:
        return pairing_round
    try:
        return _run_claimed(pairing_round, now)
    except Exception as error:
        logger.exception("Round %s failed", pairing_round.pk)
        Round.objects.filter(pk=pairing_round.pk).update(
            status=RoundStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            progress_note="Failed",
        )
        pairing_round.refresh_from_db()
        raise


def round_run_by_id(*, round_id: int, now: dt.datetime, run_by_id: int | None = None) -> Round:
    pairing_round = (
        Round.objects.select_related("programme").defer("snapshot", "draft").get(pk=round_id)
    )
    run_by = User.objects.filter(pk=run_by_id).first() if run_by_id else None
    return round_run(pairing_round=pairing_round, now=now, run_by=run_by)


def _progress(pairing_round: Round, note: str, done: int = 0, total: int = 0) -> None:
    # Written outside the saving transaction so the admin's progress page can read it.
    Round.objects.filter(pk=pairing_round.pk).update(
        progress_note=note, progress_done=done, progress_total=total
    )


def _run_claimed(pairing_round: Round, now: dt.datetime) -> Round:
    today = timezone.localdate(now)
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    _progress(pairing_round, f"Matching {len(problem['members'])} members")
    draft = pairing_round.draft or {}
    solution = _solve_with_fixed(problem, [g["members"] for g in draft.get("groups", [])])
    _progress(pairing_round, f"Saving {len(solution['groups'])} matches")
    with transaction.atomic():
        email_ids = _save(pairing_round, problem, solution, eligibility, now)
        transaction.on_commit(lambda: outbox_enqueue(email_ids), robust=True)
    pairing_round.refresh_from_db()
    return pairing_round


def _save(
    pairing_round: Round, problem: dict, solution: dict, eligibility: Eligibility, now: dt.datetime
) -> list[int]:
    profiles = {str(m.user_id): m.user.profile for m in eligibility.eligible}
    slugs = _slug_names()
    interests = {m["id"]: set(m["interests"]) for m in problem["members"]}
    matches = Match.objects.bulk_create(
        [
            Match(
                pairing_round=pairing_round,
                score=g["score"],
                host_id=int(g["host"]),
                shared_interests=_shared_names(interests, g["members"], slugs),
                suggested_start=suggest_slot(
                    members=[
                        (profiles[m].availability, profiles[m].time_zone) for m in g["members"]
                    ],
                    after=pairing_round.scheduled_for,
                ),
            )
            for g in solution["groups"]
        ],
        batch_size=2000,
    )
    MatchMember.objects.bulk_create(
        [
            MatchMember(match=match, pairing_round=pairing_round, user_id=int(member))
            for match, g in zip(matches, solution["groups"], strict=True)
            for member in g["members"]
        ],
        batch_size=5000,
    )
    LeftOut.objects.bulk_create(
        [
            LeftOut(
                pairing_round=pairing_round,
                user_id=int(u["id"]),
                reason=member_reason(u["reason"])[:300],
            )
            for u in solution["unplaced"]
        ],
        batch_size=5000,
    )
    emails = OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                key=f"intro:{m.pk}", kind=OutboxKind.INTRO, pairing_round=pairing_round, match=m
            )
            for m in matches
        ]
        + [
            OutboxEmail(
                key=f"left_out:{pairing_round.pk}:{u['id']}",
                kind=OutboxKind.LEFT_OUT,
                pairing_round=pairing_round,
                user_id=int(u["id"]),
            )
            for u in solution["unplaced"]
        ],
        batch_size=5000,
    )
    skipped = [m.pk for m, reason in eligibility.ineligible if reason == "skipping this round"]
    Membership.objects.filter(pk__in=skipped).update(skip_next_round=False)
    _advance_schedule(pairing_round)
    Round.objects.filter(pk=pairing_round.pk).update(
        status=RoundStatus.DONE,
        finished_at=timezone.now(),
        snapshot=problem,
        objective=solution["objective"],
        bound=solution.get("bound"),
        progress_note="Sending introductions",
        progress_done=0,
        progress_total=len(emails),
    )
    return [e.pk for e in emails]


def member_reason(reason: str) -> str:
    """The engine's reason, as the member is told it. A block is confidential: "blocked"
    would tell someone that a person asked not to meet them."""
    return reason.replace(
        "everyone else is blocked", "everyone else is unavailable to you"
    ).replace("blocked", "unavailable to you")


def _slug_names() -> dict[str, str]:
    from members.models import Interest

    return dict(Interest.objects.values_list("slug", "name"))


def _shared_names(
    interests: dict[str, set[str]], members: list[str], slugs: dict[str, str]
) -> list[str]:
    counts = Counter(slug for m in members for slug in interests.get(m, ()))
    shared = sorted(slug for slug, n in counts.items() if n >= 2)
    return [slugs.get(slug, slug) for slug in shared]


def _advance_schedule(pairing_round: Round) -> None:
    programme = pairing_round.programme
    if programme.next_round_on and programme.next_round_on <= pairing_round.scheduled_for:
        step = dt.timedelta(days=programme.cadence_days)
        Programme.objects.filter(pk=programme.pk).update(
            next_round_on=pairing_round.scheduled_for + step
        )


# --- The schedule --------------------------------------------------------------------------


def rounds_run_due(*, now: dt.datetime) -> list[Round]:
    """Run every programme whose next round date has come (once each)."""
    today = timezone.localdate(now)
    done = []
    for programme in Programme.objects.filter(next_round_on__lte=today):
        pairing_round = round_plan(programme=programme, scheduled_for=programme.next_round_on)
        if pairing_round.status in {RoundStatus.PLANNED, RoundStatus.FAILED}:
            done.append(round_run(pairing_round=pairing_round, now=now))
    return done


def notices_send_due(*, now: dt.datetime) -> int:
    """The day before a round, tell each eligible member (with a 'skip this one' link)."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    queued: list[int] = []
    for programme in Programme.objects.filter(next_round_on=tomorrow):
        pairing_round = round_plan(programme=programme, scheduled_for=tomorrow)
        if pairing_round.notice_sent_at:
            continue
        eligible = round_eligibility(programme=programme, today=tomorrow).eligible
        with transaction.atomic():
            claimed = Round.objects.filter(pk=pairing_round.pk, notice_sent_at__isnull=True).update(
                notice_sent_at=now
            )
            if not claimed:
                continue
            rows = OutboxEmail.objects.bulk_create(
                [
                    OutboxEmail(
                        key=f"notice:{pairing_round.pk}:{m.user_id}",
                        kind=OutboxKind.NOTICE,
                        pairing_round=pairing_round,
                        user=m.user,
                    )
                    for m in eligible
                ]
            )
            queued += [r.pk for r in rows]
    if queued:
        transaction.on_commit(lambda: outbox_enqueue(queued), robust=True)
    return len(queued)


def schedule_tick(*, now: dt.datetime) -> None:
    """What the beat's one periodic task does: resume pauses, notices, due rounds, sweep."""
    from feedback.services import followups_send_due
    from pairing.outbox import outbox_sweep
    from pairing.services import memberships_resume_due

    memberships_resume_due(today=timezone.localdate(now))
    notices_send_due(now=now)
    rounds_run_due(now=now)
    followups_send_due(now=now)
    outbox_sweep(now=now)
