"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server,
with mail going over real SMTP to a local sink."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import require_service
from tests.e2e.helpers import SmtpSink

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# threading names a thread "Thread-N (target)"; the live server's socketserver starts one per
# browser connection with target `process_request_thread`.
REQUEST_THREAD = "(process_request_thread)"
REQUEST_THREAD_GRACE_SECONDS = 10


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


def _live_server_request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith(REQUEST_THREAD)]


@pytest.fixture(autouse=True)
def _no_browser_connection_outlives_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close every browser context and let the live server finish each request before the
    database is reset and, after the last test, before the server stops.

    Chromium keeps HTTP connections alive, and the live server serves each one in a daemon
    thread that nobody joins. A context a test opens itself and never closes (a second
    member's window) kept its connection, and so a request thread, until the browser quit at
    the end of the session, after pytest-django had stopped the server. When the test
    database is in-memory SQLite and set up before the server starts, that thread shares
    the main thread's connection; stopping the server revokes the sharing, so the thread's
    final `connections.close_all()` raised DatabaseError ("objects created in a thread can
    only be used in that same thread"), reported as PytestUnhandledThreadExceptionWarning.
    A request still being served during the reset would likewise use the connection the
    flush is using."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Requested here so that this teardown runs first: before the flush of the test data.
    request.getfixturevalue("transactional_db")
    browser: Browser | None = (
        request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    )
    yield
    if browser is not None:
        for context in browser.contexts:
            context.close()
    deadline = time.monotonic() + REQUEST_THREAD_GRACE_SECONDS
    for thread in _live_server_request_threads():
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    still_serving = [t.name for t in _live_server_request_threads() if t.is_alive()]
    assert not still_serving, (
        f"the live server is still serving after the test: {still_serving}; "
        "something other than the browser holds a connection to it open"
    )
