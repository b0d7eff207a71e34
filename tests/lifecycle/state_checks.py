"""What must hold of members and emails after every step."""

from __future__ import annotations

from collections import Counter

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail import EmailMessage

from members.models import Profile, User
from pairing.models import Block, Membership, OutboxEmail, OutboxStatus, Programme
from pairing.outbox import message_id
from tests.lifecycle.world import World


def check_memberships(world: World, programme: Programme) -> None:
    """Nobody is enrolled without their own action, and each membership says what its
    member last chose (pause, skip, leave, role), nothing else."""
    rows = {
        m.user_id: m
        for m in Membership.objects.filter(programme=programme).only(
            "user_id", "status", "paused_until", "skip_next_round", "mentoring_role"
        )
    }
    enrolled = set(rows) - world.joined_by_self
    assert not enrolled, f"{enrolled} are in the programme without having joined"
    assert set(rows) == set(world.seats), "memberships differ from what members did"
    for user_id, seat in world.seats.items():
        row = rows[user_id]
        actual = (row.status, row.paused_until, row.skip_next_round, row.mentoring_role)
        expected = (seat.status, seat.paused_until, seat.skip, seat.role)
        assert actual == expected, f"membership of {user_id}: {actual} != {expected}"


def check_people(world: World) -> None:
    """Profiles are complete exactly when every field matching needs is filled, and a
    deleted account leaves nothing personal behind."""
    complete = dict(Profile.objects.values_list("user_id", "complete"))
    deleted = [p.user_id for p in world.people.values() if p.deleted]
    assert not User.objects.filter(pk__in=deleted).exists(), "a deleted account is still there"
    assert not EmailAddress.objects.filter(user_id__in=deleted).exists()
    assert not Block.objects.filter(blocked_id__in=deleted).exists()
    for person in world.alive():
        assert complete[person.user_id] == person.complete, f"profile {person.user_id} complete?"
    blocks = set(Block.objects.values_list("user_id", "blocked_id"))
    assert blocks == world.blocks, "blocks differ from what members asked"


def check_emails(world: World) -> None:
    """Each outbox email is sent at most once (and a row marked sent was sent), and no
    email reaches an account after it was deleted."""
    sent = Counter(m.extra_headers.get("Message-ID") for m in mail.outbox)
    sent.pop(None, None)  # concern emails to organisers are not outbox rows
    twice = [key for key, n in sent.items() if n > 1]
    assert not twice, f"emails sent more than once: {twice}"
    for key, status in OutboxEmail.objects.values_list("key", "status"):
        copies = sent.get(message_id(key), 0)
        assert copies == (1 if status == OutboxStatus.SENT else 0), f"{key} ({status}) x{copies}"
    for message in mail.outbox:
        if message.extra_headers.get("Message-ID"):
            _check_private(world, message)
    for person in world.people.values():
        if not person.deleted:
            continue
        for message in mail.outbox[person.mail_count_at_delete :]:
            assert person.email not in message.recipients(), (
                f"{message.subject!r} went to deleted account {person.email}"
            )


def _check_private(world: World, message: EmailMessage) -> None:
    """An email to members shows no one's organisation (nobody chose to show theirs) and
    no address but its recipients'."""
    body = " ".join([message.body, *(str(part[0]) for part in message.alternatives)])
    folded = body.casefold()
    for person in world.people.values():
        organisation = person.organisation.strip().casefold()
        assert not organisation or organisation not in folded, (
            f"{message.subject!r} shows the organisation of member {person.user_id}"
        )
        if person.email in body:
            assert person.email in message.recipients(), (
                f"{message.subject!r} shows the address of member {person.user_id}"
            )
