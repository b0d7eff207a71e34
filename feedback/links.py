"""Signed links to one member's evaluation of one match, sent in the follow-up emails.

The link works without logging in, so the token is the authority: it names the seat
(the member in the match), not the match. Link scanners fetch every link in an email, so
GET only ever shows the form; nothing is saved until the member presses the button.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from feedback.models import Met
from pairing.models import MatchMember

SALT = "feedback.link"
MAX_AGE = dt.timedelta(days=60)


class FeedbackLinkError(Exception):
    """The token is not one we signed (cut short, changed, or for another purpose)."""


class FeedbackLinkExpired(FeedbackLinkError):
    """The token is genuine but older than MAX_AGE."""


def make_feedback_token(seat: MatchMember) -> str:
    return signing.dumps({"s": seat.pk}, salt=SALT)


def make_feedback_link(seat: MatchMember, met: str | None = None) -> str:
    """An absolute URL to the evaluation form for this seat; `met` preselects an answer."""
    url = settings.SITE_URL + reverse("feedback:evaluate", args=[make_feedback_token(seat)])
    if met is None:
        return url
    if met not in Met.values:
        raise ValueError(f"Unknown answer {met!r}")
    return f"{url}?{urlencode({'met': met})}"


def seat_id_from_token(token: str) -> int:
    """The seat id the token was signed for; raises FeedbackLinkExpired or
    FeedbackLinkError."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise FeedbackLinkExpired from error
    except signing.BadSignature as error:
        raise FeedbackLinkError from error
    if not isinstance(data, dict) or type(data.get("s")) is not int:
        raise FeedbackLinkError
    return data["s"]
