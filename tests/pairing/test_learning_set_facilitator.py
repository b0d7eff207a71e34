"""What every page and email says about a set's facilitation, in each of the cycle's
modes (a browser walk: "a named member of each set" read as members taking turns): before
a member is named, that one will be; once named, "<Name> facilitates", and the set's
members are emailed, once each, when the facilitator is named or changed."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from members.models import Profile, User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets.schedule import sets_tick
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db

NAMED_LATER = "a member of the set will be named as facilitator"


def _text(outbox: OutboxEmail) -> str:
    message = build_message(outbox)
    return html.unescape(message.subject + "\n" + message.body + "\n" + message.alternatives[0][0])


def _set(**cycle: object):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now(), **cycle)
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return learning_set, organiser


def _page(user: User, learning_set) -> str:
    url = reverse("pairing:set_detail", args=[learning_set.pk])
    return html.unescape(strip_tags(client_for(user).get(url).content.decode()))


def _organisers_page(organiser: User, learning_set) -> str:
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    return html.unescape(client_for(organiser).get(url).content.decode())


def _name(organiser: User, learning_set, member: User):
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    data = {"action": "facilitator", "set": learning_set.pk, "member": member.pk}
    return client_for(organiser).post(url, data, follow=True)


def _members(learning_set) -> list[User]:
    return list(User.objects.filter(pk__in=set_member_ids(learning_set)).order_by("pk"))


def _first_invitation(user: User) -> OutboxEmail:
    return rows(OutboxKind.SESSION_INVITE, user=user)[0]


def test_before_a_member_is_named_everything_says_one_will_be():
    learning_set, organiser = _set(facilitation="member")
    member = _members(learning_set)[0]

    intro = _text(rows(OutboxKind.INTRO)[0])
    invitation = _text(_first_invitation(member))
    page = _page(member, learning_set)
    organisers = _organisers_page(organiser, learning_set)

    assert f"Facilitation: {NAMED_LATER} (you will get an email saying who)." in intro
    assert "members take turns" not in intro
    assert "A member of the set will be named as facilitator." in invitation
    assert "shares facilitation" not in invitation
    assert f"Facilitation: {NAMED_LATER} (you will get an email saying who)." in page
    assert "each session below says who facilitates it" not in page
    assert "Facilitation: no member named yet" in organisers
    assert "Name a facilitator for each set." in organisers
    assert f"still to name: set {learning_set.number}." in organisers
    assert "rotating among the members" not in organisers


def test_naming_a_member_emails_each_member_once_and_every_wording_names_them():
    learning_set, organiser = _set(facilitation="member")
    members = _members(learning_set)
    grace = next(m for m in members if m.pk != set_host_id(learning_set))
    Profile.objects.filter(user=grace).update(display_name="Grace Hopper")
    others = [m for m in members if m != grace]
    before = set(OutboxEmail.objects.values_list("pk", flat=True))

    shown = html.unescape(_name(organiser, learning_set, grace).content.decode())

    assert "Grace Hopper facilitates. The set's members are told by email." in shown
    told = [n for n in rows(OutboxKind.SET_NOTICE) if n.pk not in before]
    assert sorted(n.user_id for n in told) == sorted(m.pk for m in members)  # one each
    for notice in told:
        text = _text(notice)
        if notice.user_id == grace.pk:
            assert "ou facilitate each of its sessions" in text
        else:
            assert f"Grace Hopper facilitates set {learning_set.number}" in text
            assert "Grace Hopper facilitates each of its sessions" in text
    # Every wording now names her.
    assert "Facilitation: Grace Hopper facilitates every session." in _page(others[0], learning_set)
    assert "Facilitation: you facilitate every session." in _page(grace, learning_set)
    assert "Facilitation: Grace Hopper facilitates" in _organisers_page(organiser, learning_set)
    assert "Name a facilitator for each set." not in _organisers_page(organiser, learning_set)
    assert "Facilitation: Grace Hopper facilitates every session." in _text(
        rows(OutboxKind.INTRO)[0]
    )
    first = learning_set.sessions.get(number=1)
    sets_tick(now=first.starts_at - dt.timedelta(days=2, hours=23))
    reminders = {r.user_id: _text(r) for r in rows(OutboxKind.SESSION_REMINDER)}
    assert "FACILITATION\nGrace Hopper facilitates." in reminders[others[0].pk]
    assert "FACILITATION\nYou facilitate." in reminders[grace.pk]


def test_changing_the_facilitator_tells_the_set_again_and_saving_the_same_one_does_not():
    learning_set, organiser = _set(facilitation="member")
    grace, ben, *_rest = _members(learning_set)
    Profile.objects.filter(user=grace).update(display_name="Grace Hopper")
    Profile.objects.filter(user=ben).update(display_name="Ben Ray")
    _name(organiser, learning_set, grace)
    count = OutboxEmail.objects.count()

    _name(organiser, learning_set, grace)
    assert OutboxEmail.objects.count() == count  # the same member again: no email

    before = set(OutboxEmail.objects.values_list("pk", flat=True))
    _name(organiser, learning_set, ben)
    told = [n for n in rows(OutboxKind.SET_NOTICE) if n.pk not in before]
    assert sorted(n.user_id for n in told) == sorted(m.pk for m in _members(learning_set))
    texts = {n.user_id: _text(n) for n in told}
    someone = next(u for u in texts if u not in (grace.pk, ben.pk))
    assert "Ben Ray facilitates set" in texts[someone]
    assert "in place of Grace Hopper" in texts[someone]
    assert "Ben Ray facilitates each of its sessions, in place of you" not in texts[grace.pk]
    assert "in place of you: Ben Ray facilitates each of its sessions" in texts[grace.pk]
    assert "ou facilitate each of its sessions" in texts[ben.pk]


def test_rotating_facilitation_still_reads_as_members_taking_turns():
    learning_set, organiser = _set(facilitation="rotating")
    member = _members(learning_set)[0]
    first = learning_set.sessions.get(number=1)
    facilitator = User.objects.get(pk=first.facilitator_id)
    other = next(m for m in _members(learning_set) if m != facilitator)

    intro = _text(rows(OutboxKind.INTRO)[0])
    invitation = _text(
        rows(OutboxKind.SESSION_INVITE, user=other, key__startswith=f"session_invite:{first.pk}:")[
            0
        ]
    )
    page = _page(member, learning_set)
    organisers = _organisers_page(organiser, learning_set)

    assert (
        "Facilitation: members take turns (the set page says who facilitates each session)."
        in intro
    )
    assert f"FACILITATION\n{facilitator.profile.display_name}." in invitation
    assert "each session below says who facilitates it" in page
    assert "Facilitating this session:" in page
    assert "Facilitation: rotating among the members" in organisers
    assert "Name a facilitator" not in organisers and NAMED_LATER not in page


def test_an_external_facilitator_still_reads_as_their_name():
    learning_set, organiser = _set(
        facilitation="external", facilitator_email="fran@example.org", facilitator_name="Fran Jones"
    )
    member = _members(learning_set)[0]

    assert "Facilitation: Fran Jones." in _text(rows(OutboxKind.INTRO)[0])
    assert "FACILITATION\nFran Jones." in _text(_first_invitation(member))
    assert "Facilitation: Fran Jones." in _page(member, learning_set)
    organisers = _organisers_page(organiser, learning_set)
    assert "Facilitation: Fran Jones (fran@example.org)" in organisers
    assert "Name a facilitator" not in organisers


def test_naming_a_member_in_place_of_an_external_facilitator_tells_the_organiser_who_is_told():
    learning_set, organiser = _set(
        facilitation="external", facilitator_email="fran@example.org", facilitator_name="Fran Jones"
    )
    member = _members(learning_set)[0]

    page = html.unescape(_name(organiser, learning_set, member).content.decode())

    assert (
        f"{member.profile.display_name} facilitates. The set's members are told by email. "
        "fran@example.org is told by email that they no longer facilitate, with their sessions "
        "cancelled for them."
    ) in page
    (released,) = rows(OutboxKind.SESSION_CANCEL, user__isnull=True)
    message = build_message(released)
    assert message.to == ["fran@example.org"]
    assert "you no longer facilitate it" in message.body
