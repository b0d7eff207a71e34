"""The evaluation form: answers, every bad input re-shown with a clear message and nothing
typed lost, the search-review checklist, when feedback closes, and privacy from partners."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import CheckIn, Evaluation, Met
from feedback.services import EvaluationError, evaluation_is_open, evaluation_submit
from members.models import Interest
from tests.factories import InterestFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match, seat_of

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TYPED = "We compared our inductions for new nursing students."


@pytest.fixture
def match(programme, member, other_member):
    ran = timezone.now() - 40 * DAY
    return make_match(done_round(programme, finished_at=ran), member, other_member)


def _url(match) -> str:
    return reverse("feedback:evaluate_own", args=[match.pk])


def _answers(**changes) -> dict:
    data = {
        "met": "yes",
        "usefulness": "4",
        "minutes": "35",
        "topics_other": "",
        "meet_again": "yes",
        "next_steps": TYPED,
        "private_comment": "",
        "takeaway": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _page(response) -> str:
    return response.content.decode()


# --- The page --------------------------------------------------------------------------


def test_form_page_asks_did_you_meet_the_partner_with_one_heading(member_client, match):
    response = member_client.get(_url(match))

    page = _page(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "<h1>Did you meet Grace Hopper?</h1>" in page
    assert "It takes about 2 minutes and builds your CPD record." in page


def test_radio_groups_are_fieldsets_with_legends(member_client, match):
    page = _page(member_client.get(_url(match)))

    for legend in ("Did you meet?", "How useful was it?", "Would you meet again?"):
        assert re.search(rf"<fieldset[^>]*>\s*<legend>{re.escape(legend)}</legend>", page)


def test_text_fields_have_labels(member_client, match):
    page = _page(member_client.get(_url(match)))

    for name in ("not_met_reason", "minutes", "next_steps", "private_comment", "takeaway"):
        assert f'<label for="id_{name}"' in page


def test_topics_offer_only_active_interests(member_client, match):
    InterestFactory(name="Open access")
    Interest.objects.create(name="Microfiche", active=False)

    page = _page(member_client.get(_url(match)))

    assert "Open access" in page
    assert "Microfiche" not in page


def test_met_is_preselected_from_the_answer_clicked_in_the_email(member_client, match):
    page = _page(member_client.get(_url(match) + "?met=no"))

    assert re.search(r'<input type="radio" name="met" value="no"[^>]*checked', page)
    assert not re.search(r'<input type="radio" name="met" value="yes"[^>]*checked', page)


def test_an_unknown_preselected_answer_is_ignored(member_client, match):
    page = _page(member_client.get(_url(match) + "?met=maybe"))

    assert not re.search(r'name="met" value="[a-z_]+"[^>]*checked', page)


@pytest.mark.parametrize("met", ["yes", "not_yet", "no"])
def test_get_never_saves_anything(member_client, match, met):
    member_client.get(_url(match) + f"?met={met}")

    assert not Evaluation.objects.exists()
    assert not CheckIn.objects.exists()


def test_match_page_links_to_the_form(member_client, match):
    page = _page(member_client.get(reverse("pairing:match_detail", args=[match.pk])))

    assert f'href="{_url(match)}"' in page
    assert "Tell us how it went" in page


def test_form_needs_logging_in(client, match):
    response = client.get(_url(match))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_form_for_a_match_the_member_is_not_in_is_not_found(member_client, programme):
    others = make_match(
        done_round(programme, finished_at=timezone.now() - 2 * DAY), UserFactory(), UserFactory()
    )

    response = member_client.get(_url(others))

    assert response.status_code == 404


# --- Saving ----------------------------------------------------------------------------


def test_valid_answers_are_saved_and_the_done_page_links_to_the_cpd_record(
    member_client, match, member
):
    topic = InterestFactory(name="Information literacy")

    response = member_client.post(_url(match), _answers(topics=[topic.pk]), follow=True)

    evaluation = Evaluation.objects.get(match=match, user=member)
    page = _page(response)
    assert response.redirect_chain == [(f"{_url(match)}?sent=1", 302)]
    assert response.status_code == 200
    assert (evaluation.met, evaluation.usefulness, evaluation.minutes) == ("yes", 4, 35)
    assert evaluation.next_steps == TYPED
    assert list(evaluation.topics.all()) == [topic]
    assert "Thank you for your feedback" in page
    assert f'href="{reverse("feedback:cpd")}"' in page


def test_sending_again_updates_the_same_evaluation(member_client, match, member):
    member_client.post(_url(match), _answers(usefulness="2"))

    member_client.post(_url(match), _answers(usefulness="5"))

    assert Evaluation.objects.get(match=match, user=member).usefulness == 5
    assert Evaluation.objects.count() == 1


def test_form_shows_earlier_answers_for_editing(member_client, match):
    member_client.post(_url(match), _answers(private_comment="Lovely chat"))

    page = _page(member_client.get(_url(match)))

    assert "You have already told us about this introduction." in page
    assert "Lovely chat" in page


def test_not_yet_says_we_will_ask_again_in_a_week(member_client, match, member):
    response = member_client.post(_url(match), {"met": "not_yet"}, follow=True)

    checkin = CheckIn.objects.get(seat=seat_of(match, member))
    page = _page(response)
    assert "We will ask again in a week" in page
    assert checkin.ask_again_on == timezone.localdate() + 7 * DAY
    assert Evaluation.objects.get(user=member).met == Met.NOT_YET


def test_not_met_keeps_no_usefulness_or_minutes(member_client, match, member):
    member_client.post(_url(match), _answers(met="no", not_met_reason="Illness"))

    evaluation = Evaluation.objects.get(user=member)
    assert (evaluation.usefulness, evaluation.minutes) == (None, None)
    assert evaluation.not_met_reason == "Illness"


def test_sharing_the_takeaway_with_a_name_is_saved(member_client, match, member):
    member_client.post(
        _url(match),
        _answers(
            takeaway="Ask for the PICO first.", share_takeaway="on", show_name_with_takeaway="on"
        ),
    )

    evaluation = Evaluation.objects.get(user=member)
    assert evaluation.share_takeaway and evaluation.show_name_with_takeaway


# --- Bad input: a clear message, nothing typed lost ---------------------------------------


def _rejected(member_client, match, data) -> str:
    response = member_client.post(_url(match), data)
    page = _page(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert not Evaluation.objects.exists()
    return page


def test_missing_did_you_meet_is_reshown_with_a_message(member_client, match):
    page = _rejected(member_client, match, _answers(met=None))

    assert "Tell us whether you met." in page
    assert TYPED in page


def test_met_without_usefulness_is_reshown_with_a_message(member_client, match):
    page = _rejected(member_client, match, _answers(usefulness=None))

    assert "Tell us how useful it was, from 1 to 5." in page
    assert TYPED in page
    assert 'value="35"' in page


@pytest.mark.parametrize("usefulness", ["0", "6", "four"])
def test_usefulness_out_of_range_is_reshown_with_a_message(member_client, match, usefulness):
    page = _rejected(member_client, match, _answers(usefulness=usefulness))

    assert "Choose a number from 1 to 5." in page
    assert TYPED in page


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("2", "Enter at least 5 minutes."),
        ("601", "Enter at most 600 minutes (10 hours)."),
        ("half an hour", "Enter the time as a whole number of minutes, such as 30."),
    ],
)
def test_minutes_out_of_range_is_reshown_with_a_message(member_client, match, minutes, message):
    page = _rejected(member_client, match, _answers(minutes=minutes))

    assert message in page
    assert f'value="{minutes}"' in page


def test_could_not_meet_without_a_reason_is_reshown_with_a_message(member_client, match):
    page = _rejected(member_client, match, _answers(met="no", private_comment="Sorry!"))

    assert "Tell us briefly what got in the way, so we can help next time." in page
    assert "Sorry!" in page


@pytest.mark.parametrize(
    ("field", "limit", "shown", "met"),
    [
        ("private_comment", 2000, "2,000", "yes"),
        ("next_steps", 2000, "2,000", "yes"),
        ("takeaway", 1000, "1,000", "yes"),
        ("topics_other", 200, "200", "yes"),
        # Asked (and shown) only after "No" (the form ignores it after "Yes").
        ("not_met_reason", 300, "300", "no"),
    ],
)
def test_too_long_text_is_reshown_with_its_limit_and_kept_whole(
    member_client, match, field, limit, shown, met
):
    long_text = "word " * (limit // 5) + "end"

    page = _rejected(member_client, match, _answers(met=met, **{field: long_text}))

    assert f"at most {shown} characters" in page
    assert long_text in page


def test_showing_a_name_without_sharing_the_takeaway_is_reshown_with_a_message(
    member_client, match
):
    page = _rejected(
        member_client,
        match,
        _answers(takeaway="Ask for the PICO first.", show_name_with_takeaway="on"),
    )

    assert "Your name can only be shown with a shared takeaway" in page
    assert "Ask for the PICO first." in page


def test_sharing_an_empty_takeaway_is_reshown_with_a_message(member_client, match):
    page = _rejected(member_client, match, _answers(share_takeaway="on"))

    assert "Write your takeaway, or untick “share my takeaway”." in page


def test_error_summary_links_to_the_radio_group(member_client, match):
    page = _rejected(member_client, match, _answers(met=None))

    assert 'href="#id_met_0"' in page
    assert 'id="id_met_0"' in page


# --- Search-strategy review ---------------------------------------------------------------


def test_a_search_review_evaluation_is_about_the_meeting_only(member_client, match, programme):
    # The PRESS review is written for its author on its own page (feedback.strategies),
    # never in the evaluation, which organisers read and the author never sees.
    programme.kind = "search_review"
    programme.save()

    page = _page(member_client.get(_url(match)))

    assert "Did you meet" in page
    assert "<legend>Boolean and proximity operators</legend>" not in page


def test_coffee_programme_has_no_review_checklist(member_client, match):
    page = _page(member_client.get(_url(match)))

    assert "Search-strategy review" not in page


# --- When feedback closes --------------------------------------------------------------------


def test_feedback_is_open_before_the_next_round_runs(programme, match):
    assert evaluation_is_open(match=match, now=timezone.now())


def test_feedback_closes_when_the_next_round_has_run(programme, match):
    next_ran = timezone.now() - DAY
    done_round(programme, finished_at=next_ran)

    assert evaluation_is_open(match=match, now=next_ran - dt.timedelta(minutes=1))
    assert not evaluation_is_open(match=match, now=next_ran)


def test_feedback_closes_eight_weeks_after_the_round_ran(programme, member, other_member):
    ran = timezone.now() - 8 * 7 * DAY
    old = make_match(done_round(programme, finished_at=ran), member, other_member)

    assert evaluation_is_open(match=old, now=ran + 8 * 7 * DAY - dt.timedelta(minutes=1))
    assert not evaluation_is_open(match=old, now=ran + 8 * 7 * DAY)


def test_closed_round_shows_a_closed_page_without_a_form(member_client, programme, match):
    done_round(programme, finished_at=timezone.now() - DAY)

    page = _page(member_client.get(_url(match)))

    assert "Feedback for this round has closed" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_closed_round_refuses_an_answer(member_client, programme, match, member):
    done_round(programme, finished_at=timezone.now() - DAY)

    page = _page(member_client.post(_url(match), _answers()))

    assert "Feedback for this round has closed" in page
    assert not Evaluation.objects.exists()


def test_submit_service_refuses_a_closed_round(programme, match, member):
    done_round(programme, finished_at=timezone.now() - DAY)

    with pytest.raises(EvaluationError):
        evaluation_submit(
            match=match, user=member, data={"met": "no"}, topics=[], now=timezone.now()
        )


# --- Never shown to the partner ------------------------------------------------------------


def test_partner_never_sees_the_members_feedback(member_client, other_client, match, member):
    member_client.post(
        _url(match),
        _answers(
            usefulness="1",
            private_comment="Secret: they talked over me",
            takeaway="Unshared takeaway text",
            next_steps="My private reflection",
        ),
    )

    pages = [
        _page(other_client.get(reverse("members:dashboard"))),
        _page(other_client.get(reverse("pairing:match_detail", args=[match.pk]))),
        _page(other_client.get(_url(match))),
    ]

    assert Evaluation.objects.filter(user=member).exists()
    for page in pages:
        assert "Secret: they talked over me" not in page
        assert "Unshared takeaway text" not in page
        assert "My private reflection" not in page
        assert "already told us" not in page
        assert not re.search(r'name="usefulness" value="1"[^>]*checked', page)


def test_a_weekly_next_round_does_not_close_feedback_before_members_are_asked(
    programme, member, other_member
):
    ran = timezone.now() - 7 * DAY
    recent = make_match(done_round(programme, finished_at=ran), member, other_member)
    done_round(programme, finished_at=timezone.now() - DAY)

    assert evaluation_is_open(match=recent, now=timezone.now())
    assert not evaluation_is_open(match=recent, now=ran + (programme.followup_days + 14) * DAY)


def test_reloading_the_thank_you_page_sends_nothing_again(member_client, match, member):
    # Walk 27: the thank-you page was the POST's own response, so a reload offered to
    # send the form again.
    member_client.post(_url(match), _answers(), follow=True)
    saved = Evaluation.objects.get(match=match, user=member).updated_at

    again = member_client.get(f"{_url(match)}?sent=1")

    assert "Thank you for your feedback" in _page(again)
    assert Evaluation.objects.get(match=match, user=member).updated_at == saved


def test_the_thank_you_address_before_any_answer_shows_the_form(member_client, match):
    page = _page(member_client.get(f"{_url(match)}?sent=1"))

    assert "Thank you for your feedback" not in page
    assert "Send my feedback" in page


def test_the_done_page_mentions_a_reflection_only_when_one_was_written(member_client, match):
    # Walk 44: "This meeting and your reflection are now in your CPD record" after an
    # answer with no reflection.
    bare = member_client.post(_url(match), _answers(next_steps=""), follow=True)
    reflected = member_client.post(_url(match), _answers(), follow=True)

    assert "This meeting is now in your CPD record." in _page(bare)
    assert "This meeting and your reflection are now in your CPD record." in _page(reflected)


def test_not_yet_promises_no_email_after_feedback_closes(member_client, match, member):
    # Walk 43: "We will ask again in a week, on Monday 11 January" where the same form
    # said answers could be changed until 4 January (the next round closes feedback).
    programme = match.pairing_round.programme
    programme.next_round_on = timezone.localdate() + 3 * DAY
    programme.save()

    response = member_client.post(_url(match), {"met": "not_yet"}, follow=True)

    page = _page(response)
    assert "We won't email you about this introduction again" in page
    assert "We will ask again" not in page
    assert CheckIn.objects.get(seat=seat_of(match, member)).ask_again_on is None
    # Walk 45: the heading said "we'll ask again", and the form itself promised it too.
    assert "Thanks: come back once you have met" in page and "ask again" not in page
    assert "No need to wait for the email" not in page
    form = _page(member_client.get(_url(match)))
    assert "we will ask again in a week" not in form
    assert "come back here once you have met (feedback closes before we would ask" in form
