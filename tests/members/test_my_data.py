from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import CheckIn, Evaluation
from members.models import Profile, User
from members.services import member_export
from pairing.models import Block, Concern, Match, Membership, OutboxEmail
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round, send_intro

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 1, 6, 9, 30, tzinfo=dt.UTC)


def _login_and_reauthenticate(client, user):
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    assert response.status_code == 302


def test_export_holds_my_account_profile_and_memberships(member_client, member, programme):
    MembershipFactory(user=member, programme=programme)

    response = member_client.get(reverse("members:data_export"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ada@example.org"
    assert data["profile"]["display_name"] == "Ada Lovelace"
    assert data["profile"]["organisation"] == member.profile.organisation
    assert sorted(data["profile"]["interests"]) == ["Open access", "Systematic searching"]
    assert data["memberships"][0]["programme"] == "North West coffee"


def test_export_holds_nothing_of_other_members(member_client, other_member):
    body = member_client.get(reverse("members:data_export")).content.decode()

    assert "grace@example.org" not in body
    assert "Grace Hopper" not in body


def test_delete_asks_for_the_password_again_first(member_client):
    response = member_client.get(reverse("members:account_delete"))

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


def test_delete_needs_the_confirmation_words(client, member):
    _login_and_reauthenticate(client, member)

    response = client.post(reverse("members:account_delete"), {"confirm": "yes please"})

    assert response.status_code == 200
    assert "To confirm, type the three words: delete my account." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_removes_the_account_and_personal_data(client, member, programme):
    MembershipFactory(user=member, programme=programme)
    _login_and_reauthenticate(client, member)

    response = client.post(reverse("members:account_delete"), {"confirm": "Delete my account"})

    assert response.status_code == 302
    assert not User.objects.filter(email="ada@example.org").exists()
    assert not Profile.objects.filter(display_name="Ada Lovelace").exists()
    assert not Membership.objects.filter(programme=programme).exists()
    assert not EmailAddress.objects.filter(email="ada@example.org").exists()
    assert client.get(reverse("members:dashboard")).status_code == 302


def test_delete_erases_what_i_wrote_in_feedback_and_keeps_my_choices_without_my_name(
    client, member, other_member, programme
):
    match = make_match(make_round(programme, 1), member, other_member)
    evaluate(
        match,
        member,
        usefulness=5,
        next_steps="Try the new MeSH browser",
        private_comment="Grace was late",
        takeaway="Peer review catches missing synonyms",
        share_takeaway=True,
    )
    _login_and_reauthenticate(client, member)
    page = client.get(reverse("members:account_delete")).content.decode()

    client.post(reverse("members:account_delete"), {"confirm": "Delete my account"})

    assert "erases what you wrote in feedback, including any takeaway you shared" in page
    evaluation = Evaluation.objects.get(match=match)
    assert (evaluation.user, evaluation.met, evaluation.usefulness) == (None, "yes", 5)
    assert evaluation.next_steps == evaluation.private_comment == evaluation.takeaway == ""
    assert not evaluation.share_takeaway


# Everything held about me: matches, feedback, check-ins, emails


@pytest.fixture
def match_with_grace(member, other_member, programme) -> Match:
    return make_match(make_round(programme, 1), member, other_member)


def _export(client) -> dict:
    return json.loads(client.get(reverse("members:data_export")).content)


def test_export_holds_every_field_of_my_evaluations(member_client, member, match_with_grace):
    evaluation = evaluate(
        match_with_grace,
        member,
        met="yes",
        usefulness=4,
        minutes=45,
        topics_other="Copyright",
        meet_again="maybe",
        next_steps="Try the new MeSH browser",
        private_comment="Grace was late but lovely",
        takeaway="Peer review catches missing synonyms",
        share_takeaway=True,
    )
    evaluation.topics.set([InterestFactory(name="Systematic searching")])

    [item] = _export(member_client)["evaluations"]

    assert item["programme"] == "North West coffee"
    assert item["round"] == 1
    assert item["met"] == "Yes, we met"
    assert item["usefulness"] == 4
    assert item["minutes"] == 45
    assert item["topics"] == ["Systematic searching"]
    assert item["topics_other"] == "Copyright"
    assert item["meet_again"] == "Maybe"
    assert item["next_steps"] == "Try the new MeSH browser"
    assert item["private_comment"] == "Grace was late but lovely"
    assert item["takeaway"] == "Peer review catches missing synonyms"
    assert item["share_takeaway"] is True
    assert item["show_name_with_takeaway"] is False
    fields = {f.name for f in Evaluation._meta.concrete_fields} - {"id", "match", "user", "review"}
    assert fields <= item.keys()


def test_export_holds_the_search_strategy_review_i_wrote(member_client, member, other_member):
    programme = ProgrammeFactory(name="Search review", kind="search_review")
    match = make_match(make_round(programme, 2), member, other_member)
    evaluate(
        match,
        member,
        review={"translation": {"verdict": "revise", "comment": "Add the population term"}},
    )

    [item] = _export(member_client)["evaluations"]

    assert item["programme"] == "Search review"
    assert item["search_strategy_review"] == [
        {
            "heading": "Translation of the research question",
            "verdict": "Revision suggested",
            "comment": "Add the population term",
        }
    ]


def test_export_holds_my_check_ins(member_client, member, match_with_grace):
    seat = match_with_grace.members.get(user=member)
    CheckIn.objects.create(
        seat=seat,
        asked_at=SENT,
        reminded_at=SENT + dt.timedelta(days=3),
        times_asked=2,
        ask_again_on=dt.date(2026, 1, 20),
    )

    [item] = _export(member_client)["check_ins"]

    assert item == {
        "programme": "North West coffee",
        "round": 1,
        "round_date": "2026-01-06",
        "asked_at": SENT.isoformat(),
        "reminded_at": (SENT + dt.timedelta(days=3)).isoformat(),
        "ask_again_on": "2026-01-20",
        "times_asked": 2,
    }


def test_export_still_holds_my_blocks_and_concerns(
    member_client, member, other_member, match_with_grace
):
    Block.objects.create(user=member, blocked=other_member)
    Concern.objects.create(reporter=member, match=match_with_grace, text="Spoke over me")

    data = _export(member_client)

    assert data["asked_not_to_be_paired_with"] == ["Grace Hopper"]
    assert [c["text"] for c in data["concerns_reported"]] == ["Spoke over me"]


def test_export_lists_the_emails_sent_to_me(
    member_client, member, other_member, programme, match_with_grace
):
    intro = send_intro(match_with_grace)
    OutboxEmail.objects.filter(pk=intro.pk).update(sent_at=SENT)
    OutboxEmail.objects.create(
        key="followup:me",
        kind="followup",
        pairing_round=match_with_grace.pairing_round,
        match=match_with_grace,
        user=member,
    )
    later = make_round(programme, 2)
    OutboxEmail.objects.create(
        key="left_out:me", kind="left_out", pairing_round=later, user=member, status="failed"
    )
    # Not mine: Grace's own follow-up, and the introduction of a match I was not in.
    OutboxEmail.objects.create(
        key="followup:grace",
        kind="followup",
        pairing_round=match_with_grace.pairing_round,
        match=match_with_grace,
        user=other_member,
    )
    send_intro(make_match(later, other_member, UserFactory()))

    emails = _export(member_client)["emails_sent_to_you"]

    assert [(e["kind"], e["programme"], e["round"], e["status"], e["sent_at"]) for e in emails] == [
        ("Introduction", "North West coffee", 1, "Sent", SENT.isoformat()),
        ("Did you meet?", "North West coffee", 1, "Pending", None),
        ("Left out", "North West coffee", 2, "Failed", None),
    ]
    assert all(e["queued_at"] for e in emails)


def test_export_keeps_my_partners_feedback_and_address_out(
    member_client, member, other_member, match_with_grace
):
    evaluate(
        match_with_grace,
        other_member,
        next_steps="Grace's next steps",
        private_comment="Grace's private note about Ada",
        takeaway="Grace's unshared takeaway",
        review={"translation": {"verdict": "ok", "comment": "Grace's review comment"}},
    )
    intro = send_intro(match_with_grace, status="failed")
    OutboxEmail.objects.filter(pk=intro.pk).update(last_error="550 grace@example.org refused")

    data = _export(member_client)
    body = json.dumps(data)

    assert data["evaluations"] == []
    assert "grace@example.org" not in body
    assert "Grace's" not in body
    assert data["introductions"][0]["partners"] == ["Grace Hopper"]


def _export_queries(user: User) -> int:
    with CaptureQueriesContext(connection) as queries:
        member_export(user=user)
    return len(queries)


def test_export_takes_the_same_number_of_queries_however_long_my_history(member, programme):
    def add_history(number: int) -> None:
        partner = UserFactory()
        match = make_match(make_round(programme, number), member, partner)
        send_intro(match)
        evaluate(match, member).topics.set([InterestFactory(name="Open access")])
        evaluate(match, partner)
        CheckIn.objects.create(seat=match.members.get(user=member), times_asked=1)
        Concern.objects.create(reporter=member, match=match, text="A concern")
        Block.objects.create(user=member, blocked=partner)

    add_history(1)
    one_round = _export_queries(member)
    add_history(2)
    add_history(3)

    assert _export_queries(member) == one_round


def test_export_holds_what_organisers_uploaded_to_invite_my_address(member, programme):
    from django.utils import timezone

    from members.invitations.models import Invitation

    Invitation.objects.create(
        programme=programme,
        email="ada@example.org",
        name="Ada L.",
        organisation="Analytical Engines Library",
        expires_at=timezone.now(),
    )
    Invitation.objects.create(
        programme=programme, email="grace@example.org", name="Grace", expires_at=timezone.now()
    )

    invitations = member_export(user=member)["account"]["invitations_to_your_address"]

    assert [(i["programme"], i["name"], i["organisation"]) for i in invitations] == [
        ("North West coffee", "Ada L.", "Analytical Engines Library")
    ]


def test_export_dates_a_round_run_early_by_the_day_it_ran(member_client, member, other_member):
    """Planned for 20 January, run on 6 January: the introduction and the check-in say 6."""
    from django.utils import timezone

    from pairing.models import Round

    match = make_match(make_round(ProgrammeFactory(), 1), member, other_member)
    Round.objects.filter(pk=match.pairing_round_id).update(
        scheduled_for=dt.date(2026, 1, 20), finished_at=SENT
    )
    CheckIn.objects.create(seat=match.members.get(user=member), asked_at=SENT)

    data = _export(member_client)

    assert [i["date"] for i in data["introductions"]] == [str(timezone.localdate(SENT))]
    assert [c["round_date"] for c in data["check_ins"]] == [str(timezone.localdate(SENT))]
