"""Merging two learning sets (a browser walk): a merge that would break a hard rule is
refused as the round preview's move is, naming the people, and nothing changes; a merge
tells the members who moved which set they joined, with its sessions and members, and
the members of the set that grew who joined it."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from members.models import Profile, User
from pairing.models import Block, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.models import LearningSet, SessionStatus, SetLeaver
from pairing.sets.plan import zone_named
from pairing.sets.selectors import set_member_ids
from pairing.sets.swap_rules import SetError
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db

TRUST = "Mersey NHS Trust"


def _text(outbox: OutboxEmail) -> str:
    message = build_message(outbox)
    return message.subject + "\n" + message.body + "\n" + message.alternatives[0][0]


def shrink(learning_set: LearningSet, keep: int) -> None:
    """All but the set's first `keep` members left it earlier: a small set to merge (two
    sets of 5 would make a set of 10, more than a set can have)."""
    SetLeaver.objects.bulk_create(
        SetLeaver(learning_set=learning_set, user_id=user_id, left_at=timezone.now())
        for user_id in set_member_ids(learning_set)[keep:]
    )


def _two_sets(**programme: object):
    """Set 2 (merged away, two members left in it) and set 1 (the one that grows, 5
    members), a member moving (Ruth Evans) and one staying (Priya Shah), and an organiser."""
    made = learning_set_programme(**programme)
    join(made, 10)
    _cycle, (into, mine) = form_cycle(made, now=timezone.now())
    shrink(mine, 2)
    ruth = User.objects.get(pk=set_member_ids(mine)[0])
    priya = User.objects.get(pk=set_member_ids(into)[0])
    Profile.objects.filter(user=ruth).update(display_name="Ruth Evans")
    Profile.objects.filter(user=priya).update(display_name="Priya Shah")
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return mine, into, ruth, priya, organiser


def _colleagues(*users: User) -> None:
    Profile.objects.filter(user__in=users).update(organisation=TRUST)


def _state(*sets: LearningSet) -> tuple:
    """Everything a merge changes: who is in each set, merged or not, the sessions' status
    and sequence, and the outbox."""
    fresh = [LearningSet.objects.get(pk=s.pk) for s in sets]
    return (
        [set_member_ids(s) for s in fresh],
        [s.merged_into_id for s in fresh],
        [list(s.sessions.values_list("status", "sequence")) for s in fresh],
        OutboxEmail.objects.count(),
    )


def test_a_merge_that_puts_two_colleagues_in_one_set_is_refused_naming_them():
    mine, into, ruth, priya, organiser = _two_sets()
    _colleagues(ruth, priya)
    before = _state(mine, into)

    with pytest.raises(SetError) as refused:
        services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    # In words naming the people (never their ids), as the round preview's move says it.
    assert str(refused.value) == (
        f"Set {mine.number} cannot be merged into set {into.number}. That change is not "
        "allowed: Ruth Evans and Priya Shah work for the same organisation. Nothing was "
        "changed."
    )
    assert _state(mine, into) == before


def test_a_merge_with_a_member_who_asked_not_to_be_paired_again_is_refused():
    mine, into, ruth, priya, organiser = _two_sets()
    Block.objects.create(user=priya, blocked=ruth)
    before = _state(mine, into)

    with pytest.raises(SetError) as refused:
        services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    assert "Ruth Evans and Priya Shah: one has asked not to be paired with the other" in str(
        refused.value
    )
    assert _state(mine, into) == before


def test_colleagues_may_be_merged_when_the_programme_does_not_avoid_the_same_organisation():
    mine, into, ruth, priya, organiser = _two_sets(avoid_same_organisation=False)
    _colleagues(ruth, priya)

    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    assert {ruth.pk, priya.pk} <= set(set_member_ids(into))


def merge_on_the_page(organiser: User, mine: LearningSet, into: LearningSet) -> list[str]:
    """The organisers' sets page asked to merge `mine` into `into`, then the same post
    confirmed (as a direct post would): the text of each page that came back."""
    url = reverse("admin:pairing_cycle_sets", args=[mine.cycle_id])
    merge = {"action": "merge", "set": mine.pk, "into": into.pk}
    client = client_for(organiser)
    asked = client.post(url, merge, follow=True)
    confirmed = client.post(url, {**merge, "confirmed": "yes"}, follow=True)
    return [html.unescape(r.content.decode()) for r in (asked, confirmed)]


def test_the_organisers_page_refuses_the_merge_before_and_after_asking_again():
    mine, into, ruth, priya, organiser = _two_sets()
    _colleagues(ruth, priya)
    before = _state(mine, into)

    for text in merge_on_the_page(organiser, mine, into):
        assert "Ruth Evans and Priya Shah work for the same organisation" in text
        assert 'name="confirmed" value="yes"' not in text  # never asked to go on
        assert f"Set {mine.number} merged into" not in text
    assert _state(mine, into) == before


def _local(session, user: User) -> str:
    local = timezone.localtime(session.starts_at, zone_named(user.profile.time_zone))
    return f"Session {session.number}: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def test_the_members_who_move_are_told_the_set_they_joined_its_sessions_and_members():
    mine, into, ruth, _priya, organiser = _two_sets()
    # The set they join meets on another day than theirs did.
    into.sessions.update(
        starts_at=F("starts_at") - dt.timedelta(days=1), ends_at=F("ends_at") - dt.timedelta(days=1)
    )
    movers, staying = set_member_ids(mine), set_member_ids(into)
    before = {r.pk for r in rows(OutboxKind.SESSION_CANCEL) + rows(OutboxKind.SESSION_INVITE)}

    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    (notice,) = rows(OutboxKind.SET_NOTICE, user=ruth)
    text = _text(notice)
    assert f"you are now in set {into.number}" in text
    assert f"you have joined set {into.number}" in text
    assert "Nothing else changes" not in text and "times are as before" not in text
    old, new = text.split(f"SET {into.number}'S SESSIONS STILL TO COME")
    for session in into.sessions.filter(status=SessionStatus.SCHEDULED):
        assert _local(session, ruth) in new
    for session in mine.sessions.all():
        assert _local(session, ruth) in old.split("CANCELLED FOR YOU")[1]
    for user in User.objects.filter(pk__in=[*movers, *staying]).exclude(pk=ruth.pk):
        assert user.profile.display_name in text.split("WHO IS IN SET")[1]
    # One email: a calendar file cancelling each old session and inviting to each new one,
    # no separate cancellation or invitation emails.
    calendars = [a for a in build_message(notice).attachments if a[0].endswith(".ics")]
    methods = sorted(c.decode() if isinstance(c, bytes) else c for _n, c, _t in calendars)
    assert sum("METHOD:CANCEL" in c for c in methods) == mine.sessions.count()
    assert sum("METHOD:REQUEST" in c for c in methods) == into.sessions.count()
    sessions = rows(OutboxKind.SESSION_CANCEL, user=ruth) + rows(
        OutboxKind.SESSION_INVITE, user=ruth
    )
    assert [r for r in sessions if r.pk not in before] == []


def test_the_members_of_the_set_that_grew_are_told_who_joined_once_each():
    mine, into, _ruth, priya, organiser = _two_sets()
    movers, staying = set_member_ids(mine), set_member_ids(into)
    names = [User.objects.get(pk=m).profile.display_name for m in movers]

    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    notices = rows(OutboxKind.SET_NOTICE, user__in=staying)
    assert sorted(n.user_id for n in notices) == sorted(staying)  # one each
    text = _text(next(n for n in notices if n.user_id == priya.pk))
    assert f"joined set {into.number}" in text
    for name in names:
        assert name in text
    assert f"set {mine.number} was merged into it" in text
    assert "Your sessions are unchanged: the same dates and times as before." in text
