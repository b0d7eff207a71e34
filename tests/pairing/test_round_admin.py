from __future__ import annotations

import pytest
from django.urls import reverse

from pairing.models import Match, Round
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_members(programme):
    users = [
        UserFactory(profile__display_name=name)
        for name in ("Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson")
    ]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def _preview(client, programme):
    response = client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    pairing_round = Round.objects.get(programme=programme)
    assert response.url == reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    return pairing_round


def test_next_round_page_lists_who_is_not_eligible_and_why(
    organiser_client, programme, four_members
):
    unverified = UserFactory(verified=False, profile__display_name="Nadia Newcomer")
    MembershipFactory(user=unverified, programme=programme)

    body = organiser_client.get(
        reverse("admin:pairing_programme_next_round", args=[programme.pk])
    ).content.decode()

    assert "4 members eligible" in body
    assert "Nadia Newcomer" in body and "email address not verified" in body


def test_preview_shows_groups_and_saves_no_match(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)

    body = organiser_client.get(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    ).content.decode()

    assert "Ada Lovelace" in body and "Mary Jackson" in body
    assert "Open access, Systematic searching" in body
    assert Match.objects.count() == 0


def test_organiser_swaps_members_then_runs_after_confirming(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    groups = pairing_round.__class__.objects.get(pk=pairing_round.pk).draft["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    organiser_client.post(url, {"action": "swap", "member": a, "other": b})
    confirm = organiser_client.get(url + "?confirm=1").content.decode()
    response = organiser_client.post(url, {"action": "run"})

    assert "Run this round?" in confirm
    assert response.url == reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    pairing_round.refresh_from_db()
    assert pairing_round.status == "done"
    together = {
        tuple(sorted(str(s.user_id) for s in m.members.all())) for m in pairing_round.matches.all()
    }
    assert tuple(sorted([b, groups[0]["members"][1]])) in together
    progress = organiser_client.get(response.url).content.decode()
    assert "Introductions and notices delivered" in progress


def test_swap_within_one_group_is_refused_with_a_message(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    first = pairing_round.__class__.objects.get(pk=pairing_round.pk).draft["groups"][0]
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    response = organiser_client.post(
        url,
        {"action": "swap", "member": first["members"][0], "other": first["members"][1]},
        follow=True,
    )

    assert "Choose two members from different groups to swap." in response.content.decode()


def test_staff_who_do_not_organise_the_programme_are_refused(client, programme, four_members):
    helper = UserFactory(is_staff=True)
    client.force_login(helper)

    response = client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk]))

    assert response.status_code == 404


def test_reshuffle_says_whether_the_groups_changed(organiser_client, programme, four_members):
    programme.randomness = 0
    programme.save()
    pairing_round = _preview(organiser_client, programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    page = organiser_client.post(url, {"action": "reshuffle"}, follow=True).content.decode()

    assert "the same groups came out best again" in page
    assert "raise the programme" in page


def test_a_failed_round_page_leads_to_a_working_preview(organiser_client, programme, four_members):
    pairing_round = _preview(organiser_client, programme)
    Round.objects.filter(pk=pairing_round.pk).update(
        status="failed", error="the matching stopped with an unexpected error"
    )
    progress = reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    preview = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    failed_page = organiser_client.get(progress).content.decode()
    preview_page = organiser_client.get(preview)
    run = organiser_client.post(preview, {"action": "run"}, follow=True)

    assert "the matching stopped with an unexpected error" in failed_page
    assert f'href="{preview}"' in failed_page
    assert preview_page.status_code == 200
    assert "preview-groups" in preview_page.content.decode()
    assert Round.objects.get(pk=pairing_round.pk).status == "done"
    assert run.status_code == 200


def test_a_round_opens_on_its_preview_or_delivery_page_and_cannot_be_deleted(
    organiser_client, programme, four_members
):
    pairing_round = _preview(organiser_client, programme)
    change = reverse("admin:pairing_round_change", args=[pairing_round.pk])

    assert organiser_client.get(change).url == reverse(
        "admin:pairing_round_preview", args=[pairing_round.pk]
    )
    organiser_client.post(
        reverse("admin:pairing_round_preview", args=[pairing_round.pk]), {"action": "run"}
    )
    pairing_round.refresh_from_db()
    assert pairing_round.status == "done"
    assert organiser_client.get(change).url == reverse(
        "admin:pairing_round_progress", args=[pairing_round.pk]
    )

    listing = organiser_client.get(reverse("admin:pairing_round_changelist")).content.decode()
    deleted = organiser_client.post(
        reverse("admin:pairing_round_delete", args=[pairing_round.pk]), {"post": "yes"}
    )
    bulk = organiser_client.post(
        reverse("admin:pairing_round_changelist"),
        {"action": "delete_selected", "_selected_action": [pairing_round.pk], "post": "yes"},
    )

    assert "delete_selected" not in listing
    assert deleted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Round.objects.filter(pk=pairing_round.pk).exists()
    assert Match.objects.filter(pairing_round=pairing_round).count() == 2
