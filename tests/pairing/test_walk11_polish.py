"""Walk 11 polish: the CPD record in the order its rounds were held; the one-click skip and
pause pages say whom the link is for and what already stands; the introduction says when the
personal follow-up comes; Tab on the login page goes Email, Password, then "Forgot your
password?"; a deleted member is "A former member" everywhere; the matches CSV names its
times' zone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.services import member_export
from pairing.links import make_link
from pairing.models import Match, MembershipStatus, OutboxEmail, OutboxKind, Round
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- 1. The CPD record is in the order its rounds were held -----------------------------


def _held(programme_name: str, planned: dt.date, ran: dt.date, member, other) -> Round:
    pairing_round = make_round(ProgrammeFactory(name=programme_name), 1)
    finished = dt.datetime.combine(ran, dt.time(9), dt.UTC)
    Round.objects.filter(pk=pairing_round.pk).update(scheduled_for=planned, finished_at=finished)
    make_match(pairing_round, member, other)
    return pairing_round


@pytest.fixture
def rounds_run_early(member, other_member):
    """Three rounds, newest held first: Reading (planned 3 March, held 17 February),
    Cataloguing (planned and held 10 February), Research (planned 24 February, run early on
    3 February)."""
    _held("Research", dt.date(2026, 2, 24), dt.date(2026, 2, 3), member, other_member)
    _held("Cataloguing", dt.date(2026, 2, 10), dt.date(2026, 2, 10), member, other_member)
    _held("Reading", dt.date(2026, 3, 3), dt.date(2026, 2, 17), member, other_member)


def test_the_cpd_page_lists_rounds_newest_held_first_with_the_day_held(
    member_client, rounds_run_early
):
    text = _text(member_client.get(reverse("feedback:cpd")))

    shown = re.findall(r"(\d+ \w+ 2026): (\w+), round 1", text)
    assert shown == [
        ("17 February 2026", "Reading"),
        ("10 February 2026", "Cataloguing"),
        ("3 February 2026", "Research"),
    ]


def test_the_cpd_csv_lists_rounds_newest_held_first_with_the_day_held(
    member_client, rounds_run_early
):
    _header, *rows = _csv(member_client.get(reverse("feedback:cpd_csv")))

    assert [(row[1], row[2]) for row in rows] == [
        ("2026-02-17", "Reading"),
        ("2026-02-10", "Cataloguing"),
        ("2026-02-03", "Research"),
    ]


# --- 2. The one-click skip and pause pages --------------------------------------------


@pytest.fixture
def membership(member, programme):
    programme.next_round_on = timezone.localdate() + dt.timedelta(days=10)
    programme.save()
    return MembershipFactory(user=member, programme=programme)


def _path(membership, action: str) -> str:
    return make_link(membership, action).removeprefix("http://127.0.0.1:8000")


@pytest.mark.parametrize("action", ["skip", "pause"])
def test_the_confirm_page_no_longer_speaks_of_group_introductions(client, membership, action):
    text = _text(client.get(_path(membership, action)))

    assert "Introduction emails go to everyone in a group" not in text
    assert "This link is for Ada Lovelace." in text
    assert "sent to Ada Lovelace alone" in text
    assert "<form" in client.get(_path(membership, action)).content.decode()


def test_a_used_pause_link_says_the_member_is_already_paused_without_a_form(client, membership):
    until = timezone.localdate() + dt.timedelta(days=30)
    path = _path(membership, "pause")
    client.post(path, {"until": until.isoformat()})

    again = client.get(path)
    text = _text(again)

    assert f"You are already paused until {until.day} {until:%B %Y}." in text
    assert "<form" not in again.content.decode().split("<main", 1)[-1]
    assert "Log in to your dashboard" in text
    membership.refresh_from_db()
    assert membership.paused_until == until


def test_a_used_skip_link_says_the_member_is_already_skipping_that_round(client, membership):
    path = _path(membership, "skip")
    client.post(path)
    day = membership.programme.next_round_on

    again = client.get(path)
    text = _text(again)

    assert (
        f"You are already skipping the round of North West coffee on {day.day} {day:%B %Y}." in text
    )
    assert "<form" not in again.content.decode().split("<main", 1)[-1]
    assert "Log in to your dashboard" in text


def test_a_skip_link_of_a_member_paused_through_the_next_round_says_so(client, membership):
    until = membership.programme.next_round_on + dt.timedelta(days=7)
    membership.status, membership.paused_until = MembershipStatus.PAUSED, until
    membership.save()

    text = _text(client.get(_path(membership, "skip")))

    assert f"You are already paused until {until.day} {until:%B %Y}." in text
    assert "so you will sit out the next round anyway" in text


def test_a_skip_link_of_a_member_whose_pause_ends_before_the_round_still_asks(client, membership):
    membership.status = MembershipStatus.PAUSED
    membership.paused_until = timezone.localdate() + dt.timedelta(days=3)
    membership.save()

    response = client.get(_path(membership, "skip"))

    assert "Skip the next round of North West coffee?" in response.content.decode()
    assert "<form" in response.content.decode()


# --- 3. The introduction says when the personal follow-up comes ---------------------------


def _intro(followup_days: int) -> str:
    programme = ProgrammeFactory(name="Coffee", followup_days=followup_days)
    pairing_round = make_round(programme, 1)
    match = make_match(pairing_round, UserFactory(), UserFactory())
    outbox = OutboxEmail.objects.create(
        key=f"intro:{match.pk}", kind=OutboxKind.INTRO, pairing_round=pairing_round, match=match
    )
    message = build_message(outbox)
    return re.sub(r"\s+", " ", message.body + message.alternatives[0].content)


@pytest.mark.parametrize(
    ("days", "when"), [(14, "in 14 days"), (21, "in 21 days"), (1, "tomorrow"), (0, "shortly")]
)
def test_the_introduction_says_when_the_personal_link_comes(days, when):
    body = _intro(days)

    assert "in a few days" not in body
    assert body.count(f"We will also email each of you a personal link {when}.") == 2


# --- 4. Tab on the login page ------------------------------------------------------------


def test_on_the_login_page_forgot_your_password_comes_after_the_password_box(client):
    html = client.get(reverse("account_login")).content.decode()
    form = html[html.index("<form") : html.index("</form>")]

    focusable = re.findall(
        r'<input(?![^>]*type="hidden")[^>]*id="(\w+)"|<a [^>]*>([^<]+)</a>', form
    )
    order = [field or link for field, link in focusable]
    assert order[:3] == ["id_login", "id_password", "Forgot your password?"]
    assert 'aria-describedby="id_password_helptext"' in form
    assert 'id="id_password_helptext"' in form


# --- 5. A deleted member is "A former member" ---------------------------------------------


@pytest.fixture
def match_with_a_deleted_member(member, programme):
    gone = UserFactory(profile__display_name="Gone Away")
    match = make_match(make_round(programme, 1), member, gone)
    gone.delete()
    return match


def test_the_round_progress_page_shows_a_deleted_member_as_a_former_member(
    organiser_client, match_with_a_deleted_member
):
    pairing_round = match_with_a_deleted_member.pairing_round
    text = _text(
        organiser_client.get(reverse("admin:pairing_round_progress", args=[pairing_round.pk]))
    )

    assert "Ada Lovelace, A former member" in text
    assert "(deleted account)" not in text


def test_my_data_shows_a_deleted_partner_as_a_former_member(member, match_with_a_deleted_member):
    (introduction,) = member_export(user=member)["introductions"]

    assert introduction["partners"] == ["A former member"]


# --- 6. The matches CSV names the zone of its times -------------------------------------


def test_the_matches_csv_names_the_zone_its_suggested_starts_are_in(organiser_client, programme):
    pairing_round = make_round(programme, 1)
    match = make_match(pairing_round, UserFactory(), UserFactory())
    # 08:00 UTC in June is 09:00 in London (BST): the value and its heading must agree.
    Match.objects.filter(pk=match.pk).update(
        suggested_start=dt.datetime(2026, 6, 9, 8, 0, tzinfo=dt.UTC)
    )

    header, row = _csv(
        organiser_client.get(reverse("organise:matches_csv", args=[pairing_round.pk]))
    )
    page = _text(
        organiser_client.get(reverse("admin:pairing_round_progress", args=[pairing_round.pk]))
    )

    column = header.index("Suggested start (Europe/London time)")
    assert row[column] == "2026-06-09 09:00"
    assert "Suggested time (Europe/London time)" in page and "Tue 9 Jun 09:00" in page
    assert "UTC" not in page


def test_a_skip_link_names_the_round_it_would_skip_before_and_after(client, membership):
    # Walk 12: an old day-before notice's link, opened after that round ran, offered to
    # "skip the next round" without saying it was now a later one.
    day = membership.programme.next_round_on
    path = _path(membership, "skip")
    words = f"{day:%A} {day.day} {day:%B %Y}"

    assert f"The next round is on {words} : you would sit that one out" in _text(client.get(path))
    assert f"the next round of North West coffee, on {words}." in _text(client.post(path))


def test_a_skip_link_opened_after_a_round_ran_says_that_round_has_run(client, membership):
    # Walk 43: a day-before notice for 4 January, opened on 4 January after the round ran,
    # offered to skip the 18 January round without saying the 4 January one had run.
    today = timezone.localdate()
    Round.objects.create(programme=membership.programme, number=1, scheduled_for=today,
                         status="done", seed=1, finished_at=timezone.now())  # fmt: skip
    day = membership.programme.next_round_on
    words = f"{day:%A} {day.day} {day:%B %Y}"

    page = _text(client.get(_path(membership, "skip")))

    assert (
        f"The round of {today.day} {today:%B} has already run. The next round is on {words}"
    ) in page
