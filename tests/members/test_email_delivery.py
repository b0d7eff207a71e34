"""Email that reaches inboxes: List-Unsubscribe on the emails a member can stop (none on
replies or introductions), the one-click endpoint, opted-out kinds and bounced addresses
not sent (and marked), permanent SMTP refusals recorded, the banner until it is fixed."""

from __future__ import annotations

import datetime as dt
import email.policy
import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import signing
from django.test import Client

from members.mailing import bounce_record, unsubscribe_token
from members.models import BouncedEmail, BounceKind, EmailCategory, EmailOptOut, User
from members.services import member_delete, member_export
from pairing.models import OutboxKind, OutboxStatus
from pairing.outbox import build_message, outbox_send_batch
from pairing.outbox.consent import KIND_CATEGORY
from tests.factories import UserFactory
from tests.integration.smtp_sink import SmtpSink, _Handler
from tests.members.test_invitation_links import invite, outbox_for
from tests.pairing.test_emails import make_intro, make_outbox

pytestmark = pytest.mark.django_db


def one_click_url(message) -> str:
    first = message.extra_headers["List-Unsubscribe"].split(",")[0].strip()
    return first.removeprefix("<").removesuffix(">").split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def jan(db):
    return UserFactory(email="jan@example.org", profile__display_name="Jan Kowalski")


@pytest.fixture
def notice(programme, member):
    return make_outbox(OutboxKind.NOTICE, programme, member)


# --- Headers --------------------------------------------------------------------------


def test_a_round_notice_carries_one_click_unsubscribe_headers(notice):
    message = build_message(notice)

    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url, mailto = message.extra_headers["List-Unsubscribe"].split(", ")
    assert url.startswith("<http") and "/email/unsubscribe/" in url
    assert mailto.startswith("<mailto:") and mailto.endswith(">")
    # The organisers who get that email read its subject: words, never the member's id.
    assert mailto.endswith("?subject=Unsubscribe%20me%20from%20Round%20and%20cycle%20notices>")


def sent_header_lines(message, name: str) -> list[str]:
    """The header as the SMTP backend writes it (email.policy.SMTP), with its folded
    continuation lines."""
    raw = message.message(policy=email.policy.SMTP).as_bytes().decode()
    lines = raw.split("\r\n\r\n", 1)[0].split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return lines[start:end]


def test_the_unsubscribe_header_goes_out_as_plain_urls_that_providers_read(
    notice, programme, organiser
):
    # Python folds a word wider than 78 characters into RFC 2047 encoded words
    # ("=?utf-8?q?=3Chttp..."), which providers do not read as a List-Unsubscribe URL.
    invitation = build_message(outbox_for(invite(programme, by=organiser)))
    for message, path in ((build_message(notice), "/email/unsubscribe/"), (invitation, "/never/")):
        lines = sent_header_lines(message, "List-Unsubscribe")

        assert lines[0].startswith("List-Unsubscribe: <http") and path in lines[0]
        assert lines[0].endswith(">,") and lines[1].startswith(" <mailto:")
        assert "=?" not in "".join(lines)
        assert all(len(line) < 998 for line in lines)


def test_the_same_link_is_visible_at_the_foot_of_the_email(notice):
    message = build_message(notice)
    url = message.extra_headers["List-Unsubscribe"].split(",")[0].strip("<> ")

    assert f"To stop round and cycle notices: {url}" in message.body
    assert url.replace("&", "&amp;") in message.alternatives[0].content


def test_every_email_to_one_member_about_the_service_has_a_category():
    # An invitation goes to someone with no account: its one-click link is "never invite
    # me again" (tests/members/test_invitation_links.py).
    member_kinds = set(OutboxKind.values) - {
        OutboxKind.INTRO,
        OutboxKind.SET_NOTICE,
        OutboxKind.INVITATION,
    }

    assert set(KIND_CATEGORY) == member_kinds


def test_the_introduction_to_a_group_carries_no_unsubscribe_header(programme, member, jan):
    message = build_message(make_intro(programme, [member, jan]))

    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers


def test_replies_to_a_members_own_action_carry_no_unsubscribe_header(client, member, mailoutbox):
    client.post("/accounts/password/reset/", {"email": member.email})

    assert len(mailoutbox) == 1
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers


# --- One click --------------------------------------------------------------------------


