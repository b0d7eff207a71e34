"""Walk 40: the check-in still asked "How useful was it?" after "No, I did not attend".
The question hides once "No" is chosen (CSS, no script) and a score picked before is
dropped, not refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import User
from pairing.sets.models import Session, SessionCheckIn
from pairing.sets.selectors import set_member_ids
from tests.e2e.helpers import log_in_as
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_choosing_no_hides_how_useful_and_saves_without_it(page: Page, live_server, client):
    programme = learning_set_programme(group_size=4)
    join(programme, 4)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    session = learning_set.sessions.get(number=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    member = User.objects.get(pk=set_member_ids(learning_set)[0])
    log_in_as(page, live_server.url, client, member)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/programmes/sessions/{session.pk}/check-in/")
    useful = page.get_by_role("group", name="How useful was it?")

    page.get_by_label("Yes").check()
    expect(useful).to_be_visible()
    useful.get_by_label("3").check()
    page.get_by_label("No").check()
    expect(useful).to_be_hidden()
    page.get_by_role("button", name="Send my check-in").click()

    expect(page.locator("h1")).not_to_contain_text("Check in")
    saved = SessionCheckIn.objects.get(session=session, user=member)
    assert (saved.attended, saved.usefulness) == (False, None)
