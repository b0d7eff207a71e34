"""A preview that may be slow is formed by the worker: the page returns at once with a
progress state, shows the groups when they are ready, never starts two computations,
says in words when forming failed, and a worker that died leaves nothing stuck."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from pairing import rounds, tasks
from pairing.models import Round
from pairing.rounds import background
from tests.factories import UserFactory
from tests.pairing.set_helpers import join, learning_set_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """`eager(False)`: a worker exists; `eager(True)`: the in-process default."""
    before = app.conf.task_always_eager

    def switch(value: bool) -> None:
        app.conf.task_always_eager = value

    yield switch
    app.conf.task_always_eager = before


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch, eager) -> list[tuple]:
    """A worker exists (not the in-process default); the tasks it is given are recorded
    here instead of being run, so a test can run them when it chooses."""
    eager(False)
    calls: list[tuple] = []
    monkeypatch.setattr(tasks.round_preview_form, "delay", lambda *args: calls.append(args))
    return calls


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the engine ran (and for how many members)."""
    from pairing.rounds import solve

    calls: list[int] = []
    real = solve.matching.solve

    def counting(problem: dict) -> dict:
        calls.append(len(problem["members"]))
        return real(problem)

    monkeypatch.setattr(solve.matching, "solve", counting)
    return calls


@pytest.fixture
def sets(monkeypatch: pytest.MonkeyPatch, organiser):
    """A learning-set programme the estimate calls slow: 12 members in groups of 4, with
    the threshold lowered from 30 members so the engine itself stays quick in tests."""
    monkeypatch.setattr(background, "FAST_GROUPS", 8)
    programme = learning_set_programme(group_size=4)
    join(programme, 12)
    programme.organisers.add(organiser)
    return programme


def _start(client, programme) -> Round:
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    return Round.objects.get(programme=programme)


def _preview_url(pairing_round: Round) -> str:
    return reverse("admin:pairing_round_preview", args=[pairing_round.pk])


def _work(calls: list[tuple]) -> None:
    """The worker takes the queued jobs."""
    for args in calls:
        tasks.round_preview_form(*args)


def test_the_estimate_calls_groups_slow_above_30_members_and_pairs_fast_to_2000():
    assert background.preview_is_slow(group_size=6, members=60)
    assert background.preview_is_slow(group_size=3, members=31)
    assert not background.preview_is_slow(group_size=6, members=30)
    assert not background.preview_is_slow(group_size=2, members=2000)
    assert background.preview_is_slow(group_size=2, members=2001)


def test_a_slow_preview_returns_at_once_with_progress_then_shows_the_groups(
    organiser_client, sets, queued, engine_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("admin:pairing_programme_next_round", args=[sets.pk])
        )
    pairing_round = Round.objects.get(programme=sets)
    page = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert response.url == _preview_url(pairing_round)
    assert engine_calls == [], "the request itself never ran the engine"
    assert len(queued) == 1
    assert 'role="status"' in page and "Forming groups… (started" in page
    assert '<noscript><meta http-equiv="refresh"' in page  # no JS needed to see the result
    assert "preview-groups" not in page
    assert organiser_client.get(_preview_url(pairing_round) + "?poll=1").json() == {"forming": True}

    _work(queued)
    poll = organiser_client.get(_preview_url(pairing_round) + "?poll=1").json()
    page = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert poll == {"forming": False}
    assert engine_calls[0] == 12
    assert "preview-groups" in page and "Forming groups" not in page
    assert page.count("Lock set") == 3  # 12 members in 3 sets of 4
    pairing_round.refresh_from_db()
    assert pairing_round.progress_note == "" and pairing_round.error == ""


