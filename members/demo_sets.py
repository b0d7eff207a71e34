"""The demo's action learning sets, mid-cycle: ten members in two sets formed eleven weeks
ago, six half-day sessions every eight weeks, two held (with check-ins), a rota. Log in
as member01 to see the set, the next session, swap a turn and check in after session 2
(member01 has not yet)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from members.demo_seed import demo_seed
from members.models import User
from pairing.models import Membership, OutboxEmail, OutboxStatus, Programme, ProgrammeKind

ONLINE = ("online", "either")
RULES = (
    "What is said in the set stays in the set.\n"
    "We listen without interrupting, and ask open questions rather than give advice.\n"
    "Each presenter decides what they take away."
)
REFLECTIONS = [
    "Being asked what I had already tried made me see I had not asked my manager directly.",
    "I will try the 'five whys' with the induction problem before our next session.",
    "Hearing how a school library handled the same budget cut was reassuring.",
    "I noticed I jump to solutions; I want to practise asking open questions.",
]


def demo_learning_sets(*, organiser: User, rng: random.Random) -> Programme:
    from pairing.rounds import round_plan, round_run
    from pairing.sets.models import Cycle, Session, SessionCheckIn

    programme, created = Programme.objects.get_or_create(
        slug="action-learning-sets",
        defaults={
            "name": "Action learning sets, spring cohort",
            "description": "Small sets of five who meet for a half day every eight weeks. "
            "At each session one member brings a work issue and the others help them "
            "explore it with open questions.",
            "kind": ProgrammeKind.LEARNING_SET,
            "group_size": 5,
            "cadence_days": 70,
            "ground_rules": RULES,
            "avoid_same_organisation": False,
        },
    )
    programme.organisers.add(organiser)
    if not created and programme.rounds.exists():
        return programme
    today = timezone.localdate()
    # member01 and nine more with complete profiles who meet online (the sets meet online
    # and at the library, so nobody is kept out by a region).
    members = list(
        User.objects.filter(
            email__startswith="member", profile__complete=True, profile__meeting_format__in=ONLINE
        ).order_by("email")[:10]
    )
    for user in members:
        Membership.objects.get_or_create(
            user=user, programme=programme, defaults={"ground_rules_accepted_at": timezone.now()}
        )
    formed = today - dt.timedelta(weeks=11)
    Cycle.objects.create(
        programme=programme,
        first_session_on=formed + dt.timedelta(weeks=2),
        online_link="https://meet.example.org/action-learning",
        venue="Central Library, room 2",
    )
    now = timezone.now() - dt.timedelta(weeks=11)
    pairing_round = round_plan(
        programme=programme, scheduled_for=formed, seed=demo_seed(programme, 77)
    )
    round_run(pairing_round=pairing_round, now=now)
    # The demo's invitations and introductions are history: delivered, not printed.
    OutboxEmail.objects.filter(match__pairing_round__programme=programme).update(
        status=OutboxStatus.SENT, sent_at=now
    )
    held = Session.objects.filter(
        learning_set__cycle__programme=programme, starts_at__lte=timezone.now()
    )
    # Held sessions have had their reminders and check-in emails already.
    held.update(reminder_sent_at=now, checkin_sent_at=now)
    for session in held.select_related("learning_set__match"):
        for seat in session.learning_set.match.members.exclude(user=None):
            last = session.number == 2
            if last and seat.user.email == "member01@example.org":
                continue  # member01 can try the check-in form
            attended = rng.random() > 0.15
            SessionCheckIn.objects.create(
                session=session,
                user=seat.user,
                attended=attended,
                usefulness=rng.choice([3, 4, 4, 5, 5]) if attended else None,
                minutes=rng.choice([180, 200, 210]) if attended else None,
                reflection=rng.choice(REFLECTIONS) if attended and rng.random() > 0.4 else "",
            )
    return programme
