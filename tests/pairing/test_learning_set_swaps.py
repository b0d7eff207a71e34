"""Swaps of turns as members see them: the news of a swap is true for each recipient
(a member who now facilitates one of the swapped sessions is told so), and a turn already
offered in a pending swap is not offered again."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from members.models import User
from pairing.models import OutboxKind
from pairing.sets import services
from pairing.sets.models import RotaSwap, SwapStatus
from tests.pairing.set_helpers import NOW, rows
from tests.pairing.test_learning_set_pages import client_for
from tests.pairing.test_learning_set_updates import (
    _day,
    _five,
    _presenter,
    _swap_into_the_facilitators_session,
    _text,
)

pytestmark = pytest.mark.django_db


def test_a_member_who_now_facilitates_a_swapped_session_is_not_told_nothing_changed():
    learning_set, users, sessions = _five()
    proposer, accepter, theirs, last = _swap_into_the_facilitators_session(learning_set, sessions)
    newcomer = User.objects.get(pk=last.facilitator_id)
    assert newcomer.pk not in {proposer.pk, accepter.pk}
    notices = {r.user_id: _text(r) for r in rows(OutboxKind.SET_NOTICE, key__contains=":swap_made")}

    news = notices[newcomer.pk]
    assert "Your own turns are unchanged" not in news
    assert f"You now facilitate session 6 ({_day(last, newcomer)})" in news
    assert "Your turns to present are unchanged" in news
    others = [u for u in users if u not in {proposer.pk, accepter.pk, newcomer.pk}]
    for other in others:
        assert "facilitate session 6" not in notices[other]
        assert "Your turns to present are unchanged" in notices[other]
    # The other swapped session kept its facilitator: they are not told they now have it.
    theirs.refresh_from_db()
    kept = theirs.facilitator_id
    assert kept in others
    assert "You now facilitate" not in notices[kept]


def _choices(client, learning_set, field: str) -> str:
    page = client.get(reverse("pairing:set_detail", args=[learning_set.pk]))
    form = page.context["swap_form"]
    return "\n".join(label for _value, label in form.fields[field].choices)


def test_a_turn_already_offered_in_a_pending_swap_is_not_offered_again():
    learning_set, _users, sessions = _five()
    ben, aisha = _presenter(sessions[6]), _presenter(sessions[3])
    services.swap_propose(
        learning_set=learning_set,
        proposer=ben,
        my_session=sessions[6],
        partner=aisha,
        their_session=sessions[3],
        now=NOW,
    )
    cara = _presenter(sessions[4])
    ben_name, aisha_name = ben.profile.display_name, aisha.profile.display_name

    # Ben cannot offer session 6 again; Aisha cannot offer session 3; nobody else is
    # offered either turn; other turns still are.
    assert "Session 6" not in _choices(client_for(ben), learning_set, "mine")
    assert "Session 3" not in _choices(client_for(aisha), learning_set, "mine")
    theirs = _choices(client_for(cara), learning_set, "theirs")
    assert f"{ben_name}: session 6" not in theirs
    assert f"{aisha_name}: session 3" not in theirs
    assert f"{ben_name}: session 1" in theirs
    page = client_for(cara).get(reverse("pairing:set_detail", args=[learning_set.pk]))
    assert "Turns already offered in a swap waiting for an answer" in page.content.decode()

    # And a request made around the form is refused in words.
    with pytest.raises(services.SetError, match="already offered in another swap"):
        services.swap_propose(
            learning_set=learning_set,
            proposer=cara,
            my_session=sessions[4],
            partner=ben,
            their_session=sessions[6],
            now=NOW,
        )
    response = client_for(cara).post(
        reverse("pairing:set_swap", args=[learning_set.pk]),
        {"mine": sessions[4].pk, "theirs": f"{ben.pk}-{sessions[6].pk}"},
    )
    assert response.status_code == 200
    # A stale page's choice is refused in words, never by its value.
    body = response.content.decode()
    assert "That turn can no longer be swapped: it is in another swap or has changed." in body
    assert "Select a valid choice" not in body


def test_two_swaps_of_the_same_turn_never_both_happen():
    """Two swaps offering Ben's session 6 (one from before the rule, say): accepting one
    withdraws the other, whose partner is told why; each session keeps one presenter."""
    learning_set, _users, sessions = _five()
    ben, aisha, cara = (_presenter(sessions[n]) for n in (6, 3, 4))
    first = RotaSwap.objects.create(
        learning_set=learning_set,
        proposer=ben,
        proposer_session=sessions[6],
        partner=aisha,
        partner_session=sessions[3],
    )
    second = RotaSwap.objects.create(
        learning_set=learning_set,
        proposer=ben,
        proposer_session=sessions[6],
        partner=cara,
        partner_session=sessions[4],
    )

    services.swap_decide(swap=first, by=aisha, accept=True, now=NOW)
    second.refresh_from_db()
    assert second.status == SwapStatus.WITHDRAWN
    response = client_for(cara).post(
        reverse("pairing:swap_decide", args=[second.pk]), {"decision": "accept"}, follow=True
    )
    assert "one of its turns changed hands in another swap" in response.content.decode()

    presenters = {
        n: sorted(s.presenters.values_list("user_id", flat=True)) for n, s in sessions.items()
    }
    assert presenters[6] == [aisha.pk]
    assert presenters[3] == [ben.pk]
    assert presenters[4] == [cara.pk]


def _co_presenting():
    """Session 2 has two presenters: its own (B) and the member who also presents at
    sessions 1 and 6 (A)."""
    from pairing.sets.models import Presenter

    learning_set, _users, sessions = _five()
    a, b = _presenter(sessions[1]), _presenter(sessions[2])
    Presenter.objects.create(session=sessions[2], user=a)
    return learning_set, sessions, a, b


def test_a_swap_with_a_co_presenter_says_who_already_presents_there():
    # Walk 39: offering your own turn to someone who already presents at that session
    # was refused as "not a turn you could give away".
    from pairing.sets.swap_rules import SetError

    learning_set, sessions, a, b = _co_presenting()

    with pytest.raises(SetError) as theirs:
        services.swap_propose(
            learning_set=learning_set, proposer=b, my_session=sessions[2], partner=a,
            their_session=sessions[1], now=NOW,
        )  # fmt: skip
    with pytest.raises(SetError) as mine:
        services.swap_propose(
            learning_set=learning_set, proposer=a, my_session=sessions[1], partner=b,
            their_session=sessions[2], now=NOW,
        )  # fmt: skip

    assert str(theirs.value) == (
        f"{a.profile.display_name} already presents at session 2, so cannot take your turn "
        "there: choose a turn of someone who does not."
    )
    assert str(mine.value) == (
        "You already present at session 2: choose a turn at a session where you do not."
    )
    assert not RotaSwap.objects.exists()


def test_the_set_page_shows_the_co_presenter_message_and_keeps_the_choice():
    from pairing.sets.models import Presenter

    learning_set, sessions, a, b = _co_presenting()
    # B also presents at session 4, where A does not: A's turns are offered to B.
    Presenter.objects.create(session=sessions[4], user=b)

    response = client_for(b).post(
        reverse("pairing:set_swap", args=[learning_set.pk]),
        {"mine": sessions[2].pk, "theirs": f"{a.pk}-{sessions[1].pk}"},
    )

    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f"{a.profile.display_name} already presents at session 2" in body
    assert "not a turn you could give away" not in body
    form = response.context["swap_form"]
    assert (form["mine"].value(), form["theirs"].value()) == (
        str(sessions[2].pk),
        f"{a.pk}-{sessions[1].pk}",
    )


def test_no_turn_is_offered_from_someone_who_presents_at_every_session_you_could_give():
    # Walk 40: "Aisha: session 1" was offered to a member whose only turn Aisha shared.
    learning_set, sessions, a, b = _co_presenting()
    name = a.profile.display_name

    for_b = _choices(client_for(b), learning_set, "theirs")
    for_c = _choices(client_for(_presenter(sessions[3])), learning_set, "theirs")

    assert f"{name}: session" not in for_b
    assert f"{_presenter(sessions[3]).profile.display_name}: session 3" in for_b
    assert f"{name}: session 1" in for_c  # A is free at session 3
