"""Walk 18: in the evidence pack, the mentoring section's means by role sat beside the
headline's mean of every rating: with one side's mean and count, the other side's mean
(from 1-4 ratings) could be worked out. Shared, both show only when neither side has 1-4
ratings; and their counts never tell how many rated when the usefulness table must not."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pairing import rounds
from pairing.models import Match, Programme
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.test_walk18_pack_linked import headline, page, submit

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 6)
MENTEES = "Mean usefulness rated by mentees (1-5)"
MENTORS = "Mean usefulness rated by mentors (1-5)"


def mentoring_figures(html: str) -> dict[str, str]:
    found = re.search(r'<section aria-labelledby="mentoring-heading">.*?</section>', html, re.S)
    return dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", found.group(0), re.S))


def one_round(pairs: int, mentee_ratings: list[int], mentor_ratings: list[int]) -> Programme:
    """`pairs` mentors and mentees paired in one round; each rates as listed, in turn;
    a member with no rating left says "No, we couldn't meet"."""
    programme = ProgrammeFactory(kind="mentoring")
    for k in range(pairs):
        for role, experience in (("offer", 3), ("seek", 1)):
            user = UserFactory(profile__display_name=f"{role} {k}", profile__experience=experience)
            MembershipFactory(user=user, programme=programme, mentoring_role=role)
    planned = rounds.round_plan(programme=programme, scheduled_for=START)
    done = rounds.round_run(
        pairing_round=planned, now=dt.datetime.combine(START, dt.time(9), tzinfo=dt.UTC)
    )
    ratings = {"seek": iter(mentee_ratings), "offer": iter(mentor_ratings)}
    for match in Match.objects.filter(pairing_round=done).order_by("pk"):
        for seat in match.members.all():
            rating = next(ratings[seat.role], None)
            if rating is None:
                submit(match, seat.user, met="no", not_met_reason="No time.")
            else:
                submit(match, seat.user, met="yes", usefulness=str(rating), meet_again="yes")
    return programme


def test_with_four_mentor_ratings_neither_sides_mean_is_in_the_pack(organiser_client):
    # Walk 18: 9 ratings, mean 4.0; mentees 3.6 from 5; so mentors 4.5 from 4.
    programme = one_round(5, [4, 4, 3, 3, 4], [5, 4, 5, 4])

    pack = page(organiser_client, programme)

    assert headline(pack)["Mean usefulness (1-5)"] == "4.0"
    assert mentoring_figures(pack)[MENTEES] == "not shown"
    assert mentoring_figures(pack)[MENTORS] == "fewer than 5 ratings"
    assert "3.6" not in pack and "4.5" not in pack


def test_means_from_five_a_side_are_shown_without_counts_that_would_tell_who_met(
    organiser_client,
):
    # 6 pairs, 12 evaluations, one mentee did not meet: "said they met" (11) is hidden,
    # so 5 + 6 ratings beside the 12 evaluations would give it back.
    programme = one_round(6, [4, 4, 3, 3, 4], [5, 4, 5, 4, 5, 4])

    pack = page(organiser_client, programme)

    assert headline(pack)["Said they met"] == "not shown"
    assert mentoring_figures(pack)[MENTEES] == "3.6"
    assert mentoring_figures(pack)[MENTORS] == "4.5"
    assert "ratings)" not in pack
