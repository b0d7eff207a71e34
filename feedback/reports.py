"""Read-only report building: a programme's evidence for organisers and funders, a member's
own CPD record, and the takeaways members chose to share.

Reports never show a count of people below 5 (product rule), nor one that could be
worked out from what is shown: every count passes through `suppress`, a count shown
beside its total ("8 of 10 met") through `part_of`, percentages through `percent`, and
distributions through `suppress_distribution`. The last three also hide a figure when
the rest of its total (10 - 8 = 2 who did not meet) would be a count from 1 to 4. A rest
of 0 is shown ("all 8 met"): it singles nobody out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

# The CSV exports and the CPD record live in `feedback.exports` (this module would pass
# 400 lines); they are re-exported here so callers find every report in one place.
from feedback.exports import (  # noqa: F401
    CPD_HEADER,
    EVALUATION_HEADER,
    CpdRow,
    cpd_csv_rows,
    cpd_rows,
    csv_safe,
    evaluations_csv_rows,
    member_name,
)
from feedback.models import Evaluation, MeetAgain, Met
from pairing.models import (
    Match,
    MatchMember,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    OutboxStatus,
    Programme,
    Round,
    RoundStatus,
)

SMALL_COUNT = 5
HIDDEN_TEXT = "fewer than 5"
# A figure of 5 or more hidden because it would give away a small one.
WITHHELD_TEXT = "not shown"
USEFULNESS_LABELS = {
    1: "1 (not useful)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (very useful)",
}
SIGNUP_MONTHS = 12
TOP_TOPICS = 10


# Suppression


def suppress(n: int) -> int | None:
    """`n`, or None when it is below 5 (zero included): nobody in a small cohort can be
    picked out from a report."""
    return n if n >= SMALL_COUNT else None


def _gives_away_the_rest(part: int, whole: int) -> bool:
    return 0 < whole - part < SMALL_COUNT


def part_of(part: int, whole: int) -> int | None:
    """`part`, shown beside `whole`; None when it is below 5 or when whole - part is."""
    if suppress(part) is None or _gives_away_the_rest(part, whole):
        return None
    return part


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when it would give away a count below 5: the
    part's, the whole's, or the rest's."""
    if suppress(whole) is None or part_of(part, whole) is None:
        return None
    return math.floor(100 * part / whole + 0.5)  # half up: 62.5 % reads 63 %


def suppress_distribution(counts: list[int]) -> list[int | None]:
    """Hide cells below 5; then, while the hidden cells add up to 1-4 (which the total
    would give away), hide the smallest cell still shown."""
    shown: list[int | None] = [suppress(n) for n in counts]

    def hidden_sum() -> int:
        return sum(n for n, v in zip(counts, shown, strict=True) if v is None)

    while 0 < hidden_sum() < SMALL_COUNT and any(v is not None for v in shown):
        smallest = min((v, i) for i, v in enumerate(shown) if v is not None)[1]
        shown[smallest] = None
    return shown


def hidden_text(n: int) -> str:
    """What a report says in place of the count `n` it does not show."""
    return HIDDEN_TEXT if n < SMALL_COUNT else WITHHELD_TEXT


@dataclass(frozen=True)
class Cell:
    """One reported figure: the number shown (None when hidden) and its share."""

    label: str
    value: int | None
    percent: int | None = None
    hidden: str = HIDDEN_TEXT  # said instead of the value when it is None

    @property
    def text(self) -> str:
        return self.hidden if self.value is None else str(self.value)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent}%"


def _distribution(labelled: list[tuple[str, int]]) -> list[Cell]:
    total = sum(n for _label, n in labelled)
    shown = suppress_distribution([n for _label, n in labelled])
    return [
        Cell(label, value, percent(value, total) if value is not None else None, hidden_text(n))
        for (label, n), value in zip(labelled, shown, strict=True)
    ]


# Programme report


@dataclass(frozen=True)
class TopicRow:
    name: str
    talked_about: int | None  # evaluations that named the topic
    shared: int | None  # matches whose members all listed it

    @property
    def talked_about_text(self) -> str:
        return HIDDEN_TEXT if self.talked_about is None else str(self.talked_about)

    @property
    def shared_text(self) -> str:
        return HIDDEN_TEXT if self.shared is None else str(self.shared)


