"""The deployment recipe, run: the very command lines of deploy/coffee-{web,worker,beat}
.service start with DEBUG off against the real PostgreSQL, Redis and an SMTP sink; two
members sign up over HTTP (code by email), join a programme whose round is due, beat's
tick runs it in the worker, and the introduction arrives once."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from members.models import Profile
from members.services import profile_refresh_complete
from pairing.models import OutboxEmail, Programme
from tests.factories import InterestFactory, ProgrammeFactory
from tests.integration.conftest import BASE_DIR, _test_database_url
from tests.integration.smtp_sink import SmtpSink, free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
UNITS = ("coffee-web", "coffee-worker", "coffee-beat")
PASSWORD = "a-long-password-for-tests"


def unit_command(unit: str, tmp: Path) -> tuple[list[str], dict[str, str]]:
    """ExecStart and Environment= of a unit file, with the server's paths made local."""
    text = (BASE_DIR / "deploy" / f"{unit}.service").read_text()
    [exec_start] = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
    environment = dict(
        line.split("=", 1) for line in re.findall(r"^Environment=(.+)$", text, re.MULTILINE)
    )
    assert re.search(r"^WorkingDirectory=/srv/coffee$", text, re.MULTILINE)
    assert re.search(r"^EnvironmentFile=/srv/coffee/.env$", text, re.MULTILINE)
    venv_bin = Path(sys.executable).parent
    args = [a.replace("/srv/coffee/.venv/bin/", f"{venv_bin}/") for a in shlex.split(exec_start)]
    environment = {k: v.replace("/var/lib/coffee", str(tmp)) for k, v in environment.items()}
    return args, environment


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Visitor:
    """A browser without JavaScript: cookies, CSRF tokens, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(_NoRedirects)

    def go(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1 only
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response.status, response.headers, response.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[int, dict, str]:
        _status, _headers, page = self.go(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.go(path, {**data, "csrfmiddlewaretoken": token})


def _code(sink: SmtpSink, email: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for item in sink.snapshot():
            if email in item.rcpt_tos:
                body = item.message.get_body(("plain",)).get_content()
                found = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
                if found:
                    return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no verification code reached {email}")


def _sign_up(base: str, sink: SmtpSink, name: str, email: str) -> Visitor:
    visitor = Visitor(base)
    status, headers, _page = visitor.post_form(
        "/accounts/signup/",
        {
            "display_name": name,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_code_of_conduct": "on",
            "accept_privacy": "on",
        },
    )
    assert status == 302, _page[-2000:]
    status, _headers, page = visitor.post_form(headers["Location"], {"code": _code(sink, email)})
    assert status == 302, page[-2000:]
    return visitor


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_healthy(base: str, processes: dict, logs: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        for name, process in processes.items():
            assert process.poll() is None, (logs / f"{name}.log").read_text()[-3000:]
        time.sleep(0.3)
    raise AssertionError("the site never answered /healthz with 200")


def test_the_unit_files_run_a_site_that_signs_up_and_introduces(broker, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    programme = ProgrammeFactory(name="Deployed coffee", next_round_on=None)
    topic = InterestFactory(name="Systematic searching")
    with SmtpSink() as sink:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "deploy-test-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": base,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": broker,
            "EMAIL_URL": sink.url,
            "WEB_BIND": f"127.0.0.1:{port}",
            # Its own folder: collecting into the project's, where other tests' WhiteNoise
            # scans the files, replaced a file under a scan in another worker (a CI run's
            # FileNotFoundError in test_walk18_revision_file).
            "STATIC_ROOT": str(tmp_path / "staticfiles"),
            "WEB_CONCURRENCY": "1",
            "TICK_SECONDS": "2",
            "TRUSTED_PROXY_COUNT": "0",
        }
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert collect.returncode == 0, collect.stderr
        processes = {}
        try:
            for unit in UNITS:
                args, unit_env = unit_command(unit, tmp_path)
                processes[unit] = _start(args, {**env, **unit_env}, tmp_path / f"{unit}.log")
            _wait_healthy(base, processes, tmp_path)

            members = []
            for name, email in (
                ("Ada Lovelace", "ada@example.org"),
                ("Grace Hopper", "grace@example.org"),
            ):
                visitor = _sign_up(base, sink, name, email)
                Profile.objects.filter(user__email=email).update(
                    role_band="professional",
                    sector="health",
                    region="north-west",
                    time_zone="Europe/London",
                    experience=2,
                    meeting_format="online",
                )
                profile = Profile.objects.get(user__email=email)
                profile.interests.set([topic])
                profile_refresh_complete(profile=profile)
                status, _headers, _page = visitor.post_form(f"/programmes/{programme.slug}/", {})
                assert status == 302, _page[-2000:]
                members.append(email)

            # The organiser sets the round for today; beat ticks every 2 s, the worker runs
            # the due round and sends the introduction.
            Programme.objects.filter(pk=programme.pk).update(next_round_on=timezone.localdate())
            deadline = time.monotonic() + 90
            intros = []
            while time.monotonic() < deadline and not intros:
                intros = [m for m in sink.snapshot() if "introduction" in m.message["Subject"]]
                time.sleep(0.2)
            assert intros, (
                f"rounds: {list(programme.rounds.values('status', 'error'))}; emails: "
                f"{list(OutboxEmail.objects.values('kind', 'status', 'last_error'))}; "
                f"subjects: {[m.message['Subject'] for m in sink.snapshot()]}; "
                f"members: {list(programme.memberships.values('user__email', 'status'))}; "
                f"missing: {[p.missing_fields for p in Profile.objects.all()]}\n"
                + (tmp_path / "coffee-worker.log").read_text()[-3000:]
            )
            time.sleep(6)  # three more ticks: nothing is sent twice
            intros = [m for m in sink.snapshot() if "introduction" in m.message["Subject"]]
            assert len(intros) == 1
            assert sorted(intros[0].rcpt_tos) == sorted(members)
            assert "Deployed coffee" in intros[0].message["Subject"]
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
