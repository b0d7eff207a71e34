"""Walk 21: the account journeys' emails and pages, in the site's words: an email change
(its code, its page, the old address told), password reset and change, the "account
already exists" email, and each error shown once, in the summary."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.members.test_signup import SIGNUP, _code_from

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
NEW_PASSWORD = "a-much-longer-passphrase-7"


def _main(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def _change_email(client, new: str):
    return client.post(reverse("account_email"), {"email": new, "action_add": ""}, follow=True)


def test_the_code_for_a_new_address_does_not_talk_of_signing_up(member_client):
    _change_email(member_client, "ada.new@example.org")

    (message,) = mail.outbox
    assert message.to == ["ada.new@example.org"]
    assert "Someone asked to use this email address for an account on" in message.body
    assert "sign up" not in message.body and "signed up" not in message.body
    assert _code_from(message)


def test_the_code_page_for_an_email_change_does_not_say_sign_up_again(member_client):
    response = _change_email(member_client, "ada.new@example.org")

    page = _main(response)
    assert "Enter the code we emailed you" in page
    assert "sign up again" not in page
    assert 'press "Cancel" and enter the right one' in page
    assert "Your account keeps its current address until you enter the code." in page


def test_the_code_page_after_signing_up_keeps_its_words_and_names_the_organisers(client, settings):
    settings.ORGANISERS_EMAIL = "organisers@example.org"

    response = client.post(reverse("account_signup"), SIGNUP, follow=True)

    page = _main(response)
    assert "sign up again with the right one" in page
    assert "keeps its current address" not in page
    assert "Write to the organisers at organisers@example.org" in page


def test_a_member_whose_address_another_asks_for_can_ignore_the_code(member_client, other_member):
    _change_email(member_client, other_member.email)

    (message,) = mail.outbox
    assert message.to == [other_member.email]
    assert "Someone asked to use this email address for an account on" in message.body
    assert "If it was not you, you can ignore this email" in message.body
    assert "sign up" not in message.body
    assert "Ada" not in message.body and "ada@example.org" not in message.body


def test_the_old_address_is_told_when_the_email_changes(member_client, member, settings):
    settings.ORGANISERS_EMAIL = "organisers@example.org"
    _change_email(member_client, "ada.new@example.org")
    code = _code_from(mail.outbox[0])

    member_client.post(reverse("account_email_verification_sent"), {"code": code})

    notices = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert len(notices) == 1
    assert notices[0].subject.endswith("Email address changed")
    body = notices[0].body
    assert "has changed from ada@example.org to ada.new@example.org" in body
    assert "write to the organisers at organisers@example.org" in body
    assert "You are receiving this mail" not in body


def test_a_password_change_sends_a_notice_in_the_site_words(member_client, member):
    member_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject.endswith("Password changed")
    assert "The password of your account on" in message.body
    assert "choose a new password straight away" in message.body
    assert "recognize" not in message.body


def test_the_password_reset_page_is_in_sentence_case_with_a_real_contact(client, settings):
    settings.ORGANISERS_EMAIL = "organisers@example.org"

    page = _main(client.get(reverse("account_reset_password")))

    assert "Reset my password" in page
    assert "Reset My Password" not in page
    assert "contact us" not in page.lower()
    assert "Write to the organisers at organisers@example.org" in page


def test_the_reset_email_sent_page_says_what_to_do_if_nothing_comes(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email}, follow=True)

    page = _main(response)
    assert "<h1>\n        Check your email\n    </h1>" in page
    assert "contact us" not in page.lower()
    assert "The email has not arrived?" in page


def test_the_password_changed_page_links_to_log_in(client):
    page = _main(client.get(reverse("account_reset_password_from_key_done")))

    assert "Your password has been changed" in page
    assert f'href="{reverse("account_login")}">Log in with your new password</a>' in page


def test_signing_up_again_with_a_known_address_sends_our_own_words(client, member):
    client.post(reverse("account_signup"), {**SIGNUP, "email": member.email})

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "tried to sign up to" in message.body
    assert "You already have an account with this address" in message.body
    assert "signup" not in message.body
    assert reverse("account_login") in message.body


def test_a_wrong_password_at_login_is_shown_once(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})

    page = _main(response)
    assert "There is a problem" in page
    assert page.count("you specified are not correct") == 1


def test_a_changed_password_goes_back_to_the_dashboard_with_the_news(member_client):
    """Walk 29: the form came back, emptied, under "Password successfully changed."."""
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("members:dashboard")
    assert "Password successfully changed." in _main(response)


def test_a_wrong_current_password_gets_the_error_summary(member_client):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    page = _main(response)
    assert 'id="error-summary"' in page
    assert "There is a problem" in page
    assert 'href="#id_oldpassword">Current password: That is not your current password.' in page
    assert "Please type your current password" not in page
    assert "<title>Error: " in response.content.decode()


def test_the_password_reset_email_is_in_the_site_words(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})

    (message,) = mail.outbox
    assert message.subject.endswith("Choose a new password")
    assert "asked to reset the password of your account on" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "You're receiving this email" not in message.body


def test_a_reset_for_an_unknown_address_suggests_another_address(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    (message,) = mail.outbox
    assert message.subject.endswith("No account uses this address")
    assert "but no account uses it" in message.body
    assert "Perhaps you signed up with another address" in message.body
    assert "in our database" not in message.body


def test_the_email_page_has_the_error_summary_and_no_colons(member_client):
    """Walk 29: the email page had neither the summary every other form has, nor the
    site's labels without a trailing colon."""
    response = member_client.post(reverse("account_email"), {"action_add": "", "email": ""})

    page = _main(response)
    assert 'id="error-summary"' in page
    assert 'href="#id_email">Change to: Enter the new email address.' in page
    # Beside the box too, which is marked invalid and described by it (walk 30).
    box = re.search(r"<input[^>]*id=\"id_email\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in box and "id_email_error" in box
    assert "<title>Error: " in response.content.decode()
    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    assert [" ".join(label.split()) for label in labels] == ["Current email", "Change to"]
