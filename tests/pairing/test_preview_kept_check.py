"""The round preview keeps what its last check of the draft computed: looking at the
page again (or at its confirmation) does not run the matching again while nothing it
depends on changed, an organiser's swap or move brings the kept check up to date for the
groups it changed, and a member who left or changed their profile since is still
noticed (their group is broken up, the organiser is told)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import MembershipStatus, Round
from tests.pairing.set_helpers import join

pytestmark = pytest.mark.django_db


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the matching ran again")


def _previewed(client, programme, members: int = 30) -> tuple[Round, str]:
    """A programme that ran a round last month, and the organiser's preview of the next:
    more members than the small-pool rules cover, and one nobody can meet (in person,
    alone in their region) left out."""
    join(programme, members)
    join(programme, 1, meeting_format="in_person", region="london")
    today = timezone.localdate()
    first = rounds.round_plan(programme=programme, scheduled_for=today - dt.timedelta(days=30))
    rounds.round_run(
        pairing_round=first,
        now=dt.datetime.combine(today - dt.timedelta(days=30), dt.time(9), tzinfo=dt.UTC),
    )
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=today)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    assert client.get(url).status_code == 200  # forms the groups and checks them
    pairing_round.refresh_from_db()
    return pairing_round, url


def _shown(preview: rounds.Preview) -> dict:
    """Everything the page shows of a preview, without model instances."""
    return {
        "groups": [
            {
                **g,
                "members": [(m.user_id, m.unmet) for m in g["members"]],
                "host": g["host"].user_id if g["host"] else None,
            }
            for g in preview.groups
        ],
        "unplaced": [
            {**u, "membership": (u["membership"].user_id, u["membership"].unmet)}
            for u in preview.unplaced
        ],
        "warnings": preview.warnings,
        "totals": (preview.objective, preview.bound, preview.resized, len(preview.ineligible)),
    }


def _full_check(pairing_round: Round) -> tuple[dict, dict]:
    """What re-checking the draft from scratch shows, and the draft it would keep."""
    twin = Round.objects.select_related("programme").get(pk=pairing_round.pk)
    twin.draft.pop("view", None)
    shown = _shown(rounds.round_preview(pairing_round=twin, today=timezone.localdate()))
    return shown, {k: v for k, v in twin.draft.items() if k != "view"}


def test_looking_again_at_the_preview_and_its_confirmation_runs_no_matching(
    organiser_client, programme, monkeypatch
):
    pairing_round, url = _previewed(organiser_client, programme)
    before = _shown(rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate()))
    monkeypatch.setattr("pairing.rounds.preview.round_solve", _refuse)

    assert organiser_client.get(url).status_code == 200
    assert organiser_client.get(url + "?confirm=1").status_code == 200
    pairing_round.refresh_from_db()
    again = rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate())

    assert _shown(again) == before


def test_a_member_who_left_since_the_check_is_still_noticed(organiser_client, programme):
    pairing_round, url = _previewed(organiser_client, programme)
    gone = pairing_round.draft["groups"][0]["members"][0]
    programme.memberships.filter(user_id=int(gone)).update(status=MembershipStatus.LEFT)

    body = organiser_client.get(url).content.decode()

    assert "stopped taking part in this round" in body
    pairing_round.refresh_from_db()
    assert gone not in {m for g in pairing_round.draft["groups"] for m in g["members"]}


def test_a_left_out_member_who_changed_their_profile_since_the_check_is_placed(
    organiser_client, programme
):
    pairing_round, url = _previewed(organiser_client, programme)
    (left_out,) = pairing_round.draft["unplaced"]
    membership = programme.memberships.get(user_id=int(left_out["id"]))
    membership.user.profile.meeting_format = "online"
    membership.user.profile.save()

    assert organiser_client.get(url).status_code == 200

    # Now meeting online, they join a group with room, as a re-check always did.
    pairing_round.refresh_from_db()
    assert left_out["id"] in {m for g in pairing_round.draft["groups"] for m in g["members"]}
    assert pairing_round.draft["unplaced"] == []


def _first_made(client, url: str, pairing_round: Round, edits: list[dict]) -> dict:
    """Post `edits` in turn until one is made (the rules refuse some: who met whom last
    round differs from run to run); the one made."""
    for edit in edits:
        before = pairing_round.draft["groups"]
        assert client.post(url, edit).status_code == 302
        pairing_round.refresh_from_db()
        if pairing_round.draft["groups"] != before:
            return edit
    raise AssertionError("every edit was refused")


def test_after_a_swap_and_a_move_the_page_shows_what_a_full_re_check_shows(
    organiser_client, programme, monkeypatch
):
    pairing_round, url = _previewed(organiser_client, programme)
    groups = pairing_round.draft["groups"]
    swaps = [
        {"action": "swap", "member": groups[0]["members"][0], "other": other}
        for g in groups[1:]
        for other in g["members"]
    ]
    swap = _first_made(organiser_client, url, pairing_round, swaps)
    assert swap["other"] in pairing_round.draft["groups"][0]["members"]
    groups = pairing_round.draft["groups"]
    moves = [
        {"action": "move", "member": member, "group": "2"}
        for g in groups[3:]
        for member in g["members"]
    ]
    _first_made(organiser_client, url, pairing_round, moves)
    assert pairing_round.draft["groups"][2]["resized"]  # a group of three now

    monkeypatch.setattr("pairing.rounds.preview.round_solve", _refuse)
    assert organiser_client.get(url).status_code == 200  # the kept check, brought up to date
    pairing_round.refresh_from_db()
    kept = _shown(rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate()))
    draft = {k: v for k, v in pairing_round.draft.items() if k != "view"}
    monkeypatch.undo()

    assert (kept, draft) == _full_check(pairing_round)
    assert any("left without a group by an organiser" in w for w in kept["warnings"])


def test_a_lock_keeps_the_check(organiser_client, programme, monkeypatch):
    _pairing_round, url = _previewed(organiser_client, programme)
    monkeypatch.setattr("pairing.rounds.preview.round_solve", _refuse)

    organiser_client.post(url, {"action": "lock", "group": "0"})
    body = organiser_client.get(url).content.decode()

    assert "Unlock group 1" in body


def test_the_first_look_after_the_worker_formed_the_groups_runs_no_matching(
    organiser_client, programme, monkeypatch
):
    join(programme, 30)
    today = timezone.localdate()
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=today)
    now = timezone.now()
    assert rounds.preview_claim(pairing_round=pairing_round, now=now, members=30)
    assert rounds.preview_form(
        round_id=pairing_round.pk, claimed_at=now, today=today, reshuffle=True
    )
    monkeypatch.setattr("pairing.rounds.preview.round_solve", _refuse)

    response = organiser_client.get(reverse("admin:pairing_round_preview", args=[pairing_round.pk]))

    assert response.status_code == 200
    assert 'id="preview-groups"' in response.content.decode()
