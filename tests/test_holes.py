"""Holes found by probing the site as a stranger, a member and a staff member, each
closed with a test that failed before: sign-up enumeration, admin parameters, emails on
the next-round page, the signed feedback link, caching of private pages, the
Permissions-Policy, our own error pages, and repeated concern posts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from feedback.links import make_feedback_link
from feedback.models import Evaluation
from pairing.models import Concern, Match, MatchMember, Round
from pairing.services import concern_report
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = {
    "display_name": "Someone",
    "password1": "analytical-engine-1843",
    "password2": "analytical-engine-1843",
    "accept_code_of_conduct": "on",
    "accept_privacy": "on",
}


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r"\s+", " ", html)


def test_sign_up_pages_are_the_same_for_known_and_unknown_addresses(member):
    pages = []
    for email in (member.email, "nobody-yet@example.org"):
        client = Client()
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        pages.append(_without_tokens(page.replace(email, "EMAIL")))

    assert pages[0] == pages[1]
    assert "Use a different email address" not in pages[0]


def _match(programme, *users):
    pairing_round = Round.objects.create(
        programme=programme, number=1, scheduled_for="2026-11-02", status="done", seed=1
    )
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def test_admin_user_list_with_a_bad_programme_is_an_empty_list(organiser_client, member, programme):
    response = organiser_client.get(reverse("admin:members_user_changelist") + "?programme=abc")

    assert response.status_code == 200
    assert member.email not in response.content.decode()


def test_admin_bulk_action_with_a_non_numeric_row_is_a_400(organiser_client, member):
    response = organiser_client.post(
        reverse("admin:members_user_changelist"),
        {"action": "resend_verification", "_selected_action": ["1", "x'; drop"]},
    )

    assert response.status_code == 400
    assert "Something in that request was not right" in response.content.decode()


def test_next_round_page_shows_emails_only_to_staff_allowed_to_view_members(
    organiser_client, programme
):
    unverified = UserFactory(email="hidden@example.org", verified=False)
    MembershipFactory(user=unverified, programme=programme)
    staff = UserFactory(email="staff@example.org", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_programme"))
    programme.organisers.add(staff)
    staff_client = Client()
    staff_client.force_login(staff)
    url = reverse("admin:pairing_programme_next_round", args=[programme.pk])

    limited = staff_client.get(url).content.decode()
    full = organiser_client.get(url).content.decode()

    assert "email address not verified" in limited
    assert "hidden@example.org" not in limited
    assert "hidden@example.org" in full


def test_the_signed_feedback_link_never_shows_the_private_comment(
    client, member_client, programme, member, other_member
):
    match = _match(programme, member, other_member)
    Evaluation.objects.create(
        match=match, user=member, met="yes", usefulness=4, private_comment="Grace was rude."
    )
    seat = MatchMember.objects.get(match=match, user=member)
    link = make_feedback_link(seat, "yes")

    page = client.get(link).content.decode()
    client.post(link, {"met": "yes", "usefulness": "5", "private_comment": ""})

    assert "Grace was rude." not in page
    assert "it is kept and not shown here" in page
    assert Evaluation.objects.get(user=member).private_comment == "Grace was rude."
    assert Evaluation.objects.get(user=member).usefulness == 5
    # Logged in as themselves, the member reads their own comment.
    assert "Grace was rude." in member_client.get(link).content.decode()


@pytest.mark.parametrize("name", ["members:dashboard", "members:data_export", "feedback:cpd_csv"])
def test_private_pages_are_not_stored_by_caches(member_client, name):
    response = member_client.get(reverse(name))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_carry_a_permissions_policy_and_may_be_cached(client):
    response = client.get(reverse("home"))

    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_our_own_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert '<html lang="en-GB">' in page


def test_our_own_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert "Sorry, something went wrong" in page
    assert "Traceback" not in page


def test_the_same_concern_posted_three_times_is_one_concern_and_one_email(
    settings, programme, member, other_member
):
    settings.ORGANISERS_EMAIL = "organisers@example.org"
    match = _match(programme, member, other_member)

    for _ in range(3):
        concern_report(reporter=member, match=match, text="They never turned up, twice.")

    assert Concern.objects.count() == 1
    assert len(mail.outbox) == 1