@dataclass(frozen=True)
class TrendRow:
    number: int
    scheduled_for: dt.date
    matches: int | None
    evaluations: int | None
    met_percent: int | None
    mean_usefulness: float | None
    evaluations_hidden: str = HIDDEN_TEXT  # said instead of `evaluations` when None

    @property
    def matches_text(self) -> str:
        return HIDDEN_TEXT if self.matches is None else str(self.matches)

    @property
    def evaluations_text(self) -> str:
        return self.evaluations_hidden if self.evaluations is None else str(self.evaluations)


def _evaluations_of(programme: Programme) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(match__pairing_round__programme=programme)


def _active_members(programme: Programme, today: dt.date) -> int:
    # A pause past its end date counts as active even before the daily tidy-up runs.
    ended_pause = Q(status=MembershipStatus.PAUSED, paused_until__lte=today)
    return programme.memberships.filter(Q(status=MembershipStatus.ACTIVE) | ended_pause).count()


def _delivery(programme: Programme) -> tuple[int, int]:
    sent = OutboxEmail.objects.filter(
        pairing_round__programme=programme, kind=OutboxKind.INTRO, status=OutboxStatus.SENT
    )
    introduced = (
        MatchMember.objects.filter(match__emails__in=sent, user__isnull=False)
        .values("user")
        .distinct()
        .count()
    )
    return sent.count(), introduced


