"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server,
with mail going over real SMTP to a local sink."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.conftest import require_service
from tests.e2e.helpers import SmtpSink

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    require_service(
        CHROMIUM.exists(),
        f"Chromium is missing at {CHROMIUM}: install it with `apt-get install "
        "chromium` (never `playwright install`)",
    )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Django's CSP would block injecting axe-core; the app's own CSP is tested elsewhere.
    return {
        **browser_context_args,
        "bypass_csp": True,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page: Page) -> Page:
    # Fail in seconds, not Playwright's default 30 s, when a page never comes.
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def smtp_sink(settings: object, live_server: object) -> Iterator[SmtpSink]:
    """A local SMTP server; Django's default mailer points at it for this test."""
    sink = SmtpSink()
    sink.start()
    settings.MAILERS = {"default": sink.mailer()}
    settings.SITE_URL = live_server.url
    try:
        yield sink
    finally:
        sink.stop()
