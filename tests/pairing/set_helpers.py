"""Helpers for learning-set tests: a programme, its members and a formed cycle."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from pairing import rounds
from pairing.models import OutboxEmail, Programme
from pairing.outbox import build_message
from pairing.sets.models import Cycle, LearningSet
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
RULES = "What is said in the set stays in the set."


def learning_set_programme(**extra: object) -> Programme:
    settings = {"group_size": 5, "ground_rules": RULES, "cadence_days": 70}
    return ProgrammeFactory(kind="learning_set", **{**settings, **extra})


def join(programme: Programme, count: int, **profile: object) -> list:
    users = [UserFactory(**{f"profile__{k}": v for k, v in profile.items()}) for _ in range(count)]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def form_cycle(
    programme: Programme, *, now: dt.datetime = NOW, **cycle: object
) -> tuple[Cycle, list[LearningSet]]:
    """Set up a cycle (first sessions two weeks on) and run its forming round."""
    settings = {"first_session_on": now.date() + dt.timedelta(weeks=2), "venue": "Room 1"}
    made = Cycle.objects.create(programme=programme, **{**settings, **cycle})
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=now.date())
    rounds.round_run(pairing_round=pairing_round, now=now)
    made.refresh_from_db()
    return made, list(made.sets.order_by("number"))


def rows(kind: str, **filters: object) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(kind=kind, **filters).order_by("pk"))


def calendar_of(outbox: OutboxEmail) -> Calendar:
    """The .ics attached to the rendered email, parsed back."""
    message = build_message(outbox)
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def hold_sessions(learning_set: LearningSet, held: int) -> None:
    """Move the set's sessions back in time so that exactly the first `held` have been
    held by the real clock (the last of them a day ago): for pages, which use it."""
    from django.db.models import F
    from django.utils import timezone

    if not held:
        return
    back = learning_set.sessions.get(number=held).starts_at - timezone.now()
    back += dt.timedelta(days=1)
    learning_set.sessions.update(starts_at=F("starts_at") - back, ends_at=F("ends_at") - back)
