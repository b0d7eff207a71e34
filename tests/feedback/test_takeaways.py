"""Shared takeaways: members only, only the ones their authors shared, names only when the
author allowed it, never private comments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback import reports
from members.services import member_delete
from tests.factories import UserFactory
from tests.feedback.builders import evaluate, make_match, make_round

pytestmark = pytest.mark.django_db
TAKEAWAYS = reverse("feedback:takeaways")


@pytest.fixture
def pairing_round(programme):
    return make_round(programme, 2)  # 3 February 2026


@pytest.fixture
def author():
    return UserFactory(email="kj@example.org", profile__display_name="Katherine Johnson")


def _share(pairing_round, user=None, **fields):
    fields.setdefault("share_takeaway", True)
    return evaluate(make_match(pairing_round), user, **fields)


def test_shared_takeaway_is_shown_with_programme_and_month(member_client, pairing_round):
    _share(pairing_round, takeaway="Ask for the protocol first.")

    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Ask for the protocol first." in html
    assert "North West coffee" in html and "February 2026" in html
    assert html.count("<h1") == 1


def test_takeaway_not_shared_is_not_shown(member_client, pairing_round):
    _share(pairing_round, takeaway="Kept to myself.", share_takeaway=False)

    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Kept to myself." not in html
    assert "No member has shared a takeaway yet." in html


def test_a_takeaway_sent_with_not_yet_waits_until_the_meeting_is_answered(
    member_client, pairing_round
):
    """The form hides the takeaway after "Not yet" (met_sections.js); one sent anyway (no
    JavaScript, or typed before) is kept, and shared once its author says they met."""
    evaluation = _share(pairing_round, takeaway="Before we even met.", met="not_yet")

    assert "Before we even met." not in member_client.get(TAKEAWAYS).content.decode()

    evaluation.met = "yes"
    evaluation.save()
    assert "Before we even met." in member_client.get(TAKEAWAYS).content.decode()


def test_shared_flag_without_a_takeaway_shows_nothing(pairing_round):
    _share(pairing_round, takeaway="")

    assert not reports.shared_takeaways().exists()


def test_name_is_shown_only_when_the_author_allowed_it(member_client, pairing_round, author):
    _share(pairing_round, author, takeaway="Named one.", show_name_with_takeaway=True)
    _share(pairing_round, takeaway="Anonymous one.")

    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Katherine Johnson" in html
    assert html.count("A member ·") == 1


def test_author_who_did_not_allow_their_name_shows_as_a_member(
    member_client, pairing_round, author
):
    _share(pairing_round, author, takeaway="Quiet wisdom.", show_name_with_takeaway=False)

    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Katherine Johnson" not in html
    assert "A member" in html


def test_takeaways_never_show_emails_or_private_comments(member_client, pairing_round, author):
    _share(
        pairing_round,
        author,
        takeaway="Shared thought.",
        show_name_with_takeaway=True,
        private_comment="Secret for organisers.",
        next_steps="My private plan.",
    )

    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Secret for organisers." not in html
    assert "My private plan." not in html
    assert "kj@example.org" not in html


def test_takeaways_are_newest_round_first(pairing_round, programme):
    _share(make_round(programme, 1), takeaway="Older")
    _share(pairing_round, takeaway="Newer")

    texts = [reports.takeaway_from(e).text for e in reports.shared_takeaways()]

    assert texts == ["Newer", "Older"]


def test_takeaways_are_for_members_only(client):
    response = client.get(TAKEAWAYS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_takeaways_page_out_of_range_shows_the_last_page(member_client, pairing_round):
    _share(pairing_round, takeaway="Only one.")

    response = member_client.get(TAKEAWAYS, {"page": "99"})

    assert response.status_code == 200
    assert "Only one." in response.content.decode()


def test_takeaway_of_a_deleted_account_is_no_longer_shown(member_client, pairing_round, author):
    # The privacy notice: "A takeaway you chose to share stays until you delete your account."
    _share(pairing_round, author, takeaway="Still useful.", show_name_with_takeaway=True)

    member_delete(user=author)
    html = member_client.get(TAKEAWAYS).content.decode()

    assert "Still useful." not in html
    assert "No member has shared a takeaway yet." in html
