"""Walk 41 and 42: a learning set's evidence page headed its topics table "Evaluations
naming it" (learning sets have no evaluations: always 0) and "Matches sharing it"; it
now counts the sets sharing each topic. A coffee programme keeps both columns."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _topics(client, programme) -> tuple[str, str]:
    page = client.get(reverse("feedback:programme_report", args=[programme.pk])).content.decode()
    section = page.split('id="topics-heading"', 1)[1].split("</section>", 1)[0]
    head = section.split("<thead>", 1)[1].split("</thead>", 1)[0]
    text = " ".join(strip_tags(section.replace("</th>", " ").replace("</td>", " ")).split())
    return " ".join(strip_tags(head.replace("</th>", " ")).split()), text


def test_a_learning_sets_topics_count_sets(organiser_client):
    programme = learning_set_programme(name="Action learning", group_size=5)
    join(programme, 10)  # every member lists the same two interests
    form_cycle(programme, now=timezone.now())

    head, text = _topics(organiser_client, programme)

    assert head == "Topic Sets sharing it"
    assert "Top topics, from the interests each set's members share" in text
    assert re.search(r"Systematic searching 2\b", text), text
    assert "feedback" not in text and "Evaluations" not in text


def test_a_coffee_programmes_topics_keep_evaluations_and_matches(organiser_client):
    programme = ProgrammeFactory(name="Winter coffee")
    match = make_match(make_round(programme, 1), UserFactory(), UserFactory(),
                       shared_interests=["Open access"])  # fmt: skip
    evaluate(match, met=True)

    head, text = _topics(organiser_client, programme)

    assert head == "Topic Evaluations naming it Matches sharing it"
    assert "Top topics, from feedback and from interests matches shared" in text


def test_a_coffee_programme_has_no_check_ins_file(organiser_client):
    # Walk 43: its check-ins.csv was an empty file of learning-set columns.
    coffee = ProgrammeFactory(name="Winter coffee")
    sets = learning_set_programme(name="Action learning")

    none = organiser_client.get(reverse("feedback:checkins_csv", args=[coffee.pk]))
    some = organiser_client.get(reverse("feedback:checkins_csv", args=[sets.pk]))

    assert none.status_code == 404
    assert some.status_code == 200