def test_one_click_post_unsubscribes_without_login_or_csrf(notice, member):
    url = "/" + one_click_url(build_message(notice))
    client = Client(enforce_csrf_checks=True)

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=member, category=EmailCategory.NOTICES).exists()


def test_opening_the_link_only_asks_and_the_button_unsubscribes(client, member):
    url = f"/email/unsubscribe/{unsubscribe_token(user_id=member.pk, category='reminders')}/"

    page = client.get(url)
    assert b"<form" in page.content and b"Unsubscribe" in page.content
    assert not EmailOptOut.objects.exists()

    client.post(url, {"action": "unsubscribe"})
    assert EmailOptOut.objects.filter(user=member, category="reminders").exists()


def test_the_confirmation_offers_to_subscribe_again(client, member):
    url = f"/email/unsubscribe/{unsubscribe_token(user_id=member.pk, category='notices')}/"
    client.post(url)

    client.post(url, {"action": "resubscribe"})

    assert not EmailOptOut.objects.filter(user=member).exists()


def test_a_tampered_unsubscribe_link_is_a_400_page_in_words(client, member):
    token = unsubscribe_token(user_id=member.pk, category="notices")

    response = client.post(f"/email/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert not EmailOptOut.objects.exists()


def test_an_expired_unsubscribe_link_is_a_400_page_saying_it_is_too_old(client, member):
    long_ago = time.time() - dt.timedelta(days=400).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = unsubscribe_token(user_id=member.pk, category="notices")

    response = client.post(f"/email/unsubscribe/{token}/")

    assert response.status_code == 400
    assert b"too old" in response.content
    assert not EmailOptOut.objects.exists()


def test_a_link_signed_for_something_else_is_refused(client, member):
    token = signing.dumps({"u": member.pk, "c": "introductions"}, salt="members.unsubscribe")

    assert client.post(f"/email/unsubscribe/{token}/").status_code == 400


def test_members_choose_their_emails_in_their_settings(member_client, member):
    response = member_client.post(
        "/me/emails/", {"receive": ["notices", "updates", "announcements"]}
    )

    assert response.status_code == 302
    assert set(EmailOptOut.objects.values_list("category", flat=True)) == {"reminders"}


# --- Not sent -----------------------------------------------------------------------------


def test_an_unsubscribed_kind_is_not_sent_and_the_row_says_why(notice, member, mailoutbox):
    EmailOptOut.objects.create(user=member, category=EmailCategory.NOTICES)

    outbox_send_batch(ids=[notice.pk])

    notice.refresh_from_db()
    assert mailoutbox == []
    assert notice.status == OutboxStatus.FAILED
    assert notice.last_error == "Not sent: the member unsubscribed from round and cycle notices"


def test_other_categories_still_arrive_after_an_unsubscribe(programme, member, mailoutbox):
    EmailOptOut.objects.create(user=member, category=EmailCategory.REMINDERS)
    notice = make_outbox(OutboxKind.NOTICE, programme, member)

    outbox_send_batch(ids=[notice.pk])

    assert len(mailoutbox) == 1


def test_a_bounced_address_is_skipped_with_the_reason(notice, member, mailoutbox):
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550 gone", source="smtp")

    outbox_send_batch(ids=[notice.pk])

    notice.refresh_from_db()
    assert mailoutbox == []
    assert notice.status == OutboxStatus.FAILED
    assert notice.last_error.startswith("Not sent: ada@example.org bounced")


def test_an_introduction_still_reaches_the_partner_of_a_bounced_member(
    programme, member, jan, mailoutbox
):
    bounce_record(email=jan.email, kind=BounceKind.BOUNCED, detail="550", source="smtp")
    intro = make_intro(programme, [member, jan])

    outbox_send_batch(ids=[intro.pk])

    intro.refresh_from_db()
    assert mailoutbox[0].to == [member.email]
    assert intro.status == OutboxStatus.SENT
    assert "jan@example.org bounced" in intro.last_error


# --- Refused at send time (a real SMTP conversation) ---------------------------------


class _Refusing(_Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("ada@"):
            return "550 5.1.1 <ada@example.org>: mailbox unavailable"
        if address.startswith("busy@"):
            return "452 4.2.2 mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos == ["refuses-content@example.org"]:
            return "554 5.7.1 Message refused by the recipient's policy"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_sink(settings):
    sink = SmtpSink()
    sink._controller.handler = _Refusing(sink)
    with sink:
        settings.MAILERS = sink.mailers()
        yield sink


def test_a_permanent_refusal_at_send_marks_the_bounce_and_later_emails_are_skipped(
    refusing_sink, programme, member
):
    first = make_outbox(OutboxKind.NOTICE, programme, member)

    retry = outbox_send_batch(ids=[first.pk])

    first.refresh_from_db()
    bounce = BouncedEmail.objects.get(email=member.email)
    assert retry == []  # not retried: a 5xx will not change
    assert first.status == OutboxStatus.FAILED
    assert "refused permanently" in first.last_error and "550" in first.last_error
    assert bounce.kind == BounceKind.BOUNCED and bounce.source == "smtp"
    assert "mailbox unavailable" in bounce.detail

    later = make_outbox(OutboxKind.LEFT_OUT, programme, member)
    outbox_send_batch(ids=[later.pk])
    later.refresh_from_db()
    assert later.status == OutboxStatus.FAILED
    assert later.last_error.startswith("Not sent: ada@example.org bounced")
    assert refusing_sink.messages == []


def test_a_temporary_refusal_is_retried_and_marks_no_bounce(refusing_sink, programme):
    busy = UserFactory(email="busy@example.org")
    row = make_outbox(OutboxKind.NOTICE, programme, busy)

    retry = outbox_send_batch(ids=[row.pk])

    row.refresh_from_db()
    assert retry == [row.pk]
    assert row.status == OutboxStatus.PENDING
    assert "452" in row.last_error
    assert not BouncedEmail.objects.exists()


def test_a_5xx_after_the_message_to_one_address_marks_that_address(refusing_sink, programme):
    user = UserFactory(email="refuses-content@example.org")
    row = make_outbox(OutboxKind.NOTICE, programme, user)

    assert outbox_send_batch(ids=[row.pk]) == []

    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and "554" in row.last_error
    assert BouncedEmail.objects.get().email == "refuses-content@example.org"


# --- The banner -------------------------------------------------------------------------


def test_the_banner_shows_until_the_address_is_confirmed_again(member, member_client, mailoutbox):
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550", source="smtp")
    assert b"email-bounce-banner" in member_client.get("/me/").content

    member_client.post("/me/emails/recheck/")
    link = next(line for line in mailoutbox[0].body.splitlines() if "/email/confirm/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert member_client.get(path).status_code == 200
    assert BouncedEmail.objects.exists()  # opening the link changes nothing
    member_client.post(path)

    assert not BouncedEmail.objects.exists()
    assert b"email-bounce-banner" not in member_client.get("/me/").content


def test_the_banner_goes_when_the_member_changes_to_a_working_address(member, member_client):
    bounce_record(email=member.email, kind=BounceKind.COMPLAINED, detail="", source="mailgun")
    assert b"marked as spam" in member_client.get("/me/").content

    User.objects.filter(pk=member.pk).update(email="ada.new@example.org")

    assert b"email-bounce-banner" not in member_client.get("/me/").content


def test_confirming_the_address_through_allauth_also_clears_the_bounce(member):
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550", source="smtp")
    address = EmailAddress.objects.get(user=member, email=member.email)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert not BouncedEmail.objects.exists()


def test_a_tampered_confirm_link_is_a_400_page(client):
    assert client.get("/email/confirm/nonsense/").status_code == 400


def test_organisers_see_bounced_members_in_the_admin(organiser_client, member, other_member):
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550", source="smtp")

    listed = organiser_client.get("/admin/members/bouncedemail/")
    filtered = organiser_client.get("/admin/members/user/?bounced=yes")

    assert b"ada@example.org" in listed.content
    assert b"ada@example.org" in filtered.content
    assert b"grace@example.org" not in filtered.content


# --- My data ----------------------------------------------------------------------------


def test_my_data_lists_the_emails_i_stopped_and_a_bounce(member):
    EmailOptOut.objects.create(user=member, category=EmailCategory.REMINDERS)
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550 gone", source="smtp")

    account = member_export(user=member)["account"]

    assert account["emails_you_stopped"] == ["reminders"]
    assert account["email_problem"][0]["detail"] == "550 gone"


def test_deleting_an_account_forgets_its_bounced_address(member):
    bounce_record(email=member.email, kind=BounceKind.BOUNCED, detail="550", source="smtp")

    member_delete(user=member)

    assert not BouncedEmail.objects.exists()
    assert not EmailOptOut.objects.exists()
