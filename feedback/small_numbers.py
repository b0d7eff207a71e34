"""How evidence shows counts of people: exactly on the organiser team's own page, and
protected wherever it is shared (the evidence pack).

product.md: what can be shared outside the organiser team never reveals a count of 1-4,
directly or by subtraction from a total. The organiser team already sees every
evaluation (the CSV, the private comments, with names), so hiding figures from them
protects nobody; their page shows every figure exactly (`EXACT`). The pack
(`SHAREABLE`) goes through `suppress`, `part_of`, `percent` and `suppress_distribution`:

- a count of 1-4 is "fewer than 5"; 0 is shown as 0; 5 or more as it is;
- a count shown beside its total is "not shown" only when the rest of the total would
  be 1-4 (8 of 10 met: 2 did not); a rest of 0 or 5+ gives nothing away;
- a percentage is exact when neither its count nor the rest is 1-4; otherwise it is
  rounded to the nearest 10 % and marked (`Share.rounded`, "about 90%†"), unless even
  the rounded figure fits only one count (small totals), when it is "not shown";
- a percentage of a group of 1-4 is never shown, nor are the answers of 1-4 people to one
  question broken down (when they agree, the zeros would tell each answer); a mean needs
  5 answers, and means that
  make up another must not give away one of fewer: round by round (`linked_means`), as
  mentees and as mentors (both only when neither side has 1-4: `mentoring_evidence`);
- the answers to a question only some answer (those who met) must not tell their
  number when, beside the evaluations or those who met, it would leave 1-4
  (`answers_withheld`): then no share but 0% is shown, and when every cell would be
  shown (they add up to it), none is.

`RULES_TEXT` says the same for organisers, on the pages and in the README.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

SMALL_COUNT = 5
HIDDEN_TEXT = "fewer than 5"
# A figure of 5 or more hidden because it would give away a small one.
WITHHELD_TEXT = "not shown"
ROUNDED_MARK = "†"
ROUNDED_NOTE = (
    "† Rounded to the nearest 10 %: the exact figure would let someone work out a group "
    "of fewer than 5 people."
)
RULES_TEXT = [
    "A count of 1 to 4 people is shown as “fewer than 5”. None is shown as 0.",
    "A count shown beside its total (“said they met” beside “evaluations”; “evaluations” "
    "beside “members introduced”) is “not shown”, or the total is, when the people it "
    "leaves out would be 1 to 4: “18 of 20 met” would tell that 2 did not.",
    "A percentage that would tell such a small count is rounded to the nearest 10 % and "
    "marked †, for example “about 90%†”. When even the rounded figure would give the "
    "count away, it is “not shown”.",
    "No share or breakdown of a group of 1 to 4 is shown; an average needs 5 answers and "
    "must not give another away.",
]


def is_small(n: int) -> bool:
    """1 to 4: a group small enough to point to someone. Zero singles nobody out."""
    return 0 < n < SMALL_COUNT


def suppress(n: int) -> int | None:
    """`n`, or None when it is 1-4. Zero is shown: an empty month, nobody who said no."""
    return None if is_small(n) else n


def part_of(part: int, whole: int) -> int | None:
    """`part`, shown beside `whole`; None when it is 1-4 or when the rest
    (`whole - part`) is: that rest could be worked out by subtraction."""
    if is_small(part) or is_small(whole - part):
        return None
    return part


class Share(int):
    """A whole-number percentage; `rounded` when it was rounded to the nearest 10 so
    as not to give away a small count. Compares and plots as the number it is."""

    rounded: bool

    def __new__(cls, value: int, rounded: bool = False) -> Share:
        share = super().__new__(cls, value)
        share.rounded = rounded
        return share

    @property
    def text(self) -> str:
        return f"about {int(self)}%{ROUNDED_MARK}" if self.rounded else f"{int(self)}%"

    def __repr__(self) -> str:
        return f"Share({int(self)}, rounded={self.rounded})"


def _half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def exact_percent(part: int, whole: int) -> Share | None:
    """The exact whole-number percentage (62.5 % reads 63 %); None for an empty whole."""
    return Share(_half_up(Fraction(100 * part, whole))) if whole > 0 else None


def _to_ten(part: int, whole: int) -> int:
    return 10 * _half_up(Fraction(10 * part, whole))


@lru_cache(maxsize=1024)
def _rounded_shares(whole: int) -> dict[int, int | None]:
    """For each count whose share of `whole` must be rounded (it, or the rest, is 1-4):
    its rounded share, or None. A reader who knows the rule knows the count is one of
    these; so each rounded figure must fit two or more of them, and so must "not shown"
    (hiding a single one would point to it)."""
    shown: dict[int, int | None] = {
        p: _to_ten(p, whole)
        for p in sorted({*range(1, 5), *range(whole - 4, whole)})
        if 0 < p < whole
    }
    while True:
        groups: dict[int, list[int]] = defaultdict(list)
        for p, value in shown.items():
            if value is not None:
                groups[value].append(p)
        lonely = [p for group in groups.values() if len(group) == 1 for p in group]
        hidden = [p for p, value in shown.items() if value is None]
        if lonely:
            for p in lonely:
                shown[p] = None
        elif len(hidden) == 1 and groups:
            # Hide the nearest count still shown as well, then look again.
            shown[min((abs(p - hidden[0]), p) for group in groups.values() for p in group)[1]] = (
                None
            )
        else:
            return shown


def percent(part: int, whole: int) -> Share | None:
    """The share `part` is of `whole`, as the evidence pack shows it: exact when neither
    `part` nor the rest is 1-4; else rounded to the nearest 10 and marked, provided the
    rounded figure fits two or more counts that would also be rounded (a reader who
    knows the rule cannot undo it); else None. None too when `whole` is 0 or 1-4."""
    if whole <= 0 or is_small(whole):
        return None
    if not is_small(part) and not is_small(whole - part):
        return exact_percent(part, whole)
    rounded = _rounded_shares(whole)[part]
    return None if rounded is None else Share(rounded, rounded=True)


def answers_withheld(answers: int, beside: list[int | None]) -> bool:
    """Whether the answers to a question not everyone answers (usefulness and "would
    meet again" are asked of those who met) are withheld whole in the pack: their number,
    told by the cells or a cell's share, beside a figure shown near them (the evaluations,
    those who said they met; None when hidden) would leave 1-4 (10 evaluations and 9
    answers: 1 did not meet). A hidden "said they met" stays hidden that way too."""
    return any(shown is not None and is_small(abs(shown - answers)) for shown in beside)


UNBOUNDED = 10**9


def _pinned(counts: list[int], shown: list[int | None], withheld_all: bool) -> bool:
    """Whether a reader could tell some hidden cell's value. They know the shown cells,
    that a cell said to be "fewer than 5" is 1-4 and one "not shown" is 5 or more (any
    count, when the whole distribution is withheld), and the total: exactly when it is 5
    or more (the headline, or a shown cell's percentage, tells it), else that it is 1-4.
    The hidden cells add up to the total less the shown ones: that sum must not be 1-4,
    and must not leave any hidden cell a single value."""
    total = sum(counts)
    known = sum(v for v in shown if v is not None)
    hidden_lo, hidden_hi = (
        (total - known, total - known) if not is_small(total) else (1 - known, 4 - known)
    )
    if not is_small(total) and is_small(hidden_lo):
        return True  # the hidden cells together would be a group of 1-4
    ranges = []
    for n, v in zip(counts, shown, strict=True):
        if v is None:
            ranges.append(
                (0, UNBOUNDED) if withheld_all else (1, 4) if is_small(n) else (5, UNBOUNDED)
            )
    lo_sum = sum(lo for lo, _hi in ranges)
    hi_sum = sum(hi for _lo, hi in ranges)
    for lo, hi in ranges:
        low = max(lo, hidden_lo - (hi_sum - hi))
        high = min(hi, hidden_hi - (lo_sum - lo))
        if low >= high:
            return True
    return False


def _protect(counts: list[int]) -> tuple[list[int | None], bool]:
    if is_small(sum(counts)):
        # Fewer than 5 answers in all: their zeros would tell how each of them answered
        # when they agree (walk 29: 0, 0, 0, "fewer than 5", 0 made the hidden average 4).
        return [None] * len(counts), True
    shown: list[int | None] = [suppress(n) for n in counts]
    while _pinned(counts, shown, False) and any(v for v in shown):
        smallest = min((v, i) for i, v in enumerate(shown) if v)[1]
        shown[smallest] = None
    if _pinned(counts, shown, False):
        # Even with every count but the zeros hidden, one would follow (four answers, one
        # for each of four ratings): the whole distribution is withheld.
        return [None] * len(counts), True
    return shown, False


def suppress_distribution(counts: list[int]) -> list[int | None]:
    """Cells that add up to a known total (answers to one question): hide cells of 1-4;
    then, while what is shown (the total, known from the headline or a shown cell's
    percentage, less the cells shown) would leave some hidden cell a single value (the
    hidden cells add up to 1-4, or to 4 for each hidden "fewer than 5"...), hide the
    smallest cell still shown that is not 0. Zero cells stay 0, unless even then a
    hidden value would follow: then every cell is "not shown"."""
    return _protect(counts)[0]


def distribution_hidden_texts(counts: list[int]) -> list[str]:
    """What the pack says in place of each hidden cell of `suppress_distribution`."""
    withheld_all = _protect(counts)[1]
    return [WITHHELD_TEXT if withheld_all else hidden_text(n) for n in counts]


def hidden_text(n: int) -> str:
    """What the pack says in place of the count `n` it does not show."""
    return HIDDEN_TEXT if is_small(n) else WITHHELD_TEXT


@dataclass(frozen=True)
class Rules:
    """Which way a report shows its figures: `EXACT` on the organiser team's own page,
    `SHAREABLE` (through the functions above) in anything shared beyond it."""

    exact: bool

    def count(self, n: int) -> int | None:
        return n if self.exact else suppress(n)

    def part(self, part: int, whole: int) -> int | None:
        return part if self.exact else part_of(part, whole)

    def share(self, part: int, whole: int) -> Share | None:
        return exact_percent(part, whole) if self.exact else percent(part, whole)

    def distribution(self, counts: list[int]) -> list[int | None]:
        return list(counts) if self.exact else suppress_distribution(counts)

    def mean(self, mean: float | None, answers: int) -> float | None:
        """An average of 1-5 ratings, from at least 5 of them where it is shared."""
        if mean is None or (not self.exact and answers < SMALL_COUNT):
            return None
        # Half up, as the percentages round (walk 31: 4, 5, 4, 4 read 4.2: round() halves
        # to even, and 4.25 is exact in binary).
        return float(Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def linked_percents(parts: list[int], wholes: list[int], rules: Rules) -> list[Share | None]:
    """Shares of groups that add up to a total shown elsewhere (who met, round by round).
    Shared: each exact or not shown (a rounded one could be narrowed down from the
    others and the total); while the hidden groups' parts, or their rests, add up to 1-4,
    the smallest group still shown is hidden too."""
    if rules.exact:
        return [exact_percent(p, w) for p, w in zip(parts, wholes, strict=True)]
    shown = [
        exact_percent(p, w) if not is_small(w) and part_of(p, w) is not None else None
        for p, w in zip(parts, wholes, strict=True)
    ]

    rests = [w - p for p, w in zip(parts, wholes, strict=True)]

    def hidden(counts: list[int]) -> int:
        return sum(n for n, s in zip(counts, shown, strict=True) if s is None)

    while True:
        # The counts (met, or did not) whose hidden total is 1-4; hide the smallest group
        # still shown that adds to that total.
        small = [counts for counts in (parts, rests) if is_small(hidden(counts))]
        helpful = [
            (w, i)
            for i, w in enumerate(wholes)
            if shown[i] is not None and any(counts[i] for counts in small)
        ]
        if not helpful:
            return shown
        shown[min(helpful)[1]] = None


def linked_means(means: list[float | None], answers: list[int], rules: Rules) -> list[float | None]:
    """Means of groups whose answers make up a mean shown elsewhere (usefulness round by
    round, beside the headline's mean of every rating). Shared, each needs 5 answers; and
    while the answers of the groups left out add up to 1-4 (their mean would follow from
    the overall mean and the others'), the group with the fewest answers still shown is
    left out too."""
    shown = [rules.mean(m, n) for m, n in zip(means, answers, strict=True)]
    while not rules.exact:
        left_out = sum(n for n, m in zip(answers, shown, strict=True) if m is None)
        pairs = enumerate(zip(answers, shown, strict=True))
        still = [(n, i) for i, (n, m) in pairs if m is not None]
        if not is_small(left_out) or not still:
            break
        shown[min(still)[1]] = None
    return shown


EXACT = Rules(exact=True)
SHAREABLE = Rules(exact=False)
