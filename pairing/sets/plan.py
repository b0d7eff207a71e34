"""Pure planning for a set: when its sessions fall (from the cycle and what the members
said about their week) and the rota of who brings an issue. No Django, no database."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter
from collections.abc import Sequence

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# A session starts early in the part of the day the set chose, so a half day fits.
PART_STARTS = {"morning": dt.time(9, 30), "lunch": dt.time(12, 0), "afternoon": dt.time(13, 30)}
LONG_SESSION = dt.timedelta(hours=5)
# A session moved off a clash (``clear_of``) ends by this local time.
LATEST = dt.time(17, 30)
# A cycle set up by nobody (its forming round found none waiting) starts this long after.
DEFAULT_LEAD = dt.timedelta(weeks=2)


def unplanned_start(day: dt.date) -> dt.date:
    """The first session week of a cycle nobody set up, for a round on ``day``: the Monday
    on or after ``DEFAULT_LEAD`` later, so its sessions keep to Monday-to-Sunday weeks as
    the cycle form advises (walk 41 read "the week starting Tuesday 9 February")."""
    start = day + DEFAULT_LEAD
    return start + dt.timedelta(days=-start.weekday() % 7)


def common_slot(availability: Sequence[Sequence[str]]) -> tuple[int, str] | None:
    """(weekday index, part of day) most members said they are free, or None when no
    code is shared by at least half the set. Ties go to the earliest in the week."""
    counts = Counter(code for codes in availability for code in set(codes) if _valid(code))
    if not counts:
        return None
    order = {f"{d}-{p}": (i, j) for i, d in enumerate(WEEKDAYS) for j, p in enumerate(PART_STARTS)}
    best = min(counts, key=lambda code: (-counts[code], order[code]))
    if counts[best] * 2 < len(availability):
        return None
    day, _, part = best.partition("-")
    return WEEKDAYS.index(day), part


def _valid(code: str) -> bool:
    day, _, part = code.partition("-")
    return day in WEEKDAYS and part in PART_STARTS


def session_starts(
    *,
    first_week: dt.date,
    count: int,
    interval_weeks: int,
    length: dt.timedelta,
    default_time: dt.time,
    time_zone: str,
    slot: tuple[int, str] | None,
) -> list[dt.datetime]:
    """Aware UTC starts of `count` sessions: in the week of `first_week` (never before
    it) and every `interval_weeks` after, on the slot's weekday and part of day (a long
    session starts in the morning), else on `first_week`'s weekday at `default_time`."""
    zone = zone_named(time_zone)
    if slot is None:
        weekday, start = first_week.weekday(), default_time
    else:
        weekday, part = slot
        start = PART_STARTS["morning"] if length >= LONG_SESSION else PART_STARTS[part]
    day = first_week - dt.timedelta(days=first_week.weekday()) + dt.timedelta(days=weekday)
    if day < first_week:
        day += dt.timedelta(weeks=1)
    return [
        dt.datetime.combine(day + dt.timedelta(weeks=interval_weeks * i), start, zone).astimezone(
            dt.UTC
        )
        for i in range(count)
    ]


def clear_of(
    starts: Sequence[dt.datetime],
    length: dt.timedelta,
    taken: Sequence[tuple[dt.datetime, dt.datetime]],
    time_zone: str,
) -> list[dt.datetime]:
    """The series `starts` moved, if it must, so that none of its sessions overlaps a
    `taken` one (another set of the cycle, at the same venue or online room): first to
    the morning or afternoon of the same days, then to the next weekdays at the same
    time, or the morning or afternoon there. A move keeps a session within the working
    day (ending by LATEST). Unchanged when it is clear, or when no move is (walk 34: two
    sets booked into one room for the same Tuesday afternoons)."""
    if not _clashes(starts, length, taken):
        return list(starts)
    zone = zone_named(time_zone)
    local = [s.astimezone(zone) for s in starts]
    first, at = local[0].date(), local[0].time()
    for shift in range(7):
        if (first + dt.timedelta(days=shift)).weekday() >= 5:
            continue
        for time in (at, PART_STARTS["morning"], PART_STARTS["afternoon"]):
            end = dt.datetime.combine(first, time) + length
            if (shift, time) == (0, at) or end > dt.datetime.combine(end.date(), LATEST):
                continue
            moved = [
                dt.datetime.combine(s.date() + dt.timedelta(days=shift), time, zone).astimezone(
                    dt.UTC
                )
                for s in local
            ]
            if not _clashes(moved, length, taken):
                return moved
    return list(starts)


def _clashes(
    starts: Sequence[dt.datetime],
    length: dt.timedelta,
    taken: Sequence[tuple[dt.datetime, dt.datetime]],
) -> bool:
    return any(s < end and begin < s + length for s in starts for begin, end in taken)


def zone_named(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def presenters_per_session(members: int, sessions: int) -> int:
    """1 when there are at least as many sessions as members, else enough (2 for a set of
    7 over 6 sessions) for everyone to present once."""
    if sessions <= 0 or members <= 0:
        return 0
    return max(1, math.ceil(members / sessions))


def rota(members: Sequence[int], sessions: int) -> list[list[int]]:
    """Round-robin turns: session i's presenters, so that everyone presents and nobody
    presents twice before everyone has presented once."""
    per = min(presenters_per_session(len(members), sessions), len(members))
    turns = [members[(i * per + j) % len(members)] for i in range(sessions) for j in range(per)]
    return [turns[i * per : (i + 1) * per] for i in range(sessions)]


def rebalance(
    *,
    members: Sequence[int],
    held: Sequence[Sequence[int]],
    future: Sequence[Sequence[int]],
    carried: Sequence[int] = (),
    later: int = 0,
) -> list[list[int]]:
    """The future sessions' presenters after the set changed (someone left, a session was
    cancelled): leavers drop out, others keep their turns, every future session has a
    presenter, and a member with no turn left (held or future) gets one, in the future
    session with the fewest presenters (the earliest on a tie).

    `carried`: the presenters of a cancelled session. What they expect is that their
    turn moves on, to a later session: each gets one in the emptiest of `future[later:]`
    (the sessions after the cancelled one) where they do not present already. With no
    such session the turn is lost, unless it was their only one: then, like anyone with
    no turn, they get the emptiest session still to come, even an earlier one."""
    present = set(members)
    plan = [[m for m in turn if m in present] for turn in future]
    if not plan or not members:
        return plan
    turns = Counter(m for turn in [*held, *plan] for m in turn if m in present)
    for member in carried:
        room = [i for i in range(later, len(plan)) if member not in plan[i]]
        if member in present and room:
            index = min(room, key=lambda i: (len(plan[i]), i))
            plan[index].append(member)
            turns[member] += 1
    for member in members:
        if turns[member] == 0:
            index = min(range(len(plan)), key=lambda i: (len(plan[i]), i))
            plan[index].append(member)
            turns[member] += 1
    for turn in plan:
        if not turn:
            member = min(members, key=lambda m: (turns[m], members.index(m)))
            turn.append(member)
            turns[member] += 1
    return plan


def rotating_facilitator(
    members: Sequence[int], presenters: Sequence[int], index: int
) -> int | None:
    """A member who is not presenting that session, taking turns through the set."""
    free = [m for m in members if m not in presenters]
    if not free:
        return None
    return free[index % len(free)]
