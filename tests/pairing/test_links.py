"""Signed one-click links from emails: skip the next round, pause."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from pairing.links import SALT, make_link
from pairing.models import Membership, MembershipStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(member, programme) -> Membership:
    return MembershipFactory(user=member, programme=programme)


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def old_token(membership: Membership, action: str, days: int) -> str:
    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - days * 86400)

    return OldSigner(salt=SALT).sign_object({"m": membership.pk, "a": action})


def test_make_link_is_an_absolute_url_on_the_site(membership):
    url = make_link(membership, "skip")

    assert url.startswith("http://127.0.0.1:8000/programmes/link/")
    assert url.endswith("/skip/")


# --- Skip ------------------------------------------------------------------------------


def test_skip_link_get_asks_to_confirm_and_changes_nothing(client, membership):
    response = client.get(path_of(make_link(membership, "skip")))

    membership.refresh_from_db()
    assert response.status_code == 200
    assert "Skip the next round of North West coffee?" in response.content.decode()
    assert membership.skip_next_round is False


def test_confirm_page_says_whom_the_link_is_for(client, membership):
    response = client.get(path_of(make_link(membership, "skip")))

    assert "This link is for Ada Lovelace." in response.content.decode()
    assert "ada@example.org" not in response.content.decode()


def test_skip_link_post_skips_the_next_round_without_logging_in(client, membership):
    response = client.post(path_of(make_link(membership, "skip")))

    membership.refresh_from_db()
    assert response.status_code == 200
    assert membership.skip_next_round is True
    assert "You will sit out the next round" in response.content.decode()


def test_skip_link_works_with_csrf_checks_after_the_confirm_page(membership):
    client = Client(enforce_csrf_checks=True)
    url = path_of(make_link(membership, "skip"))
    client.get(url)

    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    membership.refresh_from_db()
    assert response.status_code == 200
    assert membership.skip_next_round is True


def test_owner_logged_in_can_use_their_own_link(member_client, membership):
    response = member_client.post(path_of(make_link(membership, "skip")))

    membership.refresh_from_db()
    assert response.status_code == 200
    assert membership.skip_next_round is True


# --- Pause -----------------------------------------------------------------------------


def test_pause_link_get_offers_a_date_four_weeks_ahead_and_changes_nothing(client, membership):
    response = client.get(path_of(make_link(membership, "pause")))

    membership.refresh_from_db()
    expected = (timezone.localdate() + dt.timedelta(weeks=4)).isoformat()
    assert response.status_code == 200
    assert f'value="{expected}"' in response.content.decode()
    assert '<label for="id_until"' in response.content.decode()
    assert membership.status == MembershipStatus.ACTIVE


def test_pause_link_post_pauses_until_the_chosen_date(client, membership):
    until = timezone.localdate() + dt.timedelta(days=10)

    response = client.post(path_of(make_link(membership, "pause")), {"until": until.isoformat()})

    membership.refresh_from_db()
    assert response.status_code == 200
    assert membership.status == MembershipStatus.PAUSED
    assert membership.paused_until == until
    assert "Paused until" in response.content.decode()


def test_pause_date_in_the_past_is_reshown_with_a_message_and_the_typed_value(client, membership):
    typed = (timezone.localdate() - dt.timedelta(days=3)).isoformat()

    response = client.post(path_of(make_link(membership, "pause")), {"until": typed})

    membership.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a date after today." in page
    assert f'value="{typed}"' in page
    assert membership.status == MembershipStatus.ACTIVE


def test_pause_date_that_is_not_a_date_is_reshown_with_a_message(client, membership):
    response = client.post(path_of(make_link(membership, "pause")), {"until": "next Tuesday"})

    page = response.content.decode()
    assert "Enter a date such as" in page
    assert 'value="next Tuesday"' in page
    assert "<title>Error: " in page


# --- Links that cannot be used -----------------------------------------------------------


def test_tampered_link_says_it_is_not_valid(client, membership):
    token = signing.dumps({"m": membership.pk, "a": "skip"}, salt=SALT)
    forged = token.replace(
        token.split(":")[0], signing.b64_encode(b'{"m":999,"a":"skip"}').decode()
    )

    response = client.post(f"/programmes/link/{forged}/skip/")

    membership.refresh_from_db()
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert membership.skip_next_round is False


def test_malformed_link_says_it_is_not_valid(client, db):
    response = client.get("/programmes/link/not-a-token/pause/")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_skip_token_does_not_work_as_a_pause_link(client, membership):
    token = path_of(make_link(membership, "skip")).split("/")[3]

    response = client.get(f"/programmes/link/{token}/pause/")

    assert response.status_code == 400


def test_expired_link_says_so_and_offers_to_log_in(client, membership):
    token = old_token(membership, "skip", days=46)

    response = client.post(f"/programmes/link/{token}/skip/")

    membership.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 400
    assert "This link has expired" in page
    assert "/accounts/login/" in page
    assert membership.skip_next_round is False


def test_link_still_works_after_six_weeks(client, membership):
    token = old_token(membership, "skip", days=44)

    response = client.get(f"/programmes/link/{token}/skip/")

    assert response.status_code == 200


def test_link_for_a_membership_that_was_left_is_not_found(client, membership):
    membership.status = MembershipStatus.LEFT
    membership.save()

    response = client.post(path_of(make_link(membership, "skip")))

    membership.refresh_from_db()
    assert response.status_code == 404
    assert "This membership no longer exists" in response.content.decode()
    assert membership.skip_next_round is False


def test_link_for_a_deleted_membership_is_not_found(client, membership):
    url = path_of(make_link(membership, "pause"))
    membership.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "This membership no longer exists" in response.content.decode()


def test_another_members_link_while_logged_in_is_not_found(other_client, membership):
    response = other_client.post(path_of(make_link(membership, "skip")))

    membership.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 404
    assert "This link is for someone else" in page
    assert "Ada Lovelace" not in page
    assert membership.skip_next_round is False
