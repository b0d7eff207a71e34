"""Merging a small set into another set of the same cycle: refused when it would break a
hard rule the round preview's move check enforces (the same organisation when the
programme avoids it, a member's "don't pair me with this person again", ...), else the
movers join the other set's sessions still to come and everyone concerned is told."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from members.models import User
from pairing.kinds import kind_of
from pairing.matching.evaluate import evaluate_groups
from pairing.models import MatchMember, Membership, Round, WhenAllMet
from pairing.rounds.pool import effective_problem
from pairing.rounds.preview import member_names
from pairing.rounds.problem import round_problem
from pairing.sets.guards import locked_set, organiser_only, tell_new_host
from pairing.sets.models import LearningSet, SessionStatus, SetJoiner
from pairing.sets.notify import MERGE_GREW, MERGE_TURNS, member_notices, merge_news
from pairing.sets.rota import rota_rebalance
from pairing.sets.selectors import is_future, set_host_id, set_member_ids
from pairing.sets.swap_rules import SetError


def merge_violations(learning_set: LearningSet, into: LearningSet) -> list[str]:
    """The hard rules merging `learning_set` into `into` would break, in words naming the
    members: the round preview's own check (`matching.evaluate.evaluate_groups`, as
    `rounds.edits` calls it), on every pair the merge would put together for the first
    time (pairs already in one set are not the merge's doing)."""
    moving, staying = set_member_ids(learning_set), set_member_ids(into)
    programme = learning_set.cycle.programme
    memberships = list(
        Membership.objects.filter(programme=programme, user_id__in=[*moving, *staying])
        .select_related("user__profile")
        .order_by("pk")
    )
    forming = learning_set.cycle.forming_round or Round(programme=programme, seed=0)
    problem = round_problem(pairing_round=forming, memberships=memberships)
    if problem["programme"].get("repeat_window") is None:
        repeat = programme.when_all_met == WhenAllMet.REPEAT
        problem = effective_problem(problem, repeat_when_all_met=repeat)
    known = {m["id"] for m in problem["members"]}
    pairs = [
        [str(a), str(b)] for a in moving for b in staying if str(a) in known and str(b) in known
    ]
    found: dict[str, None] = {}
    for evaluated in evaluate_groups(problem, pairs, member_names(memberships)):
        found |= dict.fromkeys(evaluated["violations"])
    return list(found)


def merge_check(learning_set: LearningSet, into: LearningSet) -> None:
    """Refuse (SetError, nothing changed) a merge that would make the set bigger than the
    kind's maximum or break a hard rule."""
    if into.pk == learning_set.pk or into.cycle_id != learning_set.cycle_id:
        raise SetError("Choose another set of the same cycle.")
    if into.merged_into_id or learning_set.merged_into_id:
        raise SetError("That set has already been merged.")
    # Never bigger than the kind allows: a session would get two presenters each.
    maximum = kind_of(learning_set.cycle.programme).max_group_size
    size = len(set(set_member_ids(learning_set)) | set(set_member_ids(into)))
    if size > maximum:
        raise SetError(
            f"Set {into.number} would have {size} members, more than the {maximum} a set "
            f"can have: merge into a smaller set, or let set {learning_set.number} continue "
            "smaller. "
            "Nothing was changed."
        )
    violations = merge_violations(learning_set, into)
    if violations:
        raise SetError(
            f"Set {learning_set.number} cannot be merged into set {into.number}. That change "
            f"is not allowed: {'; '.join(violations)}. Nothing was changed."
        )


@transaction.atomic
def set_merge(
    *, learning_set: LearningSet, into: LearningSet, by: User, now: dt.datetime
) -> LearningSet:
    """Merge a small set into another set of the same cycle: its members join the other
    set's future sessions, its own future sessions are cancelled. Each mover gets one
    email: which set they joined, its sessions and who is in it, with a calendar file
    cancelling each old session and one inviting them to each new session; the set's
    external facilitator one cancelling its sessions; each member of the set that grew
    one saying who joined (their sessions stay as they were)."""
    organiser_only(learning_set, by)
    if into.pk == learning_set.pk or into.cycle_id != learning_set.cycle_id:
        raise SetError("Choose another set of the same cycle.")
    # Both rows locked, in the order of their ids (never two merges waiting on each other).
    locked = {s.pk: s for s in map(locked_set, sorted({learning_set.pk, into.pk}))}
    learning_set, into = locked[learning_set.pk], locked[into.pk]
    merge_check(learning_set, into)
    moving = set_member_ids(learning_set)
    staying = set_member_ids(into)
    host = set_host_id(into)
    cancelled = [s for s in learning_set.sessions.all() if is_future(s, now)]
    for session in cancelled:
        # A higher SEQUENCE, so calendars accept the cancellation (`merge_news`).
        session.status, session.sequence = SessionStatus.CANCELLED, session.sequence + 1
        session.save(update_fields=["status", "sequence"])
    MatchMember.objects.filter(match_id=learning_set.match_id, user_id__in=moving).update(
        match_id=into.match_id
    )
    # They are part of the other set's sessions from now on, not of those held before.
    SetJoiner.objects.bulk_create(
        [SetJoiner(learning_set=into, user_id=user_id, joined_at=now) for user_id in moving],
        ignore_conflicts=True,
    )
    learning_set.merged_into = into
    learning_set.save(update_fields=["merged_into"])
    future = [s for s in into.sessions.all() if is_future(s, now)]
    changed = set(rota_rebalance(learning_set=into, now=now).changed())
    cause = f"merged-{learning_set.pk}"
    # One email each: the movers' says which set they joined, with its sessions and
    # turns, and carries the calendar files (old sessions cancelled, new ones invited);
    # the others' who joined, and their turns when the re-balance changed them.
    merge_news(learning_set, into, moving, cancelled, future)
    member_notices(into, MERGE_GREW, [m for m in staying if m not in changed], cause=cause)
    member_notices(into, MERGE_TURNS, [m for m in staying if m in changed], cause=cause)
    tell_new_host(into, host, "host_merged", cause=cause)
    return into
