"""CSV exports (formula-safe) and a member's own CPD record."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from feedback.models import EVALUATION_ANSWERS, Evaluation, StrategyReview
from feedback.report_rows import mid_sentence, reviews_sent_words, sent_reviews_prefetch
from members.models import Interest, User
from pairing.kinds import kind_of
from pairing.models import MatchMember, Programme
from pairing.selectors import seat_role
from pairing.sets.models import SessionCheckIn
from pairing.sets.reports import session_cpd_rows


def member_name(user: User | None) -> str:
    """A member's display name for organisers; a deleted account shows as a former member."""
    profile = getattr(user, "profile", None) if user else None
    if user is None or profile is None:
        return "A former member"
    return profile.display_name or "A member"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Numbers are left alone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _safe_rows(rows: Iterable[list[object]]) -> Iterator[list[object]]:
    for row in rows:
        yield [csv_safe(cell) for cell in row]


EVALUATION_FIELDS = ("match", "user", *EVALUATION_ANSWERS, "created_at")
EVALUATION_HEADER = [
    "Round",
    "Round date",
    "Group",
    "Member",
    "Met",
    "What got in the way",
    "Usefulness (1-5)",
    "Minutes",
    "Topics",
    "Other topics",
    "Would meet again",
    "Next steps",
    "Comment for organisers",
    "Takeaway",
    "Takeaway shared",
    "Name shown with takeaway",
    "Search-strategy review",
    "Submitted",
]


EXPORT_CHUNK = 2000


def evaluations_csv_rows(*, programme: Programme) -> Iterator[list[object]]:
    """The header, then one row per evaluation (oldest round first), formula-escaped.
    Organisers' raw data: names but never email addresses. Read in chunks of
    `EXPORT_CHUNK` (topics fetched per chunk), loading only the round's number and date:
    memory does not grow with rows, and a round's engine input is never read."""
    rows = (
        Evaluation.objects.filter(match__pairing_round__programme=programme)
        .select_related("user__profile", "match__pairing_round")
        .only(
            *EVALUATION_FIELDS,
            "user__profile__display_name",
            "match__pairing_round__number",
            "match__pairing_round__scheduled_for",
            "match__pairing_round__finished_at",  # dated the day it ran: `held_on`
        )
        .prefetch_related(
            Prefetch("topics", queryset=Interest.objects.only("name")),
            # The group by its members' names (as in the round's matches CSV), not an id.
            Prefetch(
                "match__members",
                queryset=MatchMember.objects.select_related("user__profile")
                .only("match_id", "user_id", "role", "user__profile__display_name")
                .order_by("pk"),
            ),
        )
        .order_by("match__pairing_round__number", "match_id", "pk")
    )
    kind = kind_of(programme)
    headings = kind.review_headings
    if headings:
        # Search review: the reviews each member sent in their match, not the old field.
        rows = rows.prefetch_related(sent_reviews_prefetch(headings))
    roles = bool(kind.role_names)  # mentoring: was the member the mentor or the mentee?
    yield EVALUATION_HEADER[:4] + ["Role"] * roles + EVALUATION_HEADER[4:]
    yield from _safe_rows(
        [
            e.match.pairing_round.number,
            e.match.pairing_round.held_on,
            "; ".join(member_name(seat.user) for seat in e.match.members.all()),
            member_name(e.user),
            *([_role_in(e, kind)] if roles else []),
            e.get_met_display(),
            e.not_met_reason,
            e.usefulness,
            e.minutes,
            "; ".join(t.name for t in e.topics.all()),
            e.topics_other,
            e.get_meet_again_display(),
            e.next_steps,
            e.private_comment,
            e.takeaway,
            e.share_takeaway,
            e.show_name_with_takeaway,
            _review_cell(e, headings),
            e.created_at,
        ]
        for e in rows.iterator(chunk_size=EXPORT_CHUNK)
    )


def _role_in(e: Evaluation, kind) -> str:
    """The evaluating member's role in the match ("mentor"), from the prefetched seats."""
    return next((kind.role_of(s.role) for s in e.match.members.all() if s.user_id == e.user_id), "")


def _review_cell(e: Evaluation, headings: tuple[tuple[str, str], ...]) -> str:
    """The search-strategy reviews the member sent in this match (search review), else
    a review stored with the evaluation itself by earlier versions, as it was stored."""
    sent = reviews_sent_words(e, headings) if headings else ""
    if sent or not e.review:
        return sent or ("No review sent" if headings and e.user_id else "")
    return json.dumps(e.review, sort_keys=True)


CHECKIN_HEADER = [
    "Cycle from",
    "Learning set",
    "Session",
    "Session date",
    "Member",
    "Attended",
    "Usefulness (1-5)",
    "Minutes",
    "Submitted",
]


def checkins_csv_rows(*, programme: Programme) -> Iterator[list[object]]:
    """A learning-set programme's check-ins, one row each (by cycle, set and session),
    formula-escaped and streamed in chunks. The reflection is private to its author
    (pairing.sets.models.SessionCheckIn), so it is never exported."""
    rows = (
        SessionCheckIn.objects.filter(session__learning_set__cycle__programme=programme)
        .select_related("user__profile", "session__learning_set__cycle")
        .only(
            "attended",
            "usefulness",
            "minutes",
            "created_at",
            "user__profile__display_name",
            "session__number",
            "session__starts_at",
            "session__learning_set__number",
            "session__learning_set__cycle__first_session_on",
        )
        .order_by(
            "session__learning_set__cycle__first_session_on",
            "session__learning_set__number",
            "session__number",
            "pk",
        )
    )
    yield CHECKIN_HEADER
    yield from _safe_rows(
        [
            c.session.learning_set.cycle.first_session_on,
            c.session.learning_set.number,
            c.session.number,
            timezone.localdate(c.session.starts_at),
            member_name(c.user),
            c.attended,
            c.usefulness,
            c.minutes,
            c.created_at,
        ]
        for c in rows.iterator(chunk_size=EXPORT_CHUNK)
    )


# CPD record


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
            "match__pairing_round__finished_at",
            "match__pairing_round__programme__name",
            "match__pairing_round__programme__kind",
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
                met=e.get_met_display() if e else "Not recorded yet" if evaluated else "",
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
            f"Round {r.round_number}",
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
