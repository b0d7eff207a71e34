"""Load and timing benchmarks of the site served as in production (gunicorn, DEBUG=false)
on the community bench/community.py built.

    .venv/bin/pip install ".[bench]"     # locust
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_community \\
    .venv/bin/python bench/load.py members  [--users 50] [--duration 60] [--wait 0.2-0.6]
    .venv/bin/python bench/load.py evidence [--users 50] [--organisers 2] [--duration 60]
    .venv/bin/python bench/load.py alone    [--repeat 5]

Modes:
  members   `--users` members browse their own pages (dashboard, a match, CPD record,
            programmes, a programme, takeaways, profile) with `--wait` seconds between
            clicks, for `--duration` seconds; prints per page p50/p95/p99 (ms), requests/s
            and errors, then the totals.
  evidence  the same, plus `--organisers` organisers reloading the evidence page.
  alone     nobody else on the site: times the evidence page, the evidence pack, the
            evaluations CSV, the takeaways page and the admin lists (users, interests,
            memberships, rounds, concerns; 100 rows a page) `--repeat` times each, and
            the peak memory (VmHWM) of the gunicorn workers afterwards.

Locust runs headless on the loopback against gunicorn started here with
deploy/gunicorn.conf.py (`--workers` and `--threads`: its defaults, 2 per core and 2).
Every virtual user takes a Django session made for the run (no logins, so the rate
limits are never hit);
the sessions are deleted at the end. The machine's cores are shared between gunicorn,
PostgreSQL and locust, as they would be on a small server with the load coming in.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PORT = 8761
ADMIN_LISTS = [
    "/admin/members/user/",
    "/admin/members/interest/",
    "/admin/pairing/membership/",
    "/admin/pairing/round/",
    "/admin/pairing/concern/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["members", "evidence", "alone"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--organisers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--wait", default="0.2-0.6", help="seconds between a user's clicks")
    parser.add_argument("--repeat", type=int, default=5)
    # deploy/gunicorn.conf.py's defaults: 2 processes per core (at most 8), 2 threads.
    parser.add_argument("--workers", type=int, default=min(2 * (os.cpu_count() or 1), 8))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the database bench/community.py built.")
    if args.mode != "alone" and importlib.util.find_spec("locust") is None:
        sys.exit('locust is not installed: .venv/bin/pip install ".[bench]"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    environment = _production_environment(args)
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    sessions = _sessions(args.users)
    server = _gunicorn(environment, args)
    try:
        if args.mode == "alone":
            _alone(sessions, args.repeat, server)
        else:
            _locust(sessions, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        _sessions_delete(sessions)


def _production_environment(args: argparse.Namespace) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "EMAIL_URL": "locmem:",
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": str(args.workers),
        "WEB_THREADS": str(args.threads),
    }


def _sessions(users: int) -> dict:
    """A session for `users` members who had matches, and one for the organiser."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from bench.community import ORGANISER
    from members.models import User
    from pairing.models import MatchMember, Programme

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]

    def session_for(user: User) -> str:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    from django.db import DatabaseError

    try:
        programme = Programme.objects.filter(slug="national-coffee").first()
    except DatabaseError as error:
        sys.exit(f"{error}".strip() + "\nRun bench/community.py with this DATABASE_URL first.")
    if programme is None:
        sys.exit("No community in this database: run bench/community.py first.")
    seats = MatchMember.objects.filter(match__pairing_round__programme=programme)
    members = []
    for user in User.objects.filter(is_staff=False, profile__complete=True).order_by("pk")[:users]:
        matches = list(seats.filter(user=user).values_list("match_id", flat=True))
        members.append({"session": session_for(user), "matches": matches})
    return {
        "members": members,
        "organiser": session_for(User.objects.get(email=ORGANISER)),
        "programme": programme.slug,
        "evidence": reverse("feedback:programme_report", args=[programme.pk]),
        "pack": reverse("feedback:evidence_pack", args=[programme.pk]),
        "csv": reverse("feedback:programme_csv", args=[programme.pk]),
    }


def _sessions_delete(sessions: dict) -> None:
    from django.contrib.sessions.models import Session

    keys = [m["session"] for m in sessions["members"]] + [sessions["organiser"]]
    Session.objects.filter(session_key__in=keys).delete()


def _gunicorn(environment: dict[str, str], args: argparse.Namespace) -> subprocess.Popen:
    log = Path(tempfile.mkdtemp(prefix="bench-load-")) / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **environment},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start; see {log}")
            time.sleep(0.3)
    print(
        f"gunicorn: {args.workers} workers x {args.threads} threads (gthread), DEBUG=false",
        flush=True,
    )
    return server


def _locust(sessions: dict, args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-locust-"))
    (folder / "sessions.json").write_text(json.dumps(sessions))
    organisers = args.organisers if args.mode == "evidence" else 0
    classes = ["Member"] + (["Organiser"] if organisers else [])
    users = args.users + organisers
    env = {
        **os.environ,
        "BENCH_SESSIONS": str(folder / "sessions.json"),
        "BENCH_WAIT": args.wait,
        "BENCH_ORGANISERS": str(organisers),
    }
    print(
        f"locust: {args.users} members"
        + (f" and {organisers} organisers on the evidence page" if organisers else "")
        + f", {args.wait} s between clicks, {args.duration} s",
        flush=True,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BASE_DIR / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(folder / "run"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    _print_locust(folder / "run_stats.csv")


def _print_locust(path: Path) -> None:
    rows = list(csv.DictReader(path.open()))
    print("\n| page | requests | errors | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )


def _alone(sessions: dict, repeat: int, server: subprocess.Popen) -> None:
    pages = [
        ("evidence page", sessions["evidence"]),
        ("evidence pack", sessions["pack"]),
        ("evaluations CSV", sessions["csv"]),
        ("takeaways", "/takeaways/"),
        *[(f"admin {path.split('/')[-2]} list", path) for path in ADMIN_LISTS],
    ]
    print(f"\n| page | median s | worst s | size KB | (of {repeat} requests each) |")
    print("|---|---|---|---|---|")
    for name, path in pages:
        times, size = [], 0
        for _ in range(repeat):
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{path}",
                headers={"Cookie": f"sessionid={sessions['organiser']}"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
                body = response.read()
                if response.status != 200 or response.url.endswith("/login/"):
                    sys.exit(f"{path}: {response.status} {response.url}")
            times.append(time.perf_counter() - started)
            size = len(body)
        print(
            f"| {name} | {statistics.median(times):.3f} | {max(times):.3f} | {size / 1024:.0f} | |",
            flush=True,
        )
    print(f"\npeak memory of each gunicorn worker (VmHWM): {', '.join(_peak_mb(server))} MB")


def _peak_mb(server: subprocess.Popen) -> list[str]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(f"{int(line.split()[1]) / 1024:.0f}")
    return peaks


if __name__ == "__main__":
    main()
