"""Walk 12 on the organiser's cycle sets page: a member chosen in place of an external
facilitator (whose name and email are still in the form) replaces them, and every
message says only who was really emailed; a set merged twice says where its members are."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from members.models import Profile, User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.models import SessionStatus
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db

FRAN = "fran@external.org"


def _external_set():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(
        programme,
        now=timezone.now(),
        facilitation="external",
        facilitator_email=FRAN,
        facilitator_name="Fran Facilitator",
    )
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    sam = User.objects.get(pk=set_member_ids(learning_set)[1])
    Profile.objects.filter(user=sam).update(display_name="Sam Member")
    return learning_set, organiser, User.objects.get(pk=sam.pk)


def _save(organiser: User, learning_set, **fields: object) -> str:
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    data = {"action": "facilitator", "set": learning_set.pk, **fields}
    response = client_for(organiser).post(url, data, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _new(before: set[int], kind: str, **filters: object) -> list[OutboxEmail]:
    return [r for r in rows(kind, **filters) if r.pk not in before]


def _words(page: str) -> str:
    return " ".join(strip_tags(page).split())


def test_a_member_chosen_with_the_external_still_in_the_form_replaces_them():
    learning_set, organiser, sam = _external_set()
    before = set(OutboxEmail.objects.values_list("pk", flat=True))

    # The natural way: choose Sam, leave Fran's pre-filled name and email as they are.
    page = _words(
        _save(organiser, learning_set, member=sam.pk, name="Fran Facilitator", email=FRAN)
    )

    assert (
        f"Set {learning_set.number}: Sam Member facilitates. The set's members are told by "
        f"email. {FRAN} is told by email that they no longer facilitate"
    ) in page
    assert "Facilitation: Sam Member facilitates" in page
    assert "Fran Facilitator (" not in page
    learning_set.refresh_from_db()
    assert (learning_set.facilitator_id, learning_set.facilitator_email) == (sam.pk, "")
    assert learning_set.facilitator_name == ""
    (released,) = _new(before, OutboxKind.SESSION_CANCEL, user__isnull=True)
    assert build_message(released).to == [FRAN]
    told = _new(before, OutboxKind.SET_NOTICE, key__contains=":facilitator_named:")
    others = sorted(m for m in set_member_ids(learning_set) if m != sam.pk)
    assert sorted(n.user_id for n in told if n.user_id != sam.pk) == others  # once each
    for notice in [n for n in told if n.user_id != sam.pk]:
        body = build_message(notice).body
        assert f"named Sam Member the facilitator of set {learning_set.number}" in body
    # Sam hears it once: as the set's facilitator or as who now looks after the dates.
    assert len([n for n in _new(before, OutboxKind.SET_NOTICE) if n.user_id == sam.pk]) == 1

    # Saving again (emptied name and email): nothing new, and the message says so.
    count = OutboxEmail.objects.count()
    page = _words(_save(organiser, learning_set, member=sam.pk, name="", email=""))
    assert OutboxEmail.objects.count() == count
    assert "are told by email" not in page and "is told by email" not in page
    assert "Sam Member still facilitates; nobody is emailed." in page


def test_a_member_and_a_new_external_email_at_once_are_refused_keeping_what_was_typed():
    learning_set, organiser, sam = _external_set()
    count = OutboxEmail.objects.count()

    page = _save(
        organiser, learning_set, member=sam.pk, name="Newt Person", email="newt@external.org"
    )

    assert "Choose a member of the set or an external facilitator, not both" in page
    assert "facilitation updated" not in page and "Sam Member facilitates" not in _words(page)
    learning_set.refresh_from_db()
    assert (learning_set.facilitator_id, learning_set.facilitator_email) == (None, FRAN)
    assert learning_set.facilitator_name == "Fran Facilitator"
    assert OutboxEmail.objects.count() == count
    # Nothing typed is lost: the form shows the typed name, email and member again.
    assert 'value="Newt Person"' in page and 'value="newt@external.org"' in page
    assert f'<option value="{sam.pk}" selected>' in page


def test_an_external_replaced_with_no_session_to_come_is_not_said_to_be_told():
    learning_set, organiser, sam = _external_set()
    learning_set.sessions.update(status=SessionStatus.CANCELLED)
    before = set(OutboxEmail.objects.values_list("pk", flat=True))

    page = _words(_save(organiser, learning_set, member=sam.pk, name="", email=""))

    assert not _new(before, OutboxKind.SESSION_CANCEL, user__isnull=True)
    assert f"{FRAN} is told" not in page
    assert "Sam Member facilitates. The set's members are told by email." in page


def test_a_set_merged_twice_says_which_set_its_members_are_in_now():
    programme = learning_set_programme(group_size=4)
    join(programme, 12)
    cycle, (first, second, third) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    shrink(first, 1)
    shrink(second, 1)
    services.set_merge(learning_set=first, into=second, by=organiser, now=timezone.now())
    second.refresh_from_db()
    services.set_merge(learning_set=second, into=third, by=organiser, now=timezone.now())

    url = reverse("admin:pairing_cycle_sets", args=[cycle.pk])
    page = _words(html.unescape(client_for(organiser).get(url).content.decode()))

    assert (
        f"Set {first.number}: merged into set {second.number}, since merged into set {third.number}"
    ) in page
    assert f"Set {second.number}: merged into set {third.number} Members" in page
