"""The small-number rules of the shareable evidence pack (feedback.small_numbers), on small
cohorts: 0 reads 0, 1-4 are hidden, 5 is shown, a complement is hidden only when it would
tell a count of 1-4, and such a percentage is rounded to the nearest 10 % and marked,
unless even the rounded figure fits a single count."""

from __future__ import annotations

from collections import defaultdict

import pytest

from feedback import reports
from feedback.small_numbers import EXACT, SHAREABLE, is_small, linked_percents

# Counts


@pytest.mark.parametrize(
    ("n", "shown"), [(0, 0), (1, None), (2, None), (4, None), (5, 5), (12, 12)]
)
def test_a_count_of_1_to_4_is_hidden_and_0_is_shown(n, shown):
    assert reports.suppress(n) == shown


def test_hidden_counts_say_why():
    assert reports.hidden_text(3) == "fewer than 5"
    assert reports.hidden_text(8) == "not shown"  # 5 or more, hidden for another's sake


# Complements


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (0, 10, 0),  # nobody: 0, and the 10 others are no small group
        (10, 10, 10),  # all of them: the rest is 0
        (5, 10, 5),
        (20, 25, 20),  # the rest is 5
        (8, 10, None),  # the rest is 2
        (6, 10, None),  # the rest is 4
        (4, 20, None),  # the part is 4
        (0, 3, None),  # the rest is 3
    ],
)
def test_a_count_beside_its_total_hides_only_when_a_count_of_1_to_4_would_follow(
    part, whole, shown
):
    assert reports.part_of(part, whole) == shown


# Percentages


@pytest.mark.parametrize(
    ("part", "whole", "value"), [(5, 10, 50), (0, 20, 0), (20, 20, 100), (10, 16, 63)]
)
def test_a_percentage_is_exact_when_no_count_of_1_to_4_is_involved(part, whole, value):
    share = reports.percent(part, whole)

    assert share == value and not share.rounded
    assert share.text == f"{value}%"


@pytest.mark.parametrize(
    ("part", "whole", "value"),
    [(22, 25, 90), (23, 25, 90), (2, 25, 10), (3, 25, 10), (3, 100, 0), (97, 100, 100)],
)
def test_a_percentage_that_would_tell_a_small_count_is_rounded_and_marked(part, whole, value):
    share = reports.percent(part, whole)

    assert share == value and share.rounded
    assert share.text == f"about {value}%†"


@pytest.mark.parametrize(
    ("part", "whole"),
    [
        (8, 10),  # "about 80%" of 10 can only be 8
        (4, 10),
        (1, 25),  # "about 0%" of 25 can only be 1
        (3, 3),  # a share of a group of 1-4
        (0, 4),
        (0, 0),  # no answers
    ],
)
def test_a_percentage_is_not_shown_when_even_rounding_would_tell(part, whole):
    assert reports.percent(part, whole) is None


@pytest.mark.parametrize("whole", range(0, 121))
def test_no_shown_percentage_points_to_a_single_small_count(whole):
    """Whatever the pack shows for a share, a reader who knows the rule cannot tell a
    count of 1-4 (or a rest of 1-4) from it: each display fits one count that is not
    small, or two or more counts."""
    counts_by_display: dict[str, list[int]] = defaultdict(list)
    for part in range(whole + 1):
        share = reports.percent(part, whole)
        counts_by_display["not shown" if share is None else share.text].append(part)
    for display, parts in counts_by_display.items():
        risky = [p for p in parts if is_small(p) or is_small(whole - p)]
        assert not risky or len(parts) >= 2, f"{display} of {whole} tells {parts}"


def test_the_organisers_own_figures_are_exact():
    assert EXACT.count(3) == 3
    assert EXACT.part(8, 10) == 8
    assert EXACT.share(8, 10) == 80 and not EXACT.share(8, 10).rounded
    assert EXACT.mean(4.25, 2) == 4.3  # from 2 ratings: exact for organisers, half up
    assert EXACT.mean(17 / 4, 4) == 4.3 and EXACT.mean(4.24, 4) == 4.2  # 4, 5, 4, 4 (walk 31)
    assert SHAREABLE.mean(4.25, 2) is None  # an average needs 5 ratings in the pack


