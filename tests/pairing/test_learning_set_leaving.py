"""Leaving a learning set (a browser walk-through): history stays fixed (sessions held keep
who presented and facilitated, by name, after they leave), the member who now looks
after the dates is told, the leaver gets one email and a short page instead of a 404,
and the organisers see who left and when."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from members.models import User
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.calendar import session_uid
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.pairing.set_helpers import (
    form_cycle,
    hold_sessions,
    join,
    learning_set_programme,
    rows,
)
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _page(user, url: str) -> str:
    return html.unescape(client_for(user).get(url).content.decode())


def _set(held: int = 0):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    hold_sessions(learning_set, held)
    users = User.objects.in_bulk(set_member_ids(learning_set))
    sessions = {s.number: s for s in learning_set.sessions.all()}
    return learning_set, [users[m] for m in set_member_ids(learning_set)], sessions


def _session_card(text: str, number: int) -> str:
    return text.split(f'id="session-{number}"')[1].split("</article>")[0]


def test_sessions_held_keep_who_presented_and_facilitated_after_they_leave(admin_client):
    learning_set, members, sessions = _set(held=2)
    first = sessions[1]
    presenter = first.presenters.get().user
    facilitator = User.objects.get(pk=first.facilitator_id)
    viewer = next(m for m in members if m not in (presenter, facilitator))

    for leaver in (presenter, facilitator):
        services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())
    page = _page(viewer, reverse("pairing:set_detail", args=[learning_set.pk]))
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    organisers = html.unescape(admin_client.get(url).content.decode())

    card = _session_card(page, 1)
    assert f"Presenting: {presenter.profile.display_name}" in card
    assert f"Facilitating this session: {facilitator.profile.display_name}" in card
    assert "to be agreed" not in card and "shares facilitation" not in card
    row = organisers.split('<th scope="row">1</th>')[1].split("</tr>")[0]
    assert presenter.profile.display_name in row and facilitator.profile.display_name in row
    # Sessions still to come are re-planned without them.
    later = _session_card(page, 4)
    assert presenter.profile.display_name not in later


def _notices(**filters):
    return rows(OutboxKind.SET_NOTICE, **filters)


def test_the_member_who_now_looks_after_the_dates_is_told_by_email_and_on_the_page():
    learning_set, members, _sessions = _set()
    ben = User.objects.get(pk=set_host_id(learning_set))

    services.set_leave(learning_set=learning_set, user=ben, now=timezone.now())

    dev = User.objects.get(pk=set_host_id(learning_set))
    assert dev != ben
    (notice,) = _notices(key__contains=":host_")
    assert notice.user_id == dev.pk
    message = build_message(notice)
    assert message.to == [dev.email]
    assert message.subject.endswith(f"you now look after the dates of set {learning_set.number}")
    assert f"{ben.profile.display_name} left the set" in message.body
    assert "you can move a session" in message.body
    page = _page(dev, reverse("pairing:set_detail", args=[learning_set.pk]))
    assert (
        f"You look after the dates</strong> (since {ben.profile.display_name} left the set on"
        in page
    )
    other = next(m for m in members if m not in (ben, dev))
    seen = _page(other, reverse("pairing:set_detail", args=[learning_set.pk]))
    assert f"{dev.profile.display_name} looks after the dates (since" in seen


def test_no_date_keeper_notice_when_someone_else_leaves():
    learning_set, members, _sessions = _set()
    host = set_host_id(learning_set)
    leaver = next(m for m in members if m.pk != host)

    services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())

    assert not _notices(key__contains=":host_")


def test_a_member_named_facilitator_by_the_organisers_is_told_they_look_after_the_dates():
    learning_set, members, _sessions = _set()
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    named = next(m for m in members if m.pk != set_host_id(learning_set))

    services.set_facilitator_update(
        learning_set=learning_set, by=organiser, member=named, email="", name="",
        now=timezone.now(),
    )  # fmt: skip

    (notice,) = _notices(key__contains=":host_")
    assert notice.user_id == named.pk
    assert "the organisers named you the set's facilitator" in build_message(notice).body


def test_the_leaver_gets_one_email_cancelling_every_session_still_to_come():
    learning_set, members, _sessions = _set(held=2)
    leaver = members[-1]

    services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())

    (row,) = rows(OutboxKind.SESSION_CANCEL, user=leaver)
    message = build_message(row)
    assert message.subject.endswith("sessions 3, 4, 5 and 6 (you left the set)")
    assert message.subject.startswith("Cancelled for you: ")
    for number in (3, 4, 5, 6):
        assert f"- Session {number}: " in message.body
    assert "- Session 2: " not in message.body
    calendars = [a for a in message.attachments if a[0].endswith(".ics")]
    assert [a[0] for a in calendars] == [f"learning-set-session-{n}.ics" for n in (3, 4, 5, 6)]
    for (_name, content, _type), number in zip(calendars, (3, 4, 5, 6), strict=True):
        calendar = Calendar.from_ical(content)
        (event,) = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
        session = learning_set.sessions.get(number=number)
        assert event["UID"] == session_uid(session)
        assert event["SEQUENCE"] == session.sequence >= 1


def test_the_leavers_old_set_page_says_they_left_and_stays_a_404_for_others():
    learning_set, members, _sessions = _set()
    leaver = members[-1]
    services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())
    url = reverse("pairing:set_detail", args=[learning_set.pk])
    programme = learning_set.cycle.programme
    stranger = join(programme, 1)[0]

    page = client_for(leaver).get(url)

    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    today = timezone.localdate()
    assert f"You left set {learning_set.number} of {programme.name} on {today.day} " in text
    for member in members[:-1]:
        assert member.profile.display_name not in text  # nothing of the others
    assert client_for(stranger).get(url).status_code == 404
    assert (
        client_for(leaver).get(reverse("pairing:set_leave", args=[learning_set.pk])).status_code
        == 404
    )


def test_a_member_whose_set_was_merged_is_sent_to_the_set_they_joined():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (mine, theirs) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    shrink(mine, 2)  # a merge stays within the 7 a set can have
    services.set_merge(learning_set=mine, into=theirs, by=organiser, now=timezone.now())

    response = client_for(mover).get(reverse("pairing:set_detail", args=[mine.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("pairing:set_detail", args=[theirs.pk])


def test_a_member_merged_twice_is_sent_from_their_first_set_to_the_set_it_ended_in():
    # Set 1 merged into set 2, then set 2 into set 3: set 1's old link (in its emails)
    # leads its member to set 3, and stays a 404 for someone who was never in set 1.
    programme = learning_set_programme(group_size=4)
    join(programme, 12)
    _cycle, (first, second, third) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    mover = User.objects.get(pk=set_member_ids(first)[0])
    stranger = User.objects.get(pk=set_member_ids(third)[0])
    shrink(first, 1)
    shrink(second, 1)  # 1 + 1, then 2 + 4: within the 7 a set can have
    services.set_merge(learning_set=first, into=second, by=organiser, now=timezone.now())
    second.refresh_from_db()
    services.set_merge(learning_set=second, into=third, by=organiser, now=timezone.now())
    url = reverse("pairing:set_detail", args=[first.pk])

    response = client_for(mover).get(url, follow=True)

    assert response.redirect_chain == [(reverse("pairing:set_detail", args=[third.pk]), 302)]
    assert f"Your set was merged into set {third.number}" in response.content.decode()
    assert client_for(stranger).get(url).status_code == 404


def test_the_organisers_sets_page_says_who_left_and_when(admin_client):
    learning_set, members, _sessions = _set()
    leaver = members[-1]
    services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())

    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    text = html.unescape(admin_client.get(url).content.decode())

    today = timezone.localdate()
    assert f"Left the set: {leaver.profile.display_name} on {today.day} {today:%B %Y}." in text


def _keeper(learning_set) -> User:
    return User.objects.get(pk=set_host_id(learning_set))


def test_after_two_keepers_leave_the_third_is_told_the_second_left_not_the_first():
    learning_set, _members, _sessions = _set()
    ann = _keeper(learning_set)
    services.set_leave(learning_set=learning_set, user=ann, now=timezone.now())
    ben = _keeper(learning_set)
    services.set_leave(learning_set=learning_set, user=ben, now=timezone.now())
    cara = _keeper(learning_set)
    assert len({ann, ben, cara}) == 3

    page = _page(cara, reverse("pairing:set_detail", args=[learning_set.pk]))

    assert f"(since {ben.profile.display_name} left the set on" in page
    assert f"since {ann.profile.display_name} left" not in page
    notice = _notices(key__contains=":host_", user=cara)[-1]
    assert f"{ben.profile.display_name} left the set" in build_message(notice).body


def test_a_keeper_named_by_the_organisers_is_not_said_to_keep_the_dates_for_a_leaver():
    learning_set, members, _sessions = _set()
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    ann = _keeper(learning_set)
    services.set_leave(learning_set=learning_set, user=ann, now=timezone.now())
    dev = next(m for m in members if m.pk not in (ann.pk, set_host_id(learning_set)))
    services.set_facilitator_update(
        learning_set=learning_set, by=organiser, member=dev, email="", name="",
        now=timezone.now(),
    )  # fmt: skip

    page = _page(dev, reverse("pairing:set_detail", args=[learning_set.pk]))

    assert "You look after the dates</strong> (since the organisers named" in page
    assert f"since {ann.profile.display_name} left" not in page


def test_the_host_given_the_dates_back_is_not_told_they_were_named_facilitator():
    learning_set, members, _sessions = _set()
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    host = _keeper(learning_set)
    dev = next(m for m in members if m != host)
    services.set_facilitator_update(
        learning_set=learning_set, by=organiser, member=dev, email="", name="",
        now=timezone.now(),
    )  # fmt: skip

    services.set_facilitator_update(
        learning_set=learning_set, by=organiser, member=None, email="fac@example.org",
        name="Fran", now=timezone.now(),
    )  # fmt: skip

    assert _keeper(learning_set) == host
    (notice,) = _notices(key__contains=":host_", user=host)
    body = build_message(notice).body
    assert "named you the set's facilitator" not in body
    assert "the organisers changed how the set is facilitated" in body
    page = _page(host, reverse("pairing:set_detail", args=[learning_set.pk]))
    assert "(since the organisers changed how the set is facilitated on" in page


def test_a_merge_leaves_the_dates_with_the_member_who_looked_after_them():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, sets = form_cycle(programme, now=timezone.now())
    # The set merged in has the lower seats, so its members would come first by seat.
    mine, theirs = sorted(sets, key=lambda s: min(s.match.members.values_list("pk", flat=True)))
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    host = _keeper(theirs)
    services.set_leave(learning_set=theirs, user=host, now=timezone.now())
    keeper = _keeper(theirs)
    shrink(mine, 3)  # 4 + 3: within the 7 a set can have

    services.set_merge(learning_set=mine, into=theirs, by=organiser, now=timezone.now())

    theirs.refresh_from_db()
    assert _keeper(theirs) == keeper
    assert not _notices(key__contains=":host_merged:")
    page = _page(keeper, reverse("pairing:set_detail", args=[theirs.pk]))
    assert "You look after the dates</strong>" in page
    mover = User.objects.get(pk=set_member_ids(theirs)[-1])
    seen = _page(mover, reverse("pairing:set_detail", args=[theirs.pk]))
    assert f"{keeper.profile.display_name} looks after the dates" in seen


def test_a_merged_sets_old_page_is_a_404_for_anyone_who_did_not_come_from_it():
    programme = learning_set_programme()
    join(programme, 15)
    _cycle, (mine, theirs, other) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    stayer = User.objects.get(pk=set_member_ids(theirs)[0])
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    from_other = User.objects.get(pk=set_member_ids(other)[0])
    shrink(mine, 1)  # 5 + 1 + 1: within the 7 a set can have
    shrink(other, 1)
    services.set_merge(learning_set=mine, into=theirs, by=organiser, now=timezone.now())
    theirs.refresh_from_db()
    services.set_merge(learning_set=other, into=theirs, by=organiser, now=timezone.now())
    url = reverse("pairing:set_detail", args=[mine.pk])

    assert client_for(stayer).get(url).status_code == 404
    assert client_for(from_other).get(url).status_code == 404
    assert client_for(mover).get(url).status_code == 302