def _signups(programme: Programme, today: dt.date) -> list[Cell]:
    rows = (
        programme.memberships.annotate(month=TruncMonth("joined_at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    by_month = {(r["month"].year, r["month"].month): r["n"] for r in rows}
    year, month = today.year, today.month
    months = []
    for _ in range(SIGNUP_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    # Every month in the window gets a row, so an empty month looks like a small one.
    return [
        Cell(dt.date(y, m, 1).strftime("%b %Y"), suppress(by_month.get((y, m), 0)))
        for y, m in reversed(months)
    ]


def _topics(programme: Programme, evaluations: QuerySet[Evaluation]) -> list[TopicRow]:
    talked = Counter(
        dict(
            Evaluation.topics.through.objects.filter(evaluation__in=evaluations)
            .values_list("interest__name")
            .annotate(n=Count("id"))
        )
    )
    shared: Counter[str] = Counter()
    for names in Match.objects.filter(pairing_round__programme=programme).values_list(
        "shared_interests", flat=True
    ):
        shared.update(set(names or []))
    names = sorted(set(talked) | set(shared), key=lambda n: (-(talked[n] + shared[n]), n))
    rows = [TopicRow(n, suppress(talked[n]), suppress(shared[n])) for n in names]
    # A topic named by fewer than 5 evaluations and 5 matches is left out altogether:
    # an unusual topic could point to the one member who chose it.
    return [r for r in rows if r.talked_about is not None or r.shared is not None][:TOP_TOPICS]


def _trend(programme: Programme) -> list[TrendRow]:
    rounds = (
        Round.objects.filter(programme=programme, status=RoundStatus.DONE)
        .annotate(n_matches=Count("matches", distinct=True))
        .order_by("number")
    )
    stats = {
        r["match__pairing_round"]: r
        for r in _evaluations_of(programme)
        .values("match__pairing_round")
        .annotate(
            n=Count("id"),
            met=Count("id", filter=Q(met=Met.YES)),
            rated=Count("id", filter=Q(usefulness__isnull=False)),
            mean=Avg("usefulness"),
        )
    }
    empty = {"n": 0, "met": 0, "rated": 0, "mean": None}
    # The rounds' evaluations add up to the headline total: hidden together, like cells.
    shown = suppress_distribution([stats.get(r.pk, empty)["n"] for r in rounds])
    rows = []
    for pairing_round, evaluations in zip(rounds, shown, strict=True):
        s = stats.get(pairing_round.pk, empty)
        rows.append(
            TrendRow(
                number=pairing_round.number,
                scheduled_for=pairing_round.scheduled_for,
                matches=suppress(pairing_round.n_matches),
                evaluations=evaluations,
                evaluations_hidden=hidden_text(s["n"]),
                met_percent=percent(s["met"], s["n"]),
                mean_usefulness=_mean(s["mean"], s["rated"]),
            )
        )
    return rows


def _mean(mean: float | None, n: int) -> float | None:
    return None if mean is None or suppress(n) is None else round(mean, 1)


def programme_report(*, programme: Programme, today: dt.date | None = None) -> dict:
    """Everything the evidence page and pack show, with every count of people below 5
    already hidden (None)."""
    today = today or timezone.localdate()
    evaluations = _evaluations_of(programme)
    totals = evaluations.aggregate(
        n=Count("id"),
        met=Count("id", filter=Q(met=Met.YES)),
        rated=Count("id", filter=Q(usefulness__isnull=False)),
        mean=Avg("usefulness"),
    )
    ratings = Counter(dict(evaluations.values_list("usefulness").annotate(c=Count("id"))))
    again = Counter(dict(evaluations.values_list("meet_again").annotate(c=Count("id"))))
    intros, introduced = _delivery(programme)
    trend = _trend(programme)
    return {
        "programme": programme,
        "generated_on": today,
        "first_round_on": trend[0].scheduled_for if trend else None,
        "last_round_on": trend[-1].scheduled_for if trend else None,
        "members": suppress(_active_members(programme, today)),
        # Rounds are not people, and their numbers appear in the trend anyway.
        "rounds_run": len(trend),
        "intros_delivered": suppress(intros),
        "members_introduced": suppress(introduced),
        "evaluations": suppress(totals["n"]),
        "met": part_of(totals["met"], totals["n"]),
        "met_hidden": hidden_text(totals["met"]),
        "met_percent": percent(totals["met"], totals["n"]),
        "mean_usefulness": _mean(totals["mean"], totals["rated"]),
        "usefulness": _distribution([(USEFULNESS_LABELS[k], ratings[k]) for k in range(1, 6)]),
        "meet_again": _distribution([(c.label, again[c.value]) for c in MeetAgain]),
        "signups": _signups(programme, today),
        "topics": _topics(programme, evaluations),
        "trend": trend,
    }


# Comments for organisers


@dataclass(frozen=True)
class Comment:
    author: str
    round_number: int
    round_date: dt.date
    submitted_at: dt.datetime
    text: str


def programme_comments(*, programme: Programme) -> list[Comment]:
    """Private comments to the organisers, newest first. Organisers may see who wrote
    them; they are never shown to partners, members or in the evidence pack."""
    rows = (
        _evaluations_of(programme)
        .exclude(private_comment="")
        .select_related("user__profile", "match__pairing_round")
        .order_by("-created_at", "-pk")
    )
    return [
        Comment(
            author=member_name(e.user),
            round_number=e.match.pairing_round.number,
            round_date=e.match.pairing_round.scheduled_for,
            submitted_at=e.created_at,
            text=e.private_comment,
        )
        for e in rows
    ]


# Shared takeaways


@dataclass(frozen=True)
class Takeaway:
    text: str
    author: str
    programme: str
    month: dt.date


def shared_takeaways(*, programme: Programme | None = None) -> QuerySet[Evaluation]:
    """Evaluations whose authors chose to share their takeaway, newest first."""
    rows = (
        Evaluation.objects.filter(share_takeaway=True)
        .exclude(takeaway="")
        .select_related("user__profile", "match__pairing_round__programme")
        .order_by("-match__pairing_round__scheduled_for", "-created_at", "-pk")
    )
    return rows.filter(match__pairing_round__programme=programme) if programme else rows


def takeaway_from(evaluation: Evaluation) -> Takeaway:
    """Only the takeaway itself, with the author's name only if they allowed it."""
    profile = getattr(evaluation.user, "profile", None) if evaluation.user else None
    named = evaluation.show_name_with_takeaway and profile and profile.display_name
    pairing_round = evaluation.match.pairing_round
    return Takeaway(
        text=evaluation.takeaway,
        author=profile.display_name if named else "A member",
        programme=pairing_round.programme.name,
        month=pairing_round.scheduled_for.replace(day=1),
    )
