from __future__ import annotations

import pytest
from django.core.management import call_command

from feedback.models import Evaluation
from feedback.reports import programme_report
from members.models import Profile, Sector, User
from pairing.models import Membership, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development(settings):
    # The demo is for `make run` (DEBUG on); pytest-django runs tests with DEBUG off.
    settings.DEBUG = True


def test_demo_data_loads_a_community_and_prints_the_organiser_login(capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert "organiser@example.org / coffee-demo-2026" in out
    assert User.objects.filter(is_staff=True).count() == 1
    assert User.objects.filter(is_staff=False).count() == 30
    assert {"north-west-coffee", "new-professionals-mentoring", "search-buddies"} <= set(
        Programme.objects.values_list("slug", flat=True)
    )
    assert Profile.objects.values("sector").distinct().count() >= 5
    assert Profile.objects.values("region").distinct().count() >= 5
    assert set(Profile.objects.values_list("sector", flat=True)) <= set(Sector.values)


def test_each_demo_profile_reads_as_one_person():
    """No school librarian at an NHS body in public libraries, no trainee who is head of
    service: the organisation, sector, job title and role fit together."""
    call_command("load_demo")

    for p in Profile.objects.exclude(user__is_staff=True):
        if "NHS" in p.organisation:
            assert p.sector == Sector.HEALTH, p
        if p.job_title == "School librarian":
            assert p.sector == Sector.SCHOOL, p
        if p.organisation in ("University of Salford", "Cardiff University"):
            assert p.sector == Sector.ACADEMIC, p
        assert (p.role_band == "manager") == p.job_title.startswith("Head of"), p
        if "trainee" in p.job_title or "assistant" in p.job_title:
            assert p.role_band == "assistant", p
        if "trainee" in p.job_title:
            assert p.experience == 0, p  # new to the profession, not "15 years or more"
        assert p.about.startswith(f"{p.job_title} at {p.organisation}."), p


def test_demo_round_has_feedback_for_the_evidence_pages_but_not_from_member01():
    call_command("load_demo")

    coffee = Programme.objects.get(slug="north-west-coffee")
    report = programme_report(programme=coffee)
    assert report["evaluations"] >= 10
    assert report["mean_usefulness"] is not None
    assert Evaluation.objects.filter(share_takeaway=True).exists()
    assert not Evaluation.objects.filter(user__email="member01@example.org").exists()


def test_demo_data_is_loaded_once_however_often_it_runs():
    call_command("load_demo")
    call_command("load_demo")

    assert User.objects.count() == 31
    assert Membership.objects.filter(programme__slug="north-west-coffee").count() == 30


def test_demo_search_review_has_evidence_and_a_strategy_waiting_for_member01():
    from feedback.models import Strategy
    from feedback.strategies.evidence import strategy_evidence
    from pairing.models import MatchMember

    call_command("load_demo")

    programme = Programme.objects.get(slug="search-buddies")
    figures = strategy_evidence(programme=programme)
    exact = strategy_evidence(programme=programme, exact=True)
    assert figures["shared"] >= 10 and exact["reviews"] >= 10
    # The pack withholds "reviews completed" exactly when it would tell that 1-4 shared
    # strategies went unreviewed (which of them depends on who the engine paired).
    unreviewed = abs(exact["shared"] - exact["reviews"])
    assert (figures["reviews"] is None) == (1 <= unreviewed <= 4)
    if figures["reviews"] is not None:
        assert figures["reviews"] == exact["reviews"]
    # The pack leaves out "9 of 14 revised": beside 17 shared it would tell that 3 were
    # not reviewed (walk 18); the organiser page shows it.
    assert strategy_evidence(programme=programme, exact=True)["revised"] is not None
    assert any(cell.value for cell in figures["elements"])
    latest = programme.rounds.order_by("-number").first()
    seat = MatchMember.objects.get(pairing_round=latest, user__email="member01@example.org")
    authors = set(Strategy.objects.filter(match=seat.match).values_list("author__email", flat=True))
    assert authors and "member01@example.org" not in authors


def test_demo_rounds_have_the_same_seeds_every_time_so_make_run_pairs_the_same_people():
    from django.db import transaction

    from pairing.models import Round

    def load_and_read():
        call_command("load_demo")
        return sorted(Round.objects.values_list("programme__slug", "number", "seed"))

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            first = load_and_read()
            raise Undo
    except Undo:
        pass
    assert not Round.objects.exists()

    assert len(first) >= 4
    assert load_and_read() == first


def test_demo_data_refuses_to_load_with_debug_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False

    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_learning_sets_are_mid_cycle_with_two_sessions_held_and_member01_to_check_in():
    import random

    from django.utils import timezone

    from members.demo_sets import demo_learning_sets
    from pairing.sets.models import LearningSet, Session, SessionCheckIn
    from pairing.sets.selectors import dashboard_sessions, set_member_ids

    call_command("load_demo")
    demo_learning_sets(  # a second load adds nothing
        organiser=User.objects.get(is_staff=True), rng=random.Random(1)
    )

    programme = Programme.objects.get(slug="action-learning-sets")
    sets = LearningSet.objects.filter(cycle__programme=programme)
    assert sets.count() == 2
    assert all(len(set_member_ids(s)) == 5 for s in sets)
    now = timezone.now()
    for learning_set in sets:
        held = learning_set.sessions.filter(starts_at__lte=now)
        assert held.count() == 2 and learning_set.sessions.count() == 6
    assert SessionCheckIn.objects.filter(session__number=1).count() == 10
    member01 = User.objects.get(email="member01@example.org")
    (row,) = dashboard_sessions(user=member01)
    assert row["next"].number == 3
    assert row["checkin"] == Session.objects.get(learning_set=row["set"], number=2)


def test_demo_has_invitations_in_each_state_for_the_organiser_to_see(client):
    from members.invitations.selectors import invitations_pending

    call_command("load_demo")
    coffee = Programme.objects.get(slug="north-west-coffee")
    client.force_login(User.objects.get(email="organiser@example.org"))

    assert invitations_pending([coffee.pk]) == {coffee.pk: 3}
    from django.urls import reverse

    page = client.get(reverse("admin:members_invitation_programme", args=[coffee.pk]))
    page = page.content.decode()
    assert "Harriet Hughes" in page and "Peter Quinn" in page and "Rosa Delgado" in page
    call_command("load_demo")  # loading twice adds nothing
    assert invitations_pending([coffee.pk]) == {coffee.pk: 3}
