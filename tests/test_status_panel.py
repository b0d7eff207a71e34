"""The organisers' status panel and error reporting: the last tick, emails waiting and
failed (with errors, names not addresses, and "try again"), failed rounds; JSON logs;
errors to ADMINS."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.health import record_tick
from config.observability import JsonFormatter, admins_from, logging_config
from pairing.models import OutboxEmail, OutboxStatus, Round, RoundStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/status/"


@pytest.fixture
def failed_email(member, programme):
    from tests.factories import MembershipFactory

    MembershipFactory(user=member, programme=programme)
    pairing_round = Round.objects.create(
        programme=programme, number=9, scheduled_for="2026-12-24", seed=9
    )
    return OutboxEmail.objects.create(
        key="notice:1:1",
        kind="notice",
        pairing_round=pairing_round,
        user=member,
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="SMTPAuthenticationError: 535 bad password",
    )


def test_the_panel_shows_the_tick_failed_emails_and_failed_rounds(
    organiser_client, failed_email, programme, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # a worker and beat (the tick)
    record_tick(timezone.now())
    Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for="2026-11-02",
        status=RoundStatus.FAILED,
        seed=1,
        error="Nobody was eligible.",
    )

    page = organiser_client.get(URL).content.decode()

    assert "Last scheduler tick:" in page and "none recorded" not in page
    assert "535 bad password" in page
    assert "Ada Lovelace" in page
    assert "ada@example.org" not in page
    assert "round 1" in page and "Nobody was eligible." in page
    assert 'href="/admin/status/"' in organiser_client.get("/admin/").content.decode()


def test_try_again_puts_failed_emails_back_to_be_sent_once(
    organiser_client, failed_email, mailoutbox
):
    from pairing.outbox import outbox_send_batch

    response = organiser_client.post(URL, {"email": [str(failed_email.pk)]})
    failed_email.refresh_from_db()
    assert response.status_code == 302
    assert (failed_email.status, failed_email.attempts) == (OutboxStatus.PENDING, 0)

    # Whichever worker gets it (two here), it is sent once.
    outbox_send_batch(ids=[failed_email.pk])
    outbox_send_batch(ids=[failed_email.pk])

    failed_email.refresh_from_db()
    assert failed_email.status == OutboxStatus.SENT
    assert len(mailoutbox) == 1


def test_staff_without_email_permissions_can_look_but_not_resend(failed_email):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxemail"))
    client = Client()
    client.force_login(staff)

    page = client.get(URL).content.decode()
    client.post(URL, {})

    assert "535 bad password" in page
    assert "Try the ticked emails again" not in page
    failed_email.refresh_from_db()
    assert failed_email.status == OutboxStatus.FAILED


def test_members_cannot_see_the_panel(member_client):
    response = member_client.get(URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_logs_are_one_json_object_per_line():
    record = logging.LogRecord(
        "pairing", logging.WARNING, __file__, 1, "Round %s failed", (3,), None
    )

    entry = json.loads(JsonFormatter().format(record))

    assert entry["level"] == "WARNING"
    assert entry["message"] == "Round 3 failed"
    assert entry["logger"] == "pairing"


def test_unhandled_errors_are_emailed_to_admins_when_set():
    admins = admins_from("Ana Ops <ana@example.org>, ops@example.org")
    config = logging_config(level="INFO", json_lines=True, admins=bool(admins))

    assert admins == [("Ana Ops", "ana@example.org"), ("", "ops@example.org")]
    assert "mail_admins" in config["loggers"]["django.request"]["handlers"]
    assert (
        "mail_admins"
        not in logging_config(level="INFO", json_lines=False, admins=False)["loggers"][
            "django.request"
        ]["handlers"]
    )


def test_errors_reach_sentry_when_a_dsn_is_set():
    """A real sentry-sdk in a site process, reporting to a local stand-in for Sentry."""
    import gzip
    import os
    import subprocess
    import sys
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from pathlib import Path

    received: list[bytes] = []

    class Sentry(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            elif self.headers.get("Content-Encoding") == "br":
                # sentry-sdk compresses with brotli when the package is installed (locust,
                # for bench/load.py, brings it).
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = (
        "import sentry_sdk\n"
        "try:\n    raise ValueError('round 3 could not be saved')\n"
        "except ValueError as error:\n    sentry_sdk.capture_exception(error)\n"
        "sentry_sdk.flush(5)\n"
    )
    env = {
        **os.environ,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
    }
    root = Path(__file__).resolve().parent.parent
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()

    assert result.returncode == 0, result.stderr
    sent = b"".join(received).decode(errors="replace")
    assert "round 3 could not be saved" in sent
    assert '"environment":"development"' in sent.replace(" ", "")


def test_emails_not_sent_on_purpose_are_counted_apart_and_never_retried(
    organiser_client, failed_email
):
    OutboxEmail.objects.filter(pk=failed_email.pk).update(
        last_error="Not sent: the member unsubscribed from round and cycle notices"
    )

    page = organiser_client.get(URL).content.decode()
    organiser_client.post(URL, {})

    assert "the address bounces): <strong>1</strong>" in page
    assert "Emails that failed every attempt: <strong>0</strong>" in page
    failed_email.refresh_from_db()
    assert failed_email.status == OutboxStatus.FAILED


def test_an_organiser_sees_whose_email_failed_only_in_their_own_programmes(failed_email, programme):
    from tests.factories import ProgrammeFactory

    theirs = ProgrammeFactory(name="South coffee")
    Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for="2026-11-02",
        status=RoundStatus.FAILED,
        seed=1,
        error="Nobody was eligible.",
    )
    other = UserFactory(is_staff=True, profile__display_name="Otto Organiser")
    theirs.organisers.add(other)
    client = Client()
    client.force_login(other)

    page = client.get(URL).content.decode()

    assert "535 bad password" not in page and "Ada Lovelace" not in page
    assert "Nobody was eligible." not in page
    programme.organisers.add(other)
    page = client.get(URL).content.decode()
    assert "535 bad password" in page and "Nobody was eligible." in page


def test_without_redis_the_panel_says_there_is_no_scheduler_and_what_to_run(
    organiser_client, settings
):
    # `make run`: no beat, and a tick run from the command line is not in this process's
    # cache, so "none recorded" would be all an organiser ever saw.
    settings.REDIS_URL = ""

    page = organiser_client.get(URL).content.decode()

    assert "Scheduler: <strong>none in this setup</strong>" in page
    assert "python manage.py run_due_rounds" in page
    assert "Last scheduler tick:" not in page
