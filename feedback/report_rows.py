"""Rows and figures of reports that are not the evidence itself: the organisers' private
comments, the takeaways members shared, the search-strategy reviews a member sent (for the
evaluations CSV), and the meeting and feedback response rates for the organiser home.
Re-exported by `feedback.reports`. Every query leaves a round's engine input (its snapshot)
and draft out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.fields.json import KT

from feedback.models import Evaluation, Met, PressVerdict, Strategy, StrategyReview
from feedback.small_numbers import Share, exact_percent
from pairing.models import MatchMember, Programme, RoundStatus, round_day


def _evaluations_of(programme: Programme) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(match__pairing_round__programme=programme)


# Comments for organisers


@dataclass(frozen=True)
class Comment:
    author: str
    round_number: int
    round_date: dt.date
    submitted_at: dt.datetime
    text: str
    # What got in the way of meeting, written for the organisers too (walks 43 and 46:
    # only in the CSV before).
    got_in_the_way: str = ""


STAND_INS = ("A former member", "A member")


def mid_sentence(name: str) -> str:
    """A stand-in name as it reads mid-sentence ("Review by a former member", "(version 1;
    a former member)"); a member's own display name is left as they wrote it. At the
    start of a line, cell or sentence the stand-in keeps its capital."""
    for stand_in in STAND_INS:
        if name == stand_in or name.startswith(f"{stand_in} ("):
            return f"a{name[1:]}"
    return name


def _name(row: dict, prefix: str = "user") -> str:
    """`member_name` from a `values()` row: a deleted account is a former member."""
    if row[prefix] is None or row[f"{prefix}__profile__pk"] is None:
        return "A former member"
    return row[f"{prefix}__profile__display_name"] or "A member"


def _comment_rows(programme: Programme) -> QuerySet[Evaluation]:
    return (
        _evaluations_of(programme)
        .exclude(Q(private_comment="") & Q(not_met_reason=""))
        .order_by("-created_at", "-pk")
        .values(
            "user",
            "user__profile__pk",
            "user__profile__display_name",
            "match__pairing_round__number",
            "match__pairing_round__scheduled_for",
            "match__pairing_round__finished_at",
            "created_at",
            "private_comment",
            "not_met_reason",
        )
    )


def _comment(e: dict) -> Comment:
    return Comment(
        author=_name(e),
        round_number=e["match__pairing_round__number"],
        # The day the round ran (`Round.held_on`): an organiser may run it early.
        round_date=round_day(
            e["match__pairing_round__scheduled_for"], e["match__pairing_round__finished_at"]
        ),
        submitted_at=e["created_at"],
        text=e["private_comment"],
        got_in_the_way=e["not_met_reason"],
    )


def programme_comments(*, programme: Programme) -> list[Comment]:
    """Private comments to the organisers and what got in the way of meeting, newest
    first. Organisers may see who wrote them; they are never shown to partners, members
    or in the evidence pack."""
    return [_comment(e) for e in _comment_rows(programme)]


def programme_comments_page(*, programme: Programme, number: object, per_page: int) -> Page:
    """One page of `programme_comments` (a bad or past-the-end number gives the nearest
    page), counted and sliced in the database; its `object_list` holds `Comment`s."""
    page = Paginator(_comment_rows(programme), per_page).get_page(number)
    page.object_list = [_comment(e) for e in page.object_list]
    return page


# Shared takeaways


@dataclass(frozen=True)
class Takeaway:
    text: str
    author: str
    programme: str
    month: dt.date


def shared_takeaways(*, programme: Programme | None = None) -> QuerySet[Evaluation]:
    """Evaluations whose authors chose to share their takeaway, newest first, loading
    only what a takeaway shows (never the round's engine input). A takeaway sent with
    "Not yet" waits until its author says how the meeting went."""
    rows = (
        # A deleted account's takeaway is erased with it; never shown if one was left.
        Evaluation.objects.filter(share_takeaway=True, user__isnull=False)
        .exclude(takeaway="")
        .exclude(met=Met.NOT_YET)
        .select_related("user__profile", "match__pairing_round__programme")
        .only(
            "takeaway",
            "show_name_with_takeaway",
            "user__profile__display_name",
            "match__pairing_round__scheduled_for",
            "match__pairing_round__finished_at",
            "match__pairing_round__programme__name",
        )
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
        month=pairing_round.held_on.replace(day=1),
    )


# Figures for the organiser home (exact: it is the organiser team's own page)


@dataclass(frozen=True)
class Rates:
    evaluations: int
    met: int
    seats: int  # members introduced in rounds that ran, one per match they were in

    @property
    def meeting_rate(self) -> Share | None:
        """Share of evaluations saying the members met."""
        return exact_percent(self.met, self.evaluations)

    @property
    def response_rate(self) -> Share | None:
        """Share of introduced members who sent their feedback."""
        return exact_percent(self.evaluations, self.seats)


def programme_rates(*, programmes: list[Programme] | QuerySet[Programme]) -> dict[int, Rates]:
    """Meeting rate and feedback response rate per programme (by pk), in two queries
    whatever the number of programmes or rounds."""
    ids = [p.pk for p in programmes]
    answers = {
        r["match__pairing_round__programme"]: r
        for r in Evaluation.objects.filter(match__pairing_round__programme__in=ids)
        .values("match__pairing_round__programme")
        .annotate(n=Count("id"), met=Count("id", filter=Q(met=Met.YES)))
    }
    seats = dict(
        MatchMember.objects.filter(
            pairing_round__programme__in=ids,
            pairing_round__status=RoundStatus.DONE,
            user__isnull=False,
        )
        .values_list("pairing_round__programme")
        .annotate(n=Count("id"))
    )
    return {
        pk: Rates(
            evaluations=answers.get(pk, {}).get("n", 0),
            met=answers.get(pk, {}).get("met", 0),
            seats=seats.get(pk, 0),
        )
        for pk in ids
    }


# Search-strategy reviews a member sent, for the evaluations CSV


def sent_reviews_prefetch(headings: tuple[tuple[str, str], ...]) -> Prefetch:
    """For an `Evaluation` query: its match's strategies, each with its submitted reviews
    as `submitted` (two queries per chunk, whatever the rows). Of a review only its
    reviewer, version number and each PRESS verdict (read from the JSON in the database):
    never its comments, which are written for the author."""
    verdicts = {f"verdict_{key}": KT(f"elements__{key}__verdict") for key, _heading in headings}
    reviews = (
        StrategyReview.objects.filter(submitted_at__isnull=False, reviewer__isnull=False)
        .select_related("version")
        .only("strategy_id", "reviewer_id", "version__number")
        .annotate(**verdicts)
        .order_by("submitted_at", "pk")
    )
    strategies = (
        Strategy.objects.select_related("author__profile")
        .only("match_id", "author__profile__display_name")
        .prefetch_related(Prefetch("reviews", queryset=reviews, to_attr="submitted"))
        .order_by("pk")
    )
    return Prefetch("match__strategies", queryset=strategies)


def reviews_sent_words(evaluation: Evaluation, headings: tuple[tuple[str, str], ...]) -> str:
    """The PRESS reviews the evaluation's author sent in its match, one clause each:
    "Reviewed Ada Lovelace's strategy (version 1): revision required: Subject headings;
    revision suggested: Limits and filters" (or "...: no revisions"); empty when none.
    Needs `sent_reviews_prefetch`."""
    if evaluation.user_id is None:
        return ""
    clauses = []
    for strategy in evaluation.match.strategies.all():
        for review in strategy.submitted:
            if review.reviewer_id == evaluation.user_id:
                clauses.append(_review_clause(review, strategy, headings))
    return " | ".join(clauses)


def _review_clause(
    review: StrategyReview, strategy: Strategy, headings: tuple[tuple[str, str], ...]
) -> str:
    profile = getattr(strategy.author, "profile", None)
    author = (profile.display_name or "A member") if profile else "A former member"
    verdicts = []
    for verdict in (PressVerdict.REQUIRED, PressVerdict.SUGGESTED):
        named = [h for key, h in headings if getattr(review, f"verdict_{key}") == verdict]
        if named:
            verdicts.append(f"{verdict.label.lower()}: {', '.join(named)}")
    return f"Reviewed {mid_sentence(author)}'s strategy (version {review.version.number}): " + (
        "; ".join(verdicts) or "no revisions"
    )
