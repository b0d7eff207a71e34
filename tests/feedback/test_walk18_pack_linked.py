"""Walk 18: in the evidence pack, the answers to questions only members who met answer
(usefulness, would meet again) must not give back a hidden "said they met" (or any count
of 1-4) by subtraction from the evaluations received. Ten evaluations, nine met and one
"No, we couldn't meet": "said they met" is hidden, so must be every figure that adds up
to it. The organiser page keeps every figure exact."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from feedback.forms import EvaluationForm
from feedback.services import evaluation_submit
from pairing import rounds
from pairing.models import Match, Programme, Round
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluations, make_round

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 6)


def page(client, programme: Programme, name: str = "feedback:evidence_pack") -> str:
    response = client.get(reverse(name, args=[programme.pk]))
    assert response.status_code == 200
    return response.content.decode()


def headline(html: str) -> dict[str, str]:
    found = re.search(r'<dl class="headline">(.*?)</dl>', html, re.S)
    return dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", found.group(1), re.S))


def table(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with `caption`, each as the texts of its cells."""
    found = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert found, caption
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', found.group(1), re.S)
    return [[label, *re.findall(r"<td[^>]*>(.*?)</td>", cells)] for label, cells in rows]


def mentoring_figures(html: str) -> dict[str, str]:
    found = re.search(r'<section aria-labelledby="mentoring-heading">.*?</section>', html, re.S)
    return dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", found.group(0), re.S))


def total_told(rows: list[list[str]]) -> int | None:
    """The number of answers a reader can tell from a shown table: the sum of its counts
    when every count is shown, or a count over its exact share; None if neither."""
    if all(row[1].isdigit() for row in rows):
        return sum(int(row[1]) for row in rows)
    for _label, count, share in rows:
        exact = re.fullmatch(r"(\d+)%", share)
        if count.isdigit() and int(count) and exact:
            return round(int(count) * 100 / int(exact.group(1)))
    return None


def submit(match: Match, user, **answers: object) -> None:
    """One member's evaluation, through the form (which drops the answers about a
    meeting that did not happen) and `evaluation_submit`."""
    form = EvaluationForm(data={"minutes": "", **answers}, programme=match.pairing_round.programme)
    assert form.is_valid(), form.errors
    evaluation_submit(
        match=match,
        user=user,
        data=form.evaluation_data(),
        topics=[],
        now=dt.datetime.combine(match.pairing_round.scheduled_for, dt.time(12), tzinfo=dt.UTC)
        + dt.timedelta(days=3),
    )


@pytest.fixture
def mentoring_walk() -> Programme:
    """Five mentors and five mentees in one round. All ten answer; one mentor says "No,
    we couldn't meet". Mentees rate 4, 4, 3, 3, 4 (mean 3.6), the four mentors who met 5,
    4, 5, 4 (4.5): 9 ratings, mean 4.0. The nine who met would meet again."""
    programme = ProgrammeFactory(kind="mentoring", name="Mentoring walk")
    for k in range(5):
        for role, experience in (("offer", 3), ("seek", 1)):
            user = UserFactory(profile__display_name=f"{role} {k}", profile__experience=experience)
            MembershipFactory(user=user, programme=programme, mentoring_role=role)
    planned = rounds.round_plan(programme=programme, scheduled_for=START)
    done: Round = rounds.round_run(
        pairing_round=planned, now=dt.datetime.combine(START, dt.time(9), tzinfo=dt.UTC)
    )
    mentee_ratings = iter([4, 4, 3, 3, 4])
    mentor_ratings = iter([5, 4, 5, 4])
    for number, match in enumerate(Match.objects.filter(pairing_round=done).order_by("pk")):
        for seat in match.members.all():
            if seat.role == "offer" and number == 4:
                submit(match, seat.user, met="no", not_met_reason="Diaries never matched.")
                continue
            rating = next(mentee_ratings if seat.role == "seek" else mentor_ratings)
            submit(match, seat.user, met="yes", usefulness=str(rating), meet_again="yes")
    return programme


def test_the_mentoring_pack_hides_would_meet_again_when_said_they_met_is_hidden(
    organiser_client, mentoring_walk
):
    html = page(organiser_client, mentoring_walk)

    figures = headline(html)
    assert figures["Evaluations received"] == "10"
    assert figures["Said they met"] == "not shown"
    assert figures["Share who met"] == "not shown"
    assert figures["Mean usefulness (1-5)"] == "4.0"
    again = table(html, "Would you meet again?")
    assert again == [
        ["Yes", "not shown", "not shown"],
        ["Maybe", "not shown", "not shown"],
        ["No", "not shown", "not shown"],
    ]
    assert total_told(again) is None


def test_the_mentoring_pack_draws_no_meet_again_bar(organiser_client, mentoring_walk):
    html = page(organiser_client, mentoring_walk)

    chart = re.search(r'<svg[^>]*aria-labelledby="chart-meet-again-title".*?</svg>', html, re.S)
    assert "Would meet again: Yes: not shown; Maybe: not shown; No: not shown." in chart.group(0)
    assert '<rect class="chart-bar"' not in chart.group(0)


@pytest.mark.parametrize("kind", ["coffee", "search_review"])
def test_coffee_and_search_review_packs_hide_them_the_same_way(organiser_client, kind):
    programme = ProgrammeFactory(kind=kind)
    first = make_round(programme, 1)
    evaluations(first, 9, met="yes", usefulness=4, meet_again="yes")
    evaluations(first, 1, met="no", not_met_reason="Ill that week.")

    html = page(organiser_client, programme)

    assert headline(html)["Evaluations received"] == "10"
    assert headline(html)["Said they met"] == "not shown"
    # 9 yes, 9 rated 4: every count would be shown, so none is.
    for caption in ("Would you meet again?", "How useful was it? (1 to 5)"):
        rows = table(html, caption)
        assert {cell for row in rows for cell in row[1:]} == {"not shown"}
        assert total_told(rows) is None


def test_answers_a_few_short_of_those_who_met_are_not_shown(organiser_client):
    """10 of 20 met (shown: 10 did not) and 8 of them said whether they would meet again:
    the 8 beside the 10 would tell that 2 who met did not say."""
    programme = ProgrammeFactory(kind="coffee")
    first = make_round(programme, 1)
    evaluations(first, 8, met="yes", usefulness=4, meet_again="yes")
    evaluations(first, 2, met="yes", usefulness=3)
    evaluations(first, 10, met="no", not_met_reason="Too busy.")

    html = page(organiser_client, programme)

    assert headline(html)["Said they met"] == "10"
    again = table(html, "Would you meet again?")
    assert total_told(again) is None
    # Usefulness: all 10 who met rated, nothing to work out by subtraction.
    assert [row[1:] for row in table(html, "How useful was it? (1 to 5)")] == [
        ["0", "0%"],
        ["0", "0%"],
        ["fewer than 5", "not shown"],
        ["not shown", "not shown"],
        ["0", "0%"],
    ]
