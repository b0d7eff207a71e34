"""suggest_slot: the earliest 30-minute slot every member said they are free."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from members.models import DAY_PARTS as PROFILE_DAY_PARTS
from pairing.slots import DAY_PARTS, suggest_slot

# Monday 1 December 2025; the search starts the next day (Tuesday 2 December).
MONDAY_WINTER = dt.date(2025, 12, 1)
MONDAY_SUMMER = dt.date(2025, 6, 2)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_same_zone_overlap_starts_at_the_earliest_shared_window():
    slot = suggest_slot(
        members=[
            (["tue-morning", "thu-afternoon"], "Europe/London"),
            (["thu-afternoon"], "Europe/London"),
        ],
        after=MONDAY_WINTER,
    )

    assert slot == utc(2025, 12, 4, 14)


def test_result_is_aware_utc():
    slot = suggest_slot(members=[(["tue-morning"], "Europe/Warsaw")], after=MONDAY_WINTER)

    assert slot.utcoffset() == dt.timedelta(0)
    assert slot == utc(2025, 12, 2, 8)


def test_overlap_across_time_zones_uses_each_members_own_hours():
    # London morning is 9-12 UTC in winter; Warsaw morning is 8-11 UTC: overlap from 9 UTC.
    slot = suggest_slot(
        members=[(["tue-morning"], "Europe/London"), (["tue-morning"], "Europe/Warsaw")],
        after=MONDAY_WINTER,
    )

    assert slot == utc(2025, 12, 2, 9)


def test_summer_time_shifts_the_utc_start():
    slot = suggest_slot(members=[(["tue-morning"], "Europe/London")], after=MONDAY_SUMMER)

    assert slot == utc(2025, 6, 3, 8)


def test_dst_change_inside_the_search_window_is_respected():
    # Clocks go back on Sunday 26 October 2025: Friday 24th is BST, Monday 27th is GMT.
    after = dt.date(2025, 10, 23)

    friday = suggest_slot(members=[(["fri-morning"], "Europe/London")], after=after)
    monday = suggest_slot(members=[(["mon-morning"], "Europe/London")], after=after)

    assert friday == utc(2025, 10, 24, 8)
    assert monday == utc(2025, 10, 27, 9)


def test_adjacent_parts_make_one_window_for_a_cross_zone_overlap():
    # London lunch 12-14 UTC; New York morning 9-12 local = 14-17 UTC: no overlap.
    # London afternoon 14-17 UTC with New York morning: overlap from 14:00 UTC.
    slot = suggest_slot(
        members=[
            (["wed-lunch", "wed-afternoon"], "Europe/London"),
            (["wed-morning"], "America/New_York"),
        ],
        after=MONDAY_WINTER,
    )

    assert slot == utc(2025, 12, 3, 14)


def test_overlap_shorter_than_thirty_minutes_is_not_a_slot():
    # Kathmandu afternoon 14-17 (+05:45) is 08:15-11:15 UTC; Warsaw lunch is 11:00-13:00 UTC.
    slot = suggest_slot(
        members=[(["tue-afternoon"], "Asia/Kathmandu"), (["tue-lunch"], "Europe/Warsaw")],
        after=MONDAY_WINTER,
        days=1,
    )

    assert slot is None


def test_overlap_of_exactly_thirty_minutes_is_a_slot():
    # Kolkata afternoon 14-17 (+05:30) is 08:30-11:30 UTC; Warsaw lunch is 11:00-13:00 UTC.
    slot = suggest_slot(
        members=[(["tue-afternoon"], "Asia/Kolkata"), (["tue-lunch"], "Europe/Warsaw")],
        after=MONDAY_WINTER,
    )

    assert slot == utc(2025, 12, 2, 11)


def test_half_hour_offset_zone_gives_a_half_hour_start():
    slot = suggest_slot(
        members=[(["tue-afternoon"], "Asia/Kolkata"), (["tue-morning"], "Europe/London")],
        after=MONDAY_WINTER,
    )

    # Kolkata afternoon 14-17 IST is 08:30-11:30 UTC; London morning 09-12 UTC.
    assert slot == utc(2025, 12, 2, 9)


def test_no_common_availability_returns_none():
    slot = suggest_slot(
        members=[(["mon-morning"], "Europe/London"), (["fri-afternoon"], "Europe/London")],
        after=dt.date(2025, 12, 5),
        days=3,
    )

    assert slot is None


def test_member_without_availability_is_free_in_every_part():
    slot = suggest_slot(
        members=[([], "Europe/London"), (["wed-lunch"], "Europe/London")], after=MONDAY_WINTER
    )

    assert slot == utc(2025, 12, 3, 12)


def test_everyone_without_availability_gets_the_first_weekday_morning():
    slot = suggest_slot(
        members=[([], "Europe/London"), ([], "Europe/London")], after=dt.date(2025, 12, 5)
    )

    # The day after Friday 5 December is a Saturday: weekends are skipped.
    assert slot == utc(2025, 12, 8, 9)


def test_the_day_of_after_itself_is_never_suggested():
    slot = suggest_slot(members=[(["mon-morning"], "Europe/London")], after=MONDAY_WINTER)

    assert slot == utc(2025, 12, 8, 9)


def test_slot_beyond_the_days_limit_is_not_suggested():
    slot = suggest_slot(members=[(["mon-morning"], "Europe/London")], after=MONDAY_WINTER, days=6)

    assert slot is None


def test_unknown_codes_and_time_zone_do_not_break_the_round():
    slot = suggest_slot(members=[(["sat-morning", "nonsense"], "Not/AZone")], after=MONDAY_WINTER)

    assert slot == utc(2025, 12, 2, 9)


def test_a_busy_meeting_is_never_overlapped():
    # Tuesday 2 December, London morning 9-12 UTC; 9:00-9:30 is taken.
    slot = suggest_slot(
        members=[(["tue-morning"], "Europe/London")],
        after=MONDAY_WINTER,
        busy=[(utc(2025, 12, 2, 9), utc(2025, 12, 2, 9, 30))],
    )

    assert slot == utc(2025, 12, 2, 9, 30)


def test_a_busy_day_moves_the_slot_to_the_next_free_day():
    from pairing.slots import local_day

    taken = local_day(utc(2025, 12, 2, 9), "Europe/London")
    slot = suggest_slot(
        members=[(["tue-morning"], "Europe/London")], after=MONDAY_WINTER, busy=[taken]
    )

    assert taken == (utc(2025, 12, 2), utc(2025, 12, 3))
    assert slot == utc(2025, 12, 9, 9)


def test_a_longer_meeting_needs_a_window_that_long():
    # 9:00-11:30 busy leaves 30 minutes of the morning: too short for 45 minutes.
    slot = suggest_slot(
        members=[(["tue-morning"], "Europe/London")],
        after=MONDAY_WINTER,
        days=1,
        busy=[(utc(2025, 12, 2, 9), utc(2025, 12, 2, 11, 30))],
        length=dt.timedelta(minutes=45),
    )

    assert slot is None


def test_no_members_means_no_slot():
    assert suggest_slot(members=[], after=MONDAY_WINTER) is None


def test_day_parts_match_the_profile_form():
    from_profile = {part: (start, end) for part, (_label, start, end) in PROFILE_DAY_PARTS.items()}

    assert from_profile == DAY_PARTS


def test_slots_module_does_not_import_django():
    code = "import sys, pairing.slots; sys.exit('django' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code], check=False)

    assert result.returncode == 0
