"""CSV exports, formula-safe (the CPD record is `feedback.cpd`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils import timezone

from feedback.models import EVALUATION_ANSWERS, Evaluation
from feedback.report_rows import reviews_sent_words, sent_reviews_prefetch
from members.models import Interest, User
from pairing.kinds import kind_of
from pairing.models import MatchMember, Programme
from pairing.sets.models import SessionCheckIn


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


EVALUATION_FIELDS = ("match", "user", *EVALUATION_ANSWERS, "created_at", "updated_at")
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
    # A changed answer ("not yet", then "yes" from the reminder) says when (walk 31: only
    # the first answer's day was given).
    "Last changed",
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
            e.updated_at,
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
