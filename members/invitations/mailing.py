"""Invitees have no account: their "never invite me again" is keyed by a hash of the
address, and their links are signed. The outbox asks `invitation_refused` before sending
an invitation and puts `never_invite_headers` on it (RFC 8058 one-click)."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse

from members.headers import ListHeader
from members.invitations.models import InvitationOptOut

INVITE_SALT = "members.invitation"
OPT_OUT_SALT = "members.invitation-opt-out"
# As long as the member's own unsubscribe links: an old invitation in an archive still
# lets its reader say "never again".
OPT_OUT_MAX_AGE = dt.timedelta(days=365)


def expiry_days() -> int:
    return int(settings.INVITATION_EXPIRY_DAYS)


def email_normalise(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    return hashlib.sha256(email_normalise(email).encode()).hexdigest()


def invite_token(*, invitation_id: int) -> str:
    return signing.dumps({"i": invitation_id}, salt=INVITE_SALT)


def invite_read(token: str) -> int:
    """The invitation a link names. Raises `signing.SignatureExpired` when the link is
    older than the expiry, `signing.BadSignature` when tampered with."""
    data = signing.loads(token, salt=INVITE_SALT, max_age=dt.timedelta(days=expiry_days()))
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise signing.BadSignature("bad payload")
    return data["i"]


def invite_url(*, invitation_id: int) -> str:
    token = invite_token(invitation_id=invitation_id)
    return settings.SITE_URL + reverse("invitations:accept", args=[token])


def opt_out_token(email: str) -> str:
    return signing.dumps({"h": email_hash(email)}, salt=OPT_OUT_SALT)


def opt_out_read(token: str) -> str:
    """The address hash a "never invite me again" link names (raises as `invite_read`)."""
    data = signing.loads(token, salt=OPT_OUT_SALT, max_age=OPT_OUT_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("h"), str) or len(data["h"]) != 64:
        raise signing.BadSignature("bad payload")
    return data["h"]


def opt_out_url(email: str) -> str:
    return settings.SITE_URL + reverse("invitations:opt_out", args=[opt_out_token(email)])


def never_invite_headers(email: str) -> dict[str, str]:
    subject = quote("Never invite me again")
    return {
        "List-Unsubscribe": ListHeader(
            "List-Unsubscribe",
            [f"<{opt_out_url(email)}>", f"<mailto:{settings.ORGANISERS_EMAIL}?subject={subject}>"],
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def opted_out(emails: list[str]) -> set[str]:
    """Which of these (normalised) addresses asked never to be invited."""
    hashes = {email_hash(e): email_normalise(e) for e in emails}
    found = set()
    for start in range(0, len(hashes), 1000):
        chunk = list(hashes)[start : start + 1000]
        found |= set(
            InvitationOptOut.objects.filter(email_hash__in=chunk).values_list(
                "email_hash", flat=True
            )
        )
    return {hashes[h] for h in found}


def invitation_refused(email: str) -> bool:
    return InvitationOptOut.objects.filter(email_hash=email_hash(email)).exists()
