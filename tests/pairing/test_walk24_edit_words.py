"""Walk 24: an edit to the preview says what it did ("Ada Lovelace and Grace Hopper
swapped."), not only "Preview updated."."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from members.models import Profile
from pairing.models import Round
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NAMES = ("Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson")


@pytest.fixture
def previewed(organiser_client, programme) -> Round:
    for name in NAMES:
        MembershipFactory(user=UserFactory(profile__display_name=name), programme=programme)
    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    return Round.objects.get(programme=programme)


def _name(user_id: str) -> str:
    return Profile.objects.get(user_id=user_id).display_name


def _said(organiser_client, pairing_round: Round, data: dict) -> str:
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    return html.unescape(organiser_client.post(url, data, follow=True).content.decode())


def test_a_swap_names_the_two_members(organiser_client, previewed):
    groups = previewed.draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]

    page = _said(organiser_client, previewed, {"action": "swap", "member": a, "other": b})

    assert (
        f"Preview updated: {_name(a)} (now in group 2) and {_name(b)} (now in group 1) swapped."
    ) in page


def test_a_move_names_the_group_the_member_is_now_in(organiser_client, previewed):
    """Walk 25: moving one of a pair to group 2 breaks up group 1, so group 2 becomes
    group 1; the message names the group the member is in now, not the one posted."""
    a, b = previewed.draft["groups"][0]["members"]

    page = _said(organiser_client, previewed, {"action": "move", "member": a, "group": "1"})

    assert f"Preview updated: {_name(a)} moved to group 1. {_name(b)} now has no group" in page
    previewed.refresh_from_db()
    assert a in previewed.draft["groups"][0]["members"]


def test_lock_and_unlock_say_what_a_reshuffle_does(organiser_client, previewed):
    locked = _said(organiser_client, previewed, {"action": "lock", "group": "1"})
    unlocked = _said(organiser_client, previewed, {"action": "unlock", "group": "1"})

    assert "Preview updated: Group 2 locked: a reshuffle keeps it as it is." in locked
    assert "Preview updated: Group 2 unlocked: a reshuffle may form it afresh." in unlocked


def test_the_confirmation_asks_to_run_and_offers_no_edits_until_cancelled(
    organiser_client, previewed
):
    url = reverse("admin:pairing_round_preview", args=[previewed.pk])

    confirm = html.unescape(organiser_client.get(url + "?confirm=1").content.decode())
    preview = html.unescape(organiser_client.get(url).content.decode())

    named = f"{previewed.programme}: Round {previewed.number}"
    assert f"<h1>Run {named}?</h1>" in confirm
    assert 'value="lock"' not in confirm and 'value="move"' not in confirm
    assert "cancel and go back to the preview" in confirm
    assert f"<h1>Preview: {named}</h1>" in preview
    assert 'value="lock"' in preview and 'value="move"' in preview


def test_a_refused_swap_comes_back_with_its_choices_selected(organiser_client, previewed):
    a, b = previewed.draft["groups"][0]["members"]  # the same group: refused
    url = reverse("admin:pairing_round_preview", args=[previewed.pk])

    response = organiser_client.post(url, {"action": "swap", "member": a, "other": b})
    page = organiser_client.get(response.url).content.decode()

    assert response.url == f"{url}?chose=swap&member={a}&other={b}"
    swap = page.split('id="swap-member"')[1]
    assert f'<option value="{a}" selected>' in swap.split('id="swap-other"')[0]
    assert f'<option value="{b}" selected>' in swap.split('id="swap-other"')[1]
    move = page.split('id="move-member"')[1].split("</select>")[0]
    assert " selected>" not in move  # the move form is not the one refused


def test_an_edit_that_went_through_comes_back_with_fresh_forms(organiser_client, previewed):
    groups = previewed.draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    url = reverse("admin:pairing_round_preview", args=[previewed.pk])

    response = organiser_client.post(url, {"action": "swap", "member": a, "other": b})

    assert response.url == url


@pytest.mark.parametrize("value", ["²", "١٢", "x", ""])
def test_a_group_or_page_that_is_not_plain_digits_is_refused_in_words(
    organiser_client, previewed, value
):
    url = reverse("admin:pairing_round_preview", args=[previewed.pk])

    locked = organiser_client.post(url, {"action": "lock", "group": value, "page": value})
    moved = organiser_client.post(
        url, {"action": "move", "member": previewed.draft["groups"][0]["members"][0],
              "group_number": value, "page": value}, follow=True,
    )  # fmt: skip

    assert locked.status_code == 302
    assert "Choose a member and a different group to move them to." in moved.content.decode()
    previewed.refresh_from_db()
    assert not any(g["locked"] for g in previewed.draft["groups"])


def test_a_move_to_a_group_that_does_not_exist_says_which_groups_do(organiser_client, previewed):
    a = previewed.draft["groups"][0]["members"][0]

    for number, says in (("3", "There is no group 3"), ("0", "There is no group 0")):
        page = _said(
            organiser_client, previewed, {"action": "move", "member": a, "group_number": number}
        )
        assert f"{says}: choose a group from 1 to 2." in page


def test_someone_left_out_cannot_be_swapped_and_is_told_to_move_them(organiser_client, previewed):
    a, out = previewed.draft["groups"][0]["members"]
    _said(organiser_client, previewed, {"action": "move", "member": a, "group": "1"})  # out alone
    previewed.refresh_from_db()
    grouped = previewed.draft["groups"][0]["members"][0]

    page = _said(organiser_client, previewed, {"action": "swap", "member": out, "other": grouped})

    assert "Only members in groups can be swapped: move someone who has no group" in page