def test_the_organiser_can_leave_and_come_back_to_the_progress_from_the_programme(
    organiser_client, sets, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
    programme_page = organiser_client.get(
        reverse("admin:pairing_programme_next_round", args=[sets.pk])
    ).content.decode()

    assert f'href="{_preview_url(pairing_round)}"' in programme_page
    assert "Forming groups" in organiser_client.get(_preview_url(pairing_round)).content.decode()


def test_double_clicks_and_a_second_organiser_start_one_computation(
    organiser_client, client, sets, queued, django_capture_on_commit_callbacks
):
    colleague = UserFactory(is_staff=True)
    sets.organisers.add(colleague)
    client.force_login(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
        _start(organiser_client, sets)
        second = client.post(_preview_url(pairing_round), {"action": "reshuffle"}, follow=True)

    assert len(queued) == 1
    assert "The groups are already being formed" in second.content.decode()


def test_edits_and_run_wait_while_the_groups_are_forming(
    organiser_client, sets, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)

    for action in ("lock", "run"):
        page = organiser_client.post(
            _preview_url(pairing_round), {"action": action, "group": "0"}, follow=True
        ).content.decode()
        assert "still being formed" in page

    pairing_round.refresh_from_db()
    assert pairing_round.status == "planned" and pairing_round.draft is None


def test_a_failed_preview_says_why_and_trying_again_forms_the_groups(
    organiser_client, sets, queued, monkeypatch, django_capture_on_commit_callbacks
):
    from pairing.rounds import preview

    real = preview.round_solution

    def broken(*args: object) -> dict:
        raise ValueError("the solver ran out of memory")

    monkeypatch.setattr(preview, "round_solution", broken)
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
    _work(queued)
    page = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert "The groups could not be formed" in page
    assert "The matching stopped with an unexpected error" in page
    assert "ValueError: the solver ran out of memory" in page
    assert "Try again" in page
    assert organiser_client.get(_preview_url(pairing_round) + "?poll=1").json() == {
        "forming": False
    }

    monkeypatch.setattr(preview, "round_solution", real)
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(_preview_url(pairing_round), {"action": "reshuffle"})
    _work(queued[1:])
    page = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert len(queued) == 2
    assert "preview-groups" in page and "could not be formed" not in page


def test_a_failed_reshuffle_can_keep_the_previous_groups(
    organiser_client, sets, queued, monkeypatch, django_capture_on_commit_callbacks
):
    from pairing.rounds import preview

    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
    _work(queued)
    before = Round.objects.get(pk=pairing_round.pk).draft["groups"]
    real = preview.round_solution
    monkeypatch.setattr(
        preview, "round_solution", lambda *a: (_ for _ in ()).throw(ValueError("no"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(_preview_url(pairing_round), {"action": "reshuffle"})
    _work(queued[1:])
    failed = organiser_client.get(_preview_url(pairing_round)).content.decode()
    monkeypatch.setattr(preview, "round_solution", real)
    kept = organiser_client.post(
        _preview_url(pairing_round), {"action": "keep"}, follow=True
    ).content.decode()

    assert "Keep the previous groups" in failed
    assert "preview-groups" in kept
    assert Round.objects.get(pk=pairing_round.pk).draft["groups"] == before


def test_a_worker_that_died_leaves_a_state_the_organiser_can_restart(
    organiser_client, sets, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
    # The worker died with the job: nothing happens for eleven minutes.
    eleven_minutes_ago = timezone.now() - dt.timedelta(minutes=11)
    Round.objects.filter(pk=pairing_round.pk).update(started_at=eleven_minutes_ago)
    stale = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert "taking far longer than it should" in stale
    assert "Start forming the groups again" in stale
    assert "forming for 11\xa0minutes" in stale

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(_preview_url(pairing_round), {"action": "reshuffle"})
    late = tasks.round_preview_form(*queued[0])  # the first job, delivered late
    _work(queued[1:])

    assert len(queued) == 2
    assert late is None and Round.objects.get(pk=pairing_round.pk).draft is not None
    assert "preview-groups" in organiser_client.get(_preview_url(pairing_round)).content.decode()


def test_a_late_job_never_overwrites_a_newer_claim_or_a_round_that_ran(organiser, sets, queued):
    pairing_round = rounds.round_plan(programme=sets, scheduled_for=timezone.localdate())
    first = timezone.now() - dt.timedelta(minutes=11)
    assert rounds.preview_claim(pairing_round=pairing_round, now=first, members=12)
    assert not rounds.preview_claim(
        pairing_round=pairing_round, now=first + dt.timedelta(minutes=1), members=12
    )
    second = timezone.now()
    assert rounds.preview_claim(pairing_round=pairing_round, now=second, members=12)
    today = timezone.localdate()

    assert not rounds.preview_form(
        round_id=pairing_round.pk, claimed_at=first, today=today, reshuffle=True
    )
    rounds.round_run(pairing_round=pairing_round, now=timezone.now())
    assert not rounds.preview_form(
        round_id=pairing_round.pk, claimed_at=second, today=today, reshuffle=True
    )
    pairing_round.refresh_from_db()
    assert pairing_round.status == "done" and pairing_round.draft is None


def test_the_in_process_default_forms_the_groups_within_the_request(
    organiser_client, sets, eager, engine_calls
):
    eager(True)

    response = organiser_client.post(
        reverse("admin:pairing_programme_next_round", args=[sets.pk]), follow=True
    )
    page = response.content.decode()

    assert "preview-groups" in page and "Forming groups" not in page
    assert page.count("Lock set") == 3
    assert engine_calls[0] == 12


def test_a_quick_preview_is_formed_within_the_request_even_with_a_worker(
    organiser_client, organiser, queued
):
    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    programme.organisers.add(organiser)

    pairing_round = _start(organiser_client, programme)
    page = organiser_client.get(_preview_url(pairing_round)).content.decode()

    assert queued == []
    assert "preview-groups" in page and page.count("Lock set") == 2


def test_a_round_the_schedule_planned_starts_forming_when_its_preview_is_opened(
    organiser_client, sets, queued, django_capture_on_commit_callbacks
):
    pairing_round = rounds.round_plan(programme=sets, scheduled_for=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        first = organiser_client.get(_preview_url(pairing_round)).content.decode()
        organiser_client.get(_preview_url(pairing_round))

    assert "Forming groups" in first
    assert len(queued) == 1


@pytest.mark.parametrize("method", ["get", "poll", "reshuffle"])
def test_another_programmes_organiser_is_refused_and_starts_nothing(
    client, sets, queued, method, django_capture_on_commit_callbacks
):
    pairing_round = rounds.round_plan(programme=sets, scheduled_for=timezone.localdate())
    stranger = UserFactory(is_staff=True)
    learning_set_programme().organisers.add(stranger)
    client.force_login(stranger)
    url = _preview_url(pairing_round)

    with django_capture_on_commit_callbacks(execute=True):
        if method == "get":
            response = client.get(url)
        elif method == "poll":
            response = client.get(url + "?poll=1")
        else:
            response = client.post(url, {"action": "reshuffle"})

    assert response.status_code == 404
    assert queued == []
    assert Round.objects.get(pk=pairing_round.pk).progress_note == ""


def test_a_round_run_while_its_groups_were_forming_sends_the_page_to_its_progress(
    organiser_client, sets, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round = _start(organiser_client, sets)
    rounds.round_run(pairing_round=pairing_round, now=timezone.now())  # e.g. the schedule

    poll = organiser_client.get(_preview_url(pairing_round) + "?poll=1").json()
    page = organiser_client.get(_preview_url(pairing_round))

    assert poll == {"forming": False}  # so the waiting page reloads
    assert page.url == reverse("admin:pairing_round_progress", args=[pairing_round.pk])


def test_a_run_that_must_place_many_members_goes_to_the_worker(
    organiser_client, sets, queued, monkeypatch, django_capture_on_commit_callbacks
):
    runs: list[tuple] = []
    monkeypatch.setattr(tasks.round_run, "delay", lambda *args: runs.append(args))
    pairing_round = rounds.round_plan(programme=sets, scheduled_for=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(_preview_url(pairing_round), {"action": "run"})

    assert response.url == reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    assert len(runs) == 1
    assert Round.objects.get(pk=pairing_round.pk).status == "planned"  # the worker runs it
