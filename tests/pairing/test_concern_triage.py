"""Triage in the admin: concerns with a status, a handler and organisers' notes, listed by
programme, round, reporter and partner; the blocks members made. Each organiser sees
their own programmes' rows only (another programme's row is a 404); the reporter never
sees the notes; lists make the same number of queries for 5 rows as for 40."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.exports import member_name
from members.services import member_delete
from pairing.models import Block, Concern
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round

pytestmark = pytest.mark.django_db
CONCERNS = "admin:pairing_concern_changelist"
BLOCKS = "admin:pairing_block_changelist"


def _concern(programme, *, reporter=None, partner=None, text="They were rude.", **fields):
    reporter = reporter or UserFactory(profile__display_name="Ada Lovelace")
    partner = partner or UserFactory(profile__display_name="Grace Hopper")
    number = programme.rounds.count() + 1
    match = make_match(make_round(programme, number), reporter, partner)
    return Concern.objects.create(reporter=reporter, match=match, text=text, **fields)


def _staff_organiser(*programmes, name="Olive Organiser"):
    user = UserFactory(is_staff=True, profile__display_name=name)
    for programme in programmes:
        programme.organisers.add(user)
    client = Client()
    client.force_login(user)
    return user, client


def test_the_list_names_programme_round_reporter_and_partner(organiser_client):
    programme = ProgrammeFactory(name="North West coffee")
    _concern(programme)

    body = organiser_client.get(reverse(CONCERNS)).content.decode()

    assert "North West coffee" in body
    assert "Round 1 (6 Jan 2026)" in body
    assert "Ada Lovelace" in body and "Grace Hopper" in body
    assert "New" in body


def test_filters_by_status_and_programme(organiser_client):
    north, south = ProgrammeFactory(name="North"), ProgrammeFactory(name="South")
    _concern(north, text="north new")
    _concern(north, text="north closed", status="closed")
    _concern(south, text="south new")

    by_status = organiser_client.get(reverse(CONCERNS), {"status__exact": "closed"})
    both = organiser_client.get(
        reverse(CONCERNS), {"status__exact": "new", "programme": str(north.pk)}
    )

    assert [c.text for c in by_status.context["cl"].result_list] == ["north closed"]
    assert [c.text for c in both.context["cl"].result_list] == ["north new"]


def test_an_organiser_triages_status_handler_and_notes(client):
    programme = ProgrammeFactory(name="North West coffee")
    concern = _concern(programme)
    organiser, client = _staff_organiser(programme)
    url = reverse("admin:pairing_concern_change", args=[concern.pk])

    form = client.get(url)
    response = client.post(
        url,
        {"status": "in_progress", "handler": str(organiser.pk), "notes": "Phoned Ada."},
    )

    assert form.status_code == 200
    assert "Olive Organiser" in form.content.decode()  # handlers by name
    assert "add_id_handler" not in form.content.decode()  # no "add a user" from here
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.handler, concern.notes) == (
        "in_progress",
        organiser,
        "Phoned Ada.",
    )
    assert concern.text == "They were rude."  # the member's words are not the organiser's


def test_an_organiser_sees_only_their_own_programmes_concerns(client):
    mine, theirs = ProgrammeFactory(name="Mine"), ProgrammeFactory(name="Theirs")
    _concern(mine, text="mine")
    other = _concern(theirs, text="theirs")
    _organiser, client = _staff_organiser(mine)

    listed = client.get(reverse(CONCERNS))
    change = client.get(reverse("admin:pairing_concern_change", args=[other.pk]))
    post = client.post(
        reverse("admin:pairing_concern_change", args=[other.pk]),
        {"status": "closed", "notes": "x"},
    )
    filtered = client.get(reverse(CONCERNS), {"programme": str(theirs.pk)})
    history = client.get(reverse("admin:pairing_concern_history", args=[other.pk]))

    assert [c.text for c in listed.context["cl"].result_list] == ["mine"]
    assert change.status_code == 404
    assert post.status_code == 404
    assert history.status_code == 404
    other.refresh_from_db()
    assert other.status == "new" and other.notes == ""
    assert list(filtered.context["cl"].result_list) == []
    assert "Theirs" not in listed.content.decode()  # not even in the programme filter


def test_a_member_is_refused_the_triage_list(member_client):
    concern = _concern(ProgrammeFactory())

    assert member_client.get(reverse(CONCERNS)).status_code == 302  # to the admin log-in
    change = member_client.get(reverse("admin:pairing_concern_change", args=[concern.pk]))
    assert change.status_code == 302


def test_nobody_adds_or_deletes_a_concern_in_the_admin(organiser_client):
    concern = _concern(ProgrammeFactory())

    assert organiser_client.get(reverse("admin:pairing_concern_add")).status_code == 403
    delete = reverse("admin:pairing_concern_delete", args=[concern.pk])
    assert organiser_client.post(delete, {"post": "yes"}).status_code == 403
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_the_reporter_never_sees_the_notes(organiser_client):
    programme = ProgrammeFactory()
    concern = _concern(programme)
    concern.notes = "Secret: spoke to the partner's manager."
    concern.save()
    reporter = Client()
    reporter.force_login(concern.reporter)

    match_page = reporter.get(reverse("pairing:match_detail", args=[concern.match_id]))
    export = reporter.get(reverse("members:data_export"))

    assert match_page.status_code == 200
    assert "Secret" not in match_page.content.decode()
    exported = json.dumps(json.loads(export.content))
    assert "They were rude." in exported  # their own words are theirs
    assert "Secret" not in exported


def test_the_concern_list_queries_stay_flat(organiser_client, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for _ in range(5):
        _concern(programme)
    organiser_client.get(reverse(CONCERNS))  # warm the content types and session
    with CaptureQueriesContext(connection) as few:
        organiser_client.get(reverse(CONCERNS))
    for _ in range(35):
        _concern(programme)

    with django_assert_max_num_queries(len(few)) as many:
        response = organiser_client.get(reverse(CONCERNS))

    assert len(response.context["cl"].result_list) == 40
    sql = " ".join(q["sql"] for q in many.captured_queries).lower()
    assert "snapshot" not in sql and "draft" not in sql


# Blocks


def _block(programme_of_both=None, *, asker="Ada Lovelace", blocked="Grace Hopper"):
    user = UserFactory(profile__display_name=asker)
    other = UserFactory(profile__display_name=blocked)
    if programme_of_both is not None:
        MembershipFactory(user=user, programme=programme_of_both)
        MembershipFactory(user=other, programme=programme_of_both, status="left")
    return Block.objects.create(user=user, blocked=other)


def test_a_block_is_shown_to_organisers_of_a_programme_both_members_are_in(client):
    shared = ProgrammeFactory(name="Shared")
    block = _block(shared)
    _organiser, client = _staff_organiser(shared)

    response = client.get(reverse(BLOCKS))

    body = response.content.decode()
    assert list(response.context["cl"].result_list) == [block]
    assert "Ada Lovelace" in body and "Grace Hopper" in body and "Shared" in body


def test_a_block_is_hidden_from_organisers_of_a_programme_only_one_member_is_in(client):
    one_side = ProgrammeFactory(name="One side")
    block = _block()
    MembershipFactory(user=block.user, programme=one_side)
    _block(ProgrammeFactory(name="Elsewhere"), asker="Alan Turing", blocked="Joan Clarke")
    _organiser, client = _staff_organiser(one_side)

    response = client.get(reverse(BLOCKS))
    change = client.get(reverse("admin:pairing_block_change", args=[block.pk]))
    history = client.get(reverse("admin:pairing_block_history", args=[block.pk]))

    assert history.status_code == 404
    assert list(response.context["cl"].result_list) == []
    assert "Ada Lovelace" not in response.content.decode()
    assert "Alan Turing" not in response.content.decode()
    assert change.status_code == 404


def test_a_superuser_sees_every_block_and_nobody_changes_one(organiser_client):
    block = _block()

    response = organiser_client.get(reverse(BLOCKS))
    post = organiser_client.post(
        reverse("admin:pairing_block_change", args=[block.pk]), {"blocked": ""}
    )

    assert list(response.context["cl"].result_list) == [block]
    assert post.status_code == 403
    assert organiser_client.get(reverse("admin:pairing_block_add")).status_code == 403


def test_the_block_list_filters_by_programme(organiser_client):
    north, south = ProgrammeFactory(name="North"), ProgrammeFactory(name="South")
    in_north = _block(north)
    _block(south, asker="Alan Turing", blocked="Joan Clarke")

    response = organiser_client.get(reverse(BLOCKS), {"programme": str(north.pk)})

    assert list(response.context["cl"].result_list) == [in_north]


def test_the_block_list_queries_stay_flat(organiser_client, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    _staff_organiser(programme)
    for _ in range(5):
        _block(programme)
    organiser_client.get(reverse(BLOCKS))
    with CaptureQueriesContext(connection) as few:
        organiser_client.get(reverse(BLOCKS))
    for _ in range(35):
        _block(programme)

    with django_assert_max_num_queries(len(few)):
        response = organiser_client.get(reverse(BLOCKS))

    assert len(response.context["cl"].result_list) == 40


def test_handlers_offered_are_co_organisers_and_whoever_handles_it_now(client):
    programme, elsewhere = ProgrammeFactory(name="Mine"), ProgrammeFactory(name="Elsewhere")
    stranger = UserFactory(is_staff=True, profile__display_name="Sam Stranger")
    elsewhere.organisers.add(stranger)
    colleague = UserFactory(is_staff=True, profile__display_name="Cora Colleague")
    programme.organisers.add(colleague)
    concern = _concern(programme, handler=stranger)
    _organiser, client = _staff_organiser(programme)
    url = reverse("admin:pairing_concern_change", args=[concern.pk])

    choices = client.get(url).context["adminform"].form.fields["handler"].queryset
    saved = client.post(
        url, {"status": "closed", "handler": str(stranger.pk), "notes": "Sam dealt with it."}
    )
    other = _concern(programme)
    fresh = client.get(reverse("admin:pairing_concern_change", args=[other.pk]))

    assert {member_name(u) for u in choices} == {
        "Olive Organiser",
        "Cora Colleague",
        "Sam Stranger",
    }
    assert saved.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.handler == stranger
    offered = fresh.context["adminform"].form.fields["handler"].queryset
    assert "Sam Stranger" not in {member_name(u) for u in offered}


def test_a_concern_says_how_to_reach_the_people_and_links_its_round(organiser_client):
    programme = ProgrammeFactory(name="North West coffee")
    reporter = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    partner = UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")
    concern = _concern(programme, reporter=reporter, partner=partner)

    body = organiser_client.get(
        reverse("admin:pairing_concern_change", args=[concern.pk])
    ).content.decode()

    assert 'Ada Lovelace (reported it): <a href="mailto:ada@example.org">' in body
    assert 'Grace Hopper (in the introduction): <a href="mailto:grace@example.org">' in body
    progress = reverse("admin:pairing_round_progress", args=[concern.match.pairing_round_id])
    assert f'<a href="{progress}">Round 1 (6 Jan 2026)</a>' in body


def test_a_concern_whose_reporter_deleted_their_account_says_so_before_the_others(
    organiser_client,
):
    reporter = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    partner = UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")
    concern = _concern(ProgrammeFactory(), reporter=reporter, partner=partner)
    member_delete(user=reporter)

    body = organiser_client.get(
        reverse("admin:pairing_concern_change", args=[concern.pk])
    ).content.decode()

    gone = "The member who reported it has since deleted their account: they cannot be contacted."
    assert gone in body
    assert body.index(gone) < body.index("Grace Hopper (in the introduction)")


def test_a_partner_who_deleted_their_account_is_said_not_dropped(organiser_client):
    """Walk 29: the detail page listed only the reporter, as if they had been alone."""
    reporter = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    partner = UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")
    concern = _concern(ProgrammeFactory(), reporter=reporter, partner=partner)
    member_delete(user=partner)

    body = organiser_client.get(
        reverse("admin:pairing_concern_change", args=[concern.pk])
    ).content.decode()

    assert (
        "A member of the introduction has since deleted their account: they cannot be "
        "contacted." in body
    )
    assert 'Ada Lovelace (reported it): <a href="mailto:ada@example.org">' in body
    assert "The member who reported it" not in body


def test_a_concerns_history_names_the_organiser_by_their_name(organiser_client):
    concern = _concern(ProgrammeFactory())
    organiser_client.post(
        reverse("admin:pairing_concern_change", args=[concern.pk]),
        {"status": "in_progress", "handler": "", "notes": "Called Ada."},
    )

    body = organiser_client.get(
        reverse("admin:pairing_concern_history", args=[concern.pk])
    ).content.decode()

    assert "None None" not in body
    assert "Olive Organiser" in body


def test_a_report_added_to_an_earlier_one_links_to_it(organiser_client):
    """A member adds to a concern by reporting again (the match page says so): each
    report's page links to the reporter's other reports about the same introduction."""
    first = _concern(ProgrammeFactory(name="North West coffee"), text="They were rude.")
    added = Concern.objects.create(reporter=first.reporter, match=first.match, text="Again.")
    someone_else = Concern.objects.create(
        reporter=first.match.members.exclude(user=first.reporter).get().user,
        match=first.match,
        text="Mine.",
    )

    page = organiser_client.get(reverse("admin:pairing_concern_change", args=[added.pk]))
    body = page.content.decode()
    alone = organiser_client.get(reverse("admin:pairing_concern_change", args=[someone_else.pk]))

    assert "their other reports about this introduction" in body.lower()
    assert reverse("admin:pairing_concern_change", args=[first.pk]) in body
    assert reverse("admin:pairing_concern_change", args=[someone_else.pk]) not in body
    assert reverse("admin:pairing_concern_change", args=[first.pk]) not in alone.content.decode()


def test_a_concern_is_named_with_its_date_in_words(organiser_client):
    """Walk 29: the change page's heading read "Concern from Ada Lovelace (2026-12-07)"."""
    from django.utils import timezone

    concern = _concern(ProgrammeFactory())
    day = timezone.localtime(concern.created_at)

    body = organiser_client.get(
        reverse("admin:pairing_concern_change", args=[concern.pk])
    ).content.decode()

    assert f"Concern from Ada Lovelace ({day.day} {day:%B %Y})" in body
    assert f"{day:%Y-%m-%d})" not in body


def test_closing_needs_a_note_and_names_who_closed_it(client):
    """Walk 29: a concern could be closed with no handler and no notes."""
    concern = _concern(ProgrammeFactory(name="North West coffee"))
    organiser, client = _staff_organiser(concern.match.pairing_round.programme)
    url = reverse("admin:pairing_concern_change", args=[concern.pk])

    refused = client.post(url, {"status": "closed", "handler": "", "notes": "  "})
    closed = client.post(url, {"status": "closed", "handler": "", "notes": "Spoke to both."})

    assert refused.status_code == 200
    assert "Before closing it, note what was done." in refused.content.decode()
    assert closed.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.handler, concern.notes) == (
        "closed",
        organiser,
        "Spoke to both.",
    )
