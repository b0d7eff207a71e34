"""Read-only queries about learning sets: who is in a set now, who may change its
sessions, whether a cycle is running, a member's sets and sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from members.models import User
from pairing.kinds import kind_of
from pairing.matching.group_sizes import composition
from pairing.models import MatchMember, OutboxEmail, Programme, RoundStatus
from pairing.sets.models import (
    Cycle,
    Facilitation,
    LearningSet,
    Presenter,
    RotaSwap,
    Session,
    SessionCheckIn,
    SessionStatus,
    SetEvaluation,
    SetJoiner,
    SetLeaver,
    SwapStatus,
)
from pairing.sets.plan import unplanned_start
from pairing.sets.waiting import unplanned_cycle, waiting_cycle


def _seats(match_ids: list[int]) -> QuerySet[MatchMember]:
    """The seats of these sets' matches (deleted accounts left out): each set's own
    members in seat order, then those who joined it in a merge, in the order they joined.
    So a merge never hands the dates (`set_host_id`) to a newcomer while the set has one."""
    joined = SetJoiner.objects.filter(
        learning_set__match_id=OuterRef("match_id"), user_id=OuterRef("user_id")
    )
    return (
        MatchMember.objects.filter(match_id__in=match_ids, user__isnull=False)
        .annotate(joined=Subquery(joined.values("joined_at")[:1]))
        .order_by(F("joined").asc(nulls_first=True), "pk")
    )


def set_member_ids(learning_set: LearningSet) -> list[int]:
    """The set's members now (leavers and deleted accounts left out), as `_seats`."""
    left = set(
        SetLeaver.objects.filter(learning_set=learning_set).values_list("user_id", flat=True)
    )
    seats = _seats([learning_set.match_id]).values_list("user_id", flat=True)
    return [user_id for user_id in seats if user_id not in left]


def sets_members(
    sets: list[LearningSet],
) -> tuple[dict[int, list[User]], dict[int, list[SetLeaver]]]:
    """For many sets at once (two queries): each set's members now, as `set_members`,
    and who left it, by date; both by set id."""
    by_match = {s.match_id: s.pk for s in sets}
    leavers: dict[int, list[SetLeaver]] = {s.pk: [] for s in sets}
    for leaver in (
        SetLeaver.objects.filter(learning_set__in=list(by_match.values()))
        .select_related("user__profile")
        .order_by("left_at", "pk")
    ):
        leavers[leaver.learning_set_id].append(leaver)
    members: dict[int, list[User]] = {s.pk: [] for s in sets}
    for seat in _seats(list(by_match)).select_related("user__profile"):
        set_id = by_match[seat.match_id]
        if all(x.user_id != seat.user_id for x in leavers[set_id]):
            members[set_id].append(seat.user)
    return members, leavers


def set_members(learning_set: LearningSet) -> list[User]:
    ids = set_member_ids(learning_set)
    users = User.objects.select_related("profile").in_bulk(ids)
    return [users[i] for i in ids if i in users]


def display_names(user_ids: set[int] | list[int]) -> dict[int, str]:
    """Members' names by id, whether or not they are still in the set: the history of a
    set (who presented at or facilitated a session held) keeps someone who left since."""
    return {
        u.pk: u.profile.display_name
        for u in User.objects.filter(pk__in=set(user_ids)).select_related("profile")
    }


