"""Organisers' lists as CSV: a programme's members, the memberships of every programme an
organiser runs, and a round's matches. Names, never database ids; every cell passes
through `csv_safe` (a spreadsheet never runs a cell as a formula); rows are read with
`.iterator()` and yielded one at a time, so a list of 10,000 members is streamed, not
held in memory; a round is read without its engine input or draft."""

from __future__ import annotations

from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from feedback.exports import csv_safe, member_name
from pairing.kinds import kind_of
from pairing.models import (
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Programme,
    Round,
)
from pairing.selectors import seat_role
from pairing.sets.models import Session, SessionStatus

CHUNK = 500
# What an export reads of a round: never its engine input or draft.
ROUND_FIELDS = (
    "number",
    "scheduled_for",
    "finished_at",  # the day it ran (`Round.held_on`) dates it, not the day planned
    "status",
    "programme__name",
    "programme__slug",
    "programme__kind",
)


def _safe(row: list[object]) -> list[object]:
    return [csv_safe(cell) for cell in row]


def _choice(profile: object, name: str) -> str:
    if profile is None or not getattr(profile, name):
        return ""
    return getattr(profile, f"get_{name}_display")()


MEMBER_HEADER = [
    "Name",
    "Job title",
    "Organisation",
    "Sector",
    "Region",
    "Role",
    "Profile complete",
    "Email address verified",
    "Status",
    "Paused until",
    "Joined",
]


def members_csv_rows(*, programme: Programme, with_email: bool) -> Iterator[list[object]]:
    """The header, then one row per current member (active or paused) by name. The email
    address only when `with_email` (staff allowed to view members)."""
    verified = EmailAddress.objects.filter(user=OuterRef("user_id"), verified=True)
    memberships = (
        Membership.objects.filter(programme=programme)
        .exclude(status=MembershipStatus.LEFT)
        .annotate(verified=Exists(verified))
        .select_related("user__profile")
        .order_by("user__profile__display_name", "user__email")
    )
    yield ["Name", "Email address"][: 1 + with_email] + MEMBER_HEADER[1:]
    for m in memberships.iterator(chunk_size=CHUNK):
        profile = getattr(m.user, "profile", None)
        yield _safe(
            [
                member_name(m.user),
                *([m.user.email] if with_email else []),
                profile.job_title if profile else "",
                profile.organisation if profile else "",
                _choice(profile, "sector"),
                _choice(profile, "region"),
                _choice(profile, "role_band"),
                bool(profile and profile.complete),
                m.verified,
                m.get_status_display(),
                m.paused_until,
                m.joined_at,
            ]
        )


MEMBERSHIP_HEADER = [
    "Name",
    "Programme",
    "Status",
    "Paused until",
    "Skipping the next round",
    "Mentoring",
    "Joined",
    "Left",
]


def memberships_csv_rows(*, programmes: QuerySet[Programme]) -> Iterator[list[object]]:
    """The header, then one row per membership (every status) of `programmes`, by
    programme then name."""
    memberships = (
        Membership.objects.filter(programme__in=programmes)
        .select_related("user__profile", "programme")
        .only(
            "status",
            "paused_until",
            "skip_next_round",
            "mentoring_role",
            "joined_at",
            "left_at",
            "user__email",
            "user__profile__display_name",
            "programme__name",
            "programme__kind",
        )
        .order_by("programme__name", "user__profile__display_name", "pk")
    )
    yield MEMBERSHIP_HEADER
    for m in memberships.iterator(chunk_size=CHUNK):
        yield _safe(
            [
                member_name(m.user),
                m.programme.name,
                m.get_status_display(),
                m.paused_until,
                m.skip_next_round,
                kind_of(m.programme).role_of(m.mentoring_role).capitalize(),
                m.joined_at,
                m.left_at,
            ]
        )


MATCH_HEADER = [
    "Programme",
    "Round",
    "Round date",
    "Group",
    "Members",
    "Host",
    "Suggested start",
    "Shared interests",
    "Score",
    "Introduction email",
]
# Learning sets are told their sessions, never one suggested time: the start column of a
# forming round is the set's first session that is not cancelled.
SET_START = "First session start"


def _start_heading(sets: bool) -> str:
    """The start column's heading, naming the zone its times are in: `csv_safe` writes a
    time in the site's current zone (settings.TIME_ZONE), as the round's page shows it."""
    return (
        f"{SET_START if sets else 'Suggested start'} ({timezone.get_current_timezone_name()} time)"
    )


def round_for_export(pk: int) -> Round:
    return Round.objects.select_related("programme").only(*ROUND_FIELDS).get(pk=pk)


def matches_csv_rows(*, pairing_round: Round) -> Iterator[list[object]]:
    """The header, then one row per match of the round, numbered in the round's order."""
    programme = pairing_round.programme
    seats = MatchMember.objects.select_related("user__profile").order_by("pk")
    intros = OutboxEmail.objects.filter(kind=OutboxKind.INTRO).only("status", "match_id")
    matches = (
        Match.objects.filter(pairing_round=pairing_round)
        .select_related("host__profile")
        .prefetch_related(
            Prefetch("members", queryset=seats),
            Prefetch("emails", queryset=intros, to_attr="intros"),
        )
        .order_by("pk")
    )
    sets = kind_of(programme).stable_groups
    if sets:
        first = (
            Session.objects.filter(learning_set__match=OuterRef("pk"))
            .exclude(status=SessionStatus.CANCELLED)
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
        matches = matches.annotate(first_session=Subquery(first))
    yield [_start_heading(sets) if h == "Suggested start" else h for h in MATCH_HEADER]
    for number, match in enumerate(matches.iterator(chunk_size=CHUNK), start=1):
        names = []
        for seat in match.members.all():
            role = seat_role(seat, programme)
            names.append(f"{member_name(seat.user)} ({role})" if role else member_name(seat.user))
        yield _safe(
            [
                programme.name,
                pairing_round.number,
                pairing_round.held_on,
                number,
                "; ".join(names),
                member_name(match.host) if match.host_id else "",
                match.first_session if sets else match.suggested_start,
                "; ".join(match.shared_interests or []),
                match.score,
                "; ".join(e.get_status_display() for e in match.intros),
            ]
        )
