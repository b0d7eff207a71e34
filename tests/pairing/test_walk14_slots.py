"""Walk 14: no suggested meeting falls in the UK and Irish holiday week (24 December to
1 January); the suggestion moves to the next working day."""

from __future__ import annotations

import datetime as dt

from pairing.slots import suggest_slot


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_a_slot_due_on_christmas_day_moves_to_the_next_working_day():
    # Friday 25 December 2026 was offered as "Fri 25 Dec 12:00".
    slot = suggest_slot(members=[(["fri-lunch"], "Europe/London")], after=dt.date(2026, 12, 21))

    assert slot == utc(2027, 1, 8, 12)


def test_no_slot_is_suggested_between_christmas_eve_and_new_years_day():
    # A round run on Wednesday 23 December 2026: every weekday is free.
    slot = suggest_slot(members=[([], "Europe/London")], after=dt.date(2026, 12, 23))

    assert slot == utc(2027, 1, 4, 9)  # Monday 4 January, not Thursday 24 December


def test_the_holiday_week_does_not_use_up_the_search_window():
    # Only Thursdays: 24 and 31 December are skipped, the next two are in January.
    slot = suggest_slot(
        members=[(["thu-morning"], "Europe/Dublin")], after=dt.date(2026, 12, 23), days=14
    )

    assert slot == utc(2027, 1, 7, 9)


def test_the_day_before_christmas_eve_is_still_offered():
    slot = suggest_slot(members=[(["wed-morning"], "Europe/London")], after=dt.date(2026, 12, 22))

    assert slot == utc(2026, 12, 23, 9)