def is_organiser(user: User, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or programme.organisers.filter(pk=user.pk).exists()


def set_host_id(learning_set: LearningSet) -> int | None:
    """Who looks after the set's dates: its facilitator when a member, else the match's
    host while still in the set, else the first member."""
    members = set_member_ids(learning_set)
    for candidate in (learning_set.facilitator_id, learning_set.match.host_id):
        if candidate in members:
            return candidate
    return members[0] if members else None


def can_change_sessions(learning_set: LearningSet, user: User) -> bool:
    return user.pk == set_host_id(learning_set) or is_organiser(user, learning_set.cycle.programme)


def _sessions_to_come(programme: Programme, today: dt.date) -> QuerySet[Session]:
    return Session.objects.filter(
        learning_set__cycle__programme=programme,
        learning_set__cycle__forming_round__status=RoundStatus.DONE,
        learning_set__merged_into__isnull=True,
        status=SessionStatus.SCHEDULED,
        starts_at__date__gte=today,
    )


def cycle_running(*, programme: Programme, today: dt.date) -> bool:
    """A cycle of `programme` has formed its sets and has a session still to come: no new
    round may reshuffle them."""
    return _sessions_to_come(programme, today).exists()


def cycle_last_session(*, programme: Programme, today: dt.date) -> dt.date | None:
    """The day of the running cycle's last session still to come (None when no cycle is
    running): a new cycle's sets can be formed from the day after."""
    last = _sessions_to_come(programme, today).aggregate(last=Max("starts_at"))["last"]
    return timezone.localdate(last) if last else None


def sets_of(*, user: User) -> QuerySet[LearningSet]:
    """The sets `user` is in now (not left, not merged away), newest cycle first."""
    return (
        LearningSet.objects.filter(match__members__user=user, merged_into__isnull=True)
        .exclude(leavers__user=user)
        .select_related("cycle__programme", "match")
        .order_by("-cycle__first_session_on", "number")
    )


def set_of(*, user: User, pk: int) -> QuerySet[LearningSet]:
    """The set `pk` if `user` is in it now; empty otherwise (the caller makes it a 404)."""
    return sets_of(user=user).filter(pk=pk)


def merged_into_for(*, user: User, pk: int) -> LearningSet | None:
    """The set that set `pk` was merged into, only when `user` moved there with it: they
    joined that set in a merge and were in set `pk` (its emails went to them, or they had
    a turn in it). For anyone else, an original member of the other set included, None."""
    merged = LearningSet.objects.filter(pk=pk, merged_into__isnull=False).first()
    if merged is None:
        return None
    # A set merged into one that was itself merged later: the set the chain ends in.
    last, seen = merged.merged_into_id, {merged.pk}
    while last not in seen:
        seen.add(last)
        last = (
            LearningSet.objects.filter(pk=last).values_list("merged_into_id", flat=True)[0] or last
        )
    into = set_of(user=user, pk=last).first()
    if into is None or not SetJoiner.objects.filter(learning_set=into, user=user).exists():
        return None
    was_in = (
        OutboxEmail.objects.filter(match_id=merged.match_id, user=user).exists()
        or Presenter.objects.filter(session__learning_set=merged, user=user).exists()
    )
    return into if was_in else None


def session_of(*, user: User, pk: int) -> QuerySet[Session]:
    """The session `pk` of a set `user` is in now; empty otherwise."""
    return Session.objects.filter(
        pk=pk, learning_set__in=sets_of(user=user).values("pk")
    ).select_related("learning_set__cycle__programme", "learning_set__match")


def sessions_of(learning_set: LearningSet) -> list[Session]:
    """The set's sessions by date, each with `presenter_ids` (in the order they were
    given their turn, the same on every database)."""
    presenters = Prefetch("presenters", queryset=Presenter.objects.order_by("pk"))
    sessions = list(
        learning_set.sessions.order_by("starts_at", "number").prefetch_related(presenters)
    )
    for session in sessions:
        session.presenter_ids = [p.user_id for p in session.presenters.all()]
    return sessions


def is_future(session: Session, now: dt.datetime) -> bool:
    return session.status == SessionStatus.SCHEDULED and session.starts_at > now


def has_session_to_come(sessions: Iterable[Session], now: dt.datetime) -> bool:
    """Whether a set still meets: a set with none to come is over (nothing to leave,
    merge or look after)."""
    return any(is_future(s, now) for s in sessions)


def has_started(session: Session, now: dt.datetime) -> bool:
    return session.status == SessionStatus.SCHEDULED and session.starts_at <= now


def joined_at(*, learning_set: LearningSet, user: User) -> dt.datetime | None:
    """When `user` joined the set mid-cycle (a merge); None for a member from its forming."""
    return (
        SetJoiner.objects.filter(learning_set=learning_set, user=user)
        .values_list("joined_at", flat=True)
        .first()
    )


def part_of(session: Session, joined: dt.datetime | None) -> bool:
    """The session was held after the member joined its set (or they were in it from
    the start): only such a session is checked in, offered or counted."""
    return joined is None or session.starts_at >= joined


def checkin_due(*, user: User, session: Session, now: dt.datetime) -> bool:
    return (
        has_started(session, now)
        and part_of(session, joined_at(learning_set=session.learning_set, user=user))
        and not SessionCheckIn.objects.filter(session=session, user=user).exists()
    )


def cycle_over(learning_set: LearningSet, now: dt.datetime) -> bool:
    """Every session of the set has started or been cancelled (and one was held)."""
    sessions = learning_set.sessions.all()
    held = sessions.filter(status=SessionStatus.SCHEDULED)
    return held.exists() and not held.filter(starts_at__gt=now).exists()


def dashboard_sessions(*, user: User, now: dt.datetime | None = None) -> list[dict]:
    """For each of the member's sets: the next session and any check-in waiting."""
    now = now or timezone.now()
    rows = []
    sets = list(sets_of(user=user))
    # The sets this member has evaluated: one query, however many sets are over.
    evaluated = (
        set(SetEvaluation.objects.filter(user=user).values_list("learning_set_id", flat=True))
        if sets
        else set()
    )
    for learning_set in sets:
        sessions = sessions_of(learning_set)
        held = [s for s in sessions if s.status == SessionStatus.SCHEDULED]
        upcoming = next((s for s in sessions if is_future(s, now)), None)
        answered = set(
            SessionCheckIn.objects.filter(
                user=user, session__learning_set=learning_set
            ).values_list("session_id", flat=True)
        )
        joined = joined_at(learning_set=learning_set, user=user)
        waiting = [
            s
            for s in sessions
            if has_started(s, now) and part_of(s, joined) and s.pk not in answered
        ]
        rows.append(
            {
                "set": learning_set,
                "next": upcoming,
                "presenting": bool(upcoming and user.pk in upcoming.presenter_ids),
                "checkin": waiting[-1] if waiting else None,
                "swaps": RotaSwap.objects.filter(
                    learning_set=learning_set, partner=user, status=SwapStatus.PROPOSED
                ).count(),
                # The cycle is over and this member has not evaluated the set yet: the
                # dashboard links the evaluation beside "No sessions still to come".
                "evaluate": upcoming is None
                and bool(held)
                and all(s.starts_at <= now for s in held)
                and learning_set.pk not in evaluated,
            }
        )
    return rows


def presenter_counts(learning_set: LearningSet) -> dict[int, int]:
    """Turns per member over the set's sessions that are not cancelled."""
    counts: dict[int, int] = {}
    for user_id in Presenter.objects.filter(
        session__learning_set=learning_set, session__status=SessionStatus.SCHEDULED
    ).values_list("user_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def cycles_of(programme: Programme) -> QuerySet[Cycle]:
    return Cycle.objects.filter(programme=programme).select_related("forming_round")


def forming_notes(*, programme: Programme, scheduled_for: dt.date, sizes: list[int]) -> list[str]:
    """What an organiser should know before a round forms a programme's sets: the cycle
    they will meet in (or that none is set up, and the defaults a run would take), and
    any set below the kind's minimum. `sizes`: the previewed sets' sizes."""
    notes = []
    cycle = waiting_cycle(programme)
    if cycle is None:
        first = unplanned_start(scheduled_for)
        new = unplanned_cycle(programme.pk, first)
        like = "like the last one" if new.follows_last else "with the defaults"
        place = f"at {new.place}" if new.place else "with no venue or online link"
        who = new.facilitator_name or new.facilitator_email
        led = {
            Facilitation.EXTERNAL: f"facilitated by {who}",
            Facilitation.MEMBER: "a named member of each set facilitating",
        }.get(new.facilitation, "a different member facilitating each session")
        notes.append(
            f"No cycle is set up for these sets. If they are formed without one, they meet "
            f"in a new cycle {like}: {new.sessions} sessions of "
            f"{new.length_words}, {new.every_words} from the week starting "
            f"{first:%A %-d %B %Y}, {place}, {led}, and each member is sent every "
            "session's invitation. To choose otherwise, add a cycle for this programme first."
        )
    else:
        place = f" at {cycle.place}" if cycle.place else ", with no venue or online link yet"
        notes.append(
            f"The sets will meet {cycle.sessions} times, {cycle.every_words}, from the week "
            "starting "
            f"{cycle.first_session_on:%A %-d %B %Y}{place}."
            + (
                " Members are grouped for that place, whatever meeting format their profiles give."
                if cycle.place
                else ""
            )
        )
    minimum = kind_of(programme).min_group_size
    small = sum(1 for size in sizes if size < minimum)
    if small:
        notes.append(
            f"{small} set{' is' if small == 1 else 's are'} below the minimum of {minimum} "
            f"members{_why_small(programme.group_size, sizes, minimum)}: lock, move or "
            "swap members to change that, or run it and choose to continue smaller or merge "
            "on the cycle's sets page."
        )
    return notes


def _why_small(k: int, sizes: list[int], minimum: int) -> str:
    """Why the sets came out small, when the size rule did it: sets of k, with k + 1 or
    k - 1 to make up the count (after a move in the preview, the organiser knows why)."""
    placed = sum(sizes)
    rule = composition(placed, k) or {}
    expected = sorted(size for size, count in rule.items() for _ in range(count))
    if sorted(sizes) != expected or all(size >= minimum for size in rule):
        return ""
    return (
        f", because {placed} members do not divide into sets of {k} or {k + 1}, so the size "
        f"rule makes some sets of {k - 1}"
    )
