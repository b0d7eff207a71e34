"""The account pages a member meets when something goes a little wrong: asking for codes
too often, a used reset link, and the site's labels (sentence case, no trailing colon)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.members.test_signup import SIGNUP, _code_from

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def _main(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def _reset_link(client, user: User) -> str:
    client.post(reverse("account_reset_password"), {"email": user.email})
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_asking_for_a_new_code_too_soon_explains_it_in_the_site_layout(client):
    client.post(reverse("account_signup"), SIGNUP)  # sends the first code

    response = client.post(reverse("account_email_verification_sent"), {"action": "resend"})

    assert response.status_code == 429
    body = response.content.decode()
    assert 'class="site-header"' in body
    assert "<h1>Please wait a moment</h1>" in body
    assert "wait a few seconds" in _main(response)
    assert f'href="{reverse("account_email_verification_sent")}"' in _main(response)


def test_the_code_already_sent_still_works_after_asking_too_soon(client):
    client.post(reverse("account_signup"), SIGNUP)
    first = _code_from(mail.outbox[0])
    client.post(reverse("account_email_verification_sent"), {"action": "resend"})

    response = client.post(reverse("account_email_verification_sent"), {"code": first})

    assert len(mail.outbox) == 1
    assert response.status_code == 302
    assert response.url == reverse("members:wizard", args=["about"])


def test_other_actions_asked_too_often_link_back_to_their_own_page(client, member):
    reset = reverse("account_reset_password")
    for _ in range(5):  # "reset_password": 5 a minute for one address
        client.post(reset, {"email": member.email})

    response = client.post(reset, {"email": member.email})

    assert response.status_code == 429
    assert "<h1>Please wait a moment</h1>" in response.content.decode()
    assert f'href="{reset}"' in _main(response)
    assert "code" not in _main(response)  # the code page's wording stays there


def test_a_used_reset_link_says_so_and_offers_a_new_one(client, member):
    response = client.get(reverse("account_reset_password_from_key", args=["1", "used-key"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>This link has expired or was already used</h1>" in body
    assert "bad token" not in body.lower()
    assert f'href="{reverse("account_reset_password")}"' in _main(response)


def test_the_new_password_form_from_a_reset_link_is_in_sentence_case(client, member):
    response = client.get(_reset_link(client, member), follow=True)

    body = response.content.decode()
    assert "New password (again)</label>" in body
    assert "New Password" not in body


def test_the_change_password_form_is_in_sentence_case(member_client):
    response = member_client.get(reverse("account_change_password"))

    body = response.content.decode()
    assert "New password (again)</label>" in body
    assert "New Password" not in body


def test_the_delete_account_label_carries_no_colon(client, member):
    client.force_login(member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse("members:account_delete"))

    assert response.status_code == 200
    assert 'Type "delete my account" to confirm</label>' in response.content.decode().replace(
        "&quot;", '"'
    )
    assert ":</label>" not in response.content.decode()


def test_the_password_again_page_has_no_trailing_colons(member_client):
    response = member_client.get(reverse("account_reauthenticate"))

    assert response.status_code == 200
    assert "Password</label>" in response.content.decode()
    assert not re.search(r":\s*</(label|p|h1|h2)>", _main(response))
    assert "To keep your account safe, please confirm it is you." in _main(response)
    assert "Please reauthenticate" not in _main(response)


def test_the_email_settings_legend_has_no_trailing_colon(member_client):
    response = member_client.get(reverse("members:email_settings"))

    assert "<legend>Email me</legend>" in response.content.decode()
    assert not re.search(r":\s*</(label|legend)>", _main(response))


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("account_email", {"action_add": "", "email": ""}, "Enter the new email address."),
        ("account_reset_password", {"email": ""}, "Enter your email address."),
        (
            "members:account_delete",
            {"confirm": ""},
            "To confirm, type the three words: delete my account.",
        ),
    ],
)
def test_an_empty_answer_says_what_to_enter(client, member, url, data, message):
    """Walk 29: each said Django's "This field is required."."""
    from tests.members.test_my_data import _login_and_reauthenticate

    _login_and_reauthenticate(client, member)  # deleting asks for the password again
    response = client.post(reverse(url), data)

    body = response.content.decode()
    assert message in body
    assert "This field is required." not in body
