"""Walk 9: a learning-set match's feedback URL points to the set's check-ins instead of the
coffee form; the evaluations CSV says which search-strategy reviews each member sent; a
mentoring feedback page says who the partner is to the member."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.links import make_feedback_token
from feedback.models import Evaluation, Strategy, StrategyReview, StrategyVersion
from members.models import User
from pairing.models import MatchMember
from pairing.sets.selectors import set_member_ids
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Bug 1: a learning set has no "did you meet?" form -----------------------------------


@pytest.fixture
def set_seat() -> MatchMember:
    programme = learning_set_programme(name="Action learning North")
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    user = User.objects.get(pk=set_member_ids(learning_set)[0])
    return MatchMember.objects.get(match=learning_set.match, user=user)


def test_a_learning_set_matchs_feedback_url_points_to_the_sets_check_ins(set_seat):
    client = _client(set_seat.user)
    url = reverse("feedback:evaluate_own", args=[set_seat.match_id])
    set_url = reverse("pairing:set_detail", args=[set_seat.match.learning_set.pk])

    page = client.get(url).content.decode()
    posted = client.post(url, {"met": "not_yet"})

    assert "Did you meet" not in page and "ask again in a week" not in page
    assert "You can change your answers until" not in page
    assert "<h1>Your learning set checks in after each session</h1>" in page
    assert f'href="{set_url}#sessions-heading"' in page
    assert posted.status_code == 200 and "Did you meet" not in posted.content.decode()
    assert not Evaluation.objects.exists()


def test_a_learning_set_feedback_link_from_an_email_shows_the_same_page(set_seat):
    token = make_feedback_token(set_seat)

    page = Client().get(reverse("feedback:evaluate", args=[token])).content.decode()

    assert "Did you meet" not in page
    assert "Your learning set checks in after each session" in page
    assert "Log in to check in on your set" in page


# --- Bug 3: the evaluations CSV's search-strategy review column ---------------------------


def _share(match, author: User) -> StrategyVersion:
    strategy = Strategy.objects.create(match=match, author=author)
    return StrategyVersion.objects.create(strategy=strategy, number=1, text=STRATEGY)


def _review(version: StrategyVersion, reviewer: User, **verdicts: str) -> StrategyReview:
    elements = {
        key: {"verdict": verdicts.get(key, "none"), "comment": f"Private note on {key}"}
        for key in ("translation", "operators", "subject_headings", "text_words", "spelling")
    } | {"limits": {"verdict": verdicts.get("limits", "none"), "comment": "Private note"}}
    return StrategyReview.objects.create(
        strategy=version.strategy,
        version=version,
        reviewer=reviewer,
        elements=elements,
        overall="Secret overall note",
        submitted_at=timezone.now(),
    )


def _csv_rows(client: Client, programme) -> list[dict[str, str]]:
    response = client.get(reverse("feedback:programme_csv", args=[programme.pk]))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_evaluations_csv_says_which_reviews_each_member_sent(organiser_client, organiser):
    programme = review_programme()
    programme.organisers.add(organiser)
    ada = UserFactory(profile__display_name="Ada Lovelace")
    grace = UserFactory(profile__display_name="Grace Hopper")
    alan = UserFactory(profile__display_name="Alan Turing")
    match = review_match(programme, ada, grace)
    _review(_share(match, ada), grace, subject_headings="required", limits="suggested")
    _review(_share(match, grace), ada)
    draft = _share(review_match(programme, alan, UserFactory(), number=2), alan)
    StrategyReview.objects.create(strategy=draft.strategy, version=draft, reviewer=ada)
    for user in (ada, grace):
        evaluate(match, user)
    evaluate(draft.strategy.match, alan)

    rows = {
        r["Member"]: r["Search-strategy review"] for r in _csv_rows(organiser_client, programme)
    }

    assert rows["Grace Hopper"] == (
        "Reviewed Ada Lovelace's strategy (version 1): revision required: Subject headings; "
        "revision suggested: Limits and filters"
    )
    assert rows["Ada Lovelace"] == "Reviewed Grace Hopper's strategy (version 1): no revisions"
    assert rows["Alan Turing"] == "No review sent"
    assert "Private note" not in str(rows) and "Secret" not in str(rows)


def test_the_search_review_csv_makes_as_many_queries_for_many_rows_as_for_few(
    organiser_client, organiser
):
    programme = review_programme()
    programme.organisers.add(organiser)

    def grow(pairs: int) -> None:
        for _ in range(pairs):
            a, b = UserFactory(), UserFactory()
            match = review_match(programme, a, b, number=programme.rounds.count() + 1)
            _review(_share(match, a), b, limits="required")
            evaluate(match, a)
            evaluate(match, b)

    grow(2)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = _csv_rows(organiser_client, programme)
        return len(captured.captured_queries), rows

    few, _rows = count()
    grow(20)
    many, rows = count()

    assert many == few
    assert len(rows) == 44
    assert sum(r["Search-strategy review"].startswith("Reviewed") for r in rows) == 22


def test_other_kinds_leave_the_review_column_empty(organiser_client, organiser):
    programme = ProgrammeFactory()
    programme.organisers.add(organiser)
    evaluate(make_match(make_round(programme, 1), UserFactory()))

    (row,) = _csv_rows(organiser_client, programme)

    assert row["Search-strategy review"] == ""


# --- Bug 4: a mentoring feedback page says who the partner is -----------------------------


def test_a_mentees_feedback_page_names_their_mentor_as_such():
    programme = ProgrammeFactory(kind="mentoring")
    mentor = UserFactory(profile__display_name="Priya Shah")
    mentee = UserFactory(profile__display_name="Tom Berry")
    pairing_round = make_round(programme, 1)
    pairing_round.finished_at = timezone.now()
    pairing_round.save(update_fields=["finished_at"])
    match = make_match(pairing_round, mentor, mentee)
    MatchMember.objects.filter(user=mentor).update(role="offer")
    MatchMember.objects.filter(user=mentee).update(role="seek")
    url = reverse("feedback:evaluate_own", args=[match.pk])

    as_mentee = _client(mentee).get(url).content.decode()
    as_mentor = _client(mentor).get(url).content.decode()

    assert "<h1>Did you meet Priya Shah (your mentor)?</h1>" in as_mentee
    assert "<h1>Did you meet Tom Berry (your mentee)?</h1>" in as_mentor
