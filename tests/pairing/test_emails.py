"""Introduction, left-out and round-notice emails, as members will read them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from members.models import User
from pairing.emails.starters import conversation_starters
from pairing.links import SALT
from pairing.models import (
    LeftOut,
    Match,
    MatchMember,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Programme,
    Round,
    RoundStatus,
)
from pairing.outbox import build_message
from tests.factories import InterestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TUESDAY_10_LONDON = dt.datetime(2025, 12, 2, 10, tzinfo=dt.UTC)


def make_round(programme: Programme) -> Round:
    number = programme.rounds.count() + 1
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=dt.date(2025, 12, 1) + dt.timedelta(weeks=4 * (number - 1)),
        seed=7,
    )


def make_intro(
    programme: Programme,
    users: list[User],
    *,
    host: User | None = None,
    shared: list[str] | None = None,
    start: dt.datetime | None = TUESDAY_10_LONDON,
) -> OutboxEmail:
    pairing_round = make_round(programme)
    match = Match.objects.create(
        pairing_round=pairing_round,
        host=host or users[0],
        shared_interests=["Systematic searching", "Open access"] if shared is None else shared,
        suggested_start=start,
    )
    for user in users:
        MembershipFactory(user=user, programme=programme)
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return OutboxEmail.objects.create(
        key=f"intro:{match.pk}", kind=OutboxKind.INTRO, pairing_round=pairing_round, match=match
    )


@pytest.fixture
def jan(db: None) -> User:
    return UserFactory(
        email="jan@example.org",
        profile__display_name="Jan Kowalski",
        profile__time_zone="Europe/Warsaw",
        profile__pronouns="he/him",
        profile__access_notes="I prefer captions on.",
    )


@pytest.fixture
def intro(programme: Programme, member: User, jan: User) -> OutboxEmail:
    return make_intro(programme, [member, jan])


def html_of(message) -> str:
    return message.alternatives[0].content


def bodies(message) -> str:
    return message.body + html_of(message)


def ics_of(message) -> Calendar:
    attachment = message.attachments[0]
    content = attachment.content
    return Calendar.from_ical(content.encode() if isinstance(content, str) else content)


# --- Introduction -------------------------------------------------------------------


def test_intro_is_one_message_addressed_to_every_member(intro):
    message = build_message(intro)

    assert sorted(message.to) == ["ada@example.org", "jan@example.org"]


def test_a_plain_reply_to_the_intro_reaches_everyone_in_it(intro):
    """Walk 32: Reply went to the site's own address; only Reply-all reached the partner,
    and nothing said so."""
    message = build_message(intro)

    assert sorted(message.reply_to) == ["ada@example.org", "jan@example.org"]
    assert message.extra_headers.get("Reply-To") is None  # Django's own header, not ours
    assert "Reply-To: " in message.message().as_string()
    assert "To reach each other, reply to this email: your reply goes to you both." in (
        " ".join(message.body.split())
    )
    assert "To reach each other, reply to this email: your reply goes to you both." in (
        " ".join(html_of(message).split())
    )


def test_a_group_intro_says_a_reply_reaches_all_of_them(programme, member):
    from tests.factories import UserFactory

    trio = make_intro(programme, [member, UserFactory(), UserFactory()])
    message = build_message(trio)

    assert len(message.reply_to) == 3
    assert "To reach one another, reply to this email: your reply goes to all of you." in (
        " ".join(message.body.split())
    )


def test_an_email_to_one_member_has_no_reply_to(programme, member):
    message = build_message(make_outbox(OutboxKind.LEFT_OUT, programme, member))

    assert message.reply_to == []
    assert "Reply-To" not in message.message().as_string()


def test_intro_subject_names_the_people_and_the_programme(intro):
    message = build_message(intro)

    assert (
        message.subject == "Meet Ada Lovelace and Jan Kowalski: your North West coffee introduction"
    )


def test_intro_has_plain_text_and_html_parts(intro):
    message = build_message(intro)

    assert "Jan Kowalski" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert '<html lang="en-GB">' in html_of(message)
    assert "<title>" in html_of(message)
    assert "<img" not in html_of(message)


def test_intro_describes_each_member(intro):
    message = build_message(intro)

    for text in (message.body, html_of(message)):
        assert "he/him" in text
        assert "Clinical librarian" in text
        assert "Librarian / information professional" in text
        assert "Health / NHS" in text
        assert "North West England" in text
        assert "I run a one-person hospital library." in text
        assert "I prefer captions on." in text


def test_intro_shows_organisation_only_when_the_member_allows_it(programme, member, jan):
    member.profile.organisation = "Royal Infirmary Library"
    member.profile.show_organisation = True
    member.profile.save()
    jan.profile.organisation = "Secret Hospital Library"
    jan.profile.save()

    message = build_message(make_intro(programme, [member, jan]))

    assert "Royal Infirmary Library" in bodies(message)
    assert "Secret Hospital Library" not in bodies(message)


def test_intro_never_shows_an_email_address_in_the_body(intro):
    message = build_message(intro)

    assert "@example.org" not in bodies(message)


def test_intro_names_the_host(programme, member, jan):
    message = build_message(make_intro(programme, [member, jan], host=jan, start=None))

    assert "Jan Kowalski, you are the host this time: please propose a time." in message.body


def test_intro_with_a_suggested_time_asks_the_host_to_confirm_it_or_propose_another(
    programme, member, jan
):
    # Walk 27: "please propose a time" above a suggested time pulled against it.
    noon = dt.datetime(2025, 12, 2, 12, tzinfo=dt.UTC)
    message = build_message(make_intro(programme, [member, jan], host=jan, start=noon))

    said = (
        "Jan Kowalski, you are the host this time: please confirm the suggested time below, "
        "or propose another."
    )
    assert said in message.body
    assert "please propose a time." not in message.body
    assert "please confirm the suggested time below, or propose another." in html_of(message)


def test_intro_says_what_a_pair_both_listed(intro):
    message = build_message(intro)

    assert "You both listed systematic searching and open access." in message.body


def test_intro_says_what_a_pair_both_listed_even_after_a_topic_was_renamed(programme, member, jan):
    # The match records the topics both had when it was made; a pair shares each of them.
    message = build_message(make_intro(programme, [member, jan], shared=["Copyright (old)"]))

    assert "You both listed copyright (old)." in message.body


def test_intro_says_what_a_trio_all_listed(programme, member, jan, other_member):
    copyright_ = InterestFactory(name="Copyright")
    for user in (member, jan, other_member):
        user.profile.interests.add(copyright_)

    message = build_message(
        make_intro(programme, [member, jan, other_member], shared=["Copyright"])
    )

    assert "You all listed copyright." in message.body


def _trio_of_lee_max_and_tim(tim_lists: list[str]) -> list[User]:
    topics = {n: InterestFactory(name=n) for n in ("Accessibility", "Archives", "Research")}
    lee, max_ = (
        UserFactory(profile__display_name=name, profile__interests=list(topics.values()))
        for name in ("Lee Ash", "Max Birch")
    )
    tim = UserFactory(
        profile__display_name="Tim Cole", profile__interests=[topics[n] for n in tim_lists]
    )
    return [lee, max_, tim]


def test_intro_names_the_two_of_a_trio_who_listed_a_topic_the_third_did_not(programme):
    trio = _trio_of_lee_max_and_tim(tim_lists=[])

    message = build_message(
        make_intro(programme, trio, shared=["Accessibility", "Archives", "Research"])
    )

    for text in (message.body, html_of(message)):
        assert "You all listed" not in text
        assert "Lee Ash and Max Birch both listed accessibility, archives and research." in text


def test_intro_says_what_a_whole_trio_listed_and_then_what_two_of_them_did(programme):
    trio = _trio_of_lee_max_and_tim(tim_lists=["Archives"])

    message = build_message(
        make_intro(programme, trio, shared=["Accessibility", "Archives", "Research"])
    )

    assert (
        "You all listed archives. Lee Ash and Max Birch both listed accessibility and research."
        in message.body
    )


def test_intro_has_three_conversation_starters(intro):
    message = build_message(intro)

    assert "3. " in message.body
    assert "4. " not in message.body
    assert html_of(message).count("<li>", html_of(message).index("<ol")) >= 3


def test_starters_come_from_shared_interests_and_repeat_for_the_same_match():
    first = conversation_starters(interests=["Open access", "Knitting"], seed=42)
    again = conversation_starters(interests=["Open access", "Knitting"], seed=42)

    assert first == again
    assert len(first) == 3
    assert any("open access" in starter.lower() for starter in first)
    assert any("knitting" in starter for starter in first)


def test_starters_fall_back_to_general_questions_without_shared_interests():
    starters = conversation_starters(interests=[], seed=1)

    assert len(starters) == 3
    assert len(set(starters)) == 3


def test_intro_shows_the_slot_in_each_members_own_time_zone(intro):
    message = build_message(intro)

    expected = (
        "Tuesday 2 December, 10:00 for Ada Lovelace (Europe/London), "
        "11:00 for Jan Kowalski (Europe/Warsaw)"
    )
    assert expected in message.body
    assert expected in html_of(message)


def test_intro_slot_names_a_shared_time_zone_once(programme, member, other_member):
    noon = dt.datetime(2025, 12, 2, 12, tzinfo=dt.UTC)

    message = build_message(make_intro(programme, [member, other_member], start=noon))

    assert "Tuesday 2 December, 12:00 (Europe/London)." in message.body
    assert "for Ada Lovelace (Europe/London)" not in message.body
    assert "Tuesday 2 December, 12:00 (Europe/London)" in html_of(message)


def test_intro_slot_shows_each_date_when_members_are_on_different_days(programme, member):
    auckland = UserFactory(profile__display_name="Kiri", profile__time_zone="Pacific/Auckland")

    noon = dt.datetime(2025, 12, 2, 12, tzinfo=dt.UTC)

    message = build_message(make_intro(programme, [member, auckland], start=noon))

    assert "Tuesday 2 December, 12:00 for Ada Lovelace (Europe/London)" in message.body
    assert "Wednesday 3 December, 01:00 for Kiri (Pacific/Auckland)" in message.body


def test_intro_calendar_invitation_parses_with_the_right_start(intro):
    message = build_message(intro)

    calendar = ics_of(message)
    event = calendar.events[0]
    assert message.attachments[0].mimetype == "text/calendar"
    assert calendar["METHOD"] == "PUBLISH"
    assert event.start.astimezone(dt.UTC) == TUESDAY_10_LONDON
    assert event.end - event.start == dt.timedelta(minutes=30)
    assert sorted(str(a) for a in event.attendees) == [
        "mailto:ada@example.org",
        "mailto:jan@example.org",
    ]
    assert str(event["ORGANIZER"]) == "mailto:coffee@localhost"


def test_intro_calendar_uid_is_stable_for_the_match(intro):
    first = ics_of(build_message(intro)).events[0]["UID"]
    again = ics_of(build_message(intro)).events[0]["UID"]

    assert first == again == f"match-{intro.match_id}@127.0.0.1"


def test_intro_message_serialises_with_its_attachment(intro):
    raw = build_message(intro).message().as_bytes()

    assert b"text/calendar" in raw
    assert b"coffee-introduction.ics" in raw


def test_intro_without_a_slot_asks_the_host_to_propose_one(programme, member, jan):
    message = build_message(make_intro(programme, [member, jan], start=None))

    assert "We could not find a time when you are both free" in message.body
    assert "Ada Lovelace, please propose one" in message.body
    assert message.attachments == []


def test_a_trio_without_a_slot_is_told_no_time_suits_them_all(programme, member, jan):
    third = UserFactory(profile__display_name="Cleo Third")
    message = build_message(make_intro(programme, [member, jan, third], start=None))

    assert "We could not find a time when you are all free" in message.body
    assert "when you are all free" in message.alternatives[0][0]


def test_intro_escapes_html_typed_by_members_in_the_html_part(programme, member, jan):
    member.profile.about = "<script>alert('hi')</script> Tom & Jerry"
    member.profile.save()

    message = build_message(make_intro(programme, [member, jan]))

    assert "<script>" not in html_of(message)
    assert "&lt;script&gt;" in html_of(message)
    assert "<script>alert('hi')</script> Tom & Jerry" in message.body


def test_intro_carries_no_link_that_changes_one_members_participation(intro, member, jan):
    # The introduction goes to the whole group: a skip or pause link in it would let a
    # partner change someone else's participation (issue 10, consent and privacy).
    message = build_message(intro)

    assert "/link/" not in message.body
    assert "/link/" not in html_of(message)
    assert "http://127.0.0.1:8000/me/#membership-" in message.body
    assert "http://127.0.0.1:8000/me/" in message.body


def test_intro_feedback_link_opens_each_members_own_form_after_login(client, intro, jan):
    message = build_message(intro)
    url = f"http://127.0.0.1:8000/me/matches/{intro.match_id}/feedback/"
    assert url in message.body
    assert f'href="{url}"' in html_of(message)
    # The shared message carries no personal feedback token a partner could use.
    assert "/feedback/" not in message.body.replace(url, "")

    Round.objects.filter(pk=intro.pairing_round_id).update(
        status=RoundStatus.DONE, finished_at=timezone.now()
    )
    path = url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(jan)
    page = client.get(path)
    assert page.status_code == 200
    assert "<h1>Did you meet Ada Lovelace?</h1>" in page.content.decode()


def test_intro_still_goes_out_when_a_member_has_left(intro, jan):
    jan.memberships.update(status=MembershipStatus.LEFT)

    message = build_message(intro)

    assert "Jan Kowalski" in message.body
    assert "/link/" not in message.body


def test_message_id_is_the_same_for_a_repeated_send(intro):
    first = build_message(intro).message()["Message-ID"]
    again = build_message(intro).message()["Message-ID"]

    assert first == again
    assert first.startswith("<outbox-") and first.endswith("@127.0.0.1>")


def test_message_id_differs_between_emails(programme, member, jan, other_member):
    first = make_intro(programme, [member, jan])
    second = OutboxEmail.objects.create(key="other", kind=OutboxKind.INTRO, match=first.match)

    assert (
        build_message(first).extra_headers["Message-ID"]
        != build_message(second).extra_headers["Message-ID"]
    )


# --- Left out and notice --------------------------------------------------------------


def make_outbox(kind: str, programme: Programme, user: User) -> OutboxEmail:
    pairing_round = make_round(programme)
    return OutboxEmail.objects.create(
        key=f"{kind}:{pairing_round.pk}:{user.pk}",
        kind=kind,
        pairing_round=pairing_round,
        user=user,
    )


def test_left_out_email_gives_the_reason_and_puts_them_first_next_round(programme, member):
    MembershipFactory(user=member, programme=programme)
    outbox = make_outbox(OutboxKind.LEFT_OUT, programme, member)
    LeftOut.objects.create(
        pairing_round=outbox.pairing_round, user=member, reason="odd one out: everyone is paired"
    )

    message = build_message(outbox)

    assert message.to == ["ada@example.org"]
    assert "The reason: odd one out: everyone is paired." in message.body
    assert "you have priority" in message.body
    assert "odd one out: everyone is paired" in html_of(message)


def test_a_learning_set_left_out_email_speaks_of_the_cycle(member):
    """Walk 32: "No match for you this round of ... learning set", "... that round"."""
    from tests.pairing.set_helpers import learning_set_programme

    programme = learning_set_programme(group_size=4)
    MembershipFactory(user=member, programme=programme)
    outbox = make_outbox(OutboxKind.LEFT_OUT, programme, member)
    LeftOut.objects.create(
        pairing_round=outbox.pairing_round,
        user=member,
        reason="too few members are taking part this round to form a group: you have "
        "priority next round",
        first_in_line=True,
    )

    message = build_message(outbox)
    text = " ".join(message.body.split())

    assert message.subject.startswith(f"No match for you this cycle of {programme.name}")
    assert "in this cycle of" in text
    # In the kind's words: sets, not groups (walk 40).
    assert "The reason: too few members are taking part this cycle to form a set." in text
    assert "Next cycle" in text and "Next cycle" in html_of(message)
    assert " round" not in text.split("Your dashboard")[0]


def test_left_out_email_without_a_recorded_reason_still_explains(programme, member):
    outbox = make_outbox(OutboxKind.LEFT_OUT, programme, member)

    message = build_message(outbox)

    assert "not enough people available" in message.body


def test_notice_says_a_round_runs_tomorrow_with_a_skip_link(programme, member):
    membership = MembershipFactory(user=member, programme=programme)
    outbox = make_outbox(OutboxKind.NOTICE, programme, member)

    message = build_message(outbox)

    assert message.subject == "A round of North West coffee runs tomorrow"
    assert "runs tomorrow (Monday 1 December 2025)" in message.body
    # Walk 43: it promised an introduction to members who were then left out.
    assert (
        "You will get an introduction email when it does, or an email saying why if nobody "
        "can be matched with you this time."
    ) in " ".join(message.body.split())
    token = message.body.split("Skip this one: ")[1].split()[0].split("/link/")[1].split("/")[0]
    assert signing.loads(token, salt=SALT) == {"m": membership.pk, "a": "skip"}
    assert "Pause: " in message.body


def test_a_learning_sets_notice_says_new_sets_form_tomorrow(member):
    # Walk 44: "A round of Winter action learning runs tomorrow ... Skip this one".
    from tests.pairing.set_helpers import learning_set_programme

    programme = learning_set_programme(name="Winter action learning", group_size=4)
    MembershipFactory(user=member, programme=programme)
    outbox = make_outbox(OutboxKind.NOTICE, programme, member)

    message = build_message(outbox)
    text = " ".join(message.body.split())
    page = " ".join(html_of(message).split())

    assert message.subject == "New sets of Winter action learning form tomorrow"
    assert (
        "New sets of Winter action learning form tomorrow (Monday 1 December 2025) for the "
        "next cycle of sessions. You will get an introduction email with your set and its "
        "session dates when they do, or an email saying why if you cannot be placed in a set "
        "this time."
    ) in text
    assert "Skip this cycle: " in text and ">Skip this cycle</a>" in page
    # (The footer names the opt-out category, "round and cycle notices".)
    assert not re.search(r"\bround\b", text.split("To stop")[0] + page.split("want round")[0], re.I)


def test_the_introduction_and_match_page_say_how_each_member_would_like_to_meet(
    programme, member, jan, client
):
    # Walk 43: a member who meets only in person was introduced with nothing saying so,
    # and the partner's feedback read "we couldn't meet: they wanted in person".
    jan.profile.meeting_format = "in_person"
    jan.profile.save()
    outbox = make_intro(programme, [member, jan])

    message = build_message(outbox)
    client.force_login(member)
    page = client.get(reverse("pairing:match_detail", args=[outbox.match_id])).content.decode()

    assert "- Meets: in person only" in message.body
    assert "<li>Meets: in person only</li>" in html_of(message)
    assert "<dt>Meets</dt><dd>In person only</dd>" in page
