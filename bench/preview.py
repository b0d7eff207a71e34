"""Time the organiser's round preview page on a community built by bench/community.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee_community \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/preview.py \\
    [--members 5000] [--runs 5]

Build the community first (bench/community.py --members N). This plans the programme's
next round and forms its preview once (as the next-round page does; not timed), then,
logged in as the bench organiser through Django's test client, times `--runs` times
  GET       the preview page (page 1)
  confirm   the preview page with ?confirm=1
  move      a move POST (a member of the last group to a group of someone alike)
  swap      a swap POST (two members alike, of different groups)
  lock      a lock or unlock POST
and prints each run's seconds, the medians, the page's size and its query counts. The
round stays planned (it never runs); a later bench run re-uses its draft.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

ORGANISER = "organiser@bench.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/community.py built.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    run(members=args.members, runs=args.runs)


def run(*, members: int, runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from members.models import User
    from pairing.models import Programme
    from pairing.rounds import round_plan, round_preview

    programme = Programme.objects.get(slug="national-coffee")
    count = programme.memberships.count()
    if count != members:
        sys.exit(f"The bench programme has {count} members, not {members}: rebuild it.")
    today = timezone.localdate()
    pairing_round = round_plan(programme=programme, scheduled_for=programme.next_round_on or today)
    if not pairing_round.draft:
        started = time.perf_counter()
        round_preview(pairing_round=pairing_round, today=today, reshuffle=True)
        print(f"preview formed in {time.perf_counter() - started:.1f} s (not timed below)")
    client = Client()
    client.force_login(User.objects.get(email=ORGANISER))
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    times: dict[str, list[float]] = {}

    def timed(name: str, call: object) -> object:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = call()
            seconds = time.perf_counter() - started
        times.setdefault(name, []).append(seconds)
        times.setdefault(f"{name} queries", []).append(len(queries))
        return response

    client.get(url)  # warm the caches (templates, the first draft check)
    for n in range(runs):
        page = timed("GET", lambda: client.get(url))
        assert page.status_code == 200, page.status_code
        size = len(page.content)
        confirm = timed("confirm", lambda: client.get(url + "?confirm=1"))
        assert confirm.status_code == 200, confirm.status_code
        groups = _draft(pairing_round)["groups"]
        first, second = _alike(groups)
        timed("swap", lambda a=first, b=second: _post(client, url, "swap", member=a, other=b))
        made = _draft(pairing_round)["groups"] != groups
        groups = _draft(pairing_round)["groups"]
        member, alike = _alike(groups)
        to = next(i for i, g in enumerate(groups) if alike in g["members"])
        timed("move", lambda m=member, g=to: _post(client, url, "move", member=m, group=g))
        moved = _draft(pairing_round)["groups"] != groups
        action = "lock" if n % 2 == 0 else "unlock"
        timed("lock", lambda a=action: _post(client, url, a, group=0))
        timed("GET after edits", lambda: client.get(url))
        print(
            f"run {n + 1}: GET {times['GET'][-1]:.2f} s, confirm {times['confirm'][-1]:.2f} s, "
            f"swap {times['swap'][-1]:.2f} s, move {times['move'][-1]:.2f} s, lock "
            f"{times['lock'][-1]:.2f} s, GET after edits {times['GET after edits'][-1]:.2f} s; "
            f"page {size / 1024:.0f} KB; swap {'made' if made else 'refused'}, move "
            f"{'made' if moved else 'refused'}",
            flush=True,
        )
    print(f"medians of {runs} runs at {members} members:")
    for name, values in times.items():
        unit = "" if name.endswith("queries") else " s"
        print(f"  {name:26} {statistics.median(values):8.2f}{unit}")


def _alike(groups: list[dict]) -> tuple[str, str]:
    """Two members of different groups who meet in the same way in the
    same region, so that swapping them breaks no rule (usually)."""
    from members.models import Profile

    ids = [int(m) for g in groups for m in g["members"]]
    how = {
        str(user_id): (region, meeting_format)
        for user_id, region, meeting_format in Profile.objects.filter(user_id__in=ids).values_list(
            "user_id", "region", "meeting_format"
        )
    }
    last = groups[-1]["members"][0]
    for group in reversed(groups[:-1]):
        for member in group["members"]:
            if how[member] == how[last]:
                return last, member
    return last, groups[-2]["members"][0]


def _draft(pairing_round: object) -> dict:
    pairing_round.refresh_from_db()
    return pairing_round.draft


def _post(client: object, url: str, action: str, **data: object) -> object:
    response = client.post(url, {"action": action, **data})
    assert response.status_code == 302, response.status_code
    return response


if __name__ == "__main__":
    main()
