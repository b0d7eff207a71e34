"""A form-wide error (a wrong password) is said once, in the red summary at the top, not
again just below it in the form: in Chromium, as a member sees and hears it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_is_said_once_in_the_summary(page: Page, live_server) -> None:
    UserFactory(email="ada@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("not correct")
    shown = page.get_by_text("not correct").filter(visible=True)
    expect(shown).to_have_count(1)
    AxeAuditor(page).check("log-in with an error")


def test_a_refused_session_move_shows_the_reason_once_with_no_empty_box(
    page: Page, live_server, client
) -> None:
    """Walk 36: a move refused with a form-wide reason left an empty red bar under the
    summary (the reason's wrapper, its list hidden)."""
    import zoneinfo

    from members.models import User
    from pairing.sets.selectors import set_host_id
    from tests.e2e.helpers import log_in_as
    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    _cycle, (first, second) = form_cycle(programme, venue="Room 1")
    mine, theirs = first.sessions.get(number=2), second.sessions.get(number=2)
    log_in_as(page, live_server.url, client, User.objects.get(pk=set_host_id(first)))
    page.goto(f"{live_server.url}/programmes/sessions/{mine.pk}/move/")
    when = theirs.starts_at.astimezone(zoneinfo.ZoneInfo(theirs.time_zone))
    page.get_by_label("New date").fill(when.date().isoformat())
    page.get_by_label("Start time").fill(when.strftime("%H:%M"))
    page.get_by_role("button", name="Move the session").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("meets at Room 1 from")
    expect(page.locator(".message-error").filter(visible=True)).to_have_count(1)
    expect(page.get_by_text("meets at Room 1 from").filter(visible=True)).to_have_count(1)
    AxeAuditor(page).check("session move refused")
