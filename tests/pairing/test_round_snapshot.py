"""A round's engine input lives in its own table: a round, a match or anything joined to
them can be listed without reading megabytes of it, and a round that ran keeps it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from pairing import rounds
from pairing.models import MatchMember, Round, RoundSnapshot
from tests.factories import MembershipFactory, UserFactory

DAY = dt.date(2026, 12, 1)


def _run(programme):
    for _ in range(6):
        MembershipFactory(user=UserFactory(), programme=programme)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=DAY)
    rounds.round_preview(pairing_round=pairing_round, today=DAY)
    return rounds.round_run(
        pairing_round=Round.objects.get(pk=pairing_round.pk),
        now=dt.datetime.combine(DAY, dt.time(9), tzinfo=dt.UTC),
    )


@pytest.mark.django_db
def test_a_round_that_ran_keeps_its_input_apart_and_drops_its_preview(programme):
    pairing_round = _run(programme)

    problem = RoundSnapshot.objects.get(pairing_round=pairing_round).problem
    members = MatchMember.objects.filter(match__pairing_round=pairing_round)
    assert {m["id"] for m in problem["members"]} == {str(s.user_id) for s in members}
    assert Round.objects.get(pk=pairing_round.pk).draft is None


@pytest.mark.django_db
def test_rounds_and_what_joins_them_never_read_the_engine_input(programme):
    _run(programme)

    with CaptureQueriesContext(connection) as queries:
        list(Round.objects.all())
        list(MatchMember.objects.select_related("match__pairing_round__programme"))
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "pairing_roundsnapshot" not in sql
    assert '"problem"' not in sql


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_rounds_input_into_its_own_table():
    executor = MigrationExecutor(connection)
    executor.migrate([("pairing", "0011_concern_triage_outbox_address")])
    old = executor.loader.project_state([("pairing", "0011_concern_triage_outbox_address")]).apps
    programme = old.get_model("pairing", "Programme").objects.create(name="Old", slug="old")
    OldRound = old.get_model("pairing", "Round")
    ran = OldRound.objects.create(
        programme=programme, number=1, scheduled_for=DAY, seed=1, snapshot={"members": [1]}
    )
    planned = OldRound.objects.create(
        programme=programme, number=2, scheduled_for=DAY.replace(day=2), seed=2
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert RoundSnapshot.objects.get(pairing_round_id=ran.pk).problem == {"members": [1]}
    assert not RoundSnapshot.objects.filter(pairing_round_id=planned.pk).exists()
