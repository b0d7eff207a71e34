"""Pages stay fast as a network grows: no page makes more than 20 queries, a member's
pages make the same number of queries after years of rounds as after one, and the admin
lists make the same number at 100 rows as at 10."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.services import evaluation_submit
from members.models import Interest, User
from pairing import rounds
from pairing.models import Block, Concern, Match, MatchMember, Membership, Programme, Round
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20
FIRST = dt.date(2026, 1, 5)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries)


def _members(programme: Programme, count: int) -> list[User]:
    users = [UserFactory() for _ in range(count)]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def _round(programme: Programme, number: int) -> Round:
    """Run the programme's round `number` (a month apart) and have everyone evaluate
    it, some sharing a takeaway and writing to the organisers."""
    day = FIRST + dt.timedelta(days=30 * number)
    pairing_round = rounds.round_run(
        pairing_round=rounds.round_plan(programme=programme, scheduled_for=day),
        now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
    )
    topic = Interest.objects.first()
    seats = MatchMember.objects.filter(match__pairing_round=pairing_round).select_related(
        "match__pairing_round__programme", "user"
    )
    for n, seat in enumerate(seats):
        data = {"met": "yes", "usefulness": 4, "minutes": 30, "meet_again": "yes"}
        if n % 3 == 0:
            data |= {"takeaway": f"Takeaway {n}", "share_takeaway": True}
        if n % 4 == 0:
            data["private_comment"] = "Thank you for organising this."
        evaluation_submit(
            match=seat.match,
            user=seat.user,
            data=data,
            topics=[topic],
            now=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(days=7),
        )
    return pairing_round


def _member_pages(user: User, programme: Programme) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    match = Match.objects.filter(members__user=user).order_by("-pk").first()
    urls = {
        "dashboard": "/me/",
        "CPD record": "/me/cpd/",
        "profile": "/me/profile/",
        "email settings": "/me/emails/",
        "programmes": "/programmes/",
        "programme": f"/programmes/{programme.slug}/",
        "latest match": f"/programmes/matches/{match.pk}/",
        "takeaways": "/takeaways/",
    }
    return {page: _queries(client, url) for page, url in urls.items()}


def test_member_pages_make_as_many_queries_after_years_of_rounds_as_after_one():
    programme = ProgrammeFactory(name="Coffee", slug="coffee")
    InterestFactory(name="Systematic searching")
    users = _members(programme, 12)
    _round(programme, 0)
    first = _member_pages(users[0], programme)

    for number in range(1, 5):
        _round(programme, number)
    later = _member_pages(users[0], programme)

    assert later == first, "a member's page makes more queries as rounds accumulate"
    too_many = {url: n for url, n in later.items() if n > MAX_QUERIES}
    assert not too_many, f"pages over {MAX_QUERIES} queries: {too_many}"


ADMIN_LISTS = [
    "admin:members_user_changelist",
    "admin:members_interest_changelist",
    "admin:pairing_membership_changelist",
    "admin:pairing_round_changelist",
    "admin:pairing_concern_changelist",
    "admin:pairing_block_changelist",
]


def _admin_counts(client: Client) -> dict[str, int]:
    return {name: _queries(client, reverse(name)) for name in ADMIN_LISTS}


def _grow(programme: Programme, organiser: User, rows: int) -> None:
    """At least `rows` rows in each list: members (and memberships), topics, rounds,
    concerns and blocks (each in a match of the programme)."""
    for n in range(Interest.objects.count(), rows):
        InterestFactory(name=f"Topic {n}")
    users = _members(programme, max(rows - Membership.objects.count(), 0))
    for n in range(Round.objects.filter(programme=programme).count(), rows):
        Round.objects.create(
            programme=programme,
            number=1000 + n,
            scheduled_for=FIRST.replace(year=2030) + dt.timedelta(days=n),
            seed=n,
        )
    users = list(User.objects.filter(memberships__programme=programme).order_by("pk"))
    round_list = list(Round.objects.filter(programme=programme).order_by("number"))
    for n in range(Concern.objects.count(), rows):
        # A member sits once per round: each concern's match is in a round of its own.
        pairing_round = round_list[n]
        one, other = users[n % len(users)], users[(n + 1) % len(users)]
        match = Match.objects.create(pairing_round=pairing_round, score=1)
        MatchMember.objects.create(match=match, user=one, pairing_round=pairing_round)
        MatchMember.objects.create(match=match, user=other, pairing_round=pairing_round)
        Concern.objects.create(reporter=one, match=match, text="Rude.")
        Block.objects.get_or_create(user=one, blocked=other)
    assert Block.objects.count() >= rows


def test_admin_lists_make_as_many_queries_at_100_rows_as_at_10(organiser):
    programme = ProgrammeFactory(name="Coffee", slug="coffee")
    programme.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)
    _grow(programme, organiser, 10)
    small = _admin_counts(client)

    _grow(programme, organiser, 100)
    large = _admin_counts(client)

    assert large == small, "an admin list makes a query per row"
    too_many = {name: n for name, n in large.items() if n > MAX_QUERIES}
    assert not too_many, f"lists over {MAX_QUERIES} queries: {too_many}"


def test_every_admin_list_loads_within_the_query_budget(organiser):
    programme = ProgrammeFactory(name="Coffee", slug="coffee")
    programme.organisers.add(organiser)
    InterestFactory(name="Systematic searching")
    _members(programme, 6)
    _round(programme, 0)
    client = Client()
    client.force_login(organiser)

    counts = {
        f"{model._meta.app_label}.{model._meta.model_name}": _queries(
            client,
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        )
        for model in admin.site._registry
    }

    too_many = {name: n for name, n in counts.items() if n > MAX_QUERIES}
    assert not too_many, f"lists over {MAX_QUERIES} queries: {too_many}"


def _sets_page_queries(client: Client, members: int) -> int:
    """The organisers' sets page of a cycle formed from `members` members (sets of 5),
    with a member gone from each set, a session moved and one cancelled."""
    from django.utils import timezone

    from pairing.sets import services
    from pairing.sets.selectors import set_host_id, set_member_ids
    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme(name=f"Sets {members}", slug=f"sets-{members}")
    join(programme, members)
    cycle, sets = form_cycle(programme, now=timezone.now())
    organiser = User.objects.filter(is_superuser=True).first()
    for learning_set in sets:
        leaver = User.objects.get(pk=set_member_ids(learning_set)[-1])
        services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())
        second, third = learning_set.sessions.filter(number__in=(2, 3)).order_by("number")
        by = User.objects.get(pk=set_host_id(learning_set))
        # A week on: each set keeps its slot, so none lands on another set's room and time.
        later = second.starts_at + dt.timedelta(weeks=1)
        services.session_move(session=second, by=by, starts_at=later, now=timezone.now())
        services.session_cancel(session=third, by=organiser, now=timezone.now())
    return _queries(client, reverse("admin:pairing_cycle_sets", args=[cycle.pk]))


def test_the_organisers_sets_page_makes_as_many_queries_for_4_sets_as_for_2(admin_client):
    two = _sets_page_queries(admin_client, 10)
    assert _sets_page_queries(admin_client, 20) == two, "the sets page makes queries per set"
    assert two <= MAX_QUERIES


def test_the_dashboard_makes_no_more_queries_once_a_sets_cycle_is_over():
    from django.utils import timezone

    from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme

    programme = learning_set_programme()
    member = join(programme, 5)[0]
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    client = Client()
    client.force_login(member)
    hold_sessions(learning_set, 5)
    running = _queries(client, "/me/")

    learning_set.sessions.filter(number=6).update(
        starts_at=timezone.now() - dt.timedelta(hours=5),
        ends_at=timezone.now() - dt.timedelta(hours=2),
    )
    over = _queries(client, "/me/")

    assert over == running
