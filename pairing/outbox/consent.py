"""Which emails a member can stop, and who must not be sent one: the outbox's side of
List-Unsubscribe (RFC 8058), opt-outs and bounced addresses (kept in `members.mailing`).

Kinds with a category carry the one-click headers and are not sent to a member who
stopped that category. Kinds without one carry no headers: the introduction (what a
member joined a programme for; pausing or leaving stops it; and it is one message to the
whole group, so no header could name one member) and notices to organisers about a set
(their work, sent to a shared mailbox). Replies to a member's own action (verification
codes, log-in links, password resets) do not go through the outbox at all.

An invitation goes to an address with no account (`row.address`, no `row.user`): its
one-click link is "never invite me again", kept by address (members.invitations)."""

from __future__ import annotations

from members.invitations.mailing import invitation_refused, never_invite_headers, opt_out_url
from members.mailing import (
    bounced_addresses,
    stopped_categories,
    unsubscribe_headers,
    unsubscribe_url,
)
from members.models import EmailCategory
from pairing.models import OutboxEmail, OutboxKind

NOT_SENT = "Not sent: "

KIND_CATEGORY: dict[str, str] = {
    OutboxKind.FOLLOWUP: EmailCategory.REMINDERS,
    OutboxKind.REMINDER: EmailCategory.REMINDERS,
    OutboxKind.STRATEGY_REMINDER: EmailCategory.REMINDERS,
    OutboxKind.SESSION_REMINDER: EmailCategory.REMINDERS,
    OutboxKind.SESSION_CHECKIN: EmailCategory.REMINDERS,
    OutboxKind.NOTICE: EmailCategory.NOTICES,
    OutboxKind.LEFT_OUT: EmailCategory.NOTICES,
    OutboxKind.PARTNER_GONE: EmailCategory.NOTICES,
    OutboxKind.STRATEGY_SHARED: EmailCategory.UPDATES,
    OutboxKind.REVIEW_RECEIVED: EmailCategory.UPDATES,
    OutboxKind.SESSION_INVITE: EmailCategory.UPDATES,
    OutboxKind.SESSION_CANCEL: EmailCategory.UPDATES,
    OutboxKind.ANNOUNCEMENT: EmailCategory.ANNOUNCEMENTS,
}
INVITATIONS_LABEL = "invitations to join a programme"


def _to_invitee(row: OutboxEmail, to: list[str]) -> bool:
    return row.kind == OutboxKind.INVITATION and bool(row.address) and to == [row.address]


def category_of(row: OutboxEmail, to: list[str]) -> str | None:
    """The category a member can stop this email by, when it goes to that one member."""
    category = KIND_CATEGORY.get(row.kind)
    if category is None or row.user_id is None or to != [row.user.email]:
        return None  # e.g. a session invitation to an external facilitator
    return category


def list_unsubscribe(row: OutboxEmail, to: list[str]) -> dict[str, str]:
    if _to_invitee(row, to):
        return never_invite_headers(row.address)
    category = category_of(row, to)
    if category is None:
        return {}
    return unsubscribe_headers(user_id=row.user_id, category=category)


def unsubscribe_context(row: OutboxEmail, to: list[str]) -> dict[str, str]:
    """The same one-click page as a visible link at the foot of the email (GET only asks,
    so a link scanner that follows it changes nothing)."""
    if _to_invitee(row, to):
        return {"unsubscribe_url": opt_out_url(row.address), "unsubscribe_label": INVITATIONS_LABEL}
    category = category_of(row, to)
    if category is None:
        return {}
    return {
        "unsubscribe_url": unsubscribe_url(user_id=row.user_id, category=category),
        "unsubscribe_label": EmailCategory(category).label.lower(),
    }


def recipients_allowed(row: OutboxEmail, to: list[str]) -> tuple[list[str], str]:
    """The addresses this email may go to, and in words why any were dropped (all of
    them: the row is marked not sent with that reason)."""
    if _to_invitee(row, to) and invitation_refused(row.address):
        return [], f"{NOT_SENT}the address asked never to be invited"
    category = category_of(row, to)
    if category is not None and category in stopped_categories(row.user_id):
        label = EmailCategory(category).label.lower()
        return [], f"{NOT_SENT}the member unsubscribed from {label}"
    bounced = bounced_addresses(to)
    if not bounced:
        return to, ""
    kept = [address for address in to if address.lower() not in bounced]
    why = "; ".join(f"{b.email} {b.get_kind_display().lower()}" for b in bounced.values())
    return kept, f"{NOT_SENT}{why}"
