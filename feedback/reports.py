"""Read-only report building: a programme's evidence for organisers and funders, a member's
own CPD record, and the takeaways members chose to share.

Two ways of showing the same figures (`feedback.small_numbers`): the organiser team's own
evidence page shows every figure exactly (`exact=True`); the evidence pack, which is shared
beyond that team, passes every count through `suppress`, every count shown beside its total
through `part_of`, every percentage through `percent` and every set of answers to one
question through `suppress_distribution`, so that it never reveals a count of 1-4,
directly or by subtraction from a total. Every query here leaves a round's engine input
(its snapshot) and draft out: rounds are read through `values()` or `only()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

# One question's answers, cell by cell (`Cell` is used by the other evidence modules too).
from feedback.answer_cells import Cell
from feedback.answer_cells import answer_cells as _distribution

# The CSV exports (`feedback.exports`) and the CPD record (`feedback.cpd`) live apart
# (this module would pass 400 lines); they are re-exported here so callers find every
# report in one place.
from feedback.cpd import CPD_HEADER, CpdRow, cpd_csv_rows, cpd_rows  # noqa: F401
from feedback.exports import (  # noqa: F401
    CHECKIN_HEADER,
    EVALUATION_HEADER,
    checkins_csv_rows,
    csv_safe,
    evaluations_csv_rows,
    member_name,
)
from feedback.models import Evaluation, MeetAgain, Met
from feedback.report_rows import (  # noqa: F401
    Comment,
    Rates,
    Takeaway,
    programme_comments,
    programme_comments_page,
    programme_rates,
    shared_takeaways,
    takeaway_from,
)
from feedback.small_numbers import (  # noqa: F401
    EXACT,
    HIDDEN_TEXT,
    ROUNDED_NOTE,
    RULES_TEXT,
    SHAREABLE,
    SMALL_COUNT,
    WITHHELD_TEXT,
    Rules,
    Share,
    answers_withheld,
    distribution_hidden_texts,
    exact_percent,
    hidden_text,
    is_small,
    linked_means,
    linked_percents,
    part_of,
    percent,
    suppress,
    suppress_distribution,
)
from pairing.models import (
    MatchMember,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    OutboxStatus,
    Programme,
    Round,
    RoundStatus,
    round_day,
)

USEFULNESS_LABELS = {
    1: "1 (not useful)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (very useful)",
}
SIGNUP_MONTHS = 12


def evaluation_counts() -> dict:
    """The aggregates every evaluation figure starts from: answers, said they met, ratings
    and their mean (for `.aggregate()` or `.annotate()`)."""
    return {
        "n": Count("id"),
        "met": Count("id", filter=Q(met=Met.YES)),
        "rated": Count("id", filter=Q(usefulness__isnull=False)),
        "mean": Avg("usefulness"),
    }


TOP_TOPICS = 10
NO_ANSWERS_TEXT = "no answers yet"
NO_MATCHES_TEXT = "nobody matched"
NO_RATINGS_TEXT = "no ratings yet"


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
    held_on: dt.date  # the day it ran (`Round.held_on`): an organiser may run one early
    matches: int | None
    evaluations: int | None
    met_percent: Share | None
    mean_usefulness: float | None
    evaluations_hidden: str = HIDDEN_TEXT  # said instead of `evaluations` when None
    seats: int = 0  # members introduced in the round (not shown: it sizes the gap)
    matches_hidden: str = HIDDEN_TEXT  # said instead of `matches` when None

    @property
    def matches_text(self) -> str:
        return self.matches_hidden if self.matches is None else str(self.matches)

    @property
    def evaluations_text(self) -> str:
        return self.evaluations_hidden if self.evaluations is None else str(self.evaluations)

    @property
    def met_percent_text(self) -> str:
        if self.met_percent is not None:
            return self.met_percent.text
        if self.matches == 0:
            return NO_MATCHES_TEXT  # no answers will come (walk 31: it said "yet")
        return NO_ANSWERS_TEXT if self.evaluations == 0 else WITHHELD_TEXT

    @property
    def mean_text(self) -> str:
        if self.mean_usefulness is not None:
            return str(self.mean_usefulness)
        return self.met_percent_text if self.evaluations == 0 else WITHHELD_TEXT


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
    # Each member once; a seat whose account was deleted since still counts (its
    # evaluation is kept without a name), or evaluations could outnumber those introduced.
    seats = MatchMember.objects.filter(match__emails__in=sent).aggregate(
        here=Count("user", distinct=True),
        gone=Count("pk", distinct=True, filter=Q(user__isnull=True)),
    )
    return sent.count(), seats["here"] + seats["gone"]


def _signups(programme: Programme, today: dt.date, rules: Rules) -> list[Cell]:
    """Members who joined, by month: the last 12 (the current one last) from the month the
    programme was created, or its first sign-up if earlier (a programme created in
    December has no months of 0 before it existed); always at least the current month."""
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
    months.reverse()
    created = programme.created_at and timezone.localdate(programme.created_at)
    first = min([*by_month, (created.year, created.month)] if created else by_month, default=None)
    months = [ym for ym in months if first is None or ym >= first] or months[-1:]
    # Every month in the window gets a row; a month nobody joined reads 0.
    return [
        Cell(dt.date(y, m, 1).strftime("%b %Y"), rules.count(by_month.get((y, m), 0)))
        for y, m in months
    ]


SHARED_TOPICS_SQL = {
    # Distinct names per match, counted in the database (a match lists a topic once).
    "postgresql": """
        SELECT t.name, COUNT(DISTINCT m.id) FROM pairing_match m
        JOIN pairing_round r ON r.id = m.round_id
        CROSS JOIN LATERAL jsonb_array_elements_text(m.shared_interests::jsonb) AS t(name)
        WHERE r.programme_id = %s GROUP BY t.name""",
    "sqlite": """
        SELECT t.value, COUNT(DISTINCT m.id) FROM pairing_match m
        JOIN pairing_round r ON r.id = m.round_id, json_each(m.shared_interests) t
        WHERE r.programme_id = %s AND json_valid(m.shared_interests) GROUP BY t.value""",
}


def _shared_topics(programme: Programme) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(SHARED_TOPICS_SQL[connection.vendor], [programme.pk])
        return {str(name): n for name, n in cursor.fetchall()}


def _topics(
    programme: Programme, evaluations: QuerySet[Evaluation], rules: Rules
) -> list[TopicRow]:
    talked = dict(
        Evaluation.topics.through.objects.filter(evaluation__in=evaluations)
        .values_list("interest__name")
        .annotate(n=Count("id"))
    )
    shared = _shared_topics(programme)

    def rank(n: int) -> float:
        # In the pack a count of 1-4 is "fewer than 5": those tie, so the order tells
        # nothing the figures do not.
        return n if rules.exact or n == 0 or n >= SMALL_COUNT else SMALL_COUNT - 0.5

    # By the evaluations naming each topic (what the chart draws), then the matches
    # sharing it: walk 32 read one order in the chart and another in the table.
    names = sorted(
        set(talked) | set(shared),
        key=lambda n: (-rank(talked.get(n, 0)), -rank(shared.get(n, 0)), n),
    )
    rows = [
        TopicRow(n, rules.count(talked.get(n, 0)), rules.count(shared.get(n, 0))) for n in names
    ]
    # Shared: a topic shown by neither count (5 or more) is left out altogether, since an
    # unusual topic could point to the one member who chose it.
    return [r for r in rows if rules.exact or (r.talked_about or r.shared)][:TOP_TOPICS]


def _trend(programme: Programme, rules: Rules) -> list[TrendRow]:
    rounds = list(
        Round.objects.filter(programme=programme, status=RoundStatus.DONE)
        .values("pk", "number", "scheduled_for", "finished_at")
        .annotate(
            n_matches=Count("matches", distinct=True),
            n_seats=Count("matches__members", distinct=True),
        )
        .order_by("number")
    )
    stats = {
        r["match__pairing_round"]: r
        for r in _evaluations_of(programme)
        .values("match__pairing_round")
        .annotate(**evaluation_counts())
    }
    empty = {"n": 0, "met": 0, "rated": 0, "mean": None}
    per_round = [stats.get(r["pk"], empty) for r in rounds]
    # The rounds' evaluations add up to the headline total: hidden together, like cells;
    # so do those who met, round by round.
    shown = rules.distribution([s["n"] for s in per_round])
    hidden = distribution_hidden_texts([s["n"] for s in per_round])
    shares = linked_percents([s["met"] for s in per_round], [s["n"] for s in per_round], rules)
    # Beside the headline's mean, one round's mean follows from the others': linked too.
    means = linked_means([s["mean"] for s in per_round], [s["rated"] for s in per_round], rules)
    return [
        TrendRow(
            number=r["number"],
            scheduled_for=r["scheduled_for"],
            held_on=round_day(r["scheduled_for"], r["finished_at"]),
            # A round's matches beside its evaluations tell how many did not answer
            # (two a pair): in the pack they go when that is 1-4.
            matches=(
                None
                if not rules.exact and is_small(r["n_seats"] - s["n"])
                else rules.count(r["n_matches"])
            ),
            matches_hidden=WITHHELD_TEXT,
            seats=r["n_seats"],
            evaluations=evaluations,
            evaluations_hidden=text,
            met_percent=share,
            mean_usefulness=mean,
        )
        for r, s, evaluations, text, share, mean in zip(
            rounds, per_round, shown, hidden, shares, means, strict=True
        )
    ]


def _totals(evaluations: QuerySet[Evaluation]) -> dict:
    """Every headline figure from the evaluations, in one query."""
    return evaluations.aggregate(
        **evaluation_counts(),
        **{f"useful_{k}": Count("id", filter=Q(usefulness=k)) for k in range(1, 6)},
        **{f"again_{c.value}": Count("id", filter=Q(meet_again=c.value)) for c in MeetAgain},
    )


def programme_report(
    *, programme: Programme, today: dt.date | None = None, exact: bool = False
) -> dict:
    """Everything the evidence page and pack show. `exact` for the organiser team's own
    page; otherwise (the pack, and by default) every figure follows the small-number
    rules, a hidden one being None."""
    rules = EXACT if exact else SHAREABLE
    today = today or timezone.localdate()
    evaluations = _evaluations_of(programme)
    totals = _totals(evaluations)
    intros, introduced = _delivery(programme)
    trend = _trend(programme, rules)
    # Only those who met rate and say whether they would meet again: beside these two
    # figures, the number of their answers must not give a hidden count back.
    beside = [rules.count(totals["n"]), rules.part(totals["met"], totals["n"])]
    report = {
        "programme": programme,
        "exact": exact,
        "generated_on": today,
        "first_round_on": min(row.held_on for row in trend) if trend else None,
        "last_round_on": max(row.held_on for row in trend) if trend else None,
        "members": rules.count(_active_members(programme, today)),
        # Rounds are not people, and their numbers appear in the trend anyway.
        "rounds_run": len(trend),
        # Introductions delivered give back how many were introduced (two a pair): in the
        # pack they go when that would tell that 1-4 did not answer.
        "intros_delivered": (
            None
            if not exact and is_small(sum(row.seats for row in trend) - totals["n"])
            else rules.count(intros)
        ),
        "intros_delivered_hidden": hidden_text(intros) if is_small(intros) else WITHHELD_TEXT,
        # Beside the evaluations received: 26 introduced and 25 answers would tell that 1
        # did not answer, so in the pack the larger figure goes when the gap is 1-4.
        "members_introduced": (
            None if not exact and is_small(introduced - totals["n"]) else rules.count(introduced)
        ),
        "members_introduced_hidden": hidden_text(introduced),
        "evaluations": rules.count(totals["n"]),
        "met": rules.part(totals["met"], totals["n"]),
        "met_hidden": hidden_text(totals["met"]),
        "met_percent": rules.share(totals["met"], totals["n"]),
        "met_percent_hidden": WITHHELD_TEXT if totals["n"] else NO_ANSWERS_TEXT,
        "mean_usefulness": rules.mean(totals["mean"], totals["rated"]),
        "mean_hidden": WITHHELD_TEXT if totals["rated"] else NO_RATINGS_TEXT,
        "usefulness": _distribution(
            [(USEFULNESS_LABELS[k], totals[f"useful_{k}"]) for k in range(1, 6)], rules, beside
        ),
        # Beside the ratings too, when they are shown: one may answer and not the other.
        "meet_again": _distribution(
            [(c.label, totals[f"again_{c.value}"]) for c in MeetAgain],
            rules,
            [*beside, None if answers_withheld(totals["rated"], beside) else totals["rated"]],
        ),
        "signups": _signups(programme, today, rules),
        "topics": _topics(programme, evaluations, rules),
        "trend": trend,
        "rules_text": RULES_TEXT,
        "rounded_note": ROUNDED_NOTE,
    }
    shares = [report["met_percent"], *(row.met_percent for row in trend)]
    shares += [c.percent for c in (*report["usefulness"], *report["meet_again"])]
    report["any_rounded"] = any(s is not None and s.rounded for s in shares)
    return report
