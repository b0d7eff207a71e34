"""Build a national-network-sized community in PostgreSQL, for the page benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_community \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/community.py \\
    [--members 5000] [--rounds 3] [--evaluations 4000]

It owns the database and the Redis database it is given (default redis db 13): it
creates, migrates and empties the database, and flushes the Redis database at the end
(the introductions' send tasks are queued there and never sent). Then, through
the project's own services where members act (joining, rounds, feedback, concerns,
blocks), it builds:
  - `--members` members with complete profiles (written in bulk, as bench/round.py does:
    sign-up itself is not what is measured), and one organiser;
  - a monthly coffee programme they all join (`membership_join`);
  - `--rounds` finished rounds, a month apart and ending last month, each planned and run
    by the engine (`round_plan`, `round_run`: matches, snapshot, outbox rows);
  - `--evaluations` evaluations spread over the rounds (`evaluation_submit`), with the
    mix a real scheme sees: most met, about one in six writes a comment for the
    organisers, about one in eight shares a takeaway;
  - a few concerns (`concern_report`) and blocks (`block_create`).
It prints what it built and how long each part took. bench/load.py serves it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.round import _create_database, _flush_redis, _load_members  # noqa: E402

ORGANISER = "organiser@bench.example.org"
COMMENTS = [
    "We found we had both struggled with the same discovery layer migration.",
    "Lovely chat, but the time zones made it hard to find a slot.",
    "My partner could not make it twice; maybe ask people to confirm availability?",
    "Really useful to hear how a health library runs its literature search service.",
    "It would help to know a little more about the partner before the call.",
]
TAKEAWAYS = [
    "Ask the users before redesigning the enquiry form: it saved us a month.",
    "A shared folder of search filters beats everyone keeping their own.",
    "Small public libraries can pool e-resource trials: ask your neighbours.",
    "Drop-in sessions in the first week of term reach more students than workshops.",
    "Write down why a decision was made, not only what was decided.",
]
NOT_MET = ["We could not find a time", "My partner did not reply", "I was off sick"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--evaluations", type=int, default=4000)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own (it is emptied), e.g.\n"
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_community "
            ".venv/bin/python bench/community.py"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The outbox rows are what a real site would hold; sending them is bench/round.py's
    # business. Send tasks go to a Redis database of the run's own, emptied at the end.
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ["EMAIL_URL"] = "locmem:"
    _create_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    _step("migrated and emptied", started)
    try:
        build(members=args.members, rounds=args.rounds, evaluations=args.evaluations)
    finally:
        _flush_redis(redis_url)
    print(f"built in {time.perf_counter() - started:.1f} s in all", flush=True)


def _step(what: str, since: float) -> float:
    now = time.perf_counter()
    print(f"{what} in {now - since:.1f} s", flush=True)
    return now


def build(*, members: int, rounds: int, evaluations: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from members.models import User
    from pairing.models import Programme
    from pairing.services import membership_join

    rng = random.Random(20261205)
    mark = time.perf_counter()
    user_ids = _load_members(members)
    organiser = _organiser()
    mark = _step(f"{len(user_ids)} members and an organiser", mark)

    programme = Programme.objects.create(name="National coffee trials", slug="national-coffee")
    programme.organisers.add(organiser)
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
    first_day = timezone.localdate() - dt.timedelta(days=30 * rounds)
    joined_at = dt.datetime.combine(first_day, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(days=3)
    with transaction.atomic():
        for user in users:
            membership_join(user=user, programme=programme, now=joined_at)
    mark = _step(f"{len(users)} memberships", mark)

    per_round = [evaluations // rounds + (n < evaluations % rounds) for n in range(rounds)]
    totals = {"matches": 0, "evaluations": 0, "comments": 0, "takeaways": 0}
    for number in range(rounds):
        day = first_day + dt.timedelta(days=30 * number)
        pairing_round = _run_round(programme, day)
        totals["matches"] += pairing_round.matches.count()
        mark = _step(f"round {pairing_round.number} ran", mark)
        counts = _evaluate(pairing_round, day, per_round[number], rng)
        for key, value in counts.items():
            totals[key] += value
        mark = _step(
            f"round {pairing_round.number}: {counts['evaluations']} evaluations",
            mark,
        )
    totals["concerns"], totals["blocks"] = _concerns_and_blocks(programme, rng)
    mark = _step(f"{totals['concerns']} concerns and {totals['blocks']} blocks", mark)
    # What autovacuum does on a live site within minutes: without statistics, PostgreSQL
    # plans every query as if the tables were still empty.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _step("vacuumed and analysed", mark)
    print("built: " + ", ".join(f"{v} {k}" for k, v in totals.items()), flush=True)
    return totals


def _organiser() -> object:
    from allauth.account.models import EmailAddress

    from members.models import User
    from members.services import profile_create

    user = User.objects.create(email=ORGANISER, is_staff=True, is_superuser=True)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=ORGANISER, primary=True, verified=True)
    profile_create(user=user, display_name="Bench Organiser")
    return user


def _run_round(programme: object, day: dt.date) -> object:
    from pairing.rounds import round_plan, round_run

    pairing_round = round_plan(programme=programme, scheduled_for=day)
    return round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )


def _evaluate(pairing_round: object, day: dt.date, count: int, rng: random.Random) -> dict:
    """`count` members of the round's matches give feedback, a week or so after it."""
    from feedback.services import evaluation_submit
    from members.models import Interest
    from pairing.models import MatchMember

    seats = list(
        MatchMember.objects.filter(match__pairing_round=pairing_round)
        .select_related("match__pairing_round__programme", "user")
        .order_by("pk")
    )
    interests = list(Interest.objects.all())
    counts = {"evaluations": 0, "comments": 0, "takeaways": 0}
    for seat in rng.sample(seats, min(count, len(seats))):
        met = rng.choices(["yes", "no", "not_yet"], weights=[80, 12, 8])[0]
        data: dict = {"met": met}
        if met == "yes":
            data |= {
                "usefulness": rng.choices([1, 2, 3, 4, 5], weights=[3, 7, 20, 40, 30])[0],
                "minutes": rng.choice([20, 30, 30, 45, 60]),
                "meet_again": rng.choice(["yes", "yes", "maybe", "no"]),
                "next_steps": "Swap our induction slides." if rng.random() < 0.3 else "",
            }
            if rng.random() < 0.125:
                data |= {
                    "takeaway": rng.choice(TAKEAWAYS),
                    "share_takeaway": True,
                    "show_name_with_takeaway": rng.random() < 0.5,
                }
                counts["takeaways"] += 1
        elif met == "no":
            data["not_met_reason"] = rng.choice(NOT_MET)
        if rng.random() < 0.16:
            data["private_comment"] = rng.choice(COMMENTS)
            counts["comments"] += 1
        topics = rng.sample(interests, rng.randint(0, 3)) if met == "yes" else []
        now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randint(7, 20)
        )
        evaluation_submit(match=seat.match, user=seat.user, data=data, topics=topics, now=now)
        counts["evaluations"] += 1
    return counts


def _concerns_and_blocks(programme: object, rng: random.Random) -> tuple[int, int]:
    from pairing.models import MatchMember
    from pairing.services import block_create, concern_report

    seats = list(
        MatchMember.objects.filter(match__pairing_round__programme=programme)
        .select_related("match", "user")
        .order_by("pk")[:2000]
    )
    concerns = blocks = 0
    for seat in rng.sample(seats, 12):
        concern_report(
            reporter=seat.user, match=seat.match, text="My partner was rude during the call."
        )
        concerns += 1
        other = seat.match.members.exclude(user=seat.user).select_related("user").first()
        if other is not None:
            block_create(user=seat.user, blocked=other.user)
            blocks += 1
    return concerns, blocks


if __name__ == "__main__":
    main()
