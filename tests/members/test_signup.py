from __future__ import annotations

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import Profile, User

SIGNUP = {
    "display_name": "Ada Lovelace",
    "email": "ada@example.org",
    "password1": "analytical-engine-1843",
    "password2": "analytical-engine-1843",
    "accept_code_of_conduct": "on",
    "accept_privacy": "on",
}
pytestmark = pytest.mark.django_db


def _code_from(message: mail.EmailMessage) -> str:
    match = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_signup_creates_member_with_profile_and_sends_code(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.org")
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Ada Lovelace"
    assert profile.coc_accepted_at and profile.privacy_accepted_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert _code_from(mail.outbox[0])
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_unverified_member_cannot_reach_dashboard(client):
    client.post(reverse("account_signup"), SIGNUP)

    response = client.get(reverse("members:dashboard"))

    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="ada@example.org", verified=True).exists()


def test_entering_the_emailed_code_verifies_and_opens_the_wizard(client):
    client.post(reverse("account_signup"), SIGNUP)
    code = _code_from(mail.outbox[0])

    response = client.post(reverse("account_email_verification_sent"), {"code": code})

    assert response.status_code == 302
    assert response.url == reverse("members:wizard", args=["about"])
    assert EmailAddress.objects.get(email="ada@example.org").verified


def test_wrong_code_is_refused_with_a_message(client):
    client.post(reverse("account_signup"), SIGNUP)

    response = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})

    assert response.status_code == 200
    assert b"That code is not right." in response.content
    # The tab says so too, for a screen reader user who lands back on the page.
    assert b"<title>Error: Enter the code we emailed you" in response.content
    # As on every other form, a summary at the top leads to the field.
    summary = rb'id="error-summary".*?<a href="#id_code">Code: That code is not right\.'
    assert re.search(summary, response.content, re.S)
    # The lockout is announced before it comes (3 wrong codes, allauth's default).
    assert b"After 3 wrong codes in a row this code stops working" in response.content
    assert not EmailAddress.objects.get(email="ada@example.org").verified


def test_the_last_wrong_code_says_the_code_stopped_and_how_to_get_a_new_one(client):
    client.post(reverse("account_signup"), SIGNUP)
    url = reverse("account_email_verification_sent")
    for _ in range(2):
        client.post(url, {"code": "AAAA-AAAA"})

    response = client.post(url, {"code": "AAAA-AAAA"}, follow=True)

    page = html.unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert (
        "That code has stopped working after 3 wrong tries. Log in again in a minute, with "
        "your email address and password, and we will email you a new code."
    ) in page
    assert "Too many attempts" not in page
    # A login refused for too many attempts still says so (the flag went with the code).
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ada@example.org", "password": "nope"})
    again = client.post(reverse("account_login"), {"login": "ada@example.org", "password": "x"})
    assert "Too many attempts in a short time" in html.unescape(again.content.decode())


def test_an_empty_code_says_what_to_enter(client):
    client.post(reverse("account_signup"), SIGNUP)

    response = client.post(reverse("account_email_verification_sent"), {"code": ""})

    assert response.status_code == 200
    assert b"Enter the code from the email we sent you." in response.content
    assert b"<title>Error: Enter the code we emailed you" in response.content
    assert b"This field is required." not in response.content
    # An empty answer is no wrong code: the code still works afterwards.
    code = _code_from(mail.outbox[0])
    done = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert done.status_code == 302 and EmailAddress.objects.get(email="ada@example.org").verified


def test_resend_sends_a_fresh_code(client, settings):
    # The one-per-10-seconds resend limit is tested by allauth; here we need a second send.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_signup"), SIGNUP)
    first = _code_from(mail.outbox[0])

    client.post(reverse("account_email_verification_sent"), {"action": "resend"})

    assert len(mail.outbox) == 2
    assert _code_from(mail.outbox[1]) != first


def _flashes(response) -> list[str]:
    return [m.message for m in response.context["messages"]]


