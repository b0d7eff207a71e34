"""A member's CPD record: their own introductions with their reflections (the page and the
CSV), partners by role and sector only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from feedback.closing import feedback_closed
from feedback.exports import _safe_rows
from feedback.models import Evaluation, StrategyReview
from feedback.report_rows import mid_sentence
from members.models import User
from pairing.kinds import kind_of
from pairing.models import Match, MatchMember
from pairing.selectors import seat_role
from pairing.sets.reports import session_cpd_rows


@dataclass(frozen=True)
class CpdRow:
    """One of a member's own introductions, with their own reflections. Partners appear
    by role and sector only: a CPD record is shown to appraisers, so never names."""

    date: dt.date
    programme: str
    round_number: int
    partners: list[str]
    met: str
    minutes: int | None
    usefulness: int | None
    topics: list[str] = field(default_factory=list)
    next_steps: str = ""
    takeaway: str = ""
    my_role: str = ""  # mentoring: "mentor" or "mentee"
    # Search review: "Reviewed a partner's search strategy (PRESS 2015)", and the same for
    # reviews received; empty for other kinds.
    peer_review: list[str] = field(default_factory=list)
    # A learning set is not evaluated as one meeting (`met` is empty): its sessions are.
    learning_set: bool = False


def _partner_description(user: User | None, match_role: str = "") -> str:
    profile = getattr(user, "profile", None) if user else None
    if user is None or profile is None:
        return f"A former member ({match_role})" if match_role else "A former member"
    parts = [
        match_role.capitalize(),
        profile.get_role_band_display() if profile.role_band else "",
        profile.get_sector_display() if profile.sector else "",
    ]
    return ", ".join(p for p in parts if p) or "Role and sector not given"


def cpd_rows(*, user: User) -> list[CpdRow]:
    """The member's own introductions, newest first by the day each round was held (the
    day shown: a round run early is not listed by its planned day), with their evaluation
    if any."""
    seats = (
        MatchMember.objects.filter(user=user)
        .select_related("match__pairing_round__programme")
        # What the record shows of the round: never its engine input or draft.
        .only(
            "match",
            "user",
            "role",
            "match__pairing_round__number",
            "match__pairing_round__scheduled_for",
            "match__pairing_round__started_at",
            "match__pairing_round__finished_at",
            "match__pairing_round__status",
            "match__pairing_round__programme__name",
            "match__pairing_round__programme__kind",
            "match__pairing_round__programme__followup_days",
        )
        .prefetch_related("match__members__user__profile")
        .order_by("-match__pairing_round__scheduled_for", "-pk")
    )
    # Newest first by `Round.held_on`, the date each row shows (a stable sort: rounds
    # held the same day stay in planned order).
    seats = sorted(seats, key=lambda seat: seat.match.pairing_round.held_on, reverse=True)
    evaluations = {
        e.match_id: e for e in Evaluation.objects.filter(user=user).prefetch_related("topics")
    }
    peer_review = _peer_review_lines(user)
    # Without an answer: "Not recorded yet" while it can still be given, then "Not
    # recorded" (walk 28: a closed round still said "yet").
    closed = feedback_closed(
        list({s.match.pairing_round_id: s.match.pairing_round for s in seats}.values()),
        now=timezone.now(),
    )
    rows = []
    for seat in seats:
        match, e = seat.match, evaluations.get(seat.match_id)
        programme = match.pairing_round.programme
        evaluated = kind_of(programme).evaluates_matches
        topics = [t.name for t in e.topics.all()] if e else []
        if e and e.topics_other:
            topics.append(e.topics_other)
        rows.append(
            CpdRow(
                date=match.pairing_round.held_on,
                programme=match.pairing_round.programme.name,
                round_number=match.pairing_round.number,
                partners=[
                    _partner_description(s.user, seat_role(s, programme))
                    for s in match.members.all()
                    if s.pk != seat.pk
                ],
                my_role=seat_role(seat, programme),
                met=e.get_met_display() if e else _unanswered(evaluated, match, closed),
                minutes=e.minutes if e else None,
                usefulness=e.usefulness if e else None,
                topics=topics,
                next_steps=e.next_steps if e else "",
                takeaway=e.takeaway if e else "",
                peer_review=peer_review.get(seat.match_id, []),
                learning_set=not evaluated,
            )
        )
    return rows


def _unanswered(evaluated: bool, match: Match, closed: set[int]) -> str:
    if not evaluated:
        return ""
    return "Not recorded" if match.pairing_round_id in closed else "Not recorded yet"


def _peer_review_lines(user: User) -> dict[int, list[str]]:
    """Per match: the search-strategy reviews the member sent and received, in words, one
    line each with the day it was sent; the other person described by role and sector only,
    as the record's partners are (it is evidence shown to others)."""
    lines: dict[int, list[str]] = {}
    reviews = StrategyReview.objects.filter(submitted_at__isnull=False).select_related(
        "strategy__author__profile", "reviewer__profile"
    )
    # A review stays the reviewer's record when its author deleted their account (and
    # their strategy with it): the author is then "a former member".
    for r in reviews.filter(reviewer=user).order_by("submitted_at"):
        author = r.strategy.author if r.strategy else None
        lines.setdefault(r.match_id, []).append(
            f"Reviewed a partner's search strategy (version {r.version_number};"
            f" {mid_sentence(_partner_description(author))}) with PRESS 2015"
            f" ({_day(r.submitted_at)})"
        )
    for r in reviews.filter(strategy__author=user).order_by("submitted_at"):
        lines.setdefault(r.match_id, []).append(
            f"My search strategy (version {r.version_number}) was peer reviewed with PRESS 2015"
            f" by a partner ({mid_sentence(_partner_description(r.reviewer))};"
            f" {_day(r.submitted_at)})"
        )
    return lines


