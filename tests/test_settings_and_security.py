from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import mailer_from_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-key-0123456789",
    "ALLOWED_HOSTS": "coffee.example.org",
    "SITE_URL": "https://coffee.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = _manage("check", env={"DEBUG": "false"})

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_load_nothing_from_other_sites(client):
    body = client.get("/accounts/signup/").content.decode()

    assert "https://" not in body.split("<body>")[0]
    assert "cdn" not in body.lower()


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("console:", "console.EmailBackend", {}),
        (
            "smtp://user:p%40ss@mail.example.org:587?tls=1",
            "smtp.EmailBackend",
            {
                "host": "mail.example.org",
                "port": 587,
                "username": "user",
                "password": "p@ss",
                "use_tls": True,
                "use_ssl": False,
            },
        ),
        (
            "smtps://mail.example.org",
            "smtp.EmailBackend",
            {"host": "mail.example.org", "port": 465, "use_ssl": True},
        ),
        ("file:///tmp/mail", "filebased.EmailBackend", {"file_path": "/tmp/mail"}),
    ],
)
def test_email_url_becomes_a_mailer(url, backend, options):
    mailer = mailer_from_url(url)

    assert mailer["BACKEND"].endswith(backend)
    assert options.items() <= mailer["OPTIONS"].items()


def test_unknown_email_url_scheme_is_a_clear_error():
    with pytest.raises(Exception, match="EMAIL_URL: unknown scheme 'pigeon'"):
        mailer_from_url("pigeon://loft")