# Answers to one question


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([0, 0, 8], [0, 0, 8]),  # empty answers read 0
        ([5, 0, 0], [5, 0, 0]),
        ([3, 7, 9], [None, None, 9]),  # 3 alone could be worked out from the total
        ([1, 2, 8, 9], [None, None, None, 9]),  # 1 + 2 = 3: 8 goes too
        ([2, 3, 8, 9], [None, None, 8, 9]),  # 2 + 3 = 5 hidden: safe
        ([0, 3, 9], [0, None, None]),  # hiding a 0 would not help: 9 goes
        # Two answers, both 4: the zeros would tell each one's answer and the hidden
        # average (walk 29). Fewer than 5 answers are not broken down.
        ([0, 0, 0, 2, 0], [None] * 5),
        ([0, 4], [None, None]),
    ],
)
def test_answers_hide_enough_that_no_small_count_follows_from_the_total(counts, shown):
    assert reports.suppress_distribution(counts) == shown


def test_round_by_round_shares_hide_together_so_the_total_tells_nothing():
    # Round 2: 3 of 5 met. Round 1's 100 % would tell the 3 from the 8 who met in all.
    assert linked_percents([5, 3], [5, 5], SHAREABLE) == [None, None]
    # Round 3 (2 of 9 did not meet) hidden, and round 2 (5 did not) with it: the hidden
    # rounds' 7 who did not meet tell nothing. Round 1 (all met) adds nobody: it stays.
    assert linked_percents([10, 5, 7], [10, 10, 9], SHAREABLE) == [100, None, None]
    # No rounding round by round: 22 of 25 is exact or not shown, never "about 90%".
    assert linked_percents([22], [25], SHAREABLE) == [None]
    assert linked_percents([22], [25], EXACT) == [88]


def _compositions(total: int, cells: int):
    if cells == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, cells - 1):
            yield (first, *rest)


def _consistent(display: tuple, counts: tuple[int, ...]) -> bool:
    """Whether `counts` fit what the pack shows, read by the rules printed on it: a
    shown count is itself, "fewer than 5" is 1-4, "not shown" 5 or more (or anything,
    when every cell is "not shown"), and a shown share is that count's share of the total."""
    total = sum(counts)
    total_shown, *cells = display
    if total_shown != ("fewer than 5" if is_small(total) else str(total)):
        return False
    withheld_all = all(text == "not shown" for text, _share in cells)
    for n, (text, share) in zip(counts, cells, strict=True):
        if text == "fewer than 5":
            ok = is_small(n)
        elif text == "not shown":
            ok = withheld_all or n >= 5
        else:
            ok = (
                n == int(text)
                and share == reports.Cell("", n, reports.percent(n, total)).percent_text
            )
        if not ok:
            return False
    return True


@pytest.mark.parametrize(("cells", "largest"), [(2, 40), (3, 30), (5, 12)])
def test_no_hidden_answer_can_be_worked_out_from_what_the_pack_shows(cells, largest):
    """Every way a question's answers can fall (2, 3 or 5 choices, up to `largest`
    answers): from what the pack shows (each cell's count or what it says instead, its
    share, and the total: exact from 5 answers, "fewer than 5" below), a reader who
    knows the rules lists the answers that fit; each hidden cell must take two or more
    values among them (12 (60%), fewer than 5, fewer than 5 would tell 4 and 4)."""
    every = [c for total in range(largest + 1) for c in _compositions(total, cells)]
    displays = set()
    for counts in every:
        total = sum(counts)
        shown = reports._distribution([(str(i), n) for i, n in enumerate(counts)], SHAREABLE)
        displays.add(
            (
                "fewer than 5" if is_small(total) else str(total),
                *((c.text, c.percent_text) for c in shown),
            )
        )
    for display in displays:
        fits = [c for c in every if _consistent(display, c)]
        assert fits, display
        for i, (text, _share) in enumerate(display[1:]):
            if text in ("fewer than 5", "not shown"):
                values = {c[i] for c in fits}
                assert len(values) >= 2, f"{display} tells cell {i} is {values}"


def test_would_meet_again_hides_more_when_the_hidden_pair_would_be_4_and_4():
    # 12 (60%) of 20: the other two add up to 8, and "fewer than 5" each makes them 4 and 4.
    cells = reports._distribution([("Yes", 12), ("Maybe", 4), ("No", 4)], SHAREABLE)
    assert [c.text for c in cells] == ["not shown", "fewer than 5", "fewer than 5"]
    assert all(c.percent is None for c in cells)
