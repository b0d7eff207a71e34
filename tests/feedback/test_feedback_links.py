"""Signed links from the follow-up emails to one member's evaluation form."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from feedback.links import SALT, make_feedback_link
from feedback.models import CheckIn, Evaluation
from pairing.links import SALT as PAIRING_SALT
from pairing.models import MatchMember
from tests.feedback.evaluation_helpers import done_round, make_match, seat_of

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def match(programme, member, other_member):
    ran = timezone.now() - dt.timedelta(days=40)
    return make_match(done_round(programme, finished_at=ran), member, other_member)


@pytest.fixture
def seat(match, member) -> MatchMember:
    return seat_of(match, member)


def path_of(url: str) -> str:
    return url.removeprefix(SITE)


def old_token(seat: MatchMember, days: int) -> str:
    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - days * 86400)

    return OldSigner(salt=SALT).sign_object({"s": seat.pk})


def _answers() -> dict:
    return {"met": "yes", "usefulness": "5", "next_steps": "Try the PRESS checklist."}


def test_link_is_an_absolute_url_on_the_site(seat):
    url = make_feedback_link(seat)

    assert url.startswith(f"{SITE}/feedback/")
    assert url.endswith("/")


def test_link_can_preselect_an_answer(seat):
    assert make_feedback_link(seat, "not_yet").endswith("/?met=not_yet")


def test_link_refuses_an_unknown_answer(seat):
    with pytest.raises(ValueError, match="Unknown answer"):
        make_feedback_link(seat, "maybe")


def test_link_opens_the_form_without_logging_in(client, seat):
    response = client.get(path_of(make_feedback_link(seat, "yes")))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Did you meet Grace Hopper?</h1>" in page
    assert "ada@example.org" not in page


@pytest.mark.parametrize("met", [None, "yes", "not_yet", "no"])
def test_opening_a_link_never_saves_anything(client, seat, met):
    # Link scanners open every link in an email: only the button on the page may save.
    client.get(path_of(make_feedback_link(seat, met)))

    assert not Evaluation.objects.exists()
    assert not CheckIn.objects.exists()


def test_answering_through_the_link_saves_without_logging_in(client, seat, member):
    link = path_of(make_feedback_link(seat))
    response = client.post(link, _answers(), follow=True)

    evaluation = Evaluation.objects.get(match=seat.match, user=member)
    # Post, redirect, get: the thank-you page is the link's own address with ?sent=1, so
    # a reload does not send the answers again.
    assert response.redirect_chain == [(f"{link.split('?')[0]}?sent=1", 302)]
    assert response.status_code == 200
    assert evaluation.usefulness == 5
    assert "Thank you for your feedback" in response.content.decode()


def test_answering_works_with_csrf_checks_after_opening_the_link(seat, member):
    client = Client(enforce_csrf_checks=True)
    url = path_of(make_feedback_link(seat, "yes"))
    client.get(url)

    response = client.post(
        url, {**_answers(), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, follow=True
    )

    assert response.status_code == 200
    assert Evaluation.objects.filter(user=member).exists()


def test_not_yet_through_the_link_says_we_will_ask_again(client, seat):
    response = client.post(
        path_of(make_feedback_link(seat, "not_yet")), {"met": "not_yet"}, follow=True
    )

    assert "We will ask again in a week" in response.content.decode()
    assert CheckIn.objects.get(seat=seat).ask_again_on is not None


def test_owner_logged_in_can_use_their_own_link(member_client, seat, member):
    response = member_client.post(path_of(make_feedback_link(seat)), _answers(), follow=True)

    assert response.status_code == 200
    assert Evaluation.objects.filter(user=member).exists()


# --- Links that cannot be used -------------------------------------------------------------


def test_tampered_link_says_it_is_not_valid(client, seat, match, other_member):
    token = signing.dumps({"s": seat.pk}, salt=SALT)
    other_seat = seat_of(match, other_member)
    forged = token.replace(
        token.split(":")[0], signing.b64_encode(f'{{"s":{other_seat.pk}}}'.encode()).decode()
    )

    response = client.post(f"/feedback/{forged}/", _answers())

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_malformed_link_says_it_is_not_valid(client, db):
    response = client.get("/feedback/not-a-token/")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_a_skip_link_token_does_not_open_feedback(client, seat):
    token = signing.dumps({"s": seat.pk}, salt=PAIRING_SALT)

    response = client.get(f"/feedback/{token}/")

    assert response.status_code == 400


def test_expired_link_says_so_and_offers_to_log_in(client, seat):
    response = client.post(f"/feedback/{old_token(seat, days=61)}/", _answers())

    page = response.content.decode()
    assert response.status_code == 400
    assert "This link has expired" in page
    assert "/accounts/login/" in page
    assert not Evaluation.objects.exists()


def test_link_still_works_after_eight_weeks(client, seat):
    response = client.get(f"/feedback/{old_token(seat, days=59)}/")

    assert response.status_code == 200


def test_another_members_link_while_logged_in_is_not_found(other_client, seat):
    response = other_client.post(path_of(make_feedback_link(seat)), _answers())

    page = response.content.decode()
    assert response.status_code == 404
    assert "This link is for someone else" in page
    assert "Ada Lovelace" not in page
    assert not Evaluation.objects.exists()


def test_link_for_a_removed_seat_is_not_found(client, seat):
    url = path_of(make_feedback_link(seat))
    seat.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "This introduction no longer exists" in response.content.decode()


def test_link_to_a_closed_round_shows_the_closed_page(client, seat, programme):
    done_round(programme, finished_at=timezone.now() - dt.timedelta(days=1))

    response = client.get(path_of(make_feedback_link(seat, "yes")))

    assert "Feedback for this round has closed" in response.content.decode()
