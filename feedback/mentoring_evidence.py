"""What mentoring adds to a programme's evidence page: the balance of mentors and mentees
now and so far, pairs made and mentees left out round by round, and how useful mentees
and mentors each found their matches, under the same small-number rules as every figure
(`feedback.small_numbers`: exact on the organiser team's own page, protected in the pack).
Counted in the database: six aggregate queries whatever the rounds, members and
evaluations; a round's engine input (its snapshot) and draft are never read.

A left-out row (`LeftOut`) does not record the member's role at the time (only the
engine input does), so mentees left out are counted by the role each member gives now,
and the section says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from feedback.models import Evaluation
from feedback.reports import evaluation_counts
from feedback.set_evidence import Figure
from feedback.small_numbers import (
    EXACT,
    HIDDEN_TEXT,
    SHAREABLE,
    WITHHELD_TEXT,
    Rules,
    answers_withheld,
    distribution_hidden_texts,
    hidden_text,
    is_small,
)
from pairing.kinds import kind_of
from pairing.models import (
    LeftOut,
    MatchMember,
    MembershipStatus,
    MentoringRole,
    Programme,
    Round,
    RoundStatus,
    round_day,
)

# The latest rounds in the by-round table, like the other by-round tables.
ROUNDS_ON_PAGE = 12
ROLES = (MentoringRole.SEEK, MentoringRole.OFFER)


@dataclass(frozen=True)
class MentoringRound:
    number: int
    held_on: dt.date
    pairs: int | None
    pairs_hidden: str
    mentees_left_out: int | None

    @property
    def pairs_text(self) -> str:
        return self.pairs_hidden if self.pairs is None else str(self.pairs)

    @property
    def mentees_left_out_text(self) -> str:
        return HIDDEN_TEXT if self.mentees_left_out is None else str(self.mentees_left_out)


def _members_now(programme: Programme, today: dt.date) -> dict:
    # Active as on the headline: a pause past its end date counts before the tidy-up runs.
    active = Q(status=MembershipStatus.ACTIVE) | Q(
        status=MembershipStatus.PAUSED, paused_until__lte=today
    )
    return programme.memberships.filter(active).aggregate(
        offer=Count("id", filter=Q(mentoring_role=MentoringRole.OFFER)),
        seek=Count("id", filter=Q(mentoring_role=MentoringRole.SEEK)),
        unsaid=Count("id", filter=Q(mentoring_role="")),
    )


def _paired_so_far(programme: Programme) -> dict:
    """Distinct people seated as mentee and as mentor in the rounds that ran."""
    seats = MatchMember.objects.filter(
        pairing_round__programme=programme,
        pairing_round__status=RoundStatus.DONE,
        user__isnull=False,
    )
    return seats.aggregate(
        seek=Count("user", filter=Q(role=MentoringRole.SEEK), distinct=True),
        offer=Count("user", filter=Q(role=MentoringRole.OFFER), distinct=True),
    )


def _usefulness_by_role(programme: Programme) -> dict:
    """Evaluations, ratings and their mean by the rater's role in that match; the key
    None holds those whose seat is gone (a deleted account)."""
    rater_role = MatchMember.objects.filter(match=OuterRef("match"), user=OuterRef("user"))
    rows = (
        Evaluation.objects.filter(match__pairing_round__programme=programme)
        .annotate(rater_role=Subquery(rater_role.values("role")[:1]))
        .values("rater_role")
        .annotate(**evaluation_counts())
        .order_by()
    )
    by_role: dict = {}
    for row in rows:
        # No role ("") cannot happen in a mentoring match; it joins the deleted accounts.
        role = row["rater_role"] if row["rater_role"] in ROLES else None
        was = by_role.setdefault(role, {"n": 0, "met": 0, "rated": 0, "total": 0.0})
        was["n"] += row["n"]
        was["met"] += row["met"]
        was["rated"] += row["rated"]
        was["total"] += (row["mean"] or 0) * row["rated"]
    for sums in by_role.values():
        sums["mean"] = sums["total"] / sums["rated"] if sums["rated"] else None
    return by_role


def _rounds(programme: Programme, limit: int, rules: Rules) -> tuple[list[MentoringRound], bool]:
    """The latest `limit` rounds that ran, newest first, and whether there are more."""
    latest = list(
        Round.objects.filter(programme=programme, status=RoundStatus.DONE)
        .values("pk", "number", "scheduled_for", "finished_at")
        .annotate(
            n_pairs=Count("matches", distinct=True),
            n_seats=Count("matches__members", distinct=True),
        )
        .order_by("-number")[: limit + 1]
    )
    more, latest = len(latest) > limit, latest[:limit]
    ids = [r["pk"] for r in latest]
    answers = dict(
        Evaluation.objects.filter(match__pairing_round__in=ids)
        .values_list("match__pairing_round")
        .annotate(n=Count("id"))
        .order_by()
    )
    left_out = dict(
        LeftOut.objects.filter(
            pairing_round__in=ids,
            user__memberships__programme=programme,
            user__memberships__mentoring_role=MentoringRole.SEEK,
        )
        .values_list("pairing_round")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        MentoringRound(
            number=r["number"],
            held_on=round_day(r["scheduled_for"], r["finished_at"]),
            # As in the rounds table: beside the round's evaluations, its pairs tell how
            # many did not answer (two a pair), so in the pack they go when that is 1-4.
            pairs=(
                None
                if not rules.exact and is_small(r["n_seats"] - answers.get(r["pk"], 0))
                else rules.count(r["n_pairs"])
            ),
            pairs_hidden=hidden_text(r["n_pairs"]) if is_small(r["n_pairs"]) else WITHHELD_TEXT,
            mentees_left_out=rules.count(left_out.get(r["pk"], 0)),
        )
        for r in latest
    ]
    return rows, more


def _usefulness(by_role: dict, rules: Rules) -> list[Figure]:
    counts = [by_role.get(role, {"rated": 0})["rated"] for role in (*ROLES, None)]
    # The ratings add up to the answers in the usefulness table: hidden together, like
    # cells, and not at all when the table must not tell how many there are.
    answers = sum(row["n"] for row in by_role.values())
    met = sum(row["met"] for row in by_role.values())
    beside = [rules.count(answers), rules.part(met, answers)]
    told = rules.exact or not answers_withheld(sum(counts), beside)
    shown = rules.distribution(counts) if told else [None] * len(counts)
    # Beside the headline's mean of every rating, one side's mean and count give the
    # other's: shared, both show only when neither side has 1-4 ratings, nor do the
    # ratings of deleted accounts (no role now), which the headline's mean holds too.
    both = rules.exact or not any(is_small(n) for n in counts)
    figures = []
    for role, word, rated, shown_n in zip(
        ROLES, ("mentees", "mentors"), counts, shown, strict=False
    ):
        mean = rules.mean(by_role.get(role, {}).get("mean"), rated) if both else None
        label = f"Mean usefulness rated by {word} (1-5)"
        if mean is None:
            # Shared, a mean needs 5 ratings on each side: hidden means 1-4 here or there.
            said = (
                "no ratings yet"
                if rated == 0
                else f"{HIDDEN_TEXT} ratings"
                if is_small(rated)
                else WITHHELD_TEXT
            )
            figures.append(Figure(label, None, said))
        else:
            ratings = f" ({shown_n} rating{'' if shown_n == 1 else 's'})" if shown_n else ""
            figures.append(Figure(label, f"{mean}{ratings}"))
    return figures


def _balance(now: dict, offer: int | None, seek: int | None) -> str:
    """A sentence on the balance now, when both counts are shown."""
    if offer is None or seek is None or not (now["offer"] or now["seek"]):
        return ""
    if now["seek"] > now["offer"]:
        return (
            "More members seek a mentor than offer to be one: "
            "each round some mentees will wait for a mentor."
        )
    if now["offer"] > now["seek"]:
        return (
            "More members offer mentoring than seek it: "
            "each round some mentors will wait for a mentee."
        )
    return "As many members offer mentoring as seek it."


def mentoring_evidence(
    *, programme: Programme, exact: bool = False, rounds: int = ROUNDS_ON_PAGE
) -> dict | None:
    """The mentoring figures: exact for the organiser team's own page (`exact`), else
    with every count of 1-4 (or one a shown figure would give away) hidden; the latest
    `rounds` rounds by round. None for kinds that do not pair mentors with mentees."""
    if not kind_of(programme).offer_and_seek:
        return None
    rules = EXACT if exact else SHAREABLE
    now = _members_now(programme, timezone.localdate())
    # Offering, seeking and not yet said add up to the active members on the headline.
    offer, seek, unsaid = rules.distribution([now["offer"], now["seek"], now["unsaid"]])
    now_hidden = distribution_hidden_texts([now["offer"], now["seek"], now["unsaid"]])
    paired = _paired_so_far(programme)
    by_role = _usefulness_by_role(programme)
    answers = sum(row["n"] for row in by_role.values())
    # Together about the members introduced on the headline, so hidden like cells of it;
    # and beside the evaluations there, in the pack both go when 1-4 did not answer.
    paired_counts = [paired["seek"], paired["offer"]]
    mentees, mentors = (
        (None, None)
        if not exact and is_small(sum(paired_counts) - answers)
        else rules.distribution(paired_counts)
    )
    paired_hidden = distribution_hidden_texts(paired_counts)
    by_round, more = _rounds(programme, rounds, rules)
    figures = [
        Figure("Active members offering mentoring", offer, now_hidden[0]),
        Figure("Active members seeking a mentor", seek, now_hidden[1]),
        Figure("Active members who have not yet chosen a role", unsaid, now_hidden[2]),
        Figure("Members paired as mentees so far", mentees, paired_hidden[0]),
        Figure("Members paired as mentors so far", mentors, paired_hidden[1]),
        *_usefulness(by_role, rules),
    ]
    return {
        "figures": figures,
        "balance": _balance(now, offer, seek),
        "rounds": by_round,
        "more_rounds": more,
    }