def test_the_code_page_says_once_that_a_code_was_sent(client):
    # Walk 38: allauth's "Confirmation email sent to ..." stood above the page's own
    # "We've sent a code to ...", the same news twice in different words.
    response = client.post(reverse("account_signup"), SIGNUP, follow=True)

    assert response.request["PATH_INFO"] == reverse("account_email_verification_sent")
    assert _flashes(response) == []
    body = response.content.decode()
    assert "Confirmation email sent" not in body
    assert body.count("sent a code to") == 1


def test_a_resent_code_is_confirmed_above_the_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_signup"), SIGNUP)

    response = client.post(
        reverse("account_email_verification_sent"), {"action": "resend"}, follow=True
    )

    assert len(mail.outbox) == 2
    assert _flashes(response) == [
        "We've sent a new code to ada@example.org. Use the code in the newest email."
    ]


def test_logging_in_unconfirmed_sends_a_code_without_a_second_notice(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": SIGNUP["password1"]},
        follow=True,
    )

    assert response.request["PATH_INFO"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert _flashes(response) == []


def test_verification_page_explains_what_to_do_when_no_email_arrives(client):
    client.post(reverse("account_signup"), SIGNUP)

    response = client.get(reverse("account_email_verification_sent"))

    assert b"The email has not arrived?" in response.content
    assert b"spam" in response.content
    assert b"<title>Enter the code we emailed you " in response.content
    assert re.search(rb"<h1>\s*Enter the code we emailed you\s*</h1>", response.content)
    # The site's style: sentence case (locale/en_GB) and labels without a colon.
    assert b"Code</label>" in response.content and b"Code:" not in response.content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"accept_code_of_conduct": ""}, "Please accept the code of conduct to join."),
        ({"accept_privacy": ""}, "Please confirm you have read the privacy notice."),
        ({"password2": "something-else-entirely"}, "You must type the same password each time."),
        ({"password1": "abc", "password2": "abd"}, "You must type the same password each time."),
        ({"password1": "abc", "password2": "abd"}, "This password is too short."),
        ({"display_name": "   "}, "Enter your name as you would like others to see it."),
        ({"display_name": "x" * 81}, "Keep this to at most 80 characters (it has 81)."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_bad_signup_reshows_the_form_with_a_message_and_keeps_input(client, changes, message):
    data = {**SIGNUP, **changes}

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    if "email" not in changes:
        assert 'value="ada@example.org"' in response.content.decode()
    assert not User.objects.filter(email="ada@example.org").exists()


def test_signing_up_with_a_registered_email_looks_the_same_as_a_new_one(client, member):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": member.email})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=member.email).count() == 1
    assert mail.outbox[0].to == [member.email]  # the owner is told; the page says nothing


def test_password_reset_page_is_the_same_for_unknown_and_known_emails(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_login_with_email_and_password_reaches_the_dashboard(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.url == reverse("members:dashboard")


def _login_before_the_wizard_is_done(client, member, **empty) -> str:
    Profile.objects.filter(user=member).update(wizard_done_at=None, **empty)
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
    )
    return response.url


def test_login_before_the_wizard_is_done_lands_on_its_last_step_when_all_is_answered(
    client, member
):
    # Everything matching needs is there; only "Finish" was not pressed.
    assert _login_before_the_wizard_is_done(client, member) == reverse(
        "members:wizard", args=["interests"]
    )


def test_login_before_the_wizard_is_done_resumes_at_the_first_step_left_unanswered(client, member):
    # Step 1 was saved with "Next", then the member left on step 2 (region still empty).
    assert _login_before_the_wizard_is_done(client, member, region="") == reverse(
        "members:wizard", args=["meeting"]
    )
    page = client.get(reverse("members:wizard", args=["meeting"])).content.decode()
    assert "Welcome back. Your answers so far are saved: carry on from step 2 of 3." in page
    client.logout()
    assert _login_before_the_wizard_is_done(client, member, sector="", region="") == reverse(
        "members:wizard", args=["about"]
    )


def test_login_before_the_wizard_is_done_resumes_at_interests_when_none_are_chosen(client, member):
    Profile.objects.get(user=member).interests.clear()
    assert _login_before_the_wizard_is_done(client, member) == reverse(
        "members:wizard", args=["interests"]
    )


def test_wrong_password_says_so_without_revealing_the_account(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "nope"}
    )

    assert response.status_code == unknown.status_code == 200
    assert b"not correct" in response.content
    assert b"not correct" in unknown.content
    # The same error summary as every other form: announced, and named in the title.
    page = response.content.decode()
    assert 'role="alert"' in page and "There is a problem" in page
    assert "<title>Error: " in page


def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "nope"})

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
    )

    assert response.status_code in (200, 429)
    assert b"Too many attempts in a short time" in response.content


