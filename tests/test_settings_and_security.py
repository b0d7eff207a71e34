from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from config.settings import mailer_from_url
from tests.factories import ProgrammeFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-key-0123456789",
    "ALLOWED_HOSTS": "coffee.example.org",
    "SITE_URL": "https://coffee.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
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


# Addresses in HTML attributes and CSS that make the browser load or send something.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
CSS_ADDRESS = re.compile(
    r"""url\(\s*(?P<q>['"]?)(?P<url>.*?)(?P=q)\s*\)|@import\s+(?P<iq>['"])(?P<import>.*?)(?P=iq)""",
    re.IGNORECASE | re.DOTALL,
)


def css_addresses(css: str) -> list[str]:
    return [m["url"] if m["url"] is not None else m["import"] for m in CSS_ADDRESS.finditer(css)]


class PageAddresses(HTMLParser):
    """Every address a page gives the browser: URL attributes, each srcset candidate, and
    url(...) or @import in <style> blocks and style attributes; plus its stylesheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.stylesheets: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.addresses.append(value)
            elif name in SRCSET_ATTRIBUTES:
                self.addresses += [c.split()[0] for c in value.split(",") if c.strip()]
            elif name == "style":
                self.addresses += css_addresses(value)
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").lower().split():
            self.stylesheets.append(values.get("href") or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.addresses += css_addresses(data)


def is_off_site(address: str, host: str) -> bool:
    """Absolute (or scheme-relative) and not this server. Browsers strip surrounding space
    and read a backslash as a slash, so neither hides a host."""
    address = address.strip().replace("\\", "/")
    if address.startswith("//"):
        return True
    parts = urlsplit(address)
    if parts.scheme in {"http", "https"} or parts.netloc:
        return parts.hostname != host
    return False


def stylesheet_addresses(href: str) -> list[str]:
    """The url(...)s in one of our own stylesheets, read from the static files finders."""
    path = urlsplit(href).path
    if not path.startswith(settings.STATIC_URL):
        return []
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"stylesheet {href} not found in the static files"
    return css_addresses(Path(found).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("url_name", "logged_in"),
    [
        ("home", False),
        ("account_signup", False),
        ("account_login", False),
        ("pairing:programme_list", False),
        ("members:dashboard", True),
    ],
)
@pytest.mark.django_db
def test_pages_load_nothing_from_other_sites(request, client, url_name, logged_in):
    ProgrammeFactory(name="North West coffee")
    if logged_in:
        client = request.getfixturevalue("member_client")
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    host = response.wsgi_request.get_host()
    page = PageAddresses()
    page.feed(response.content.decode())
    page.close()

    addresses = page.addresses + [a for s in page.stylesheets for a in stylesheet_addresses(s)]
    off_site = [a for a in addresses if is_off_site(a, host)]

    assert page.stylesheets, "no stylesheet found: is the page parsed?"
    assert not off_site, f"{url_name} loads from other sites: {off_site}"


@pytest.mark.parametrize(
    "address",
    [
        "https://cdn.jsdelivr.net/npm/x.js",
        "HTTP://cdn.example/x.css",
        "//cdn.example/x.js",
        " //cdn.example/x.js",
        "\\\\cdn.example/x.js",
        "https:cdn.example/x.js",
        "https://testserver.cdn.example/x.js",
    ],
)
def test_off_site_addresses_are_caught(address):
    assert is_off_site(address, "testserver")


@pytest.mark.parametrize(
    "address",
    ["/static/css/site.css", "#main", "data:,", "mailto:help@example.org", "http://testserver/x"],
)
def test_own_addresses_are_not_off_site(address):
    assert not is_off_site(address, "testserver")


def test_css_addresses_are_found_in_every_form():
    css = """a{background:url( 'https://a.example/1.png' )} b{src:url(//b.example/f.woff)}
    @import "https://c.example/x.css"; i{background:URL("/static/ok.png")}"""

    assert css_addresses(css) == [
        "https://a.example/1.png",
        "//b.example/f.woff",
        "https://c.example/x.css",
        "/static/ok.png",
    ]


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


def test_uploads_go_to_a_private_bucket_when_one_is_configured():
    script = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    bucket = {"S3_BUCKET": "coffee-uploads", "S3_ENDPOINT_URL": "", "S3_REGION": "eu-west-2"}

    result = _manage("shell", "-c", script, env=bucket)
    local = _manage("shell", "-c", script, env={"S3_BUCKET": ""})

    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "coffee-uploads"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["endpoint_url"] is None
    assert storage["OPTIONS"]["region_name"] == "eu-west-2"
    assert json.loads(local.stdout.strip().splitlines()[-1])["BACKEND"].endswith(
        "FileSystemStorage"
    )


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def test_env_example_works_when_copied_as_it_is():
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"

    result = _manage("shell", "-c", script, env=_env_example())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sqlite3")


@pytest.mark.parametrize(
    ("missing", "words"),
    [("EMAIL_URL", "Set EMAIL_URL when DEBUG is off"), ("REDIS_URL", "Set REDIS_URL")],
)
def test_production_without_a_service_says_what_to_set(missing, words):
    env = {**PRODUCTION, missing: ""}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert words in result.stderr


def test_rate_limits_count_each_client_behind_the_proxy(client, settings, member):
    # Production trusts one proxy (deploy/Caddyfile), which appends the client's address.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    login = reverse("account_login")

    def attempt(ip: str, n: int) -> int:
        response = client.post(
            login,
            {"login": f"nobody{n}@example.org", "password": "wrong-password-123"},
            headers={"x-forwarded-for": f"198.51.100.99, {ip}"},
        )
        return response.status_code

    statuses = [attempt("203.0.113.7", n) for n in range(31)]  # "login": 30 a minute

    assert statuses[-1] == 429
    assert attempt("203.0.113.8", 99) == 200  # another member behind the same proxy


@pytest.mark.parametrize("name", [".env.example", "deploy/env.production"])
def test_env_files_can_be_read_by_a_shell_as_backup_sh_does(name):
    result = subprocess.run(
        ["bash", "-c", f'set -euo pipefail; set -a; . ./{name}; echo "$SITE_NAME"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Library Coffee Trials"


@pytest.mark.parametrize("key", ["CHANGE", "short-but-not-dev-key"])
def test_production_refuses_a_placeholder_or_short_secret_key(key):
    result = _manage("check", env={**PRODUCTION, "SECRET_KEY": key})

    assert result.returncode != 0
    assert "SECRET_KEY is too short or still the CHANGE placeholder" in result.stderr


def test_the_health_check_answers_over_plain_http_in_production():
    script = (
        "from django.test import Client; "
        "print(Client().get('/healthz', HTTP_HOST='coffee.example.org').status_code)"
    )

    result = _manage("shell", "-c", script, env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] in {"200", "503"}  # never a 301


def test_the_embedded_default_queues_tasks_without_a_kombu_warning():
    # `make run` (no Redis): kombu warned "No hostname was supplied. Reverting to default
    # 'localhost'" in the log the first time a task was queued (walk 22).
    script = (
        "import logging; logging.basicConfig(level=logging.WARNING)\n"
        "from kombu import Connection; from django.conf import settings\n"
        "print(settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)\n"
        "Connection(settings.CELERY_BROKER_URL).info()\n"
    )
    result = _manage("shell", "--no-imports", "-c", script, env={"REDIS_URL": "", "DEBUG": "true"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("memory://") and "True" in result.stdout
    assert "No hostname" not in result.stderr + result.stdout
