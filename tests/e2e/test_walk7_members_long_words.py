"""A long unbroken word (a 100-letter job title, an 80-letter name) wraps: the pages a
member reads about a partner never scroll sideways on a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import log_in_as
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_partners_long_job_title_and_name_wrap_at_360_px(page: Page, live_server, client):
    ada = UserFactory(email="ada@example.org")
    partner = UserFactory(
        profile__display_name="N" * 80,
        profile__job_title="Bibliothekar" + "x" * 88,
        profile__about="Y" * 150,
        profile__organisation="O" * 100,
        profile__show_organisation=True,
    )
    match = make_match(make_round(ProgrammeFactory(), 1), ada, partner)
    log_in_as(page, live_server.url, client, ada)
    page.set_viewport_size({"width": 360, "height": 800})

    for path in (f"/programmes/matches/{match.pk}/", "/me/"):
        page.goto(f"{live_server.url}{path}")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 360 px: {widths}"
