"""Walk 24: on the login page, Tab went to two "sign up" links (the header's and one in
the text) before the email box. The text's link now follows the form."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_email_box_comes_before_the_sign_up_line_in_the_page(client):
    page = html.unescape(client.get(reverse("account_login")).content.decode())
    main = page.split('id="main"')[1]

    email = main.index('name="login"')
    sign_up = main.index("New here?")
    assert email < sign_up
    assert main.count(reverse("account_signup")) == 1