def test_logout_ends_the_session(member_client):
    member_client.post(reverse("account_logout"))

    assert member_client.get(reverse("members:dashboard")).status_code == 302


def test_email_change_sends_verification_to_the_new_address(client, member):
    client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
    )
    mail.outbox.clear()

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "ada.new@example.org"}
    )

    assert response.status_code == 302
    change_mail = next(m for m in mail.outbox if m.to == ["ada.new@example.org"])
    member.refresh_from_db()
    assert member.email == "ada@example.org"  # unchanged until the new address is verified
    client.post(reverse("account_email_verification_sent"), {"code": _code_from(change_mail)})
    member.refresh_from_db()
    assert member.email == "ada.new@example.org"


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    login = client.get(response.url, follow=True)
    assert login.request["PATH_INFO"] == reverse("account_login")


def test_signing_in_moments_after_signing_up_says_a_code_was_just_sent(client):
    client.post(reverse("account_signup"), SIGNUP)
    other = type(client)()  # another browser: its session holds no code yet

    response = other.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )

    assert b"we sent a code to this address moments ago" in response.content


def test_sign_up_from_a_programme_page_comes_back_to_it_after_the_profile(client):
    """ "Sign up to join" on a programme: after the code and the three profile steps, the
    new member is back on that programme's page to join it, not on the list of all."""
    from tests.factories import InterestFactory, ProgrammeFactory
    from tests.members.test_profile import STEP1, STEP2

    programme = ProgrammeFactory(name="Search buddies", slug="search-buddies")
    topic = InterestFactory(name="Wizard topic")
    page = client.get(reverse("pairing:programme_detail", args=[programme.slug])).content
    start = reverse("pairing:programme_signup", args=[programme.slug])
    assert f'href="{start}"'.encode() in page

    assert client.get(start).url == reverse("account_signup")
    client.post(reverse("account_signup"), SIGNUP)
    client.post(reverse("account_email_verification_sent"), {"code": _code_from(mail.outbox[0])})
    client.post(reverse("members:wizard", args=["about"]), STEP1)
    client.post(reverse("members:wizard", args=["meeting"]), STEP2)
    last = client.post(
        reverse("members:wizard", args=["interests"]), {"interests": [topic.pk], "about": "Hi"}
    )

    assert last.url == reverse("pairing:programme_detail", args=[programme.slug])
    page = client.get(last.url).content.decode()
    assert "Your profile is ready. Now join the programme below." in page
    assert "Join Search buddies" in page and "profile-incomplete" not in page


def test_once_no_more_codes_can_be_resent_the_help_says_what_to_do_instead(client, settings):
    # Walk 40: the button went, but the help still said to press it.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_signup"), SIGNUP)
    url = reverse("account_email_verification_sent")
    first = client.get(url).content.decode()

    for _ in range(2):  # allauth allows two
        client.post(url, {"action": "resend"})
    page = client.get(url)
    last = page.content.decode()

    assert 'Press "Request new code" to send a fresh one' in first
    assert not page.context["can_resend"]
    assert "Request new code" not in last
    assert "This page has sent as many new codes as it can. Press" in html.unescape(last)
