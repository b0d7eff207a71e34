"""Benchmark a round on PostgreSQL: preview, run, and delivery by two real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_bench \\
    REDIS_URL=redis://127.0.0.1:6379/14 \\
    .venv/bin/python bench/round.py [--members 10000] [--runs 3]

It owns the database and the Redis database it is given: it creates and migrates the
database, empties it, loads `--members` eligible members (verified address, complete
profile, one membership per run), then for each run plans a round in a fresh programme
and measures
  preview s   round_preview (eligibility, problem, matching; nothing saved)
  run s       round_run (eligibility, problem, matching, saving matches and outbox rows,
              queueing the send batches); the preview's draft is dropped first so the run
              matches from scratch
  delivery s  from round_run returning until every outbox row of the round is "sent" and
              the local SMTP sink holds as many messages, with two worker processes
              (`celery worker --pool=prefork --concurrency=1` each) started beforehand.
It prints each run and the median of the runs. Targets: run < 10 s; delivery < 5 min.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TOPICS = [
    "Systematic searching",
    "Open access",
    "Copyright",
    "Outreach",
    "Cataloguing",
    "Metadata",
    "Research data",
    "Information literacy",
    "Digital preservation",
    "Evidence synthesis",
    "Health literacy",
    "Archives",
    "Reading development",
    "Library management systems",
    "Reference services",
    "Special collections",
    "Knowledge management",
    "Bibliometrics",
    "Accessibility",
    "Marketing",
    "Teaching",
    "User experience",
    "Procurement",
    "E-resources",
    "Open science",
    "Local studies",
    "Children's services",
    "Records management",
    "AI tools",
    "Leadership",
    "Mentoring",
    "Legal research",
    "Patents",
    "Exhibitions",
    "Community engagement",
    "Digitisation",
    "Rare books",
    "Statistics",
    "Funding",
    "Wellbeing",
]
SECTORS = [
    "academic",
    "further_education",
    "school",
    "public",
    "health",
    "law",
    "corporate",
    "government",
    "archives",
    "other",
]
REGIONS = [
    "north-east",
    "north-west",
    "yorkshire",
    "east-midlands",
    "west-midlands",
    "east",
    "london",
    "south-east",
    "south-west",
    "wales",
    "scotland",
    "northern-ireland",
    "ireland",
    "elsewhere",
]
ZONES = ["Europe/London"] * 8 + ["Europe/Dublin", "America/New_York"]
SLOTS = [
    f"{d}-{p}"
    for d in ["mon", "tue", "wed", "thu", "fri"]
    for p in ["morning", "lunch", "afternoon"]
]
FORMATS = ["online", "online", "either", "in_person"]
WORKERS: list[subprocess.Popen] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="delivery timeout, s")
    args = parser.parse_args()
    database_url, redis_url = _environment()
    _create_database(database_url)

    from tests.integration.smtp_sink import SmtpSink

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with SmtpSink() as sink:
        os.environ["EMAIL_URL"] = sink.url
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        _flush_redis(redis_url)
        started = time.perf_counter()
        user_ids = _load_members(args.members)
        print(
            f"loaded {len(user_ids)} members in {time.perf_counter() - started:.1f} s", flush=True
        )
        try:
            _start_workers(count=2)
            rows = [_one_run(n, user_ids, sink, args.timeout) for n in range(args.runs)]
        finally:
            _stop_workers()
            _flush_redis(redis_url)
    _print_table(args.members, rows)


def _environment() -> tuple[str, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own (it is emptied) and "
            "REDIS_URL to a Redis database of its own (it is flushed), e.g.\n"
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_bench "
            "REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/round.py"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    return database_url, redis_url


def _create_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def _load_members(count: int) -> list[int]:
    """`count` eligible members, written with bulk_create (a few seconds for 10,000)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from members.models import Interest, Profile, User

    unusable = make_password(None)
    rng = random.Random(20261201)
    now = timezone.now()
    organisations = [f"Library service {n}" for n in range(max(count // 12, 2))]
    with transaction.atomic():
        interests = Interest.objects.bulk_create(
            [Interest(name=name, slug=slugify(name)) for name in TOPICS]
        )
        users = User.objects.bulk_create(
            [
                User(email=f"member{n}@bench.example.org", password=unusable, is_active=True)
                for n in range(count)
            ],
            batch_size=5000,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users],
            batch_size=5000,
        )
        profiles = Profile.objects.bulk_create(
            [
                Profile(
                    user=u,
                    display_name=f"Member {n}",
                    role_band="professional",
                    sector=rng.choice(SECTORS),
                    organisation=rng.choice(organisations),
                    region=rng.choice(REGIONS),
                    time_zone=rng.choice(ZONES),
                    experience=rng.randint(0, 3),
                    meeting_format=rng.choice(FORMATS),
                    availability=sorted(rng.sample(SLOTS, rng.randint(2, 6))),
                    coc_accepted_at=now,
                    privacy_accepted_at=now,
                    wizard_done_at=now,
                    complete=True,
                )
                for n, u in enumerate(users)
            ],
            batch_size=5000,
        )
        through = Profile.interests.through
        through.objects.bulk_create(
            [
                through(profile_id=p.pk, interest_id=i.pk)
                for p in profiles
                for i in rng.sample(interests, rng.randint(3, 6))
            ],
            batch_size=10000,
        )
    return [u.pk for u in users]


def _start_workers(count: int) -> None:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    logs = Path(tempfile.mkdtemp(prefix="bench-round-"))
    for n in range(1, count + 1):
        log = (logs / f"round-worker{n}.log").open("wb")
        WORKERS.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                    "-n",
                    f"bench{n}@%h",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 90
    for n, worker in enumerate(WORKERS, 1):
        log = logs / f"round-worker{n}.log"
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                _stop_workers()
                sys.exit(f"worker {n} did not start; see {log}")
            time.sleep(0.2)


def _stop_workers() -> None:
    for worker in WORKERS:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in WORKERS:
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
    WORKERS.clear()


def _one_run(n: int, user_ids: list[int], sink: object, timeout: float) -> dict:
    from django.utils import timezone

    from pairing.models import Membership, OutboxEmail, OutboxStatus, Programme, Round
    from pairing.rounds import round_plan, round_preview, round_run

    programme = Programme.objects.create(name=f"Bench run {n} {time.time_ns()}")
    Membership.objects.bulk_create(
        [Membership(user_id=u, programme=programme) for u in user_ids], batch_size=10000
    )
    today = timezone.localdate()
    pairing_round = round_plan(programme=programme, scheduled_for=today)
    with sink._lock:
        sink.messages.clear()

    started = time.perf_counter()
    round_preview(pairing_round=pairing_round, today=today)
    preview_s = time.perf_counter() - started
    Round.objects.filter(pk=pairing_round.pk).update(draft=None)
    pairing_round.refresh_from_db()

    started = time.perf_counter()
    pairing_round = round_run(pairing_round=pairing_round, now=timezone.now())
    run_s = time.perf_counter() - started

    emails = OutboxEmail.objects.filter(pairing_round=pairing_round)
    total = emails.count()
    deadline = started + run_s + timeout
    while time.perf_counter() < deadline:
        if sink.count() >= total and not emails.exclude(status=OutboxStatus.SENT).exists():
            break
        time.sleep(0.1)
    delivery_s = time.perf_counter() - started - run_s
    sent = emails.filter(status=OutboxStatus.SENT).count()
    received = sink.snapshot()
    distinct = len({m.message["Message-ID"] for m in received})
    row = {
        "preview s": preview_s,
        "run s": run_s,
        "matches": pairing_round.matches.count(),
        "emails": total,
        "sent": sent,
        "received": len(received),
        "duplicates": len(received) - distinct,
        "delivery s": delivery_s,
        "emails/s": sent / delivery_s if delivery_s else 0.0,
        "peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(f"run {n + 1}: " + ", ".join(f"{k} {_fmt(v)}" for k, v in row.items()), flush=True)
    return row


def _fmt(value: float) -> str:
    return (
        f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else str(int(value))
    )


def _print_table(members: int, rows: list[dict]) -> None:
    columns = [
        "members",
        "preview s",
        "run s",
        "matches",
        "emails",
        "delivery s",
        "emails/s",
        "peak MB",
    ]
    median = {"members": members, **{k: statistics.median(r[k] for r in rows) for k in columns[1:]}}
    print(f"\nmedian of {len(rows)} run(s), 2 workers (prefork, concurrency 1 each):")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    print("| " + " | ".join(_fmt(median[k]) for k in columns) + " |")
    lost = [
        r
        for r in rows
        if r["sent"] != r["emails"] or r["received"] != r["emails"] or r["duplicates"]
    ]
    run_ok = median["run s"] < 10
    delivery_ok = not lost and max(r["delivery s"] for r in rows) < 300
    print(
        f"targets: run < 10 s {'met' if run_ok else 'MISSED'}; every email delivered "
        f"within 5 min {'met' if delivery_ok else 'MISSED'}"
    )
    if lost:
        print(
            "runs not delivered exactly once within the timeout: "
            + "; ".join(
                f"{r['sent']} sent, {r['received']} received ({r['duplicates']} duplicates) of "
                f"{r['emails']}"
                for r in lost
            )
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        _stop_workers()
