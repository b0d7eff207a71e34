"""`manage.py create_organiser`: the first organiser gets a staff account with no
password and an email with a link that lets them choose one and log in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import User

pytestmark = pytest.mark.django_db


def test_the_first_organiser_chooses_a_password_from_the_link(client):
    call_command("create_organiser", email="Chair@Example.org", name="Chris Chair")

    user = User.objects.get(email="chair@example.org")
    assert user.is_staff and user.is_superuser and not user.has_usable_password()
    assert user.profile.display_name == "Chris Chair"
    [message] = mail.outbox
    assert message.to == ["chair@example.org"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    path = "/" + link.split("/", 3)[3]

    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a-long-new-password-2026", "password2": "a-long-new-password-2026"},
    )

    assert response.status_code == 302
    assert client.login(email="chair@example.org", password="a-long-new-password-2026")


def test_a_bad_address_is_refused_in_words():
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("create_organiser", email="not-an-address", name="X")
    assert not User.objects.exists()


def test_the_address_is_asked_for_when_missing(monkeypatch):
    answers = iter(["asked@example.org", "Asked Person"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))

    call_command("create_organiser")

    assert User.objects.get(email="asked@example.org").is_staff
