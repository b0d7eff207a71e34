"""A slow preview in a real browser: the organiser's click returns at once to a page that
says the groups are forming, which shows them by itself once the worker is done, with
JavaScript (it polls) and without (a meta refresh); axe and 360 px on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from config.celery_app import app as celery_app
from pairing import tasks
from pairing.rounds import background
from tests.e2e.helpers import AxeAuditor
from tests.factories import UserFactory
from tests.pairing.set_helpers import join, learning_set_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


@pytest.fixture
def worker_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """A worker exists; the jobs it is given wait here until the test runs them."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    jobs: list[tuple] = []
    monkeypatch.setattr(tasks.round_preview_form, "delay", lambda *args: jobs.append(args))
    # 12 members in groups of 4 count as slow here, so the engine itself stays quick.
    monkeypatch.setattr(background, "FAST_GROUPS", 8)
    yield jobs
    celery_app.conf.task_always_eager = before


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("org@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["polling", "no-javascript"])
def test_the_forming_page_shows_the_groups_by_itself_once_the_worker_is_done(
    browser: Browser, live_server: object, worker_jobs: list[tuple], javascript: bool
) -> None:
    programme = learning_set_programme(group_size=4, name="Cataloguing learning sets")
    join(programme, 12)
    organiser = UserFactory(email="org@example.org", is_staff=True)
    programme.organisers.add(organiser)
    context = browser.new_context(
        java_script_enabled=javascript, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    base = live_server.url
    _log_in(page, base)
    page.goto(f"{base}/admin/pairing/programme/{programme.pk}/next-round/")

    page.get_by_role("button", name="Preview the next cycle").click()

    expect(page.get_by_role("status")).to_contain_text("Forming groups… (started")
    assert len(worker_jobs) == 1
    if javascript:
        AxeAuditor(page).check("forming")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    tasks.round_preview_form(*worker_jobs[0])

    expect(page.locator("#preview-groups")).to_be_visible(timeout=15_000)
    expect(page.locator("#preview-groups tbody tr")).to_have_count(3)
    context.close()
