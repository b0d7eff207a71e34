"""The machine's own account of a programme: who signed up and what they said, who joined
(by their own action), pauses, skips, blocks, the organiser's settings and every round
that ran. The checks compare the database with this account, so a service that writes
the wrong thing (or forgets to write) is caught, not only one that raises."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

ACTIVE, PAUSED, LEFT = "active", "paused", "left"
# feedback.services: a round's feedback closes 8 weeks after it ran (or when the next
# round ran), but never less than followup_days + 2 weeks after it ran.
FEEDBACK_WINDOW = dt.timedelta(weeks=8)
FEEDBACK_FLOOR_EXTRA = dt.timedelta(days=14)


@dataclass
class Person:
    user_id: int
    email: str
    verified: bool
    role_band: str  # "" leaves the profile incomplete
    interests: frozenset[str]  # empty leaves the profile incomplete
    organisation: str
    region: str
    meeting_format: str
    experience: int
    deleted: bool = False
    # How many emails had been sent when the account was deleted: none after may reach it.
    mail_count_at_delete: int = 0

    @property
    def complete(self) -> bool:
        return bool(self.role_band) and bool(self.interests)


@dataclass
class Seat:
    """A membership as the member left it."""

    status: str = ACTIVE
    paused_until: dt.date | None = None
    skip: bool = False
    role: str = ""


@dataclass
class Settings:
    group_size: int
    mentoring: bool
    repeat_window: int | None = None
    avoid_same_organisation: bool = True
    sector_mix: str = "any"
    randomness: int = 3
    followup_days: int = 14
    signup_open: bool = True
    # With no repeat window: a member who has met everyone meets again ("repeat") or
    # sits out ("sit_out").
    when_all_met: str = "repeat"


class Before(NamedTuple):
    """The world as it stood just before an action that may run a round."""

    people: dict[int, Person]
    seats: dict[int, Seat]
    blocks: frozenset[tuple[int, int]]
    settings: Settings


@dataclass(frozen=True)
class Run:
    """A round that ran, with the world as it stood just before it ran."""

    round_id: int
    number: int
    ran_at: dt.datetime
    people: dict[int, Person]
    seats: dict[int, Seat]
    blocks: frozenset[tuple[int, int]]
    settings: Settings
    eligible: frozenset[int]
    groups: dict[int, frozenset[int]]  # match id -> user ids, read right after the run
    left_out: dict[int, str]  # user id -> reason, read right after the run
    snapshot: dict  # the engine's input, as the round saved it
    # The round formed a learning-set cycle that meets at a set place (venue or online
    # link): the place decides, so members' meeting formats do not restrict the sets.
    fixed_place: bool = False

    @property
    def ran_on(self) -> dt.date:
        return timezone.localdate(self.ran_at)

    def pairs(self) -> set[frozenset[int]]:
        return {
            frozenset((a, b))
            for group in self.groups.values()
            for a in group
            for b in group
            if a < b
        }


@dataclass
class World:
    """Everything the machine has done, as it expects the database to reflect it."""

    now: dt.datetime
    settings: Settings
    people: dict[int, Person] = field(default_factory=dict)
    seats: dict[int, Seat] = field(default_factory=dict)
    blocks: set[tuple[int, int]] = field(default_factory=set)
    # Every user who ever asked to join: nobody else may hold a membership.
    joined_by_self: set[int] = field(default_factory=set)
    runs: list[Run] = field(default_factory=list)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def alive(self) -> list[Person]:
        return [p for p in self.people.values() if not p.deleted]

    def is_paused_on(self, user_id: int, day: dt.date) -> bool:
        seat = self.seats[user_id]
        return seat.status == PAUSED and seat.paused_until is not None and seat.paused_until > day

    def eligible_on(self, day: dt.date) -> frozenset[int]:
        """Who a round run on `day` must consider: in the programme, verified, complete,
        not paused that day, not skipping, and (mentoring) offering or seeking."""
        return frozenset(
            user_id
            for user_id, seat in self.seats.items()
            if seat.status != LEFT
            and self.people[user_id].verified
            and self.people[user_id].complete
            and not self.is_paused_on(user_id, day)
            and not seat.skip
            and (seat.role or not self.settings.mentoring)
        )

    def before(self) -> Before:
        """A copy of what a round reads, to judge it later by the rules of its day."""
        return Before(
            copy.deepcopy(self.people),
            copy.deepcopy(self.seats),
            frozenset(self.blocks),
            copy.deepcopy(self.settings),
        )

    def use_up_skips(self, day: dt.date) -> None:
        """A round uses up the skip of members it left out only because they skip (a
        member also paused, unverified or incomplete keeps the skip for later)."""
        for user_id, seat in self.seats.items():
            person = self.people[user_id]
            if (
                seat.skip
                and seat.status != LEFT
                and person.verified
                and person.complete
                and not self.is_paused_on(user_id, day)
            ):
                seat.skip = False

    def resume_due_pauses(self) -> None:
        for seat in self.seats.values():
            if seat.status == PAUSED and seat.paused_until and seat.paused_until <= self.today:
                seat.status, seat.paused_until = ACTIVE, None

    def delete(self, user_id: int, mail_count: int) -> None:
        person = self.people[user_id]
        person.deleted, person.mail_count_at_delete = True, mail_count
        self.seats.pop(user_id, None)
        self.blocks = {b for b in self.blocks if user_id not in b}

    def matches_of(self, user_id: int) -> list[tuple[Run, int]]:
        return [
            (run, match_id)
            for run in self.runs
            for match_id, group in run.groups.items()
            if user_id in group
        ]

    def feedback_closes_at(self, run: Run) -> dt.datetime:
        """When feedback on `run` closes, from the times rounds really ran."""
        later = [r.ran_at for r in self.runs if r.number > run.number]
        closes = run.ran_at + FEEDBACK_WINDOW
        if later:
            closes = min(closes, min(later))
        floor = run.ran_at + dt.timedelta(days=self.settings.followup_days) + FEEDBACK_FLOOR_EXTRA
        return max(closes, floor)
