"""An invitation from the invitee's side: the email (to an address with no account, with
"never invite me again" in one click), the signed link (tampered, expired, used by
someone else), sign-up with the address filled in, landing on the join page, and the
states the organiser sees (sent, opened sign-up, joined, bounced, expired)."""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.invitations import selectors, services
from members.invitations.mailing import email_hash, invite_token, opt_out_token
from members.invitations.models import Invitation, InvitationOptOut
from members.mailing import bounce_record
from members.models import BouncedEmail, User
from pairing import services as pairing_services
from pairing.models import Membership, MembershipStatus, OutboxEmail, OutboxKind, OutboxStatus
from pairing.outbox import build_message, outbox_send_batch
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.integration.smtp_sink import SmtpSink, _Handler

pytestmark = pytest.mark.django_db
PASSWORD = "analytical-engine-1843"


def invite(programme, email="ada@example.org", *, by=None, name="Ada Lovelace", days=30):
    return Invitation.objects.create(
        programme=programme,
        email=email,
        email_hash=email_hash(email),
        name=name,
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def outbox_for(invitation, number=1):
    return OutboxEmail.objects.create(
        key=f"invitation:{invitation.pk}:{number}",
        kind=OutboxKind.INVITATION,
        address=invitation.email,
        ref=invitation.pk,
    )


def link_path(invitation) -> str:
    return reverse("invitations:accept", args=[invite_token(invitation_id=invitation.pk)])


def state_of(invitation) -> str:
    return selectors.invitations_with_state().get(pk=invitation.pk).state


def signup_data(email="ada@example.org"):
    return {
        "display_name": "Ada Lovelace",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_code_of_conduct": "on",
        "accept_privacy": "on",
    }


# --- The email ------------------------------------------------------------------------


def test_the_invitation_goes_to_the_address_with_the_link_and_a_never_again_header(
    programme, organiser
):
    invitation = invite(programme, by=organiser)
    row = outbox_for(invitation)

    message = build_message(row)

    assert message.to == ["ada@example.org"]
    assert message.subject == f"Olive Organiser invites you to join {programme.name}"
    assert "Hello Ada Lovelace," in message.body
    assert "/invitations/" in message.body
    never = message.extra_headers["List-Unsubscribe"]
    assert "/invitations/never/" in never
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "To stop invitations to join a programme: http" in message.body
    assert "/invitations/never/" in message.alternatives[0].content


def test_the_outbox_sends_it_to_the_address_once(programme, mailoutbox):
    row = outbox_for(invite(programme))

    outbox_send_batch(ids=[row.pk])
    outbox_send_batch(ids=[row.pk])

    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_never_invite_me_again_in_one_click_stops_later_invitations(client, programme, mailoutbox):
    first = invite(programme)
    other = ProgrammeFactory(name="Search review")
    token = opt_out_token("ADA@example.org ")

    response = Client(enforce_csrf_checks=True).post(
        reverse("invitations:opt_out", args=[token]), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert InvitationOptOut.objects.filter(email_hash=email_hash("ada@example.org")).exists()
    assert state_of(first) == selectors.State.DECLINED
    row = outbox_for(invite(other))
    outbox_send_batch(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "Not sent: the address asked never to be invited"
    assert mailoutbox == []


def test_opening_the_never_again_link_only_asks_and_undo_allows_invitations(client):
    url = reverse("invitations:opt_out", args=[opt_out_token("ada@example.org")])

    page = client.get(url)
    assert "Never invite me again" in page.content.decode()
    assert not InvitationOptOut.objects.exists()

    client.post(url)
    client.post(url, {"action": "undo"})
    assert not InvitationOptOut.objects.exists()


def test_the_opt_out_keeps_a_hash_never_the_address(client):
    client.post(reverse("invitations:opt_out", args=[opt_out_token("ada@example.org")]))

    (row,) = InvitationOptOut.objects.values_list("email_hash", flat=True)
    assert "ada" not in row and len(row) == 64


def test_a_tampered_never_again_link_is_refused_in_words(client):
    token = opt_out_token("ada@example.org")

    response = client.post(reverse("invitations:opt_out", args=[token[:-2] + "xx"]))

    assert response.status_code == 400
    assert "not complete or has been changed" in response.content.decode()
    assert not InvitationOptOut.objects.exists()


# --- The link -------------------------------------------------------------------------


def test_the_link_opens_sign_up_with_the_address_and_name_filled_in(client, programme):
    invitation = invite(programme)

    response = client.get(link_path(invitation))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"Sign up to join {programme.name}" in body
    assert 'value="ada@example.org"' in body
    assert 'value="Ada Lovelace"' in body
    assert state_of(invitation) == selectors.State.SENT  # a link scanner's GET changes nothing


def test_a_tampered_link_is_a_404(client, programme):
    token = invite_token(invitation_id=invite(programme).pk)

    response = client.get(reverse("invitations:accept", args=[token[:-3] + "abc"]))

    assert response.status_code == 404


def test_a_link_naming_another_invitation_by_a_forged_payload_is_a_404(client, programme):
    forged = signing.dumps({"i": invite(programme).pk}, salt="something-else")

    assert client.get(reverse("invitations:accept", args=[forged])).status_code == 404


def test_a_link_older_than_the_expiry_says_so(client, programme, settings):
    invitation = invite(programme)
    token = invite_token(invitation_id=invitation.pk)

    later = time.time() + (settings.INVITATION_EXPIRY_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(reverse("invitations:accept", args=[token]))

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_an_expired_invitation_says_so_and_points_to_the_open_programme(client, programme):
    invitation = invite(programme, days=-1)

    response = client.get(link_path(invitation))

    body = response.content.decode()
    assert response.status_code == 410
    assert "ask the organiser who invited you to send it again" in body
    assert reverse("pairing:programme_detail", args=[programme.slug]) in body
    assert state_of(invitation) == selectors.State.EXPIRED


def test_a_link_opened_while_logged_in_as_someone_else_is_a_404(other_client, programme):
    invitation = invite(programme)

    response = other_client.get(link_path(invitation))

    assert response.status_code == 404
    assert state_of(invitation) == selectors.State.SENT


def test_the_invitee_logged_in_already_goes_to_the_join_page(programme):
    invitation = invite(programme, email="ada@example.org")
    client = Client()
    client.force_login(UserFactory(email="ada@example.org"))

    response = client.get(link_path(invitation))

    assert response.url == reverse("pairing:programme_detail", args=[programme.slug])
    assert not Membership.objects.exists()  # joining stays their own action


def test_someone_with_an_account_is_sent_to_log_in_then_to_the_join_page(
    client, programme, mailoutbox
):
    UserFactory(email="ada@example.org")  # e.g. a member of another programme
    invitation = invite(programme, email="ada@example.org")
    join_url = reverse("pairing:programme_detail", args=[programme.slug])

    response = client.get(link_path(invitation), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0].split("?")[0].endswith("/login/")
    assert "You already have an account: log in to join" in page
    assert 'value="ada@example.org"' in page
    assert 'name="password"' in page and "Sign up to join" not in page
    logged_in = client.post(
        response.redirect_chain[-1][0],
        {"login": "ada@example.org", "password": "correct horse battery"},
    )
    assert logged_in.status_code == 302
    assert logged_in.url == join_url
    assert mailoutbox == []  # no "an account already exists" email
    assert not Membership.objects.exists()


def test_sign_up_from_the_link_verify_and_land_on_the_join_page_not_enrolled(client, programme):
    invitation = invite(programme)

    response = client.post(link_path(invitation), signup_data())

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert state_of(invitation) == selectors.State.OPENED
    code = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    verified = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert verified.url == reverse("pairing:programme_detail", args=[programme.slug])
    page = client.get(verified.url)
    assert page.status_code == 200
    assert not Membership.objects.exists()

    client.post(verified.url, {})
    assert Membership.objects.get().user.email == "ada@example.org"
    assert state_of(invitation) == selectors.State.JOINED


def test_sign_up_from_a_forwarded_link_with_another_address_is_not_the_invitee(client, programme):
    invitation = invite(programme)

    client.post(link_path(invitation), signup_data(email="colleague@example.org"))

    assert User.objects.filter(email="colleague@example.org").exists()
    assert state_of(invitation) == selectors.State.SENT


def test_a_rejected_sign_up_keeps_what_was_typed(client, programme):
    data = {**signup_data(), "password2": "something else entirely"}

    response = client.post(link_path(invite(programme)), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ada Lovelace"' in body and 'value="ada@example.org"' in body


# --- States ---------------------------------------------------------------------------


def test_a_member_who_left_before_the_invitation_has_not_joined_until_they_rejoin(programme):
    ada = UserFactory(email="ada@example.org")
    MembershipFactory(
        user=ada,
        programme=programme,
        status=MembershipStatus.LEFT,
        left_at=timezone.now() - dt.timedelta(days=90),
    )
    invitation = invite(programme)
    assert state_of(invitation) == selectors.State.SENT

    pairing_services.membership_join(user=ada, programme=programme)

    assert state_of(invitation) == selectors.State.JOINED


def test_a_bounced_address_reads_bounced(programme):
    invitation = invite(programme)

    bounce_record(email="Ada@example.org", kind="bounced", detail="550", source="mailgun")

    assert state_of(invitation) == selectors.State.BOUNCED


class _Refusing(_Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 mailbox unavailable"


def test_a_permanent_refusal_at_send_marks_the_invitation_bounced(settings, programme):
    invitation = invite(programme)
    row = outbox_for(invitation)
    sink = SmtpSink()
    sink._controller.handler = _Refusing(sink)
    with sink:
        settings.MAILERS = sink.mailers()
        outbox_send_batch(ids=[row.pk])

    assert BouncedEmail.objects.filter(email="ada@example.org").exists()
    assert state_of(invitation) == selectors.State.BOUNCED


def test_pending_counts_sent_and_opened_not_expired_joined_or_bounced(programme):
    other = ProgrammeFactory(name="Other")
    invite(programme, "a@example.org")
    opened = invite(programme, "b@example.org")
    Invitation.objects.filter(pk=opened.pk).update(signed_up_at=timezone.now())
    invite(programme, "c@example.org", days=-1)
    invite(programme, "d@example.org")
    bounce_record(email="d@example.org", kind="bounced", detail="", source="smtp")
    invite(programme, "e@example.org")
    MembershipFactory(user=UserFactory(email="e@example.org"), programme=programme)
    invite(other, "a@example.org")
    quiet = ProgrammeFactory(name="Quiet")

    assert selectors.invitations_pending([programme.pk, other.pk, quiet.pk]) == {
        programme.pk: 2,
        other.pk: 1,
    }


def test_resend_once_with_a_fresh_expiry_then_refused(programme):
    invitation = invite(programme, days=-1)
    outbox_for(invitation)

    services.invitation_resend(invitation=selectors.invitations_with_state().get())

    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=29)
    assert OutboxEmail.objects.filter(key=f"invitation:{invitation.pk}:2").exists()
    with pytest.raises(services.InvitationError, match="once is the limit"):
        services.invitation_resend(invitation=selectors.invitations_with_state().get())
    assert OutboxEmail.objects.count() == 2


def test_a_joined_invitation_is_not_resent(programme):
    invitation = invite(programme)
    MembershipFactory(user=UserFactory(email="ada@example.org"), programme=programme)

    with pytest.raises(services.InvitationError, match="no answer yet"):
        services.invitation_resend(invitation=selectors.invitations_with_state().get())
    assert not OutboxEmail.objects.filter(key=f"invitation:{invitation.pk}:2").exists()


def test_what_the_organiser_gave_starts_the_profile_and_the_page_says_so(client, programme):
    invitation = invite(programme)
    Invitation.objects.filter(pk=invitation.pk).update(
        organisation="Analytical Library", sector="health", region="north-west"
    )

    page = client.get(link_path(invitation)).content.decode()
    client.post(link_path(invitation), signup_data())

    assert "(Analytical Library, Health / NHS, North West England)" in page
    profile = User.objects.get(email="ada@example.org").profile
    assert (profile.organisation, profile.sector, profile.region) == (
        "Analytical Library",
        "health",
        "north-west",
    )
    assert profile.display_name == "Ada Lovelace"
