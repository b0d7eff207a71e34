from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("verified=no", "new@example.org", "ada@example.org"),
        ("verified=yes", "ada@example.org", "new@example.org"),
        ("profile__sector__exact=law", "lawyer@example.org", "ada@example.org"),
        ("profile__region__exact=scotland", "lawyer@example.org", "ada@example.org"),
        ("profile__complete__exact=0", "lawyer@example.org", "ada@example.org"),
    ],
)
def test_member_list_filters(organiser_client, member, unverified_user, query, shown, hidden):
    UserFactory(
        email="lawyer@example.org",
        profile__sector="law",
        profile__region="scotland",
        profile__interests=[],
    )

    body = organiser_client.get(f"/admin/members/user/?{query}").content.decode()

    assert shown in body
    assert hidden not in body


def test_member_list_filters_by_programme_and_paused(
    organiser_client, member, other_member, programme
):
    MembershipFactory(user=member, programme=programme, status="paused", paused_until="2099-01-01")

    by_programme = organiser_client.get(f"/admin/members/user/?programme={programme.pk}").content
    paused = organiser_client.get("/admin/members/user/?paused=yes").content

    assert b"ada@example.org" in by_programme and b"grace@example.org" not in by_programme
    assert b"ada@example.org" in paused and b"grace@example.org" not in paused


def test_member_search_by_name(organiser_client, member, other_member):
    body = organiser_client.get("/admin/members/user/?q=Hopper").content

    assert b"grace@example.org" in body and b"ada@example.org" not in body


def test_organiser_resends_verification_email(organiser_client, member, unverified_user):
    response = organiser_client.post(
        "/admin/members/user/",
        {"action": "resend_verification", "_selected_action": [unverified_user.pk, member.pk]},
        follow=True,
    )

    assert b"Verification email sent to 1 member(s). 1 already verified" in response.content
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_organisers_cannot_enrol_members_in_the_admin(organiser_client):
    assert organiser_client.get("/admin/pairing/membership/add/").status_code == 403


def test_a_members_page_lists_their_memberships_without_delete_boxes(organiser_client, member):
    """The memberships on a member's admin page are for looking only: no "Delete?" column
    of unlabelled checkboxes (axe: critical), and the programme is still listed."""
    membership = MembershipFactory(user=member)
    response = organiser_client.get(f"/admin/members/user/{member.pk}/change/")
    assert response.status_code == 200
    assert membership.programme.name in response.content.decode()
    assert b"-DELETE" not in response.content
