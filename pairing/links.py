"""Signed one-click links for emails ("skip the next round", "pause") and the checks a
link page makes. The links work without logging in, so the token is the authority."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from pairing.models import Membership

SALT = "pairing.link"
MAX_AGE = dt.timedelta(days=45)
ACTIONS = {"skip": "pairing:link_skip", "pause": "pairing:link_pause"}
PAUSE_DEFAULT = dt.timedelta(weeks=4)


class LinkProblem(Exception):
    """Why a link cannot be used; carries the page to show instead."""

    def __init__(self, status: int, heading: str, text: str, *, login: bool = False) -> None:
        super().__init__(heading)
        self.status, self.heading, self.text, self.login = status, heading, text, login


def check_holder(request: HttpRequest, owner_id: int | None, where: str) -> None:
    """A link used while logged in as another member is a 404 that confirms nothing;
    `where` tells them where to do it for themselves."""
    if request.user.is_authenticated and request.user.pk != owner_id:
        raise LinkProblem(
            404,
            "This link is for someone else",
            f"You are logged in, and this link belongs to another member. Only they can use "
            f"it. {where}",
        )


def make_token(membership: Membership, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown link action {action!r}")
    return signing.dumps({"m": membership.pk, "a": action}, salt=SALT)


def make_link(membership: Membership, action: str) -> str:
    """An absolute URL that lets the holder skip or pause this membership."""
    token = make_token(membership, action)
    return settings.SITE_URL + reverse(ACTIONS[action], args=[token])


def member_name(membership: Membership) -> str:
    # Never fall back to the email address: the page is shown to whoever holds the link.
    profile = getattr(membership.user, "profile", None)
    return profile.display_name if profile and profile.display_name else "a member"
