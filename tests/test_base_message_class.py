"""A message tagged for a dashboard card but shown at the top of a page (its card is gone,
say from an old tab) keeps its level's styling: class "message-success", not
"message-membership-… success" (walk 21)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_a_card_tagged_message_at_the_top_is_styled_by_its_level():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    message = Message(constants.SUCCESS, "You are back in.", extra_tags="membership-leeds")

    page = render_to_string("base.html", {"messages": [message]}, request=request)

    assert '<p class="message message-success">You are back in.</p>' in page
