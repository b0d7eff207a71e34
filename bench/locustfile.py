"""Locust users for bench/load.py (not run on its own): members browsing their own pages,
and an organiser reading the evidence page. Each virtual user takes a session that
bench/load.py made for the run (BENCH_SESSIONS names the JSON file), so nobody logs in
and the login rate limits are never touched."""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

SESSIONS = json.loads(open(os.environ["BENCH_SESSIONS"]).read())  # noqa: SIM115
WAIT = tuple(float(s) for s in os.environ.get("BENCH_WAIT", "0.2-0.6").split("-"))
MEMBERS = itertools.cycle(SESSIONS["members"])


class Member(FastHttpUser):
    """A member clicking through their own pages, a fraction of a second between clicks."""

    wait_time = between(*WAIT)

    def on_start(self) -> None:
        me = next(MEMBERS)
        self.match_ids = me["matches"]
        self.slug = SESSIONS["programme"]
        self.client.client.default_headers = {"Cookie": f"sessionid={me['session']}"}

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            # A redirect to the login page would look fast and be wrong: count it as an error.
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(4)
    def dashboard(self) -> None:
        self._get("/me/", "/me/")

    @task(2)
    def match(self) -> None:
        match_id = random.choice(self.match_ids)
        self._get(f"/programmes/matches/{match_id}/", "/programmes/matches/[id]/")

    @task(2)
    def cpd(self) -> None:
        self._get("/me/cpd/", "/me/cpd/")

    @task(1)
    def programmes(self) -> None:
        self._get("/programmes/", "/programmes/")

    @task(1)
    def programme(self) -> None:
        self._get(f"/programmes/{self.slug}/", "/programmes/[slug]/")

    @task(1)
    def takeaways(self) -> None:
        self._get("/takeaways/", "/takeaways/")

    @task(1)
    def profile(self) -> None:
        self._get("/me/profile/", "/me/profile/")


class Organiser(FastHttpUser):
    """An organiser reloading the evidence page (only in `--organisers N` runs)."""

    fixed_count = int(os.environ.get("BENCH_ORGANISERS", "0"))
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.client.default_headers = {"Cookie": f"sessionid={SESSIONS['organiser']}"}

    @task
    def evidence(self) -> None:
        with self.client.get(SESSIONS["evidence"], name="evidence page", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
