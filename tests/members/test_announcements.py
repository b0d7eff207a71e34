"""Announcements: an organiser writes to a programme's active members, sees a preview
and the count, sends once; each email can be stopped in one click; past ones listed."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.invitations import selectors, services
from members.invitations.forms import message_digest
from members.invitations.models import Announcement
from members.mailing import unsubscribe_token
from members.models import EmailCategory, EmailOptOut
from pairing.models import MembershipStatus, OutboxEmail, OutboxKind, OutboxStatus
from pairing.outbox import build_message, outbox_send_batch
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
SUBJECT = "Summer social"
BODY = "We meet in Leeds on 3 July.\n\nBring a friend."


@pytest.fixture
def cohort(programme):
    today = timezone.localdate()
    people = {
        "active": UserFactory(email="active@example.org", profile__display_name="Active Anna"),
        "paused": UserFactory(email="paused@example.org"),
        "pause over": UserFactory(email="back@example.org"),
        "left": UserFactory(email="left@example.org"),
        "stopped": UserFactory(email="stopped@example.org"),
        "elsewhere": UserFactory(email="elsewhere@example.org"),
    }
    MembershipFactory(user=people["active"], programme=programme)
    MembershipFactory(
        user=people["paused"],
        programme=programme,
        status=MembershipStatus.PAUSED,
        paused_until=today + dt.timedelta(days=20),
    )
    MembershipFactory(
        user=people["pause over"],
        programme=programme,
        status=MembershipStatus.PAUSED,
        paused_until=today,
    )
    MembershipFactory(user=people["left"], programme=programme, status=MembershipStatus.LEFT)
    MembershipFactory(user=people["stopped"], programme=programme)
    EmailOptOut.objects.create(user=people["stopped"], category=EmailCategory.ANNOUNCEMENTS)
    MembershipFactory(user=people["elsewhere"], programme=ProgrammeFactory(name="Other"))
    return people


def url_new(programme):
    return reverse("admin:members_announcement_new", args=[programme.pk])


def preview(client, programme, subject=SUBJECT, body=BODY):
    return client.post(url_new(programme), {"subject": subject, "body": body, "action": "preview"})


def send(client, programme, nonce="abc", subject=SUBJECT, body=BODY, previewed=None):
    return client.post(
        url_new(programme),
        {
            "subject": subject,
            "body": body,
            "nonce": nonce,
            "previewed": previewed or message_digest(SUBJECT, BODY),
            "action": "send",
        },
    )


def test_the_preview_shows_the_message_and_the_count_and_sends_nothing(
    organiser_client, programme, cohort
):
    response = preview(organiser_client, programme)

    body = response.content.decode()
    assert "Goes by email to <strong>2</strong> active members" in body
    assert "1 other stopped announcements" in body
    assert "<p>We meet in Leeds on 3 July.</p>" in body
    assert "Send to 2 members" in body
    assert not Announcement.objects.exists() and not OutboxEmail.objects.exists()


def test_send_writes_one_email_per_active_member_once(organiser_client, programme, cohort):
    send(organiser_client, programme)
    again = send(organiser_client, programme)

    rows = OutboxEmail.objects.filter(kind=OutboxKind.ANNOUNCEMENT)
    assert sorted(rows.values_list("user__email", flat=True)) == [
        "active@example.org",
        "back@example.org",
    ]
    announcement = Announcement.objects.get()
    assert announcement.recipients == 2 and announcement.subject == SUBJECT
    assert set(rows.values_list("ref", flat=True)) == {announcement.pk}
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any(m.endswith("was sent already, once, to 2 members.") for m in messages)


def test_a_message_changed_after_the_preview_is_shown_again_not_sent(
    organiser_client, programme, cohort
):
    response = send(organiser_client, programme, body=BODY + " Edited.")

    assert response.status_code == 200
    assert "The message changed since the preview: check it again." in response.content.decode()
    assert "Edited." in response.content.decode()
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    ("subject", "body", "words"),
    [("", BODY, "Subject: Write a subject."), (SUBJECT, "  ", "Message: Write a message.")],
)
def test_an_empty_field_is_refused_in_words_keeping_the_rest(
    organiser_client, programme, subject, body, words
):
    response = preview(organiser_client, programme, subject=subject, body=body)

    page = response.content.decode()
    assert words in page
    assert (subject or "We meet in Leeds") in page
    # Beside its field too, not only in the summary (walk 29), and the field says so.
    field, message = words.split(": ")
    name = {"Subject": "subject", "Message": "body"}[field]
    row = re.search(rf'<div class="form-row errors">.*?name="{name}"[^>]*>', page, re.S).group(0)
    assert f'<ul class="errorlist" id="id_{name}_error"><li>{message}</li></ul>' in row
    assert 'aria-invalid="true"' in row


def test_the_email_greets_by_name_and_carries_a_one_click_stop(programme, cohort, organiser):
    services.announcement_send(
        programme=programme, subject=SUBJECT, body=BODY, nonce="n", by=organiser
    )
    row = OutboxEmail.objects.get(user=cohort["active"])

    message = build_message(row)

    assert message.subject == f"{SUBJECT} \u2014 {programme.name}"
    assert message.to == ["active@example.org"]
    assert "Hello Active Anna," in message.body and "Bring a friend." in message.body
    assert "Olive Organiser, for the organisers of" in message.body
    assert "/email/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "To stop announcements from your programmes' organisers: http" in message.body


def test_one_click_stop_means_the_next_announcement_is_not_sent(
    programme, cohort, organiser, mailoutbox
):
    token = unsubscribe_token(user_id=cohort["active"].pk, category=EmailCategory.ANNOUNCEMENTS)
    Client().post(reverse("email:unsubscribe", args=[token]))

    services.announcement_send(
        programme=programme, subject="Next", body="x", nonce="2", by=organiser
    )

    assert not OutboxEmail.objects.filter(user=cohort["active"]).exists()
    assert selectors.announcement_recipients(programme).count() == 1


def test_a_member_who_stops_between_send_and_delivery_is_not_sent_it(
    programme, cohort, organiser, mailoutbox
):
    services.announcement_send(programme=programme, subject="S", body="B", nonce="3", by=organiser)
    EmailOptOut.objects.create(user=cohort["active"], category=EmailCategory.ANNOUNCEMENTS)
    row = OutboxEmail.objects.get(user=cohort["active"])

    outbox_send_batch(ids=[row.pk])

    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert "unsubscribed from announcements" in row.last_error


def test_past_announcements_are_listed_with_their_delivery(
    organiser_client, programme, cohort, organiser, mailoutbox
):
    services.announcement_send(
        programme=programme, subject="First news", body="B", nonce="1", by=organiser
    )
    outbox_send_batch(ids=list(OutboxEmail.objects.values_list("pk", flat=True)))

    body = organiser_client.get(
        reverse("admin:members_announcement_programme", args=[programme.pk])
    ).content.decode()

    assert "First news" in body
    assert "2 sent" in body
    assert "Olive Organiser" in body


def test_the_subject_names_the_programme_once_after_the_subject(programme, cohort, organiser):
    programme.name = "North West health librarians: coffee chats"
    programme.save()
    services.announcement_send(
        programme=programme, subject="December chats", body=BODY, nonce="n", by=organiser
    )

    message = build_message(OutboxEmail.objects.get(user=cohort["active"]))

    assert message.subject == ("December chats \u2014 North West health librarians: coffee chats")


def test_the_preview_shows_the_subject_and_footer_members_will_see(
    organiser_client, programme, cohort
):
    body = preview(organiser_client, programme).content.decode()

    assert f"<strong>Subject:</strong> {SUBJECT} \u2014 {programme.name}" in body
    programme_url = reverse("pairing:programme_detail", args=[programme.slug])
    assert f'<a href="{programme_url}">{programme.name}</a>' in body
    assert "Don't want announcements from your programmes' organisers?" in html.unescape(body)
    assert "Unsubscribe from these emails" in body
    assert "Olive Organiser, for the organisers of" in body


def test_links_in_the_message_are_links_in_the_html_email_and_markup_stays_text(
    programme, cohort, organiser
):
    text = "Book at https://example.org/book?a=1&b=2 now.\n\n<b>bold</b> <script>x</script>"
    services.announcement_send(
        programme=programme, subject=SUBJECT, body=text, nonce="u", by=organiser
    )

    message = build_message(OutboxEmail.objects.get(user=cohort["active"]))

    part = message.alternatives[0].content
    assert '<a href="https://example.org/book?a=1&amp;b=2" rel="nofollow">' in part
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;" in part
    assert "<script>" not in part and "<b>bold" not in part
    assert "https://example.org/book?a=1&b=2" in message.body  # the text part as written


def test_a_sent_announcement_can_be_read_as_members_got_it(
    organiser_client, programme, cohort, organiser
):
    announcement, _ = services.announcement_send(
        programme=programme,
        subject="First news",
        body="We meet on 3 July.\n\nSee https://example.org/july",
        nonce="1",
        by=organiser,
    )
    listing = organiser_client.get(
        reverse("admin:members_announcement_programme", args=[programme.pk])
    ).content.decode()
    detail_url = reverse("admin:members_announcement_detail", args=[announcement.pk])
    assert f'<a href="{detail_url}">First news</a>' in listing

    page = organiser_client.get(detail_url).content.decode()

    assert "<p>We meet on 3 July.</p>" in page
    assert '<a href="https://example.org/july" rel="nofollow">' in page
    assert "to 2 members: 0 sent, 2 waiting." in page
    assert "Unsubscribe from these emails" in page


def test_the_organiser_home_links_each_programme_to_its_announcements(organiser_client, programme):
    page = organiser_client.get(reverse("admin:index")).content.decode()

    url = reverse("admin:members_announcement_programme", args=[programme.pk])
    assert f'<a href="{url}">Write one, or read those sent<span class="visually-hidden"> to' in page
    changelist = reverse("admin:members_invitation_changelist")
    assert f'<a href="{changelist}">Invitations and announcements</a></p>' in page
