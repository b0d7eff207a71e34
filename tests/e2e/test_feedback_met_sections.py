"""The feedback form shows only the questions that fit "Did you meet?": every question
until it is answered, "If you met" after "Yes, we met", "If you couldn't meet" after
"No", neither after "Not yet" (nor the reflection and takeaway); what was typed survives a
change of answer. In Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from feedback.models import Evaluation
from tests.e2e.helpers import log_in_as
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _open_form(page: Page, live_server, client):
    ada = UserFactory(email="ada@example.org")
    ran = timezone.now() - dt.timedelta(days=10)
    match = make_match(done_round(ProgrammeFactory(), finished_at=ran), ada, UserFactory())
    log_in_as(page, live_server.url, client, ada)
    page.goto(f"{live_server.url}/me/matches/{match.pk}/feedback/")
    return ada, match


def test_only_the_questions_for_the_answer_are_shown(page: Page, live_server, client) -> None:
    ada, match = _open_form(page, live_server, client)
    met = page.get_by_role("heading", name="If you met")
    not_met = page.get_by_role("heading", name="If you couldn't meet")
    expect(met).to_be_visible()  # nothing chosen yet: every question
    expect(not_met).to_be_visible()

    page.get_by_label("No, we couldn't meet").check()
    expect(met).to_be_hidden()
    expect(page.get_by_text("How useful was it?")).to_be_hidden()
    page.get_by_label("What got in the way?").fill("My partner was on leave.")

    page.get_by_label("Yes, we met").check()
    expect(not_met).to_be_hidden()
    expect(met).to_be_visible()
    page.get_by_label("4", exact=True).check()

    page.get_by_label("Not yet").check()
    expect(met).to_be_hidden()
    expect(not_met).to_be_hidden()
    # Nothing to reflect on or share yet; the organisers can still be told something.
    expect(page.get_by_role("heading", name="Your reflection")).to_be_hidden()
    expect(page.get_by_role("heading", name="Share with the community")).to_be_hidden()
    expect(page.get_by_role("heading", name="For the organisers")).to_be_visible()

    page.get_by_label("No, we couldn't meet").check()  # back again: nothing lost
    expect(page.get_by_label("What got in the way?")).to_have_value("My partner was on leave.")
    page.get_by_role("button", name="Send my feedback").click()

    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Did you meet")
    saved = Evaluation.objects.get(match=match, user=ada)
    assert (saved.met, saved.not_met_reason, saved.usefulness) == (
        "no",
        "My partner was on leave.",
        None,
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_an_error_link_lands_with_its_question_and_message_in_view(
    page: Page, live_server, client, width
) -> None:
    page.set_viewport_size({"width": width, "height": 700})
    _open_form(page, live_server, client)
    page.get_by_label("Yes, we met").check()
    page.get_by_role("button", name="Send my feedback").click()

    page.locator("#error-summary").get_by_role("link", name="How useful was it?").click()

    expect(page.locator("#id_usefulness_0")).to_be_focused()
    question = page.locator("legend", has_text="How useful was it?")
    message = page.get_by_text("Tell us how useful it was, from 1 to 5.").last
    for seen in (question, message):
        box = seen.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 700, box
