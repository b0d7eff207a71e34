"""A year of a programme as a hypothesis state machine: members and the organiser act in
random order while a simulated clock moves on and the scheduler ticks. After every step
the invariants compare the database with the machine's own account of the world.

One subclass per programme kind; `test_lifecycle.py` runs each from an empty database.
No rule catches an exception except the documented domain errors (MembershipError,
RoundError, EvaluationError), and each of those only where it is the right answer."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Exists, OuterRef, QuerySet
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from config.schedule import schedule_tick
from feedback.models import CheckIn, Evaluation
from feedback.services import FEEDBACK_WINDOW
from pairing.kinds import kind_of
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox import outbox_send_batch, outbox_send_pending
from pairing.rounds import RoundError
from tests.factories import ProgrammeFactory, UserFactory
from tests.lifecycle.base import START, profiles
from tests.lifecycle.member_rules import MemberRules
from tests.lifecycle.report_checks import check_report
from tests.lifecycle.round_checks import check_runs
from tests.lifecycle.round_rules import RoundRules
from tests.lifecycle.set_rules import SetRules
from tests.lifecycle.state_checks import check_emails, check_memberships, check_people
from tests.lifecycle.world import LEFT, Settings, World


@contextmanager
def failures_logged() -> Iterator[list[BaseException]]:
    """Collect the exceptions of rounds that failed (round_run logs each)."""
    failures: list[BaseException] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info and record.exc_info[1] is not None:
                failures.append(record.exc_info[1])

    logger, handler = logging.getLogger("pairing.rounds.run"), Collect(logging.ERROR)
    logger.addHandler(handler)
    try:
        yield failures
    finally:
        logger.removeHandler(handler)


def _notices() -> QuerySet[OutboxEmail]:
    return OutboxEmail.objects.filter(kind=OutboxKind.NOTICE)


# Hours as well as days, so the clock crosses midnight in London at odd times of day.
TIME_STEPS = (
    dt.timedelta(hours=7),
    dt.timedelta(days=1),
    dt.timedelta(days=3),
    dt.timedelta(weeks=1),
    dt.timedelta(weeks=2),
    dt.timedelta(weeks=4),
    dt.timedelta(weeks=6),
)


class LifecycleMachine(MemberRules, RoundRules):
    @initialize(
        data=st.data(),
        starters=st.lists(profiles(complete=True), min_size=2, max_size=9),
        seed=st.integers(0, 2**31 - 1),
    )
    def open_programme(self, data: st.DataObject, starters: list[dict], seed: int) -> None:
        """The organiser opens the programme; the first members sign up and join."""
        self.seeds.reseed(seed)
        group_size = data.draw(st.sampled_from(self.group_sizes), label="group_size")
        self.organiser = UserFactory(is_staff=True, profile__display_name="Olive Organiser")
        self.programme = ProgrammeFactory(
            kind=self.kind,
            group_size=group_size,
            cadence_days=self.cadence_days,
            next_round_on=START.date() + dt.timedelta(days=7),
            ground_rules=self.ground_rules,
        )
        self.programme.organisers.add(self.organiser)
        self.world = World(now=START, settings=Settings(group_size, self.mentoring))
        for profile in starters:
            person = self.create_member(profile)
            self.join_as(person, self._starting_role(data), accept=True)

    def _starting_role(self, data: st.DataObject) -> str:
        if not self.mentoring:
            return ""
        return data.draw(st.sampled_from(("offer", "seek")), label="role")

    # --- Time and the scheduler ----------------------------------------------------------

    @precondition(lambda self: self.opened)
    @rule(step=st.sampled_from(TIME_STEPS))
    def time_passes(self, step: dt.timedelta) -> None:
        self.world.now += step

    @precondition(lambda self: self.opened)
    @rule()
    def the_next_round_comes_round(self) -> None:
        """Days pass to the programme's next round date, the scheduler ticking the day
        before (the notices) and on the day (the round): a year in a few dozen steps."""
        self.programme.refresh_from_db()
        day = self.programme.next_round_on
        if day is None:
            return
        for moment in (day - dt.timedelta(days=1), day):
            at = dt.datetime.combine(moment, dt.time(9), tzinfo=dt.UTC)
            if at > self.world.now:
                self.world.now = at
                self.scheduler_ticks()

    @precondition(lambda self: self.opened)
    @rule()
    def scheduler_ticks(self) -> None:
        self.a_moment_passes()
        before = self.world.before()
        notices_before = set(_notices().values_list("pk", flat=True))
        eligible_tomorrow = self.world.eligible_on(self.world.today + dt.timedelta(days=1))
        with failures_logged() as failures:
            schedule_tick(now=self.world.now)
        # The tick records a failed round and goes on to other programmes: a failure is
        # allowed only as a domain refusal, with its reason in words.
        for error in failures:
            if not isinstance(error, RoundError):
                raise error
        self.world.resume_due_pauses()
        self.record_new_runs(before)
        told = set(_notices().exclude(pk__in=notices_before).values_list("user_id", flat=True))
        assert told in (set(), eligible_tomorrow), "the day-before notice missed or overshot"
        self._check_followups_asked()

    @precondition(lambda self: self.opened)
    @rule()
    def send_pending_emails(self) -> None:
        outbox_send_pending(now=self.world.now)

    @precondition(lambda self: self.opened and OutboxEmail.objects.exists())
    @rule(data=st.data())
    def a_send_task_is_delivered_again(self, data: st.DataObject) -> None:
        """The broker redelivers a send task (acks late, a worker lost): its ids may all
        have been sent by now."""
        ids = list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))
        batch = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True), label="ids")
        outbox_send_batch(ids=sorted(batch), now=self.world.now)

    def _check_followups_asked(self) -> None:
        """After a tick, every member of a match whose "did you meet?" is due, who is
        still in the programme and has not answered, has been asked (for kinds that ask:
        learning sets check in after each session instead)."""
        if "followup" not in kind_of(self.programme).emails:
            return
        now = self.world.now
        for run in self.world.runs:
            due = run.ran_at + dt.timedelta(days=self.world.settings.followup_days)
            if not due <= now < self.world.feedback_closes_at(run):
                continue
            if run.ran_at <= now - FEEDBACK_WINDOW:
                continue
            answered = Evaluation.objects.filter(
                match=OuterRef("match_id"), user=OuterRef("user_id")
            )
            unasked = (
                MatchMember.objects.filter(pairing_round_id=run.round_id, user__isnull=False)
                .exclude(Exists(answered))
                .exclude(Exists(CheckIn.objects.filter(seat=OuterRef("pk"))))
                .values_list("user_id", flat=True)
            )
            in_programme = {u for u, s in self.world.seats.items() if s.status != LEFT}
            missed = set(unasked) & in_programme
            assert not missed, f"round {run.number}: {sorted(missed)} not asked 'did you meet?'"

    # --- Invariants, after every step ----------------------------------------------------

    @precondition(lambda self: self.opened)
    @invariant()
    def members_are_as_they_chose(self) -> None:
        check_memberships(self.world, self.programme)
        check_people(self.world)

    @precondition(lambda self: self.opened)
    @invariant()
    def rounds_that_ran_kept_the_rules(self) -> None:
        check_runs(self.world, self.programme)

    @precondition(lambda self: self.opened)
    @invariant()
    def each_email_went_once_and_never_to_a_deleted_account(self) -> None:
        check_emails(self.world)

    @precondition(lambda self: self.opened)
    @invariant()
    def evidence_adds_up_and_hides_small_counts(self) -> None:
        check_report(self.programme, self.world.today)


class CoffeeMachine(LifecycleMachine):
    kind = "coffee"


class MentoringMachine(LifecycleMachine):
    kind = "mentoring"
    mentoring = True


class SearchReviewMachine(LifecycleMachine):
    kind = "search_review"


class LearningSetMachine(LifecycleMachine, SetRules):
    kind = "learning_set"
    group_sizes = (4, 5)
    cadence_days = 42
    ground_rules = "What is said in the set stays in the set."
    max_people = 20
