"""Find a 30-minute slot when every member of a match has said they are free.

Pure: no Django, no database. Availability codes are "<weekday>-<part>" (for example
"tue-morning") in the member's own time zone; windows are turned into UTC intervals per
member, merged, and intersected across members. The UK and Irish holiday week (24
December to 1 January) is never suggested: most members are away and libraries closed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

SLOT = dt.timedelta(minutes=30)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# Kept equal to members.models.DAY_PARTS (a test checks): importing it would pull Django in.
DAY_PARTS = {"morning": (9, 12), "lunch": (12, 14), "afternoon": (14, 17)}
ALL_CODES = [f"{day}-{part}" for day in WEEKDAYS for part in DAY_PARTS]
# Christmas Eve to New Year's Day: the UK and Irish holiday week (bank holidays on 25, 26
# December and 1 January, most libraries closed between). No slot is suggested in it; the
# search moves to the next working day, and these days do not use up the search window.
HOLIDAY_WEEK = ((12, 24), (12, 31)), ((1, 1), (1, 1))

Interval = tuple[dt.datetime, dt.datetime]


def suggest_slot(
    *,
    members: list[tuple[list[str], str]],
    after: dt.date,
    days: int = 14,
    busy: Iterable[Interval] = (),
    length: dt.timedelta = SLOT,
) -> dt.datetime | None:
    """The earliest aware UTC start of a slot of `length` (30 minutes) inside every
    member's availability and outside every `busy` interval (UTC).

    `members` holds (availability codes, IANA time zone) per member. Days run from the day
    after `after` for `days` days, counted in each member's own calendar, weekdays only;
    days of the holiday week (24 December to 1 January) are skipped and not counted.
    A member with no availability is treated as free in every part of every weekday.
    Returns None when there is no common slot (or no members)."""
    if not members:
        return None
    common: list[Interval] | None = None
    for codes, time_zone in members:
        windows = _member_windows(codes, time_zone, after, days)
        common = windows if common is None else _intersect(common, windows)
        if not common:
            return None
    common = _subtract(common, _merge(list(busy)))
    return next((start for start, end in common if end - start >= length), None)


def local_day(start: dt.datetime, time_zone: str) -> Interval:
    """The whole calendar day (in `time_zone`) on which `start` falls, as a UTC interval."""
    zone = _zone(time_zone)
    day = start.astimezone(zone).date()
    midnight = dt.datetime.combine(day, dt.time(0), zone)
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone)
    return midnight.astimezone(dt.UTC), following.astimezone(dt.UTC)


def in_holiday_week(date: dt.date) -> bool:
    """Whether `date` falls between 24 December and 1 January (both included)."""
    return any(first <= (date.month, date.day) <= last for first, last in HOLIDAY_WEEK)


def _search_days(after: dt.date, days: int) -> Iterable[dt.date]:
    """The `days` days after `after`, the holiday week skipped without using them up."""
    date, counted = after, 0
    while counted < days:
        date += dt.timedelta(days=1)
        if not in_holiday_week(date):
            counted += 1
            yield date


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # One bad profile must not fail a whole round: read its hours as UTC.
        return dt.UTC


def _member_windows(
    codes: Iterable[str], time_zone: str, after: dt.date, days: int
) -> list[Interval]:
    parts_by_day: dict[str, list[str]] = {}
    for code in codes:
        day, _, part = code.partition("-")
        if day in WEEKDAYS and part in DAY_PARTS:
            parts_by_day.setdefault(day, []).append(part)
    if not parts_by_day:
        return _member_windows(ALL_CODES, time_zone, after, days)
    zone = _zone(time_zone)
    windows = []
    for date in _search_days(after, days):
        if date.weekday() >= len(WEEKDAYS):
            continue
        for part in parts_by_day.get(WEEKDAYS[date.weekday()], []):
            start_hour, end_hour = DAY_PARTS[part]
            # Building the local wall-clock time and converting it keeps DST right: 9:00 in
            # London is 08:00 UTC in summer and 09:00 in winter.
            start = dt.datetime.combine(date, dt.time(start_hour), zone).astimezone(dt.UTC)
            end = dt.datetime.combine(date, dt.time(end_hour), zone).astimezone(dt.UTC)
            windows.append((start, end))
    return _merge(windows)


def _merge(intervals: list[Interval]) -> list[Interval]:
    # Adjacent parts (morning 9-12, lunch 12-2) become one window, so a slot may cross them.
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(free: list[Interval], busy: list[Interval]) -> list[Interval]:
    """`free` (sorted, disjoint) without the `busy` intervals (sorted, disjoint)."""
    result = []
    for start, end in free:
        for busy_start, busy_end in busy:
            if busy_end <= start or busy_start >= end:
                continue
            if busy_start > start:
                result.append((start, busy_start))
            start = max(start, busy_end)
            if start >= end:
                break
        if start < end:
            result.append((start, end))
    return result


def _intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result
