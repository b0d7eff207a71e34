"""The machine's stage: one programme in a database savepoint, a simulated clock, the
world the checks compare against, and helpers the rules share."""

from __future__ import annotations

import datetime as dt
import random
from typing import ClassVar
from unittest import mock

from django.apps import apps
from django.core import mail
from django.core.management.color import no_style
from django.db import connection, transaction
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from members.models import Interest, User
from pairing.models import Membership, Programme, RoundStatus
from pairing.rounds import preview as round_preview
from pairing.rounds import schedule as round_schedule
from tests.factories import UserFactory
from tests.lifecycle.round_checks import check_new_run, read_run
from tests.lifecycle.world import Before, Person, Settings, World

# A Monday, well clear of any real date the suite runs on: services must use the `now`
# they are given, never the wall clock.
START = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
INTERESTS = ("Systematic searching", "Open access", "Evidence synthesis", "Accessibility")
# The same organisation spelt three ways: the engine must see one organisation.
ORGANISATIONS = (
    "Leeds Trust",
    " leeds trust",
    "LEEDS TRUST ",
    "City Library",
    "Uni B",
    "Health Board",
    "",
)
REGIONS = ("north-west", "london")
FORMATS = ("online", "online", "either", "either", "in_person")

interests = st.frozensets(st.sampled_from(INTERESTS), max_size=3)
some_interests = st.frozensets(st.sampled_from(INTERESTS), min_size=1, max_size=3)


def profiles(*, complete: bool = False) -> st.SearchStrategy[dict]:
    """What a member fills in at sign-up; `complete` for a verified member who filled
    in everything matching needs (otherwise some are unverified or incomplete)."""
    return st.fixed_dictionaries(
        {
            "organisation": st.sampled_from(ORGANISATIONS),
            "region": st.sampled_from(REGIONS),
            "meeting_format": st.sampled_from(FORMATS),
            "experience": st.integers(0, 3),
            "interests": some_interests if complete else interests,
            # An empty role band leaves the profile incomplete, like no interests at all.
            "role_band": st.sampled_from(
                ("professional", "assistant", "manager") + (() if complete else ("",))
            ),
            "verified": st.just(True) if complete else st.sampled_from((True, True, False)),
        }
    )


SEEDED_MODULES = (round_schedule, round_preview)


def restart_id_sequences() -> None:
    """PostgreSQL does not roll its id sequences back with the savepoint: restart them,
    so every example sees the same ids (the engine's jitter and tie-breaks hash them) and
    a failing example replays exactly. SQLite rolls its counters back by itself."""
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Seeds:
    """Stands in for `secrets` where a round's random seed is drawn (planning it, and a
    reshuffled preview): from a generator hypothesis seeds, so an example replays
    exactly."""

    def __init__(self) -> None:
        self._random = random.Random(0)

    def reseed(self, seed: int) -> None:
        self._random.seed(seed)

    def randbelow(self, n: int) -> int:
        return self._random.randrange(n)


class LifecycleBase(RuleBasedStateMachine):
    """One programme of `kind`, run from an empty database (a savepoint rolled back in
    teardown), driven through the services as its members and organiser would."""

    kind: ClassVar[str] = "coffee"
    group_sizes: ClassVar[tuple[int, ...]] = (2,)
    cadence_days: ClassVar[int] = 28
    ground_rules: ClassVar[str] = ""
    mentoring: ClassVar[bool] = False
    max_people: ClassVar[int] = 16

    def __init__(self) -> None:
        super().__init__()
        # pytest-django's `db` wraps the test in a transaction; each example gets its own
        # savepoint, so every example starts from the same empty database.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        restart_id_sequences()
        self.seeds = Seeds()
        self._patches = [
            mock.patch.object(module, "secrets", self.seeds)
            for module in SEEDED_MODULES
            if hasattr(module, "secrets")
        ]
        for patch in self._patches:
            patch.start()
        mail.outbox = []
        self.world = World(now=START, settings=Settings(group_size=2, mentoring=False))
        self.programme: Programme | None = None
        self.organiser: User | None = None
        # The day each round's draft was last previewed: its edits are judged that day.
        self.previewed_on: dict[int, dt.date] = {}

    def teardown(self) -> None:
        for patch in self._patches:
            patch.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- Helpers the rules share ---------------------------------------------------------

    @property
    def opened(self) -> bool:
        return self.programme is not None

    def a_moment_passes(self) -> None:
        """Before anything that can run a round: two rounds never finish at the same
        instant, as in life (the engine orders past rounds by when they finished)."""
        self.world.now += dt.timedelta(minutes=1)

    def user(self, user_id: int) -> User:
        return User.objects.select_related("profile").get(pk=user_id)

    def membership(self, user_id: int) -> Membership:
        return Membership.objects.get(user_id=user_id, programme=self.programme)

    def create_member(self, profile: dict) -> Person:
        """Sign-up: an account, its email address and the profile as filled in."""
        chosen = list(Interest.objects.filter(name__in=sorted(profile["interests"])))
        user = UserFactory(
            # A name from the count, not Faker's random one: examples must replay exactly.
            profile__display_name=f"Member {len(self.world.people) + 1}",
            verified=profile["verified"],
            profile__organisation=profile["organisation"],
            profile__region=profile["region"],
            profile__meeting_format=profile["meeting_format"],
            profile__experience=profile["experience"],
            profile__role_band=profile["role_band"],
            profile__interests=chosen,
        )
        person = Person(
            user_id=user.pk,
            email=user.email,
            verified=profile["verified"],
            role_band=profile["role_band"],
            interests=frozenset(i.name for i in chosen),
            organisation=profile["organisation"],
            region=profile["region"],
            meeting_format=profile["meeting_format"],
            experience=profile["experience"],
        )
        self.world.people[user.pk] = person
        return person

    def record_new_runs(self, before: Before) -> None:
        """Record the round (at most one) that the last action ran, judged by the world
        as it stood before the action."""
        known = [r.round_id for r in self.world.runs]
        new = list(
            self.programme.rounds.filter(status=RoundStatus.DONE)
            .exclude(pk__in=known)
            .order_by("number")
        )
        assert len(new) <= 1, f"one action ran {len(new)} rounds"
        for pairing_round in new:
            run = read_run(pairing_round, before)
            check_new_run(self.world, run)
            self.world.runs.append(run)
            self.world.use_up_skips(run.ran_on)
