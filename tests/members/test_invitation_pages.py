"""Who may open the organiser pages for invitations and announcements (another
programme's organiser gets a 404), and their query counts stay flat as lists grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.invitations import services
from members.invitations.mailing import email_hash
from members.invitations.models import Announcement, Invitation, InvitationImport
from members.invitations.reading import read_pasted
from pairing.models import OutboxEmail, OutboxKind, OutboxStatus
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_organiser(programme):
    user = UserFactory(email="own@example.org", is_staff=True, profile__display_name="Owen Own")
    programme.organisers.add(user)
    return user


@pytest.fixture
def other_organiser(db):
    user = UserFactory(email="else@example.org", is_staff=True)
    ProgrammeFactory(name="Somewhere else").organisers.add(user)
    return user


def invitation(programme, email="ada@example.org"):
    return Invitation.objects.create(
        programme=programme,
        email=email,
        email_hash=email_hash(email),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


def _pages(programme) -> list[tuple[str, str]]:
    invitation_import = InvitationImport.objects.create(programme=programme, rows=[], problems=[])
    one = invitation(programme)
    sent = Announcement.objects.create(programme=programme, subject="S", body="B", nonce="p")
    return [
        ("get", reverse("admin:members_announcement_detail", args=[sent.pk])),
        ("get", reverse("admin:members_invitation_programme", args=[programme.pk])),
        ("get", reverse("admin:members_invitation_import", args=[invitation_import.pk])),
        ("post", reverse("admin:members_invitation_import", args=[invitation_import.pk])),
        ("post", reverse("admin:members_invitation_resend", args=[one.pk])),
        ("get", reverse("admin:members_announcement_programme", args=[programme.pk])),
        ("get", reverse("admin:members_announcement_new", args=[programme.pk])),
        ("post", reverse("admin:members_announcement_new", args=[programme.pk])),
    ]


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_another_programmes_organiser_gets_a_404_on_every_page(other_organiser, programme):
    client = _client(other_organiser)

    for method, url in _pages(programme):
        assert getattr(client, method)(url).status_code == 404, url
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_anyone_not_staff_is_sent_to_the_admin_login(who, member, programme):
    client = _client(member if who == "member" else None)

    for method, url in _pages(programme):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("who", ["own organiser", "superuser"])
def test_the_programmes_organisers_and_superusers_open_every_page(
    who, own_organiser, organiser, programme
):
    client = _client(own_organiser if who == "own organiser" else organiser)

    for method, url in _pages(programme):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_every_page_has_the_admins_breadcrumb_bar_ending_at_the_current_page(
    own_organiser, programme
):
    client = _client(own_organiser)
    urls = [url for method, url in _pages(programme) if method == "get"]

    for url in [reverse("admin:members_invitation_changelist"), *urls]:
        body = client.get(url).content.decode()
        # The admin styles (and bars) only its own <ol class="breadcrumbs">.
        assert body.count('class="breadcrumbs"') == 1, url
        bar = body.split('<ol class="breadcrumbs">', 1)[1].split("</ol>", 1)[0]
        assert bar.startswith('<li><a href="/admin/">Home</a></li>'), url
        assert bar.endswith("</li>") and '<li aria-current="page">' in bar, url


def test_the_list_of_programmes_shows_only_the_organisers_own(own_organiser, other_organiser):
    page = _client(own_organiser).get(reverse("admin:members_invitation_changelist"))

    body = page.content.decode()
    assert page.status_code == 200
    assert "North West coffee" in body and "Somewhere else" not in body


def test_the_admin_index_links_organisers_to_the_pages(own_organiser):
    body = _client(own_organiser).get(reverse("admin:index")).content.decode()

    assert reverse("admin:members_invitation_changelist") in body
    assert "Invitations and announcements" in body


def test_no_invitation_can_be_added_changed_or_deleted_by_its_id(own_organiser, programme):
    one = invitation(programme)
    client = _client(own_organiser)

    for path in ["add/", f"{one.pk}/change/", f"{one.pk}/delete/", f"{one.pk}/history/"]:
        assert client.get(f"/admin/members/invitation/{path}").status_code == 404, path
        assert client.post(f"/admin/members/invitation/{path}").status_code == 404, path
    assert Invitation.objects.filter(pk=one.pk).exists()


# --- Query counts -----------------------------------------------------------------------


def test_the_invitation_list_runs_the_same_queries_for_3_or_60_invitations(
    own_organiser, programme, django_assert_max_num_queries
):
    client = _client(own_organiser)
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    for n in range(3):
        invitation(programme, f"p{n}@example.org")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200

    for n in range(3, 60):
        row = invitation(programme, f"p{n}@example.org")
        OutboxEmail.objects.create(
            key=f"invitation:{row.pk}:1",
            kind=OutboxKind.INVITATION,
            address=row.email,
            ref=row.pk,
            status=OutboxStatus.FAILED,
            last_error="Not sent: reason",
        )
    with django_assert_max_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert "p59@example.org" in body and "Not sent: reason" in body


def test_the_programmes_page_runs_the_same_queries_for_1_or_12_programmes(
    own_organiser, programme, django_assert_max_num_queries
):
    client = _client(own_organiser)
    url = reverse("admin:members_invitation_changelist")
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(11):
        extra = ProgrammeFactory(name=f"Extra {n}")
        extra.organisers.add(own_organiser)
        invitation(extra)

    with django_assert_max_num_queries(len(few)):
        assert "Extra 10" in client.get(url).content.decode()


def test_the_announcements_page_runs_the_same_queries_for_1_or_15_announcements(
    own_organiser, programme, django_assert_max_num_queries
):
    client = _client(own_organiser)
    url = reverse("admin:members_announcement_programme", args=[programme.pk])
    MembershipFactory(programme=programme)

    def announce(n):
        services.announcement_send(
            programme=programme, subject=f"News {n}", body="Hello", nonce=f"n{n}", by=own_organiser
        )

    announce(0)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(1, 15):
        announce(n)

    with django_assert_max_num_queries(len(few)):
        assert "News 14" in client.get(url).content.decode()
    assert Announcement.objects.count() == 15


def test_the_report_of_a_large_import_shows_the_first_rows_and_the_count(own_organiser, programme):
    reading = read_pasted("\n".join(f"p{n}@example.org" for n in range(120)))
    invitation_import = services.invitation_import_create(
        programme=programme, reading=reading, source="pasted", by=own_organiser
    )

    body = (
        _client(own_organiser)
        .get(reverse("admin:members_invitation_import", args=[invitation_import.pk]))
        .content.decode()
    )

    assert "The first 50 of 120" in body and "and 70 more" in body
    assert "Send 120 invitations" in body


def test_an_invitation_declined_for_good_shows_no_link_date(own_organiser, programme):
    from members.invitations.models import InvitationOptOut

    declined = invitation(programme, "rosa@example.net")
    waiting = invitation(programme, "harriet@example.net")
    InvitationOptOut.objects.create(email_hash=email_hash("rosa@example.net"))

    body = (
        _client(own_organiser)
        .get(reverse("admin:members_invitation_programme", args=[programme.pk]))
        .content.decode()
    )

    rows = {
        email: body.split(email, 1)[1].split("</tr>", 1)[0]
        for email in ("rosa@example.net", "harriet@example.net")
    }
    assert "Asked not to be invited" in rows["rosa@example.net"]
    assert f"{declined.expires_at:%-d %b %Y}" not in rows["rosa@example.net"]
    assert f"{waiting.expires_at:%-d %b %Y}" in rows["harriet@example.net"]


def test_an_invitee_who_joined_is_named_by_their_profile_where_no_name_was_given(
    programme, own_organiser
):
    # Walk 43: "(no name given)" beside "Joined" for an address that had an account.
    joined = UserFactory(email="eilidh@example.org", profile__display_name="Eilidh MacLeod")
    UserFactory(email="nell@example.org", profile__display_name="Nell Notyet")
    invitation(programme, "eilidh@example.org")
    invitation(programme, "nell@example.org")
    MembershipFactory(user=joined, programme=programme)
    client = Client()
    client.force_login(own_organiser)

    page = client.get(
        reverse("admin:members_invitation_programme", args=[programme.pk])
    ).content.decode()

    assert "<td>Eilidh MacLeod</td>" in page
    assert "Nell Notyet" not in page  # not a member of the programme: not named
    assert page.count("(no name given)") == 1