def _day(moment) -> str:
    day = timezone.localdate(moment)
    return f"{day.day} {day:%B %Y}"


CPD_HEADER = [
    "Record",
    "Date",
    "Programme",
    "Round or session",
    "Partners (role and sector)",
    "Met or attended",
    "Minutes",
    "Usefulness (1-5)",
    "Topics",
    "What I will do next",
    "Takeaway",
    "My reflection",
    "Search-strategy peer review",
]
CPD_SET_MET = "Joined (each session checked in is a row of its own)"


def cpd_csv_rows(*, user: User) -> Iterator[list[object]]:
    """One table: the header, then the member's introductions (a meeting, or joining a
    learning set) and their learning-set sessions, newest first, one self-contained,
    formula-escaped row each, the same columns for all."""
    meetings = [
        [
            "Learning set" if r.learning_set else "Meeting",
            r.date,
            r.programme,
            "Learning set" if r.learning_set else f"Round {r.round_number}",
            "; ".join([f"Me: {r.my_role}"] * bool(r.my_role) + r.partners),
            CPD_SET_MET if r.learning_set else r.met,
            r.minutes,
            r.usefulness,
            "; ".join(r.topics),
            r.next_steps,
            r.takeaway,
            "",
            "; ".join(r.peer_review),
        ]
        for r in cpd_rows(user=user)
    ]
    sessions = [
        [
            "Learning set session",
            s.date,
            s.programme,
            f"Set {s.set_number}, session {s.session_number}",
            "",
            "Attended" if s.attended else "Did not attend",
            s.minutes if s.attended else None,
            s.usefulness,
            "",
            "",
            "",
            s.reflection,
            "",
        ]
        for s in session_cpd_rows(user=user)
    ]
    yield CPD_HEADER
    # Newest first; on one day, the introduction before its sessions (a stable sort).
    yield from _safe_rows(sorted(meetings + sessions, key=lambda row: row[1], reverse=True))
