"""Walk 9 polish: what a member or an organiser reads on the evidence page, under a
strategy, in the "did you meet?" email and in their CPD record's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback import reports
from feedback.services import followups_send_due
from feedback.strategies.forms import StrategyForm
from feedback.strategies.services import strategy_share
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets.models import Session, SessionCheckIn
from pairing.sets.selectors import set_member_ids
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round
from tests.feedback.evaluation_helpers import done_round
from tests.feedback.evaluation_helpers import make_match as ran_match
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme, upload
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Bug 2: several rounds on one day are not a range of dates ----------------------------


@pytest.mark.parametrize("name", ["programme_report", "evidence_pack"])
def test_rounds_run_on_one_day_say_so_with_their_count(programme, organiser_client, name):
    ran = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
    for number in (1, 2, 3):
        make_round(programme, number)
    programme.rounds.update(finished_at=ran)

    text = _text(organiser_client.get(reverse(f"feedback:{name}", args=[programme.pk])))

    assert "3 rounds, all on 6 December 2026." in text
    assert "from 6 December 2026 to 6 December 2026" not in text


@pytest.mark.parametrize("name", ["programme_report", "evidence_pack"])
def test_rounds_on_different_days_give_their_count_and_range(programme, organiser_client, name):
    for number in (1, 2, 3):
        make_round(programme, number)

    text = _text(organiser_client.get(reverse(f"feedback:{name}", args=[programme.pk])))

    assert "3 rounds, from 6 January 2026 to 3 March 2026." in text


# --- Bug 3: an uploaded strategy's own line numbers were not "pasted" ----------------------


def test_an_uploaded_strategy_with_its_own_line_numbers_is_not_called_pasted(
    member, other_member, other_client
):
    match = review_match(review_programme(), member, other_member)
    form = StrategyForm(
        data={"text": "", "question": "Does exercise help in cancer?"},
        files={"file": upload("strategy.txt", STRATEGY.encode(), "text/plain")},
    )
    assert form.is_valid(), form.errors
    strategy_share(
        match=match,
        author=member,
        context=form.context(),
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
        checked=form.checked,
    )

    text = _text(other_client.get(reverse("pairing:match_detail", args=[match.pk])))

    assert "2. (cancer* or tumour* or tumor*).ti,ab." in text
    assert "Line numbers are the strategy's own: cite those." in text
    assert "own, as pasted" not in text


# --- Bug 4: the "did you meet?" email says who is the mentor --------------------------------


def _asked(kind: str, *, reminder: bool = False) -> dict:
    """The follow-up (or its reminder) each member of a match of two gets, by name."""
    programme = ProgrammeFactory(kind=kind)
    mentor = UserFactory(profile__display_name="Priya Shah")
    mentee = UserFactory(profile__display_name="Tom Berry")
    for user in (mentor, mentee):
        MembershipFactory(user=user, programme=programme)
    match = ran_match(done_round(programme, finished_at=RAN), mentor, mentee)
    MatchMember.objects.filter(match=match, user=mentor).update(role="offer")
    MatchMember.objects.filter(match=match, user=mentee).update(role="seek")
    followups_send_due(now=RAN + 14 * DAY)
    if reminder:
        followups_send_due(now=RAN + 21 * DAY)
    kind_sent = OutboxKind.REMINDER if reminder else OutboxKind.FOLLOWUP
    return {
        row.user.profile.display_name: build_message(row)
        for row in OutboxEmail.objects.filter(kind=kind_sent).select_related("user__profile")
    }


def test_a_mentoring_followup_names_the_mentor_and_the_mentee():
    sent = _asked("mentoring")

    to_mentee, to_mentor = sent["Tom Berry"], sent["Priya Shah"]
    assert to_mentee.subject == "Did you meet Priya Shah (your mentor)?"
    assert to_mentor.subject == "Did you meet Tom Berry (your mentee)?"
    assert "Did you meet Priya Shah (your mentor)? You were introduced in" in to_mentee.body
    html = to_mentee.alternatives[0].content
    assert "You were introduced to Priya Shah (your mentor) in" in html


def test_a_mentoring_reminder_names_the_role_too():
    to_mentee = _asked("mentoring", reminder=True)["Tom Berry"]

    assert to_mentee.subject == "Reminder: did you meet Priya Shah (your mentor)?"
    assert "asked whether you met Priya Shah (your mentor) in " in to_mentee.body


def test_a_coffee_followup_names_no_role():
    to_member = _asked("coffee")["Tom Berry"]

    assert to_member.subject == "Did you meet Priya Shah?"
    assert "(your" not in to_member.body


# --- Bug 1: the CPD CSV is one table, every row self-contained -----------------------------


def _set_member(check_ins: int = 1):
    """A learning set's member who checked in to its first `check_ins` sessions (the first
    attended, for 200 minutes; the others missed), and a client logged in as them."""
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    member = MatchMember.objects.get(user_id=set_member_ids(learning_set)[0]).user
    sessions = Session.objects.filter(learning_set=learning_set).order_by("number")
    for number, session in enumerate(sessions[:check_ins], start=1):
        SessionCheckIn.objects.create(
            session=session,
            user=member,
            attended=number == 1,
            minutes=200 if number == 1 else None,
            usefulness=4 if number == 1 else None,
            reflection="=Ask, then listen." if number == 1 else "",
        )
    client = Client()
    client.force_login(member)
    return member, client


def _cpd_csv(client) -> list[list[str]]:
    response = client.get(reverse("feedback:cpd_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_cpd_csv_is_one_table_of_meetings_sets_and_sessions():
    member, client = _set_member(check_ins=2)
    coffee = ProgrammeFactory(name="North West coffee")
    evaluate(make_match(make_round(coffee, 1), member, UserFactory()), member, minutes=40)

    header, *rows = _cpd_csv(client)

    assert header == reports.CPD_HEADER
    assert all(len(row) == len(header) for row in rows)  # no second table, no blank row
    assert header not in rows
    assert not any("below" in cell for row in rows for cell in row)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["Record"] for r in records] == [
        "Learning set session",
        "Learning set session",
        "Learning set",
        "Meeting",
    ]
    missed, attended, joined, meeting = records
    assert attended["Round or session"] == "Set 1, session 1"
    assert attended["Met or attended"] == "Attended" and attended["Minutes"] == "200"
    assert attended["My reflection"] == "'=Ask, then listen."  # formula-safe
    assert missed["Met or attended"] == "Did not attend" and missed["Minutes"] == ""
    assert joined["Met or attended"] == "Joined (each session checked in is a row of its own)"
    assert joined["Partners (role and sector)"].count(";") == 3  # four others in the set
    assert meeting["Met or attended"] == "Yes, we met" and meeting["Minutes"] == "40"
    assert meeting["Programme"] == "North West coffee" and meeting["Round or session"] == "Round 1"


def test_the_cpd_csv_reads_the_same_number_of_queries_however_many_rows():
    def queries(check_ins: int) -> int:
        _member, client = _set_member(check_ins)
        with CaptureQueriesContext(connection) as captured:
            _cpd_csv(client)
        return len(captured)

    assert queries(1) == queries(4)


def test_the_cpd_page_points_below_only_when_sessions_are_listed_there():
    _member, client = _set_member(check_ins=0)

    text = _text(client.get(reverse("feedback:cpd")))

    assert "No learning set session checked in yet" in text
    assert "below" not in text
