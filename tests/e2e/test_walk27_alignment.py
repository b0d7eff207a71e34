"""Walk 27's layout polish, measured in Chromium at 360 and 1280 px: a card's heading sits
as far below the card's top edge as its last line sits above the bottom one (it had 2rem
above and 0.25rem below), and a radio group's question lines up with the labels around it
(a legend's default padding put it 2 px to the right)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from tests.e2e.helpers import log_in_as
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = (360, 1280)


def _as(page: Page, live_server, client, user) -> None:
    log_in_as(page, live_server.url, client, user)


def _box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_programme_card_has_even_space_above_and_below(page: Page, live_server, client, width):
    user = UserFactory(email="lowri@example.org")
    on = timezone.localdate() + dt.timedelta(days=20)
    MembershipFactory(user=user, programme=ProgrammeFactory(slug="health", next_round_on=on))
    _as(page, live_server, client, user)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/me/")

    card = _box(page, "#membership-health")
    heading = _box(page, "#membership-health h3")
    last = _box(page, "#membership-health > :last-child")
    above = heading["y"] - card["y"]
    below = card["y"] + card["height"] - (last["y"] + last["height"])
    assert above == pytest.approx(17, abs=1)  # the 1px border and 1rem of padding
    assert below == pytest.approx(above, abs=1)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_radio_question_lines_up_with_the_labels(page: Page, live_server, client, width):
    ada = UserFactory(email="ada@example.org")
    ran = timezone.now() - dt.timedelta(days=10)
    match = make_match(done_round(ProgrammeFactory(), finished_at=ran), ada, UserFactory())
    _as(page, live_server, client, ada)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/me/matches/{match.pk}/feedback/")

    legend = _text_x(page.locator("legend", has_text="Did you meet?"))
    assert legend == pytest.approx(_text_x(page.get_by_text("What got in the way?")), abs=0.5)
    assert legend == pytest.approx(_text_x(page.get_by_role("heading", name="If you met")), abs=0.5)


def _text_x(locator) -> float:
    """Where the element's text starts (its box can start left of it, by its padding)."""
    return locator.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getBoundingClientRect().x; }"
    )


def test_the_current_email_box_does_not_look_like_one_to_type_in(page: Page, live_server, client):
    """Walk 29: the disabled "Current email" box looked editable, as white and as dark-edged
    as "Change to" below it."""
    _as(page, live_server, client, UserFactory(email="ada@example.org"))
    page.goto(f"{live_server.url}/accounts/email/")

    def look(selector: str) -> tuple[str, str]:
        return page.locator(selector).evaluate(
            "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderTopColor]; }"
        )

    current, new = look("#current_email"), look("#id_email")
    assert page.locator("#current_email").is_disabled()
    assert current[0] != new[0] and current[1] != new[1]


def test_being_left_out_is_news_in_amber_not_an_error_in_red(page: Page, live_server, client):
    """Walk 31: the dashboard's "We could not match you" used the error's red."""
    from pairing.models import LeftOut
    from tests.feedback.evaluation_helpers import done_round

    user = UserFactory(email="lowri@example.org")
    programme = ProgrammeFactory(slug="health")
    MembershipFactory(user=user, programme=programme)
    ran = done_round(programme, finished_at=timezone.now() - dt.timedelta(days=3))
    LeftOut.objects.create(pairing_round=ran, user=user, reason="nobody else took part")
    _as(page, live_server, client, user)
    page.goto(f"{live_server.url}/me/")

    notice = page.locator("#membership-health .message-warning")
    colours = notice.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderLeftColor, s.backgroundColor]; }"
    )
    assert "We could not match you" in notice.inner_text()
    assert colours == ["rgb(138, 90, 0)", "rgb(255, 244, 214)"]
