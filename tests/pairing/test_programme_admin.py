"""Organisers in the admin: programme rules speak on the field, memberships are the
members' own (read-only)."""

from __future__ import annotations

import pytest

from pairing.models import Membership, MembershipStatus, Programme
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _programme_form(**overrides):
    data = {
        "name": "Action learning spring",
        "slug": "action-learning-spring",
        "description": "",
        "kind": "coffee",
        "signup_open": "on",
        "group_size": "2",
        "cadence_days": "28",
        "followup_days": "14",
        "strategy_due_days": "5",
        "sector_mix": "any",
        "avoid_same_organisation": "on",
        "repeat_window": "",
        "when_all_met": "repeat",
        "randomness": "3",
        "ground_rules": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"group_size": "9"}, "Coffee chat programmes use pairs: set the group size to 2."),
        ({"kind": "mentoring", "group_size": "4"}, "Mentoring programmes use pairs"),
        ({"kind": "learning_set", "group_size": "2"}, "groups of 4 to 7"),
        # A learning set of 8: the kind's range, not "from 2 (pairs) to 7".
        ({"kind": "learning_set", "group_size": "8"}, "groups of 4 to 7"),
        ({"randomness": "9999"}, "Choose a randomness from 0 to 20"),
        ({"next_round_on": "2020-01-01"}, "The next round date cannot be in the past"),
    ],
)
def test_programme_rules_are_errors_in_words_on_the_group_size(
    organiser_client, overrides, message
):
    response = organiser_client.post("/admin/pairing/programme/add/", _programme_form(**overrides))

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "pairing_programme" not in body  # never a constraint name
    assert 'value="Action learning spring"' in body  # nothing typed is lost
    assert not Programme.objects.filter(name="Action learning spring").exists()


def test_a_valid_learning_set_programme_is_saved(organiser_client):
    organiser_client.post(
        "/admin/pairing/programme/add/",
        _programme_form(kind="learning_set", group_size="5", ground_rules="Stays in the set."),
    )

    assert Programme.objects.get(name="Action learning spring").group_size == 5


def test_a_learning_set_needs_ground_rules_for_members_to_accept(organiser_client):
    response = organiser_client.post(
        "/admin/pairing/programme/add/",
        _programme_form(kind="learning_set", group_size="5", ground_rules="  "),
    )

    body = response.content.decode()
    assert "A learning set needs ground rules: members accept them when they join." in body
    assert 'value="Action learning spring"' in body  # nothing typed is lost
    assert not Programme.objects.filter(name="Action learning spring").exists()
    # Other kinds have none, and need none.
    organiser_client.post("/admin/pairing/programme/add/", _programme_form(kind="coffee"))
    assert Programme.objects.get(name="Action learning spring").ground_rules == ""


def test_organisers_cannot_make_a_departed_member_active_again(organiser_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme, status="left")

    page = organiser_client.get(f"/admin/pairing/membership/{membership.pk}/change/")
    posted = organiser_client.post(
        f"/admin/pairing/membership/{membership.pk}/change/", {"status": "active"}
    )

    membership.refresh_from_db()
    assert page.status_code == 200  # they may look
    assert b'name="status"' not in page.content
    assert posted.status_code == 403
    assert membership.status == MembershipStatus.LEFT


def test_organisers_cannot_delete_a_membership(organiser_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)

    response = organiser_client.post(
        f"/admin/pairing/membership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_concern_email_and_admin_name_the_people_never_a_match_id(organiser_client, settings):
    from django.core import mail

    from pairing.models import Concern, Match, MatchMember, Round
    from pairing.services import concern_report
    from tests.factories import ProgrammeFactory, UserFactory

    settings.ORGANISERS_EMAIL = "organisers@example.org"
    programme = ProgrammeFactory(name="Coffee North")
    ada = UserFactory(profile__display_name="Ada Lovelace")
    jan = UserFactory(profile__display_name="Jan Kowalski")
    pairing_round = Round.objects.create(
        programme=programme, number=1, scheduled_for="2026-12-01", seed=1
    )
    match = Match.objects.create(pairing_round=pairing_round)
    for user in (ada, jan):
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)

    concern_report(reporter=ada, match=match, text="They did not turn up.")
    listing = organiser_client.get("/admin/pairing/concern/").content.decode()

    body = mail.outbox[-1].body
    assert "about their introduction to Jan Kowalski in Coffee North, round 1" in body
    assert f"match {match.pk}" not in body
    # The triage list: programme, round, reporter and partner, each by name.
    for words in ("Coffee North", "Round 1 (1 Dec 2026)", "Ada Lovelace", "Jan Kowalski"):
        assert f">{words}<" in listing
    assert Concern.objects.count() == 1
    assert mail.outbox[-1].subject.endswith("Concern reported in Coffee North, round 1")

    # Added to the next day: the organisers are told it adds to the first report.
    first = Concern.objects.get()
    Concern.objects.filter(pk=first.pk).update(created_at="2026-12-02T10:00:00Z")
    concern_report(reporter=ada, match=match, text="And they have not replied since.")

    added = mail.outbox[-1]
    assert added.subject.endswith("Concern added to in Coffee North, round 1")
    assert "Ada Lovelace" in added.body.split("(")[0]
    assert "added to the concern they reported on 2 December 2026 about their" in added.body
    assert "And they have not replied since." in added.body


def test_an_old_programme_with_a_past_round_date_still_saves_other_changes(organiser_client):
    old = Programme.objects.create(
        name="Coffee", slug="coffee", next_round_on="2020-01-01", randomness=50
    )
    data = _programme_form(
        name="Coffee roulette", slug="coffee", next_round_on="2020-01-01", randomness="50"
    )

    response = organiser_client.post(f"/admin/pairing/programme/{old.pk}/change/", data)

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.name == "Coffee roulette"


def test_the_randomness_field_says_its_range_and_scale(organiser_client):
    body = organiser_client.get("/admin/pairing/programme/add/").content.decode()

    assert "From 0 to 20: each pair gains up to this many points by chance" in body


def test_the_cadence_says_learning_sets_follow_their_cycles(organiser_client):
    # Walk 39 chose "every ten weeks" for a learning set; its page said sessions every 8.
    body = organiser_client.get("/admin/pairing/programme/add/").content.decode()

    assert (
        "How often a new round matches members. Not used by action learning sets: each "
        "cycle sets how often its sessions meet, and the next cycle's sets form a week "
        "after its last session."
    ) in body
